import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gazetteer } from './gazetteer';

const gazetteer = new Gazetteer({ city: ['york', 'new york', 'new york city'], country: ['france'], first: ['york'] }, ['city', 'country']);
const [CITY, , FIRST] = [1 << 0, 1 << 1, 1 << 2];

test('the longest phrase wins per list, and lists match independently', () => {
  assert.deepEqual(gazetteer.listNames, ['city', 'country', 'first']);
  const { begins, insides } = gazetteer.match(['i', 'love', 'new', 'york', 'city', 'and', 'york']);
  assert.deepEqual([...begins], [0, 0, CITY, FIRST, 0, 0, CITY | FIRST]);
  assert.deepEqual([...insides], [0, 0, 0, CITY, CITY, 0, 0]);
});

test('matching with cached one-word entries gives the same matches', () => {
  const words = ['new', 'york', 'city', 'in', 'france', 'york', 'new'];
  assert.deepEqual(gazetteer.match(words, words.map((word) => gazetteer.entry(word))), gazetteer.match(words));
  assert.equal(gazetteer.entry('paris'), 0);
});

test('geopolitical lookup is on whole phrases of the listed lists only', () => {
  assert.equal(gazetteer.isGeopolitical('new york'), true);
  assert.equal(gazetteer.isGeopolitical('france'), true);
  assert.equal(gazetteer.isGeopolitical('new'), false);
  assert.equal(new Gazetteer({ first: ['paris'] }).isGeopolitical('paris'), false);
});

test('unknown geopolitical list names are rejected', () => {
  assert.throws(() => new Gazetteer({ city: [] }, ['town']), /unknown gazetteer list town/);
});
