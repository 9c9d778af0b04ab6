import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { loadWink } from '../wink';
import { readModelFile } from './model';
import { encodeModelFile } from './model-file';
import { SequenceStage } from './stage';
import { BUNDLED_NER_MODEL_PATH } from '../../paths';

const wink = loadWink();
const stage = SequenceStage.load(BUNDLED_NER_MODEL_PATH);
const recognize = (text: string) => stage.recognize(wink.read(text), text);

test('a model that needs part-of-speech tags is refused: the served read has none', () => {
  const bundled = readModelFile(BUNDLED_NER_MODEL_PATH);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ner-stage-')), 'pos.bin');
  writeFileSync(file, encodeModelFile({ ...bundled, header: { ...bundled.header, featureConfig: { ...bundled.header.featureConfig, pos: true } } }));
  assert.throws(() => SequenceStage.load(file), /needs wink's pos annotation/);
});

test('finds people and places in plain sentences', () => {
  const text = 'Barack Obama flew to Paris with Microsoft executives.';
  const found = recognize(text).map((entity) => `${entity.label}:${entity.text}`);
  assert.ok(found.some((entity) => /^PERSON:.*Obama$/.test(entity)), found.join(', '));
  assert.ok(found.includes('GPE:Paris'), found.join(', '));
  assert.ok(!found.some((entity) => /flew|with|executives/.test(entity)), found.join(', '));
});

test('entity offsets slice the raw text exactly, for any text', () => {
  const words = fc.constantFrom('Obama', 'London', 'Zoë', 'café', 'Ñandú', '東京', '👍🏽', 'e\u0301', 'New', 'York',
    'Apple', 'iPhone', '#Paris', '@bob', ',', '!!', "can't", 'https://x.co', 'the', '\n', '  ');
  fc.assert(fc.property(fc.array(words, { maxLength: 30 }), fc.constantFrom(' ', '', '\t'), (parts, glue) => {
    const text = parts.join(glue);
    for (const entity of recognize(text)) {
      assert.equal(text.slice(entity.start, entity.end), entity.text);
      assert.ok(entity.start < entity.end);
    }
  }), { numRuns: 300 });
});

test('empty and whitespace-only text has no entities', () => {
  assert.deepEqual(recognize(''), []);
  assert.deepEqual(recognize('   \n'), []);
});
