/**
 * Token features for the sequence model, as 30-bit integer keys: hash(template, value ids).
 * Training (scripts/ner) and inference both use `FeatureExtractor` on wink's tokens of the
 * text, so the two always see the same features.
 */
import type { Gazetteer, GazetteerMatches, GazetteerWord } from './gazetteer';
import { TAGS } from './labels';
import type { TokenView } from './tokens';
import type { WordClusters } from './word-clusters';
import { AFTER, BEFORE, type Vocabulary } from './vocabulary';

/** Recorded in the model file header: a model is only valid with the features it was trained on. */
export interface FeatureConfig {
  /** Words to each side whose lower-cased form is a feature. */
  window: number;
  /** Use wink's part-of-speech tags. */
  pos: boolean;
  /** Longest prefix and suffix lengths (of the lower-cased word). */
  affixes: number;
  /** Word bigrams with the previous and next word. */
  bigrams: boolean;
  /** Whether the word (and its neighbours) is in wink's English lexicon, with its case. */
  lexicon: boolean;
  /** The text's overall capitalization and runs of capitalized tokens. */
  layout: boolean;
  /** The lower-cased word's cluster at each level of the model's word clusters (absent: none). */
  clusters?: boolean;
}


export const DEFAULT_FEATURE_CONFIG: FeatureConfig = { window: 2, pos: false, affixes: 3, bigrams: false, lexicon: true, layout: true };

/** Feature templates; the numbers are part of the model format. */
export enum Template {
  Bias = 1, Word, Shape, ShapeBefore, ShapeAfter, Type, Case, CaseTrigram,
  WordAt, BigramBefore, BigramAfter, Prefix, Suffix, Bare, Pos, PosBefore, PosAfter, PosCase, Gazetteer, GazetteerCase,
  Lexicon, LexiconContext, TextCase, CapitalRun, Cluster,
}

const SENTENCE_END = new Set(['.', '!', '?', ':', '"', '|', '-', '–', '—']);
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const CASES = ['N', 'L', 'U', 'T', 'M'] as const;
/** Case indices from here on have a capital letter. */
const CAPITALIZED = 2;
/** Index of the "no token" case in case trigrams. */
const NO_CASE = CASES.length;

/** Lower-cased, digits folded to 0, so numbers share features. */
export function normalizeWord(value: string): string {
  return value.toLowerCase().replace(/\d/g, '0');
}

/** U all capitals (2+ letters), T title, L lower, M mixed, N no letters. */
export function caseClass(value: string): (typeof CASES)[number] {
  const hasUpper = UPPER.test(value);
  const hasLower = LOWER.test(value);
  if (!hasUpper && !hasLower) return 'N';
  if (!hasUpper) return 'L';
  if (!hasLower) return value.length > 1 ? 'U' : 'T';
  if (UPPER.test(value.charAt(0)) && !UPPER.test(value.slice(1))) return 'T';
  return 'M';
}

/** Word shape with runs longer than two folded: "iPhone11" -> "xXxxdd". */
export function shapeOf(value: string): string {
  let shape = '';
  let last = '';
  let run = 0;
  for (const char of value) {
    const kind = UPPER.test(char) ? 'X' : LOWER.test(char) ? 'x' : char >= '0' && char <= '9' ? 'd' : char;
    run = kind === last ? run + 1 : 1;
    last = kind;
    if (run <= 2) shape += kind;
  }
  return shape;
}

/** A 30-bit key (a small integer in V8) for a template and up to two value ids. */
export function featureKey(template: number, a: number, b = 0): number {
  let h = Math.imul(template, 0x9e3779b1);
  h = Math.imul(h ^ a, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h ^ b, 0xc2b2ae3d);
  h ^= h >>> 16;
  return h >>> 2;
}

/**
 * Feature keys of a text's tokens. Token i has the keys its own text determines, `intrinsic[i]`
 * (one shared array per distinct token text), and the keys of its context,
 * keys[offsets[i]] .. keys[offsets[i + 1] - 1].
 */
