/**
 * The model file: a header (what the model is and how it was made), BIO transition weights,
 * sparse feature weights and the gazetteers it was trained with; binary (model-file.ts) as
 * train:ner writes it, or the same content as one JSON document. Versioned apart from the
 * code: `name@version` goes into every response's model_version.
 */
import { readFileSync } from 'node:fs';
import { freeTagBounds, outsideBounds, surelyOutside, viterbi, type FreeTagBounds } from './decoder';
import type { FeatureConfig, GroupedFeatures } from './features';
import { Gazetteer, type GazetteerLists } from './gazetteer';
import { OUTSIDE, TAGS } from './labels';
import { decodeModelFile, isBinaryModelFile, thousandths } from './model-file';
import { Vocabulary } from './vocabulary';
import { WordClusters, type WordClusterLists } from './word-clusters';

export const MODEL_FORMAT = 'nlp-pipeline/sequence-ner';
export const MODEL_FORMAT_VERSION = 1;

export interface DataSource {
  /** Where it came from (a path relative to the repository root, or an npm package@version). */
  source: string;
  license: string;
  /** sha256 of the file, for training data. */
  sha256?: string;
}

export interface ModelHeader {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  name: string;
  version: string;
  tags: string[];
  featureConfig: FeatureConfig;
  /** Gazetteer lists whose entries make a location a GPE rather than a LOC. */
  geopoliticalLists: string[];
  /**
   * Subtracted from every O score when decoding: the perceptron is cautious (precision far
   * above recall), and this trades one for the other. Chosen by cross-validation on train.
   */
  outsideBias: number;
  training: {
    data: DataSource[];
    gazetteers: DataSource[];
    algorithm: string;
    epochs: number;
    seed: number;
    minFeatureCount: number;
    pruneBelow: number;
    /** Averaged perceptrons (shuffle orders) whose weights were averaged into this model; absent when one. */
    runs?: number;
    /** Extra training texts made from the data, e.g. lower-cased copies; absent when none. */
    augmentation?: string;
  };
}

export interface ModelFile {
  header: ModelHeader;
  /** (tags + 1) x tags: row 0 from the sequence start, row p + 1 from tag p. */
  transitions: ArrayLike<number>;
  /** Strings with ids 3, 4, ... (features.ts). */
  vocabulary: readonly string[];
  /** Feature keys (features.ts `featureKey`), one per weight row. */
  keys: ArrayLike<number>;
  /** Per key in order: n, then n pairs (tag, weight); zero weights are left out. */
  weights: ArrayLike<number>;
  gazetteers: GazetteerLists;
  /** Word clusters the features look up (featureConfig.clusters); absent in models without them. */
  wordClusters?: WordClusterLists;
}

export class InvalidModelError extends Error {
  constructor(source: string, reason: string) {
    super(`invalid NER model ${source}: ${reason}`);
    this.name = 'InvalidModelError';
  }
}

const T = TAGS.length;
const EMPTY = -1;

/**
 * Weights, transitions and the O bias have at most three decimals (the trainer rounds them to
 * that), so they are held as integer thousandths: every sum is exact whatever its order, and a
 * cached text's scores fit in an Int32Array, half the memory of float64 (scoring waits on memory).
 */
function toMilli(value: number, what: string, source: string): number {
  const milli = thousandths(value);
  if (milli === undefined) throw new InvalidModelError(source, `${what} ${value} has more than three decimals`);
  return milli;
}

export class SequenceModel {
  readonly header: ModelHeader;
  readonly gazetteer: Gazetteer;
  readonly wordClusters: WordClusters | undefined;
  readonly vocabulary: Vocabulary;
  readonly featureCount: number;
  private readonly transitions: Float64Array;
  private readonly outsideBias: number;
  /** See `surelyOutside`: lets comments with no entity skip Viterbi. */
  private readonly outsideBounds: Float64Array;
  /** The decoder's pruning bounds: the transitions never change once loaded. */
  private readonly freeTagBounds: FreeTagBounds;
  /**
   * Open addressing, two ints per slot: feature key, then (first weight << 4 | weight count).
   * Weights are (tag, weight in thousandths) pairs. Compact on purpose: scoring is bound by memory access.
   */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly entries: Int32Array;
  /** Emission scores in thousandths, n x T, reused between calls (tagging is synchronous), grown for longer texts. */
  private emissions = new Float64Array(64 * T);
  /** Scratch for `tag`: where the rows summed into one token's scores start. */
  private readonly starts: number[] = [];
  /** Scratch of `scoreGroups`. */
  private sums = new Float64Array(0);

