import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import fc from 'fast-check';
import { ENTITY_LABELS, type Entity } from '../recognizer/types';
import type { EnrichedText } from './types';
import {
  entitiesArrayLiteral,
  integerArrayLiteral,
  normalizeEntityText,
  storableText,
  textArrayLiteral,
  toWriteBatch,
  writeBatchParameters,
} from './write-batch';

/** node-postgres' own conversion of a parameter: what the literals must match. */
const { prepareValue } = createRequire(require.resolve('pg'))('./utils') as { prepareValue: (value: unknown) => unknown };

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
  assert.deepEqual(batch.texts.entities[0]!.map((e) => e.text), ['New', 'Ann']);
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
  assert.equal(normalizeEntityText('New  York'), 'new york');
  assert.equal(normalizeEntityText('New York '), 'new york');
  assert.equal(normalizeEntityText(''), '');
});

test('the plain-ASCII shortcut of normalizeEntityText gives the full normalization', () => {
  const full = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const chars = fc.constantFrom(' ', '\t', '\n', '\u00a0', 'A', 'z', '#', '@', '1', 'É', 'ﬁ', 'Ⅸ', '\u0301', '😀', 'İ', '"');
  fc.assert(fc.property(fc.string({ unit: chars }), (text) => normalizeEntityText(text) === full(text)), { numRuns: 3000 });
  fc.assert(fc.property(fc.string(), (text) => normalizeEntityText(text) === full(text)), { numRuns: 3000 });
});

test('storable text replaces NUL and lone surrogates, one code unit each, and keeps valid pairs', () => {
  assert.equal(storableText('a\u0000b'), 'a\ufffdb');
  assert.equal(storableText('x\ud800y\udc00'), 'x\ufffdy\ufffd');
  assert.equal(storableText('😀 ok'), '😀 ok');
  assert.equal(storableText('plain'), 'plain');
  const batch = toWriteBatch([item('id\u0000', ['a\u0000'])]);
  assert.deepEqual(batch.texts.requestIds, ['id\ufffd']);
  assert.equal(batch.texts.entities[0]![0]!.text, 'a\ufffd');
});

/** Any string, with PostgreSQL array syntax, JSON escapes and surrogates well represented. */
const anyText = fc.oneof(
  fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', ',', ' ', 'N', 'U', 'L', '\u0000', '\u001f', '\n', 'é', '\ud83d', '\ude00', 'a') }),
  fc.string({ unit: 'binary' }),
);

test('array literals are the ones node-postgres builds for the same columns', () => {
  fc.assert(fc.property(fc.array(anyText), (values) => textArrayLiteral(values) === prepareValue(values)), { numRuns: 2000 });
  assert.equal(textArrayLiteral([]), prepareValue([]));
  // Integers unquoted: the same int[] as pg's quoted elements.
  assert.equal(integerArrayLiteral([0, 3, 12]), '{0,3,12}');
  assert.equal(integerArrayLiteral([]), '{}');
});

test('the entities literal is the text[] literal of each row\'s JSON.stringify', () => {
  const entity = fc.record({
    text: anyText,
    label: fc.constantFrom(...ENTITY_LABELS),
    start: fc.nat(),
    end: fc.nat(),
  }) as fc.Arbitrary<Entity>;
  fc.assert(
    fc.property(fc.array(fc.array(entity, { maxLength: 4 }), { maxLength: 5 }), (rows) =>
      entitiesArrayLiteral(rows) === prepareValue(rows.map((entities) => JSON.stringify(entities)))),
    { numRuns: 2000 },
  );
});

test('parameters follow the write statements\' order $1..$8', () => {
  const batch = toWriteBatch([item('b"1', ['Bob \\ "B"']), item('a', [])]);
  assert.deepEqual(writeBatchParameters(batch), [
    '{"a","b\\"1"}',
    '{"[]","[{\\"text\\":\\"Bob \\\\\\\\ \\\\\\"B\\\\\\"\\",\\"label\\":\\"PERSON\\",\\"start\\":0,\\"end\\":9}]"}',
    '{0,1}',
    '{"m@1","m@1"}',
    '{42,42}',
    '{"b\\"1"}',
    '{"PERSON"}',
    '{"bob \\\\ \\"b\\""}',
  ]);
});