export interface TokenFeatures {
  intrinsic: Int32Array[];
  keys: Int32Array;
  offsets: Int32Array;
}

/**
 * The model's weights summed per group: writes groupEnds.length x tags scores (the model's
 * thousandths) into `into` from `at`. Group g's keys are groupKeys[groupEnds[g - 1] (0 for
 * g = 0) .. groupEnds[g] - 1].
 *
 * The groups of one token text: group 0 its own keys, the bias, its wink type, and its case and
 * lexicon keys off a sentence start, group 2 * window + 1 the same at a sentence start; group k
 * (1 <= k <= window) what it is to the token k places after it (WordAt -k, and ShapeBefore for
 * k = 1); group window + k to the token k places before it.
 */
export type GroupScorer = (groupKeys: Int32Array, groupEnds: readonly number[], into: Int32Array, at: number) => void;

/**
 * The same keys per token as `TokenFeatures`, as group scores for inference: token i has group 0
 * of its text's groups (group 2 * window + 1 where sentenceStarts[i] is 1), group k of the text k
 * places before it (`beforeAt` past the start), group window + k of the text k places after it
 * (`afterAt` past the end), the dense context rows rows[rowOffsets[i]] .. rows[rowOffsets[i + 1] - 1]
 * of `contextAt`, and the keys keys[offsets[i]] .. keys[offsets[i + 1] - 1], which have no group.
 * Everything here is overwritten or moved by the next `extractGrouped` call.
 */
export interface GroupedFeatures {
  window: number;
  /** Every cached text's group scores, rows of tags in thousandths; the offsets below point into it. */
  scores: Int32Array;
  /** Where token i's text's groups start in `scores`. */
  textAt: Int32Array;
  sentenceStarts: Uint8Array;
  beforeAt: number;
  afterAt: number;
  /** One group (of one key) per value of the context templates with small value ranges. */
  contextAt: number;
  rows: Int32Array;
  rowOffsets: Int32Array;
  keys: Int32Array;
  offsets: Int32Array;
}

/**
 * A context template whose values are small integers, a < aSize and b < bSize: inference finds
 * its weights in a dense table row (base + a * bSize + b) rather than by hashing its key. These
 * templates make most of a token's context keys, and hashed lookups are the cost of scoring.
 */
interface DenseTemplate {
  template: Template;
  base: number;
  bSize: number;
}

/**
 * What a token's own text and wink type determine, cached per distinct token text (wink types
 * a few texts differently in context, "99" as a number or as a word: those are cached apart).
 */
interface Intrinsic extends GazetteerWord {
  type: string;
  /** 1 when a sentence may end after this token. */
  endsSentence: number;
  /** 1 when the lower-cased word is in the lexicon. */
  known: number;
  word: number;
  shape: number;
  caseIndex: number;
  /** Keys of the word, shape, prefix and suffix features; dropped once their scores are kept (`scoresAt`). */
  keys: Int32Array | undefined;
  /**
   * Where this text's group scores start in the extractor's `scores`, -1 until first grouped use
   * (`scoreText`), so training, which never groups, assigns vocabulary ids in its own order.
   */
  scoresAt: number;
  /** A hashtag's or mention's key of its bare word, on first use (when training assigns its id, as before). */
  bare: number | undefined;
}

/** Distinct token texts remembered; the cache is cleared when full, so memory stays bounded. */
const CACHE_LIMIT = 20_000;
const TAG_COUNT = TAGS.length;

