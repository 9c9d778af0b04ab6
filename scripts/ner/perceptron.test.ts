import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beginTag, OUTSIDE } from '../../function/src/recognizer/sequence/labels';
import { loadWink } from '../../function/src/recognizer/wink';
import { readConll, WNUT_TRAIN } from './conll';
import { buildGazetteers } from './gazetteers';
import { seededRandom, trainPerceptron, type TrainedWeights } from './perceptron';
import { trainingGazetteers } from './train-gazetteers';
import { trainModel, type TrainingSetup } from './training';
import { DEFAULT_FEATURE_CONFIG } from '../../function/src/recognizer/sequence/features';
import { thousandths } from '../../function/src/recognizer/sequence/model-file';

const options = { epochs: 5, seed: 1, minFeatureCount: 1, pruneBelow: 0 };

test('the seeded random source repeats', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const first = [a(), a(), a()];
  assert.deepEqual(first, [b(), b(), b()]);
  assert.ok(first.every((x) => x >= 0 && x < 1));
  assert.notEqual(first[0], seededRandom(8)());
});

// one feature per token: mr smith runs / visit oslo
const separable = [
  { features: { intrinsic: [11, 12, 13].map((key) => Int32Array.of(key)), keys: new Int32Array(0), offsets: new Int32Array(4) }, tags: [OUTSIDE, beginTag(0), OUTSIDE] },
  { features: { intrinsic: [Int32Array.of(14), new Int32Array(0)], keys: Int32Array.of(15), offsets: Int32Array.of(0, 0, 1) }, tags: [OUTSIDE, beginTag(1)] },
];

/** The tag a feature key alone votes for in trained weights (O when none is positive). */
function bestTag({ keys, weights }: TrainedWeights, key: number): number {
  let at = 0;
  for (const k of keys) {
    const count = weights[at]!;
    if (k === key) {
      let tag = OUTSIDE;
      let score = 0;
      for (let j = 0; j < count; j += 1) {
        const [t, w] = [weights[at + 1 + 2 * j]!, weights[at + 2 + 2 * j]!];
        if (w > score) [tag, score] = [t, w];
      }
      return tag;
    }
    at += 1 + 2 * count;
  }
  return OUTSIDE;
}

test('the perceptron learns a separable pattern', () => {
  const trained = trainPerceptron(separable, options);
  assert.equal(bestTag(trained, 12), beginTag(0));
  assert.equal(bestTag(trained, 15), beginTag(1));
  assert.equal(bestTag(trained, 14), OUTSIDE);
  assert.deepEqual(trainPerceptron(separable, { ...options, runs: 1 }), trained, 'one run is the plain averaged perceptron');
});

test('perceptrons of several shuffle orders average into one model in thousandths', () => {
  const trained = trainPerceptron(separable, { ...options, runs: 3 });
  assert.equal(bestTag(trained, 12), beginTag(0));
  assert.equal(bestTag(trained, 15), beginTag(1));
  for (const value of [...trained.weights, ...trained.transitions]) assert.notEqual(thousandths(value), undefined, `${value}`);
});

test('training on a slice of WNUT is deterministic to the byte', () => {
  const nlp = loadWink().nlp;
  const examples = readConll(WNUT_TRAIN).slice(0, 150);
  const setup: TrainingSetup = {
    name: 'test', version: '0.0.1', featureConfig: DEFAULT_FEATURE_CONFIG,
    perceptron: { ...options, epochs: 3, pruneBelow: 0.05 },
    outsideBias: 0,
    lowerCaseCopies: false,
    gazetteers: { lists: { city: ['paris'], country: [], region: [], first: ['john'] }, sources: [] },
    data: [],
  };
  const first = JSON.stringify(trainModel(examples, nlp, setup));
  const second = JSON.stringify(trainModel(examples, nlp, setup));
  assert.equal(first, second);
  assert.notEqual(first, JSON.stringify(trainModel(examples, nlp, { ...setup, perceptron: { ...setup.perceptron, seed: 2 } })));
  const averaged = JSON.stringify(trainModel(examples, nlp, { ...setup, perceptron: { ...setup.perceptron, runs: 2 } }));
  assert.equal(JSON.stringify(trainModel(examples, nlp, { ...setup, perceptron: { ...setup.perceptron, runs: 2 } })), averaged);
  assert.notEqual(averaged, first);
  assert.equal(JSON.parse(averaged).header.training.runs, 2);
  const withCopies = trainModel(examples, nlp, { ...setup, lowerCaseCopies: true });
  assert.notEqual(JSON.stringify(withCopies), first);
  assert.match(withCopies.header.training.augmentation ?? '', /lower-cased copy/);
  assert.equal(JSON.parse(first).header.training.augmentation, undefined);
  const withLists = trainModel(examples, nlp, { ...setup, trainingListParts: 3 });
  assert.equal(JSON.stringify(trainModel(examples, nlp, { ...setup, trainingListParts: 3 })), JSON.stringify(withLists));
  assert.deepEqual(withLists.gazetteers, { ...setup.gazetteers.lists, ...trainingGazetteers(examples, nlp) });
  assert.ok(withLists.header.training.gazetteers.some((source) => source.source.includes('train-gazetteers.ts')));
  assert.notEqual(JSON.stringify(withLists.keys), JSON.stringify(JSON.parse(first).keys));
});

test('gazetteer entries are stored as wink tokens, lower-cased, without duplicates', () => {
  const { lists, sources } = buildGazetteers(loadWink().nlp);
  assert.ok(lists.city!.includes('new york city') || lists.city!.includes('new york'));
  assert.ok(lists.country!.includes('france'));
  assert.ok(lists.first!.includes('john'));
  assert.ok(lists.norp!.includes('canadian'));
  for (const list of Object.values(lists)) assert.equal(new Set(list).size, list.length);
  assert.ok(sources.every((source) => source.license.length > 0));
});
