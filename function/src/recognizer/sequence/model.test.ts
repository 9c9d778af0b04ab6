import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModel, readModelFile, InvalidModelError, type SequenceModel } from './model';
import { decodeModelFile, encodeJsonModelFile, encodeModelFile } from './model-file';
import { TAGS } from './labels';
import { checkWordClusters } from './word-clusters';
import { BUNDLED_NER_MODEL_PATH } from '../../paths';

const bundled = readModelFile(BUNDLED_NER_MODEL_PATH);
const dir = mkdtempSync(path.join(tmpdir(), 'ner-model-'));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** The bundled model's cluster words, which a binary file holds joined by line breaks. */
const bundledClusterWords = (bundled.wordClusters!.words as string).split('\n');

/** The same content as one JSON document. */
const asJson = (): string => encodeJsonModelFile(bundled);

/** The bundled content without word clusters, as models before them were. */
const withoutClusters = { ...bundled, header: { ...bundled.header, featureConfig: { ...bundled.header.featureConfig, clusters: undefined } }, wordClusters: undefined };

/** Every feature's weights, one score row per key, as the model sums them. */
function scoresOfEveryKey(model: SequenceModel): Int32Array {
  const keys = Int32Array.from(bundled.keys);
  const scores = new Int32Array(keys.length * TAGS.length);
  model.scoreGroups(keys, Array.from(keys, (_, k) => k + 1), scores, 0);
  return scores;
}

test('the bundled model is a binary file that loads and names itself name@version', () => {
  assert.equal(readFileSync(BUNDLED_NER_MODEL_PATH, 'latin1').slice(0, 8), 'NERMODEL');
  const model = loadModel(BUNDLED_NER_MODEL_PATH);
  assert.equal(model.version, `${bundled.header.name}@${bundled.header.version}`);
  assert.match(model.version, /^[a-z0-9-]+@\d+\.\d+\.\d+$/);
  assert.ok(model.featureCount > 1000);
  assert.ok(model.header.training.data.every((source) => /^[0-9a-f]{64}$/.test(source.sha256 ?? '')));
});

test('the bundled model stays compact', () => {
  assert.ok(readFileSync(BUNDLED_NER_MODEL_PATH).length < 4_000_000);
});

test('encoding the decoded bundled model reproduces its bytes', () => {
  const bytes = readFileSync(BUNDLED_NER_MODEL_PATH);
  assert.ok(encodeModelFile(decodeModelFile(bytes)).equals(bytes));
});

test('a JSON model file with the same content gives the same model', () => {
  const fromJson = loadModel(write('same.json', asJson()));
  const fromBinary = loadModel(BUNDLED_NER_MODEL_PATH);
  assert.equal(fromJson.version, fromBinary.version);
  assert.equal(fromJson.featureCount, fromBinary.featureCount);
  assert.deepEqual(scoresOfEveryKey(fromJson), scoresOfEveryKey(fromBinary));
  assert.deepEqual(fromJson.vocabulary.entries, fromBinary.vocabulary.entries);
  assert.deepEqual(fromJson.gazetteer.listNames, fromBinary.gazetteer.listNames);
  for (const word of [...bundledClusterWords.slice(0, 500), 'london', 'xqzzv']) {
    assert.equal(fromJson.wordClusters!.clusterOf(word, 1), fromBinary.wordClusters!.clusterOf(word, 1), word);
  }
});

test('the bundled model carries word clusters; a model without them, in either container version, loads too', () => {
  const model = loadModel(BUNDLED_NER_MODEL_PATH);
  assert.equal(model.header.featureConfig.clusters, true);
  assert.ok(model.wordClusters!.clusterOf('london', 0) >= 0 && model.wordClusters!.clusterOf('xqzzv', 0) === -1);
  const version2 = encodeModelFile(withoutClusters);
  const version1 = Buffer.from(version2);
  version1.writeUInt32LE(1, 8);
  for (const bytes of [version2, version1]) {
    const plain = loadModel(write('plain.bin', bytes));
    assert.equal(plain.wordClusters, undefined);
    assert.equal(plain.featureCount, model.featureCount);
  }
});

test('the bundled word clusters hold sorted words, each once, and ids within their levels', () => {
  // Loading a binary file checks only their sizes; the writer checks the rest.
  const { levels, words, ids } = bundled.wordClusters!;
  assert.equal(typeof words, 'string');
  assert.ok(bundledClusterWords.length > 10_000);
  assert.doesNotThrow(() => checkWordClusters({ levels, words: bundledClusterWords, ids }));
});

test('word clusters from a JSON file, as lists, give the lookups of the binary file', () => {
  const lists = { ...bundled, wordClusters: { ...bundled.wordClusters!, words: bundledClusterWords, ids: Array.from(bundled.wordClusters!.ids) } };
  const fromLists = loadModel(write('lists.json', encodeJsonModelFile(lists))).wordClusters!;
  const fromBinary = loadModel(BUNDLED_NER_MODEL_PATH).wordClusters!;
  for (const word of [...bundledClusterWords.filter((_, k) => k % 97 === 0), 'london', 'zzzz', '']) {
    for (const level of [0, 1]) assert.equal(fromLists.clusterOf(word, level), fromBinary.clusterOf(word, level), word);
  }
});