export class FeatureExtractor {
  private readonly cache = new Map<string, Intrinsic>();
  /**
   * The same entries by wink lexeme index, for served reads (`TokenView.lexemes`): an index is
   * one array load where the map hashes and compares strings. Emptied with the map and when
   * the lexicon's epoch changes.
   */
  private byLexeme: (Intrinsic | undefined)[] = [];
  private lexiconEpoch: number | undefined;
  /** At most this many context keys per token (see `extract`). */
  private readonly maxContextKeys: number;
  /** Buffers of `extractGrouped`, grown for longer texts. */
  private keys = new Int32Array(0);
  private offsets = new Int32Array(0);
  private rows = new Int32Array(0);
  private rowOffsets = new Int32Array(0);
  private sentenceStarts = new Uint8Array(0);
  private textAt = new Int32Array(0);
  /** Per-token scratch of `context` (gazetteer matches, title runs), grown for longer texts. */
  private matches: GazetteerMatches = { begins: new Int32Array(64), insides: new Int32Array(64) };
  private runs = new Int32Array(64);
  /**
   * Group scores of the cached texts, from `scorer`: in one array, as reading them is most of
   * scoring's cost, and a text's record then points straight at its rows (no object and buffer
   * of its own to go through). Entries up to `keptScores` (the edges and the dense context) stay;
   * the rest go with the cache.
   */
  private scores = new Int32Array(0);
  private usedScores = 0;
  private readonly keptScores: number;
  /** What lies beyond the first and the last token, to their neighbours: in `scores`, with a scorer. */
  private readonly beforeAt: number;
  private readonly afterAt: number;
  /** The dense context templates, and one group per row of them (see `DenseTemplate`). */
  private readonly caseTrigram: DenseTemplate;
  private readonly lexiconContext: DenseTemplate;
  private readonly textCase: DenseTemplate;
  private readonly capitalRun: DenseTemplate;
  private readonly gazetteerHit: DenseTemplate;
  private readonly gazetteerCase: DenseTemplate;
  private readonly denseContextAt: number;
  /** At most this many dense rows per token. */
  private readonly maxDenseRows: number;

  constructor(
    readonly config: FeatureConfig,
    private readonly vocabulary: Vocabulary,
    private readonly gazetteer: Gazetteer,
    private readonly clusters: WordClusters | undefined,
    private readonly scorer?: GroupScorer,
  ) {
    if (config.clusters === true && clusters === undefined) throw new Error('the feature config uses word clusters, and none were given');
    if (config.window > 4 || config.affixes > 6) throw new Error('feature window <= 4 and affixes <= 6');
    // fixed 6, window, bigrams 2, bare word 1, pos 4, lexicon 2, layout 2, two per gazetteer list
    this.maxContextKeys = 6 + 2 * config.window + 2 + 1 + 4 + 2 + 2 + 2 * gazetteer.listNames.length;
    this.beforeAt = this.scoreText(new Int32Array(0), BEFORE, BEFORE, BEFORE, NO_CASE, 2);
    this.afterAt = this.scoreText(new Int32Array(0), AFTER, AFTER, AFTER, NO_CASE, 2);

    const denseKeys: number[] = [];
    const dense = (template: Template, aSize: number, bSize: number): DenseTemplate => {
      const base = denseKeys.length;
      for (let a = 0; a < aSize; a += 1) for (let b = 0; b < bSize; b += 1) denseKeys.push(featureKey(template, a, b));
      return { template, base, bSize };
    };
    const lists = gazetteer.listNames.length;
    // Value ranges as `context` computes them: case indices and NO_CASE < 8, known 0..2, title runs < 24.
    this.caseTrigram = dense(Template.CaseTrigram, (NO_CASE + 1) * 8, NO_CASE + 1);
    this.lexiconContext = dense(Template.LexiconContext, 3 * 8, 3 * 8);
    this.textCase = dense(Template.TextCase, 3, CASES.length);
    this.capitalRun = dense(Template.CapitalRun, 24, 2);
    this.gazetteerHit = dense(Template.Gazetteer, 2 * lists, 1);
    this.gazetteerCase = dense(Template.GazetteerCase, 2 * lists, CASES.length);
    this.denseContextAt = this.score(Int32Array.from(denseKeys), denseKeys.map((_, row) => row + 1));
    this.maxDenseRows = 4 + 2 * lists;
    this.keptScores = this.usedScores;
  }

