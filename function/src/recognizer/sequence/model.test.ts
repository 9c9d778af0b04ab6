import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModel, InvalidModelError, type ModelFile } from './model';
import { BUNDLED_NER_MODEL_PATH } from '../../paths';

const bundled = JSON.parse(readFileSync(BUNDLED_NER_MODEL_PATH, 'utf8')) as ModelFile;
const dir = mkdtempSync(path.join(tmpdir(), 'ner-model-'));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

test('the bundled model loads and names itself name@version', () => {
  const model = loadModel(BUNDLED_NER_MODEL_PATH);
  assert.equal(model.version, `${bundled.header.name}@${bundled.header.version}`);
  assert.match(model.version, /^[a-z0-9-]+@\d+\.\d+\.\d+$/);
  assert.ok(model.featureCount > 1000);
  assert.ok(model.header.training.data.every((source) => /^[0-9a-f]{64}$/.test(source.sha256 ?? '')));
});

test('the bundled model stays compact', () => {
  assert.ok(readFileSync(BUNDLED_NER_MODEL_PATH).length < 4_000_000);
});

test('a new version in the header changes the reported version', () => {
  const file = write('next.json', { ...bundled, header: { ...bundled.header, version: '9.9.9' } });
  assert.equal(loadModel(file).version, `${bundled.header.name}@9.9.9`);
});

test('broken model files fail with a message naming the file and the problem', () => {
  const cases: [string, unknown, RegExp][] = [
    ['truncated.json', '{"header": ', /truncated\.json.*JSON/],
    ['format.json', { ...bundled, header: { ...bundled.header, format: 'other' } }, /header\.format/],
    ['future.json', { ...bundled, header: { ...bundled.header, formatVersion: 2 } }, /formatVersion 2/],
    ['tags.json', { ...bundled, header: { ...bundled.header, tags: ['O'] } }, /tag set/],
    ['transitions.json', { ...bundled, transitions: [1, 2] }, /transitions/],
    ['no-version.json', { ...bundled, header: { ...bundled.header, version: '' } }, /version/],
    // Scores are exact integer thousandths: a finer weight would be silently rounded.
    ['fine-weight.json', { ...bundled, weights: [bundled.weights[0], bundled.weights[1], 0.0005, ...bundled.weights.slice(3)] }, /weight 0\.0005 has more than three decimals/],
    ['fine-bias.json', { ...bundled, header: { ...bundled.header, outsideBias: 1.2345 } }, /outsideBias 1\.2345/],
  ];
  for (const [name, content, message] of cases) {
    assert.throws(() => loadModel(write(name, content)), (error: Error) => error instanceof InvalidModelError && message.test(error.message));
  }
  assert.throws(() => loadModel(path.join(dir, 'missing.json')), InvalidModelError);
});