  constructor(file: ModelFile, source = 'model') {
    validate(file, source);
    this.header = file.header;
    this.transitions = Float64Array.from(file.transitions, (value) => toMilli(value, 'transition', source));
    this.outsideBounds = outsideBounds(this.transitions);
    this.freeTagBounds = freeTagBounds(this.transitions);
    this.outsideBias = toMilli(file.header.outsideBias, 'header.outsideBias', source);
    this.gazetteer = new Gazetteer(file.gazetteers, file.header.geopoliticalLists);
    this.wordClusters = file.wordClusters && wordClustersOf(file.wordClusters, source);
    this.vocabulary = new Vocabulary(file.vocabulary);
    this.featureCount = file.keys.length;
    let capacity = 1024;
    while (capacity < file.keys.length * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.table = new Int32Array(capacity * 2).fill(EMPTY);
    this.entries = new Int32Array(file.weights.length - file.keys.length);
    let at = 0;
    let entry = 0;
    for (let k = 0; k < file.keys.length; k += 1) {
      const key = file.keys[k]!;
      let slot = key & this.mask;
      while (this.table[2 * slot] !== EMPTY) slot = (slot + 1) & this.mask;
      const count = file.weights[at++]!;
      this.table[2 * slot] = key;
      this.table[2 * slot + 1] = ((entry / 2) << 4) | count;
      for (let e = 0; e < count; e += 1) {
        this.entries[entry++] = file.weights[at++]!;
        this.entries[entry++] = toMilli(file.weights[at++]!, 'weight', source);
      }
    }
  }

  /** `name@version`, e.g. "wnut17-perceptron@1.1.0". */
  get version(): string {
    return `${this.header.name}@${this.header.version}`;
  }

  /** Best BIO tag per token, given each token's feature keys. */
  tag({ window, scores, textAt, sentenceStarts, beforeAt, afterAt, contextAt, rows, rowOffsets, keys, offsets }: GroupedFeatures): number[] {
    const n = textAt.length;
    if (this.emissions.length < n * T) this.emissions = new Float64Array(2 * n * T);
    const { emissions, starts } = this;
    for (let i = 0; i < n; i += 1) {
      // Token i's scores: its own text's group, what each neighbour's text (or the edge of
      // the comment) says about it, and its dense context rows.
      let count = 0;
      starts[count++] = textAt[i]! + (sentenceStarts[i] === 1 ? (2 * window + 1) * T : 0);
      for (let k = 1; k <= window; k += 1) {
        starts[count++] = (i - k >= 0 ? textAt[i - k]! : beforeAt) + k * T;
        starts[count++] = (i + k < n ? textAt[i + k]! : afterAt) + (window + k) * T;
      }
      for (let r = rowOffsets[i]!; r < rowOffsets[i + 1]!; r += 1) starts[count++] = contextAt + rows[r]! * T;
      const row = i * T;
      sumRows(scores, starts, count, emissions, row);
      this.addWeights(keys, offsets[i]!, offsets[i + 1]!, emissions, row);
      emissions[row + OUTSIDE]! -= this.outsideBias;
    }
    // About a quarter of WNUT-17 comments: no token comes near a name.
    if (surelyOutside(emissions, n, this.outsideBounds)) return new Array<number>(n).fill(OUTSIDE);
    return viterbi(emissions, n, this.transitions, this.freeTagBounds);
  }

  /**
   * Each group's summed weights in thousandths, written to into[at..at + groupEnds.length x T):
   * the `GroupScorer` of this model's extractor, called once per novel token text.
   */
  scoreGroups(groupKeys: Int32Array, groupEnds: readonly number[], into: Int32Array, at: number): void {
    const size = groupEnds.length * T;
    // Summed in float64 as emissions are, so addWeights sees one kind of array.
    if (this.sums.length < size) this.sums = new Float64Array(size);
    const sums = this.sums.fill(0, 0, size);
    groupEnds.forEach((end, g) => this.addWeights(groupKeys, g === 0 ? 0 : groupEnds[g - 1]!, end, sums, g * T));
    into.set(sums.subarray(0, size), at);
  }

  /** Adds the weights of keys[from..to) to scores[row..row + T). */
  private addWeights(keys: Int32Array, from: number, to: number, scores: Float64Array, row: number): void {
    const { table, mask, entries } = this;
    for (let f = from; f < to; f += 1) {
      const key = keys[f]!;
      let slot = key & mask;
      let found = table[2 * slot]!;
      while (found !== key && found !== EMPTY) {
        slot = (slot + 1) & mask;
        found = table[2 * slot]!;
      }
      if (found === EMPTY) continue;
      const packed = table[2 * slot + 1]!;
      const first = 2 * (packed >>> 4);
      const last = first + 2 * (packed & 15);
      for (let e = first; e < last; e += 2) scores[row + entries[e]!]! += entries[e + 1]!;
    }
  }
}

if (T !== 13) throw new Error(`model: sumRows is unrolled for 13 tags, labels.ts has ${T}`);

/**
 * Writes into out[row..row + 13) the sum of `count` rows of `scores`, row q starting at
 * starts[q]. Unrolled into thirteen locals, which V8 keeps in registers, so `out` is written
 * once rather than read and written for every row; the whole recognizer ran about 6% faster for
 * it (in-process A/B on WNUT-17 texts).
 */
function sumRows(scores: Int32Array, starts: readonly number[], count: number, out: Float64Array, row: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0;
  for (let q = 0; q < count; q += 1) {
    const at = starts[q]!;
    s0 += scores[at]!; s1 += scores[at + 1]!; s2 += scores[at + 2]!; s3 += scores[at + 3]!; s4 += scores[at + 4]!; s5 += scores[at + 5]!; s6 += scores[at + 6]!;
    s7 += scores[at + 7]!; s8 += scores[at + 8]!; s9 += scores[at + 9]!; s10 += scores[at + 10]!; s11 += scores[at + 11]!; s12 += scores[at + 12]!;
  }
  out[row] = s0; out[row + 1] = s1; out[row + 2] = s2; out[row + 3] = s3; out[row + 4] = s4; out[row + 5] = s5; out[row + 6] = s6;
  out[row + 7] = s7; out[row + 8] = s8; out[row + 9] = s9; out[row + 10] = s10; out[row + 11] = s11; out[row + 12] = s12;
}

function wordClustersOf(lists: WordClusterLists, source: string): WordClusters {
  try {
    return new WordClusters(lists);
  } catch (error) {
    throw new InvalidModelError(source, (error as Error).message);
  }
}

export function loadModel(path: string): SequenceModel {
  return new SequenceModel(readModelFile(path), path);
}

/** A model file's content, binary or JSON, not yet checked. */
export function readModelFile(path: string): ModelFile {
  try {
    const bytes = readFileSync(path);
    return isBinaryModelFile(bytes) ? decodeModelFile(bytes) : JSON.parse(bytes.toString('utf8')) as ModelFile;
  } catch (error) {
    throw new InvalidModelError(path, (error as Error).message);
  }
}

function validate(file: ModelFile, source: string): void {
  const fail = (reason: string): never => {
    throw new InvalidModelError(source, reason);
  };
  if (typeof file !== 'object' || file === null) fail('not a model object');
  const { header } = file;
  if (header?.format !== MODEL_FORMAT) fail(`header.format is not "${MODEL_FORMAT}"`);
  if (header.formatVersion !== MODEL_FORMAT_VERSION) fail(`unsupported formatVersion ${String(header.formatVersion)}`);
  if (typeof header.name !== 'string' || typeof header.version !== 'string' || !header.name || !header.version) {
    fail('header.name and header.version must be non-empty strings');
  }
  if (typeof header.outsideBias !== 'number' || !Number.isFinite(header.outsideBias)) fail('header.outsideBias must be a number');
  if (JSON.stringify(header.tags) !== JSON.stringify(TAGS)) fail('header.tags differ from this code\'s tag set');
  if (!isNumbers(file.transitions) || file.transitions.length !== (TAGS.length + 1) * TAGS.length) {
    fail('transitions has the wrong size');
  }
  if (!Array.isArray(file.vocabulary) || !isNumbers(file.keys) || !isNumbers(file.weights)) {
    fail('vocabulary, keys and weights must be arrays');
  }
  if (typeof file.gazetteers !== 'object' || file.gazetteers === null) fail('gazetteers missing');
  if (header.featureConfig.clusters === true) {
    const clusters = file.wordClusters;
    if (typeof clusters !== 'object' || clusters === null) fail('header.featureConfig uses word clusters, and wordClusters is missing');
    const words = clusters!.words;
    if (!Array.isArray(clusters!.levels) || !(Array.isArray(words) || typeof words === 'string') || !isNumbers(clusters!.ids)) {
      fail('wordClusters needs levels, words and ids arrays');
    }
  }
}

/** A JSON array or a typed array (binary files). */
function isNumbers(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}