test('word clusters are checked in full when written, and their sizes when a binary file is loaded', () => {
  const clustered = (words: string[] | string, ids: number[]) => ({ ...bundled, wordClusters: { levels: [2, 4], words, ids } });
  assert.throws(() => encodeModelFile(clustered(['b', 'a'], [0, 0, 1, 1])), /"a" is listed twice or out of order/);
  assert.throws(() => encodeModelFile(clustered('a\nb', [0, 0, 2, 1])), /id 2 out of range/);
  const file = encodeModelFile(clustered('a\nb', [0, 0, 1, 3]));
  assert.equal(loadModel(write('two-words.bin', file)).wordClusters!.clusterOf('b', 1), 3);
  // A file whose layout counts more words than its text holds: three ids per level, two words.
  const short = decodeModelFile(file);
  const layoutLength = file.readUInt32LE(12);
  const layout = file.toString('utf8', 16, 16 + layoutLength).replace('"wordClusterWords":2', '"wordClusterWords":3');
  assert.equal(layout.length, layoutLength);
  const ids = Buffer.from(new Int32Array([0, 0, 1, 3, 1, 3]).buffer);
  const idsAt = 16 + layoutLength + ((8 - ((16 + layoutLength) % 8)) % 8) + 8 * short.transitions.length + 4 * short.keys.length + 4 * short.weights.length;
  const threeWords = Buffer.concat([file.subarray(0, 16), Buffer.from(layout), file.subarray(16 + layoutLength, idsAt), ids, file.subarray(idsAt + 16)]);
  assert.throws(() => loadModel(write('three-words.bin', threeWords)), /invalid NER model .*2 words where the ids hold 3/);
});

test('a new version in the header changes the reported version', () => {
  const file = write('next.bin', encodeModelFile({ ...bundled, header: { ...bundled.header, version: '9.9.9' } }));
  assert.equal(loadModel(file).version, `${bundled.header.name}@9.9.9`);
});

test('broken model files fail with a message naming the file and the problem', () => {
  const binary = readFileSync(BUNDLED_NER_MODEL_PATH);
  const otherContainer = Buffer.from(binary);
  otherContainer.writeUInt32LE(7, 8);
  const cases: [string, string | Buffer, RegExp][] = [
    ['truncated.json', '{"header": ', /truncated\.json.*JSON/],
    ['truncated.bin', binary.subarray(0, binary.length - 3), /truncated\.bin.*layout says/],
    ['container.bin', otherContainer, /container version 7/],
    ['format.bin', encodeModelFile({ ...bundled, header: { ...bundled.header, format: 'other' as 'nlp-pipeline/sequence-ner' } }), /header\.format/],
    ['future.bin', encodeModelFile({ ...bundled, header: { ...bundled.header, formatVersion: 2 as 1 } }), /formatVersion 2/],
    ['tags.bin', encodeModelFile({ ...bundled, header: { ...bundled.header, tags: ['O'] } }), /tag set/],
    ['transitions.bin', encodeModelFile({ ...bundled, transitions: [1, 2] }), /transitions/],
    ['no-version.bin', encodeModelFile({ ...bundled, header: { ...bundled.header, version: '' } }), /version/],
    ['arrays.json', JSON.stringify({ ...JSON.parse(asJson()), keys: 'none' }), /must be arrays/],
    // Scores are exact integer thousandths: a finer weight or bias would be silently rounded.
    ['fine-weight.json', JSON.stringify({ ...JSON.parse(asJson()), weights: [bundled.weights[0], bundled.weights[1], 0.0005, ...Array.from(bundled.weights).slice(3)] }), /weight 0\.0005 has more than three decimals/],
    ['fine-bias.bin', encodeModelFile({ ...bundled, header: { ...bundled.header, outsideBias: 1.2345 } }), /outsideBias 1\.2345/],
    ['no-clusters.bin', encodeModelFile({ ...bundled, wordClusters: undefined }), /wordClusters is missing/],
    ['cluster-id.json', JSON.stringify({ ...JSON.parse(asJson()), wordClusters: { levels: [2], words: ['a'], ids: [5] } }), /id 5 out of range/],
  ];
  for (const [name, content, message] of cases) {
    assert.throws(() => loadModel(write(name, content)), (error: Error) => error instanceof InvalidModelError && message.test(error.message), name);
  }
  assert.throws(() => loadModel(path.join(dir, 'missing.bin')), InvalidModelError);
});

test('strings with line breaks cannot be written', () => {
  assert.throws(() => encodeModelFile({ ...bundled, vocabulary: ['a\nb'] }), /line break/);
});

test('weights finer than thousandths cannot be written', () => {
  const weights = Float64Array.from(bundled.weights);
  weights[2] = 0.0005;
  assert.throws(() => encodeModelFile({ ...bundled, weights }), /weight 0\.0005 has more than three decimals/);
});
