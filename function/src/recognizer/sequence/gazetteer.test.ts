import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gazetteer } from './gazetteer';

const gazetteer = new Gazetteer({ city: ['york', 'new york', 'new york city'], country: ['france'], first: ['york'] }, ['city', 'country']);
const [CITY, , FIRST] = [1 << 0, 1 << 1, 1 << 2];

test('the longest phrase wins per list, and lists match independently', () => {
  assert.deepEqual(gazetteer.listNames, ['city', 'country', 'first']);
  const words = ['i', 'love', 'new', 'york', 'city', 'and', 'york'];
  // Reused buffers: longer than the comment and holding an earlier comment's bits.
  const begins = new Int32Array(10).fill(-1);
  const insides = new Int32Array(10).fill(-1);
  gazetteer.match(words.map((lower) => ({ lower, phrase: gazetteer.phrase(lower) })), { begins, insides });
  assert.deepEqual([...begins.subarray(0, words.length)], [0, 0, CITY, FIRST, 0, 0, CITY | FIRST]);
  assert.deepEqual([...insides.subarray(0, words.length)], [0, 0, 0, CITY, CITY, 0, 0]);
  assert.equal(begins[words.length], -1, 'nothing written past the last token');
});

test('a one-word phrase holds its lists and the longer phrases that begin with it', () => {
  assert.deepEqual(gazetteer.phrase('france'), { lists: 1 << 1, longer: undefined });
  const york = gazetteer.phrase('new')?.longer?.get('york');
  assert.equal(gazetteer.phrase('new')?.lists, 0, '"new" alone is in no list');
  assert.equal(york?.lists, CITY, '"new york" is a city');
  assert.deepEqual([...york!.longer!.keys()], ['city'], '"new york city" continues it');
  assert.equal(gazetteer.phrase('paris'), undefined);
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
