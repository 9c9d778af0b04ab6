/**
 * The served scoring path (features grouped per token text, group sums cached, small-range
 * context templates as rows of a dense table) must tag every WNUT-17 dev and train comment
 * exactly as the plain sum of every token's keys would: the model file's weights (three
 * decimals, as integer thousandths), summed key by key, then Viterbi.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viterbi } from '../../function/src/recognizer/sequence/decoder';
import { FeatureExtractor, type GroupedFeatures, type GroupScorer, type TokenFeatures } from '../../function/src/recognizer/sequence/features';
import { OUTSIDE, TAGS } from '../../function/src/recognizer/sequence/labels';
import { loadModel, readModelFile } from '../../function/src/recognizer/sequence/model';
import { BUNDLED_NER_MODEL_PATH } from '../../function/src/paths';
import { readTokens } from '../../function/src/recognizer/sequence/tokens';
import { loadWink } from '../../function/src/recognizer/wink';
import { readConll, WNUT_DEV, WNUT_TRAIN } from './conll';

const T = TAGS.length;
const file = readModelFile(BUNDLED_NER_MODEL_PATH);
const model = loadModel(BUNDLED_NER_MODEL_PATH);
/** Plain keys, as training extracts them. */
const extractor = new FeatureExtractor(model.header.featureConfig, model.vocabulary, model.gazetteer, model.wordClusters);
/** The groups each scored text had, by where its scores start, so they can be compared with the plain keys. */
const groupsAt = new Map<number, { groupKeys: Int32Array; groupEnds: readonly number[] }>();
const recordingScorer: GroupScorer = (groupKeys, groupEnds, into, at) => {
  groupsAt.set(at, { groupKeys, groupEnds });
  model.scoreGroups(groupKeys, groupEnds, into, at);
};
/** As the function serves, but remembering every group's keys (test only: it keeps them all). */
const grouping = new FeatureExtractor(model.header.featureConfig, model.vocabulary, model.gazetteer, model.wordClusters, recordingScorer);
/** As the function serves. */
const served = new FeatureExtractor(model.header.featureConfig, model.vocabulary, model.gazetteer, model.wordClusters, (keys, ends, into, at) => model.scoreGroups(keys, ends, into, at));
const { nlp } = loadWink();

const milli = (value: number): number => Math.round(value * 1000);

/** key -> weight per tag in thousandths, straight from the file. */
const weights = new Map<number, Float64Array>();
for (let k = 0, at = 0; k < file.keys.length; k += 1) {
  const row = new Float64Array(T);
  const count = file.weights[at++]!;
  for (let e = 0; e < count; e += 1, at += 2) row[file.weights[at]!] = milli(file.weights[at + 1]!);
  weights.set(file.keys[k]!, row);
}

function flatKeys({ intrinsic, keys, offsets }: TokenFeatures, i: number): number[] {
  return [...intrinsic[i]!, ...keys.subarray(offsets[i], offsets[i + 1])];
}

/** The keys of group g of the groups scored at `at`. */
function group(at: number, g: number): number[] {
  const { groupKeys, groupEnds } = groupsAt.get(at)!;
  return [...groupKeys.subarray(g === 0 ? 0 : groupEnds[g - 1], groupEnds[g])];
}

function groupedKeys({ window, textAt, sentenceStarts, beforeAt, afterAt, contextAt, rows, rowOffsets, keys, offsets }: GroupedFeatures, i: number): number[] {
  const n = textAt.length;
  const found = [...group(textAt[i]!, sentenceStarts[i] === 1 ? 2 * window + 1 : 0), ...keys.subarray(offsets[i], offsets[i + 1])];
  for (const row of rows.subarray(rowOffsets[i], rowOffsets[i + 1])) found.push(...group(contextAt, row));
  for (let k = 1; k <= window; k += 1) {
    found.push(...group(i - k >= 0 ? textAt[i - k]! : beforeAt, k), ...group(i + k < n ? textAt[i + k]! : afterAt, window + k));
  }
  return found;
}

function plainTags(features: TokenFeatures): number[] {
  const n = features.offsets.length - 1;
  const emissions = new Float64Array(n * T);
  for (let i = 0; i < n; i += 1) {
    for (const key of flatKeys(features, i)) {
      const row = weights.get(key);
      if (row) for (let t = 0; t < T; t += 1) emissions[i * T + t]! += row[t]!;
    }
    emissions[i * T + OUTSIDE]! -= milli(file.header.outsideBias);
  }
  return viterbi(emissions, n, Float64Array.from(file.transitions, milli));
}

test('grouped features hold the same keys per token as the plain ones, and tag the same', () => {
  const texts = [...readConll(WNUT_DEV), ...readConll(WNUT_TRAIN).slice(0, 1500)].map((example) => example.text);
  let tokens = 0;
  let tagged = 0;
  for (const text of texts) {
    const view = readTokens(nlp.readDoc(text), nlp.its, text, false);
    const plain = extractor.extract(view);
    const expected = plainTags(plain);
    const grouped = grouping.extractGrouped(view);
    for (let i = 0; i < view.values.length; i += 1) {
      assert.deepEqual(groupedKeys(grouped, i).sort(), flatKeys(plain, i).sort(), `token ${i} of ${JSON.stringify(text)}`);
    }
    assert.deepEqual([...model.tag(grouped)], [...expected], JSON.stringify(text));
    assert.deepEqual([...model.tag(served.extractGrouped(view))], [...expected], JSON.stringify(text));
    tokens += view.values.length;
    tagged += expected.filter((tag) => tag !== OUTSIDE).length;
  }
  assert.ok(tokens > 30_000 && tagged > 1000, 'a real sample, with entities in it');
});