  /** Every token's keys, in arrays of its own: for training, which keeps them (an extractor without a scorer). */
  extract(view: TokenView): TokenFeatures {
    if (this.scorer) throw new Error('an extractor with a scorer keeps no plain keys: extract() is for training');
    const tokens = view.values.map((value, i) => this.intrinsic(value, view.types[i]!, view.isKnown));
    const { keys, offsets } = this.context(view, tokens, false);
    return { intrinsic: tokens.map((token) => token.keys!), keys, offsets };
  }

  /**
   * The same keys grouped so the scorer sums each token text's share once (see `GroupedFeatures`):
   * for inference (an extractor with a scorer).
   */
  extractGrouped(view: TokenView): GroupedFeatures {
    if (!this.scorer) throw new Error('an extractor without a scorer has no group scores: extractGrouped() is for inference');
    // Cleared between comments only: a comment's tokens point into the scores until it is scored.
    if (this.cache.size >= CACHE_LIMIT) this.forget();
    const tokens = view.lexemes === undefined
      ? view.values.map((value, i) => this.intrinsic(value, view.types[i]!, view.isKnown))
      : this.intrinsicsByLexeme(view, view.lexemes);
    const n = tokens.length;
    if (this.textAt.length < n) this.textAt = new Int32Array(2 * n);
    for (let i = 0; i < n; i += 1) {
      const token = tokens[i]!;
      this.textAt[i] = token.scoresAt >= 0 ? token.scoresAt : this.scoreToken(token);
    }
    const { keys, offsets, rows, rowOffsets } = this.context(view, tokens, true);
    return {
      window: this.config.window, scores: this.scores, textAt: this.textAt.subarray(0, n), sentenceStarts: this.sentenceStarts.subarray(0, n),
      beforeAt: this.beforeAt, afterAt: this.afterAt, contextAt: this.denseContextAt, rows, rowOffsets, keys, offsets,
    };
  }

