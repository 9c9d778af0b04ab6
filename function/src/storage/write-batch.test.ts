import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnrichedText } from './types';
import { normalizeEntityText, storableText, toWriteBatch } from './write-batch';

const item = (requestId: string, texts: string[]): EnrichedText => ({
  requestId,
  entities: texts.map((text) => ({ text, label: 'PERSON', start: 0, end: text.length })),
  modelVersion: 'm@1',
  textLength: 42,
});

test('deduplicates by request_id (last wins) and sorts by request_id', () => {
  const batch = toWriteBatch([item('b', ['Bob']), item('a', ['old']), item('c', []), item('a', ['New', 'Ann'])]);
  assert.deepEqual(batch.texts.requestIds, ['a', 'b', 'c']);
  assert.deepEqual(batch.texts.entityCounts, [2, 1, 0]);
  assert.deepEqual(JSON.parse(batch.texts.entities[0]).map((e: { text: string }) => e.text), ['New', 'Ann']);
  assert.deepEqual(batch.mentions, {
    requestIds: ['a', 'a', 'b'],
    labels: ['PERSON', 'PERSON', 'PERSON'],
    entityTexts: ['new', 'ann', 'bob'],
  });
});

test('normalizes entity text for counting', () => {
  assert.equal(normalizeEntityText('  New\u00a0\n York '), 'new york');
  assert.equal(normalizeEntityText('ＰＡＲＩＳ'), 'paris');
  assert.equal(normalizeEntityText('#Tag'), '#tag');
});

test('storable text replaces NUL and lone surrogates, one code unit each, and keeps valid pairs', () => {
  assert.equal(storableText('a\u0000b'), 'a\ufffdb');
  assert.equal(storableText('x\ud800y\udc00'), 'x\ufffdy\ufffd');
  assert.equal(storableText('😀 ok'), '😀 ok');
  const batch = toWriteBatch([item('id\u0000', ['a\u0000'])]);
  assert.deepEqual(batch.texts.requestIds, ['id\ufffd']);
  assert.equal(JSON.parse(batch.texts.entities[0])[0].text, 'a\ufffd');
});
