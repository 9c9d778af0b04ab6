import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecognizer, loadWink, mergeEntities } from './index';
import { readModelFile } from './sequence/model';
import { BUNDLED_NER_MODEL_PATH } from '../paths';
import type { Entity } from './types';

const recognizer = createRecognizer();

test('one response carries wink web entities and the sequence model\'s names', () => {
  const text = 'Barack Obama is in Paris today, see https://example.com #travel 🙂';
  const labels = new Set(recognizer.recognize(text).map((entity) => entity.label));
  for (const label of ['PERSON', 'GPE', 'URL', 'HASHTAG', 'EMOJI'] as const) assert.ok(labels.has(label), `${label} in ${[...labels].join(',')}`);
});

test('wink is loaded once per process and shared by every stage', () => {
  assert.equal(loadWink(), loadWink());
  assert.ok(recognizer.modelVersion.startsWith(`${loadWink().version} + `));
});

test('model_version names wink and the NER model version', () => {
  const { header } = readModelFile(BUNDLED_NER_MODEL_PATH);
  assert.match(recognizer.modelVersion, /^wink-nlp@[\d.]+\+wink-eng-lite-web-model@[\d.]+:[a-z,]+ \+ /);
  assert.ok(recognizer.modelVersion.endsWith(` + ${header.name}@${header.version}`));
});

test('a missing NER model file fails start-up with its path', () => {
  assert.throws(() => createRecognizer({ nerModelPath: '/nonexistent/ner.json' }), /\/nonexistent\/ner\.json/);
});

test('merging keeps the first stage on overlaps and sorts by offset', () => {
  const entity = (label: Entity['label'], start: number, end: number): Entity => ({ text: 'x'.repeat(end - start), label, start, end });
  const merged = mergeEntities([[entity('URL', 10, 20)], [entity('PERSON', 15, 25), entity('PERSON', 0, 5)], [entity('CARDINAL', 4, 6)]]);
  assert.deepEqual(merged.map((e) => `${e.label}@${e.start}`), ['PERSON@0', 'URL@10']);
});

test('offsets stay exact on non-ASCII text across both stages', () => {
  const text = '👩🏽‍💻 Zoë met Łukasz in Kraków — 東京 next, $5 on 3 Jan 2020 @anna #ĺ 🇵🇱';
  const entities = recognizer.recognize(text);
  assert.ok(entities.length >= 3);
  for (const entity of entities) assert.equal(text.slice(entity.start, entity.end), entity.text);
});