  /**
   * Context keys per token; `grouped` leaves out what a text's groups hold (the bias, the token's type and case
   * and lexicon keys, the neighbours' words and shapes) and records sentence starts instead, and
   * gives the dense templates' features as rows of the dense context's groups (`denseContextAt`).
   */
  private context(view: TokenView, tokens: readonly Intrinsic[], grouped: boolean): { keys: Int32Array; offsets: Int32Array; rows: Int32Array; rowOffsets: Int32Array } {
    const n = view.values.length;
    const { config, vocabulary } = this;
    const pos = config.pos ? view.pos.map((tag) => vocabulary.id(tag)) : [];
    if (this.runs.length < n) {
      this.matches = { begins: new Int32Array(2 * n), insides: new Int32Array(2 * n) };
      this.runs = new Int32Array(2 * n);
    }
    const { begins, insides } = this.matches;
    this.gazetteer.match(tokens, this.matches);
    const word = (i: number): number => (i < 0 ? BEFORE : i >= n ? AFTER : tokens[i]!.word);
    const shape = (i: number): number => (i < 0 ? BEFORE : i >= n ? AFTER : tokens[i]!.shape);
    const caseAt = (i: number): number => (i < 0 || i >= n ? NO_CASE : tokens[i]!.caseIndex);
    const posAt = (i: number): number => (i < 0 ? BEFORE : i >= n ? AFTER : pos[i]!);
    const knownAt = (i: number): number => (i < 0 || i >= n ? 2 : tokens[i]!.known);
    const textCase = config.layout ? textCaseOf(tokens) : 0;
    const { runs } = this;
    if (config.layout) titleRuns(tokens, runs);

    if (grouped && this.keys.length < n * this.maxContextKeys) {
      this.keys = new Int32Array(2 * n * this.maxContextKeys);
      this.offsets = new Int32Array(2 * n + 1);
      this.rows = new Int32Array(2 * n * this.maxDenseRows);
      this.rowOffsets = new Int32Array(2 * n + 1);
      this.sentenceStarts = new Uint8Array(2 * n);
    }
    const keys = grouped ? this.keys : new Int32Array(n * this.maxContextKeys);
    const offsets = grouped ? this.offsets.subarray(0, n + 1) : new Int32Array(n + 1);
    const { rows } = this;
    const rowOffsets = this.rowOffsets.subarray(0, grouped ? n + 1 : 0);
    let at = 0;
    let row = 0;
    const addDense = (dense: DenseTemplate, a: number, b: number): void => {
      if (grouped) rows[row++] = dense.base + a * dense.bSize + b;
      else keys[at++] = featureKey(dense.template, a, b);
    };
    for (let i = 0; i < n; i += 1) {
      offsets[i] = at;
      if (grouped) rowOffsets[i] = row;
      const token = tokens[i]!;
      const type = view.types[i]!;
      const caseIndex = token.caseIndex;
      const sentenceStart = i === 0 ? 1 : tokens[i - 1]!.endsSentence;
      // Training's key order is part of the model file (features in first-seen order): keep it.
      if (grouped) this.sentenceStarts[i] = sentenceStart;
      else {
        keys[at++] = featureKey(Template.Bias, 0);
        keys[at++] = featureKey(Template.ShapeBefore, shape(i - 1));
        keys[at++] = featureKey(Template.ShapeAfter, shape(i + 1));
      }
      if (!grouped) {
        keys[at++] = featureKey(Template.Type, vocabulary.id(type));
        keys[at++] = featureKey(Template.Case, caseIndex, sentenceStart);
      }
      addDense(this.caseTrigram, caseAt(i - 1) * 8 + caseIndex, caseAt(i + 1));
      for (let k = 1; !grouped && k <= config.window; k += 1) {
        keys[at++] = featureKey(Template.WordAt, -k, word(i - k));
        keys[at++] = featureKey(Template.WordAt, k, word(i + k));
      }
      if (config.bigrams) {
        keys[at++] = featureKey(Template.BigramBefore, word(i - 1), token.word);
        keys[at++] = featureKey(Template.BigramAfter, token.word, word(i + 1));
      }
      if (type === 'hashtag' || type === 'mention') {
        keys[at++] = token.bare ??= featureKey(Template.Bare, vocabulary.id(normalizeWord(view.values[i]!.slice(1))));
      }
      if (config.pos) {
        keys[at++] = featureKey(Template.Pos, pos[i]!);
        keys[at++] = featureKey(Template.PosBefore, posAt(i - 1), pos[i]!);
        keys[at++] = featureKey(Template.PosAfter, pos[i]!, posAt(i + 1));
        keys[at++] = featureKey(Template.PosCase, pos[i]!, caseIndex);
      }
      if (config.lexicon) {
        if (!grouped) keys[at++] = featureKey(Template.Lexicon, token.known * 8 + caseIndex, sentenceStart);
        addDense(this.lexiconContext, knownAt(i - 1) * 8 + caseAt(i - 1), knownAt(i + 1) * 8 + caseAt(i + 1));
      }
      if (config.layout) {
        addDense(this.textCase, textCase, caseIndex);
        if (runs[i] !== 0) addDense(this.capitalRun, runs[i]!, caseIndex >= CAPITALIZED ? 1 : 0);
      }
      const hits = begins[i]! | insides[i]!;
      for (let bit = 0; hits !== 0 && bit < 30; bit += 1) {
        if ((hits & (1 << bit)) === 0) continue;
        const value = bit * 2 + ((begins[i]! >> bit) & 1);
        addDense(this.gazetteerHit, value, 0);
        addDense(this.gazetteerCase, value, caseIndex);
      }
    }
    offsets[n] = at;
    if (grouped) rowOffsets[n] = row;
    return { keys: keys.subarray(0, at), offsets, rows: rows.subarray(0, row), rowOffsets };
  }

