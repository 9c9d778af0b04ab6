import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordClusters } from './word-clusters';

const clusters = new WordClusters({ levels: [2, 4], words: ['london', 'obama', 'paris'], ids: [0, 1, 1, 3, 0, 1] });

test('a listed word has its cluster at each level; any other word has none', () => {
  assert.equal(clusters.levels, 2);
  assert.deepEqual([clusters.clusterOf('paris', 0), clusters.clusterOf('paris', 1)], [0, 1]);
  assert.deepEqual([clusters.clusterOf('obama', 0), clusters.clusterOf('obama', 1)], [1, 3]);
  assert.equal(clusters.clusterOf('Paris', 0), -1, 'words are looked up as given: callers lower-case them');
  for (const word of ['', 'a', 'lon', 'londonx', 'par', 'zz', 'parisian']) assert.equal(clusters.clusterOf(word, 1), -1, word);
});

test('the binary search finds every listed word and nothing else, whatever its characters', () => {
  // Every word of up to three of these characters (BMP, astral, punctuation), every other one listed.
  const alphabet = ['a', 'b', 'é', 'ß', '日', '😀', '-', "'"];
  let words = [''];
  const all: string[] = [];
  for (let length = 1; length <= 3; length += 1) {
    words = words.flatMap((word) => alphabet.map((char) => word + char));
    all.push(...words);
  }
  all.sort();
  const listed = all.filter((_, k) => k % 2 === 0);
  const clusters = new WordClusters({ levels: [listed.length], words: listed, ids: listed.map((_, k) => k) });
  all.forEach((word, k) => assert.equal(clusters.clusterOf(word, 0), k % 2 === 0 ? k / 2 : -1, word));
  assert.equal(clusters.clusterOf('aaaa', 0), -1);
});

test('words joined by line breaks, as a binary model file holds them, are found as the list is', () => {
  const joined = new WordClusters({ levels: [2, 4], words: 'london\nobama\nparis', ids: [0, 1, 1, 3, 0, 1] });
  for (const word of ['london', 'obama', 'paris', '', 'lon', 'londonx', 'zz']) {
    for (const level of [0, 1]) assert.equal(joined.clusterOf(word, level), clusters.clusterOf(word, level), word);
  }
  assert.equal(new WordClusters({ levels: [2], words: 'solo', ids: [1] }).clusterOf('solo', 0), 1);
});

test('joined words must be as many as the ids say', () => {
  assert.throws(() => new WordClusters({ levels: [2], words: 'a\nb', ids: [0] }), /more words than the ids hold \(1\)/);
  assert.throws(() => new WordClusters({ levels: [2], words: 'a\nb', ids: [0, 1, 1] }), /2 words where the ids hold 3/);
  assert.throws(() => new WordClusters({ levels: [2, 4], words: 'a', ids: [0, 1, 1] }), /3 ids for 2 levels/);
});

test('inconsistent cluster lists are refused', () => {
  assert.throws(() => new WordClusters({ levels: [2], words: ['a', 'b'], ids: [0] }), /1 ids for 2 words x 1 levels/);
  assert.throws(() => new WordClusters({ levels: [2], words: ['a', 'a'], ids: [0, 1] }), /"a" is listed twice or out of order/);
  assert.throws(() => new WordClusters({ levels: [2], words: ['b', 'a'], ids: [0, 1] }), /"a" is listed twice or out of order/);
  assert.throws(() => new WordClusters({ levels: [2], words: ['a'], ids: [2] }), /id 2 out of range/);
});
