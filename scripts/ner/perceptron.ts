/**
 * Averaged structured perceptron (Collins 2002) over BIO tags, decoded with the same
 * constrained Viterbi as inference. Deterministic: a seeded shuffle, insertion-ordered
 * feature ids, no clock or Math.random.
 */
import { viterbi } from '../../function/src/recognizer/sequence/decoder';
import type { TokenFeatures } from '../../function/src/recognizer/sequence/features';
import { TAGS } from '../../function/src/recognizer/sequence/labels';

export interface TrainingSequence {
  features: TokenFeatures;
  tags: number[];
}

export interface PerceptronOptions {
  epochs: number;
  seed: number;
  /** Features seen fewer times in training are dropped before training. */
  minFeatureCount: number;
  /** Averaged weights smaller than this in absolute value are left out of the model. */
  pruneBelow: number;
  /**
   * Train this many averaged perceptrons, each on its own shuffle order (one seeded stream), and
   * average their weights into one linear model: less dependent on one order's luck, and served
   * exactly like one (the same features per token). Absent means 1.
   */
  runs?: number;
}

/** As stored in the model file (model.ts `ModelFile`). */
export interface TrainedWeights {
  transitions: number[];
  keys: number[];
  weights: number[];
}

const T = TAGS.length;

/** A training sequence with each token's features as indices into the weight table. */
interface EncodedSequence {
  features: Int32Array[];
  tags: number[];
}

/** mulberry32: a small seeded PRNG, enough for shuffling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainPerceptron(sequences: readonly TrainingSequence[], options: PerceptronOptions): TrainedWeights {
  const names = selectFeatures(sequences, options.minFeatureCount);
  const ids = new Map(names.map((key, id) => [key, id]));
  // Per token, the indices of its selected features.
  const encoded: EncodedSequence[] = sequences.map(({ features, tags }) => ({
    features: tags.map((_, i) => Int32Array.from(keysOf(features, i).flatMap((key) => ids.get(key) ?? []))),
    tags,
  }));

  const runs = options.runs ?? 1;
  const random = seededRandom(options.seed);
  const weightSum = new Float64Array(names.length * T);
  const transitionSum = new Float64Array((T + 1) * T);
  for (let run = 0; run < runs; run += 1) {
    const averaged = trainOnce(encoded, names.length, options.epochs, random);
    for (let k = 0; k < weightSum.length; k += 1) weightSum[k]! += averaged.weights[k]!;
    for (let k = 0; k < transitionSum.length; k += 1) transitionSum[k]! += averaged.transitions[k]!;
  }

  const keys: number[] = [];
  const weights: number[] = [];
  names.forEach((key, f) => {
    const sparse: number[] = [];
    for (let t = 0; t < T; t += 1) {
      const value = round(weightSum[f * T + t]! / runs);
      if (Math.abs(value) >= options.pruneBelow && value !== 0) sparse.push(t, value);
    }
    if (sparse.length === 0) return;
    keys.push(key);
    weights.push(sparse.length / 2, ...sparse);
  });
  const transitions = Array.from(transitionSum, (sum) => round(sum / runs));
  return { transitions, keys, weights };
}

/**
 * One averaged perceptron over the sequences in shuffled order, unrounded. Averaging trick
 * (Daume III): keep w and u = sum of c * update; the average is w - u / c.
 */
function trainOnce(encoded: readonly EncodedSequence[], featureCount: number, epochs: number, random: () => number): { weights: Float64Array; transitions: Float64Array } {
  const w = new Float64Array(featureCount * T);
  const u = new Float64Array(featureCount * T);
  const tw = new Float64Array((T + 1) * T);
  const tu = new Float64Array((T + 1) * T);
  let c = 1;
  const order = encoded.map((_, k) => k);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    shuffle(order, random);
    for (const k of order) {
      const { features, tags: gold } = encoded[k]!;
      const predicted = viterbi(emissionsOf(features, w), features.length, tw);
      for (let i = 0; i < features.length; i += 1) {
        const g = gold[i]!;
        const p = predicted[i]!;
        if (g !== p) {
          for (const f of features[i]!) {
            w[f * T + g]! += 1;
            u[f * T + g]! += c;
            w[f * T + p]! -= 1;
            u[f * T + p]! -= c;
          }
        }
        const goldPair = (i === 0 ? 0 : gold[i - 1]! + 1) * T + g;
        const predictedPair = (i === 0 ? 0 : predicted[i - 1]! + 1) * T + p;
        if (goldPair !== predictedPair) {
          tw[goldPair]! += 1;
          tu[goldPair]! += c;
          tw[predictedPair]! -= 1;
          tu[predictedPair]! -= c;
        }
      }
      c += 1;
    }
  }

  for (let k = 0; k < w.length; k += 1) w[k]! -= u[k]! / c;
  for (let k = 0; k < tw.length; k += 1) tw[k]! -= tu[k]! / c;
  return { weights: w, transitions: tw };
}

/** Feature keys seen at least minCount times, in first-seen order. */
function selectFeatures(sequences: readonly TrainingSequence[], minCount: number): number[] {
  const counts = new Map<number, number>();
  for (const sequence of sequences) {
    sequence.tags.forEach((_, i) => {
      for (const key of keysOf(sequence.features, i)) counts.set(key, (counts.get(key) ?? 0) + 1);
    });
  }
  return [...counts].filter(([, count]) => count >= minCount).map(([key]) => key);
}

/** All feature keys of token i: its own, then its context's. */
function keysOf({ intrinsic, keys, offsets }: TokenFeatures, i: number): number[] {
  return [...intrinsic[i]!, ...keys.subarray(offsets[i], offsets[i + 1])];
}

function emissionsOf(features: readonly Int32Array[], w: Float64Array): Float64Array {
  const emissions = new Float64Array(features.length * T);
  for (let i = 0; i < features.length; i += 1) {
    for (const f of features[i]!) for (let t = 0; t < T; t += 1) emissions[i * T + t]! += w[f * T + t]!;
  }
  return emissions;
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** Three decimals: plenty for a linear model, and a compact, stable file. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