  /** `intrinsic` of each token, through `byLexeme`: a lexeme index fixes the token's value and type. */
  private intrinsicsByLexeme(view: TokenView, lexemes: readonly number[]): Intrinsic[] {
    if (view.lexiconEpoch !== this.lexiconEpoch) {
      this.byLexeme = [];
      this.lexiconEpoch = view.lexiconEpoch;
    }
    const tokens = new Array<Intrinsic>(lexemes.length);
    for (let i = 0; i < lexemes.length; i += 1) {
      const lexeme = lexemes[i]!;
      let token = this.byLexeme[lexeme];
      if (token === undefined) {
        token = this.intrinsic(view.values[i]!, view.types[i]!, view.isKnown);
        if (lexeme >= this.byLexeme.length) {
          // Grown densely, at least doubling: holes up to the index would make it a slow dictionary array.
          const grow = Math.max(lexeme + 1 - this.byLexeme.length, this.byLexeme.length, 1024);
          this.byLexeme = this.byLexeme.concat(new Array<undefined>(grow).fill(undefined));
        }
        this.byLexeme[lexeme] = token;
      }
      tokens[i] = token;
    }
    return tokens;
  }

  private intrinsic(value: string, type: string, isKnown: TokenView['isKnown']): Intrinsic {
    const cached = this.cache.get(value);
    if (cached?.type === type) return cached;
    // A text seen with another type: cached under both, apart.
    const typedKey = cached === undefined ? value : `${type}\u0000${value}`;
    const typed = cached === undefined ? undefined : this.cache.get(typedKey);
    if (typed !== undefined) return typed;
    const { vocabulary } = this;
    const normal = normalizeWord(value);
    const word = vocabulary.id(normal);
    const shape = vocabulary.id(shapeOf(value));
    const keys = [featureKey(Template.Word, word), featureKey(Template.Shape, shape)];
    for (let k = 1; k <= this.config.affixes && k < normal.length; k += 1) {
      keys.push(featureKey(Template.Prefix, vocabulary.id(normal.slice(0, k))), featureKey(Template.Suffix, vocabulary.id(normal.slice(-k))));
    }
    const lower = value.toLowerCase();
    if (this.config.clusters === true) {
      // Level l's cluster id + 1, or 0 for a word outside the clusters' vocabulary (rare words, typos, many names).
      for (let level = 0; level < this.clusters!.levels; level += 1) keys.push(featureKey(Template.Cluster, level, this.clusters!.clusterOf(lower, level) + 1));
    }
    const known = this.config.lexicon && isKnown(lower) ? 1 : 0;
    const caseIndex = CASES.indexOf(caseClass(value));
    const intrinsic: Intrinsic = {
      type, lower, endsSentence: SENTENCE_END.has(value) ? 1 : 0, phrase: this.gazetteer.phrase(lower), known, word, shape, caseIndex,
      keys: Int32Array.from(keys), scoresAt: -1, bare: undefined,
    };
    // Training (no scorer) clears here; inference between comments (`extractGrouped`).
    if (this.cache.size >= CACHE_LIMIT && !this.scorer) this.forget();
    this.cache.set(typedKey, intrinsic);
    return intrinsic;
  }

  /** Forgets every cached text, and their scores. */
  private forget(): void {
    this.cache.clear();
    this.byLexeme = [];
    this.usedScores = this.keptScores;
  }

  private scoreToken(token: Intrinsic): number {
    const { keys, type, word, shape, caseIndex, known } = token;
    token.scoresAt = this.scoreText(keys!, this.vocabulary.id(type), word, shape, caseIndex, known);
    token.keys = undefined;
    return token.scoresAt;
  }

