/**
 * Keeps wink-nlp's per-process lexicon from growing without end.
 *
 * Why it grows: wink-nlp's cache (node_modules/wink-nlp/src/cache.js, `add()`) gives every
 * out-of-vocabulary token, and its lower-case form, a new entry in the model's lexeme
 * hash and list and packs its features into a closure-private `extrinsicLexicon` array;
 * new prefix/suffix/shape values are appended to their feature lists the same way.
 * Nothing is ever removed, so a stream of user comments (typos, names, URLs, hashtags)
 * grows the heap by roughly 100 bytes per novel token. The feature lists also have a
 * packing limit (`maxIndex`, e.g. 8191 prefixes in 13 bits) past which packed features
 * would overflow into their neighbours.
 *
 * The bound: once more than `maxNovelLexemes` novel entries (20k by default) (or half the free room in a
 * packed feature) have accumulated, every feature list and hash is truncated back to the
 * model's own size and the cache's methods are swapped, in place, for a fresh cache
 * built on that model. The entries only carry meaning inside one document, and wink
 * documents here never outlive a `recognize()` call, so results are unchanged; the next
 * document simply re-adds the tokens it needs.
 */
import type WinkFn from 'wink-nlp';
import type { WinkMethods } from 'wink-nlp';
import { winkModel, winkModelFor } from './wink-model';

/** A wink feature table: values by index and indices by value. */
interface FeatureTable {
  list: string[];
  hash: Record<string, number>;
  index?: number;
  maxIndex?: number;
}

/** The parts of wink's core model the bound touches. */
export interface CoreModel {
  features: Record<string, Partial<FeatureTable>>;
}

export type CacheMethods = Record<string, unknown>;
type CacheFactory = (core: CoreModel, featureFn: unknown) => CacheMethods;

const CACHE_MODULE = require.resolve('wink-nlp/src/cache.js');
const WINK_MODULE = require.resolve('wink-nlp');
// wink-nlp's own cache constructor, so a fresh cache is built exactly as load() builds one.
const createCache = require(CACHE_MODULE) as CacheFactory;

/**
 * Loads a private instance of the wink-nlp module whose cache constructor records what
 * it builds: the core model and the live cache are internal to wink, and this is the
 * one place they are handed over. `require.cache` is left as it was.
 */
function loadRecordingCache(pipe: string[]): { nlp: WinkMethods; core: CoreModel; cache: CacheMethods } {
  const cacheModule = require.cache[CACHE_MODULE]!;
  const previousWink = require.cache[WINK_MODULE];
  let built: { core: CoreModel; cache: CacheMethods } | undefined;
  cacheModule.exports = (core: CoreModel, featureFn: unknown) => {
    const cache = createCache(core, featureFn);
    built ??= { core, cache };
    return cache;
  };
  try {
    delete require.cache[WINK_MODULE];
    const winkNLP = require(WINK_MODULE) as typeof WinkFn;
    const nlp = winkNLP(winkModelFor(pipe), pipe);
    if (built === undefined) throw new Error(`wink-nlp no longer builds its cache through ${CACHE_MODULE}`);
    return { nlp, ...built };
  } finally {
    cacheModule.exports = createCache;
    if (previousWink) require.cache[WINK_MODULE] = previousWink;
    else delete require.cache[WINK_MODULE];
  }
}

interface Baseline {
  name: string;
  table: FeatureTable;
  size: number;
  /** A size past which the table is trimmed. */
  trimAt: number;
}

/** About 2 MB of novel entries; a trim takes a few milliseconds. */
export const DEFAULT_MAX_NOVEL_LEXEMES = 20_000;

export class LexiconBound {
  private readonly baselines: Baseline[];
  private trims = 0;

  private constructor(
    private readonly core: CoreModel,
    private readonly liveCache: CacheMethods,
    maxNovelLexemes: number,
  ) {
    this.baselines = Object.entries(core.features)
      .filter((entry): entry is [string, FeatureTable] => Array.isArray(entry[1].list) && entry[1].hash !== undefined)
      .map(([name, table]) => {
        const size = table.list.length;
        const room = table.maxIndex === undefined ? maxNovelLexemes : Math.min(maxNovelLexemes, Math.floor((table.maxIndex - size) / 2));
        return { name, table, size, trimAt: size + room };
      });
  }

  /**
   * Loads wink-nlp with `pipe` and returns it with its bound, its core model and its live
   * lexicon cache (for wink-reader.ts, which reads through that same cache).
   */
  static load(pipe: string[], maxNovelLexemes = DEFAULT_MAX_NOVEL_LEXEMES): { nlp: WinkMethods; bound: LexiconBound; core: CoreModel; cache: CacheMethods } {
    const { nlp, core, cache } = loadRecordingCache(pipe);
    return { nlp, bound: new LexiconBound(core, cache, maxNovelLexemes), core, cache };
  }

  /** Novel entries per feature table (lexeme, prefix, suffix, shape) since the last trim. */
  novelEntries(): Record<string, number> {
    return Object.fromEntries(this.baselines.map(({ name, table, size }) => [name, table.list.length - size]));
  }

  /** How many times the lexicon has been trimmed. */
  trimCount(): number {
    return this.trims;
  }

  /** Trims if over the bound. Call only between documents (no wink document in use). */
  enforce(): void {
    if (this.baselines.some(({ table, trimAt }) => table.list.length > trimAt)) this.trim();
  }

  private trim(): void {
    for (const { table, size } of this.baselines) {
      for (let index = size; index < table.list.length; index += 1) delete table.hash[table.list[index]!];
      table.list.length = size;
      if (table.index !== undefined) table.index = size;
    }
    Object.assign(this.liveCache, createCache(this.core, (winkModel as unknown as { featureFn: unknown }).featureFn));
    this.trims += 1;
  }
}
