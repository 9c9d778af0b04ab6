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
}

/** As stored in the model file (model.ts `ModelFile`). */
export interface TrainedWeights {
  transitions: number[];
  keys: number[];
  weights: number[];
}

const T = TAGS.length;

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
  const encoded = sequences.map(({ features: { keys, offsets }, tags }) => ({
    features: tags.map((_, i) => Int32Array.from([...keys.subarray(offsets[i], offsets[i + 1])].flatMap((key) => ids.get(key) ?? []))),
    tags,
  }));

  // Averaging trick (Daume III): keep w and u = sum of c * update; the average is w - u / c.
  const w = new Float64Array(names.length * T);
  const u = new Float64Array(names.length * T);
  const tw = new Float64Array((T + 1) * T);
  const tu = new Float64Array((T + 1) * T);
  let c = 1;
  const random = seededRandom(options.seed);
  const order = encoded.map((_, k) => k);

  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
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

  const average = (weights: Float64Array, sums: Float64Array, k: number): number => round(weights[k]! - sums[k]! / c);
  const keys: number[] = [];
  const weights: number[] = [];
  names.forEach((key, f) => {
    const sparse: number[] = [];
    for (let t = 0; t < T; t += 1) {
      const value = average(w, u, f * T + t);
      if (Math.abs(value) >= options.pruneBelow && value !== 0) sparse.push(t, value);
    }
    if (sparse.length === 0) return;
    keys.push(key);
    weights.push(sparse.length / 2, ...sparse);
  });
  const transitions = Array.from(tw, (_, k) => average(tw, tu, k));
  return { transitions, keys, weights };
}

/** Feature keys seen at least minCount times, in first-seen order. */
function selectFeatures(sequences: readonly TrainingSequence[], minCount: number): number[] {
  const counts = new Map<number, number>();
  for (const sequence of sequences) {
    for (const key of sequence.features.keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count >= minCount).map(([key]) => key);
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