  /**
   * Scores the keys a token with this text gives itself and its neighbours, in group order (see
   * `GroupScorer`): itself off a sentence start, to the tokens after it, to the tokens before it,
   * itself at a sentence start. Returns where they start in `scores`; -1 without a scorer
   * (training), which needs none of this.
   */
  private scoreText(own: Int32Array, type: number, word: number, shape: number, caseIndex: number, known: number): number {
    if (!this.scorer) return -1;
    const { window, lexicon } = this.config;
    const ownSize = own.length + (lexicon ? 4 : 3);
    const groupKeys = new Int32Array(2 * ownSize + 2 * window + (window > 0 ? 2 : 0));
    const groupEnds: number[] = [];
    let at = 0;
    const addOwn = (sentenceStart: number): void => {
      groupKeys.set(own, at);
      at += own.length;
      groupKeys[at++] = featureKey(Template.Bias, 0);
      groupKeys[at++] = featureKey(Template.Type, type);
      groupKeys[at++] = featureKey(Template.Case, caseIndex, sentenceStart);
      if (lexicon) groupKeys[at++] = featureKey(Template.Lexicon, known * 8 + caseIndex, sentenceStart);
      groupEnds.push(at);
    };
    const addNeighbour = (offset: number, shapeTemplate: Template): void => {
      groupKeys[at++] = featureKey(Template.WordAt, offset, word);
      if (Math.abs(offset) === 1) groupKeys[at++] = featureKey(shapeTemplate, shape);
      groupEnds.push(at);
    };
    addOwn(0);
    for (let k = 1; k <= window; k += 1) addNeighbour(-k, Template.ShapeBefore);
    for (let k = 1; k <= window; k += 1) addNeighbour(k, Template.ShapeAfter);
    addOwn(1);
    return this.score(groupKeys, groupEnds);
  }

  /** Room in `scores` for these groups, scored by the scorer; -1 without one. */
  private score(groupKeys: Int32Array, groupEnds: readonly number[]): number {
    if (!this.scorer) return -1;
    const size = groupEnds.length * TAG_COUNT;
    if (this.usedScores + size > this.scores.length) {
      const grown = new Int32Array(Math.max(2 * this.scores.length, this.usedScores + size, 1 << 16));
      grown.set(this.scores.subarray(0, this.usedScores));
      this.scores = grown;
    }
    const at = this.usedScores;
    this.scorer(groupKeys, groupEnds, this.scores, at);
    this.usedScores += size;
    return at;
  }
}

/** Lower-case words that may sit inside a title or name: "Lord of the Rings", "Knight and Day". */
const CONNECTORS = new Set(['of', 'the', 'and', '&', 'in', 'on', 'at', 'for', 'a', 'to', 'with', "'s", 'de', 'van', 'von']);

/**
 * Runs of capitalized tokens, joined across connector words when a capital follows them.
 * Fills runs[0..n): per token 0 outside a run, else min(run length, 5) * 4 + (1 on the first
 * token) + (2 on the last).
 */
function titleRuns(tokens: readonly Intrinsic[], runs: Int32Array): void {
  const n = tokens.length;
  runs.fill(0, 0, n);
  const capital = (i: number): boolean => tokens[i]!.caseIndex >= CAPITALIZED;
  let i = 0;
  while (i < n) {
    if (!capital(i)) {
      i += 1;
      continue;
    }
    let end = i + 1;
    for (;;) {
      let next = end;
      while (next < n && CONNECTORS.has(tokens[next]!.lower)) next += 1;
      if (next < n && capital(next) && next - end <= 2) end = next + 1;
      else break;
    }
    const size = Math.min(end - i, 5) * 4;
    for (let k = i; k < end; k += 1) runs[k] = size + (k === i ? 1 : 0) + (k === end - 1 ? 2 : 0);
    i = end;
  }
}

/**
 * 0 mostly lower case (capitals say little), 1 mixed as in edited prose, 2 mostly capitalized
 * (headlines, shouting): how much a capital letter means depends on the whole text.
 */
function textCaseOf(tokens: readonly Intrinsic[]): number {
  let words = 0;
  let capitalized = 0;
  for (const token of tokens) {
    if (token.caseIndex === 0) continue;
    words += 1;
    if (token.caseIndex >= CAPITALIZED) capitalized += 1;
  }
  if (words === 0) return 1;
  const share = capitalized / words;
  return share < 0.1 ? 0 : share > 0.6 ? 2 : 1;
}
