import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createWink } from './nlp';
import { BUNDLED_MODEL_PATH, modelPathFrom, SequenceStage } from './stage';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

const nlp = createWink();
const stage = SequenceStage.load(BUNDLED_MODEL_PATH, nlp);
const recognize = (text: string) => stage.recognizeDoc(nlp.readDoc(text), text);

test('NER_MODEL_PATH chooses the model file, the bundled one by default', () => {
  assert.equal(modelPathFrom({}), BUNDLED_MODEL_PATH);
  assert.equal(modelPathFrom({ NER_MODEL_PATH: ' ' }), BUNDLED_MODEL_PATH);
  assert.equal(modelPathFrom({ NER_MODEL_PATH: '/models/x.json' }), '/models/x.json');
});

test('the stage refuses a wink instance without part-of-speech tagging', () => {
  assert.throws(() => SequenceStage.load(BUNDLED_MODEL_PATH, winkNLP(model, ['ner'])), /needs wink's pos/);
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
