/**
 * wink-nlp's `readDoc` for the `ner` pipe, without the document API it builds around every read.
 *
 * Why: `readDoc` wraps each comment in a document object of about a hundred closures, and its
 * `out()` collections read tokens one helper call at a time: about a tenth of the recognizer's
 * CPU per WNUT-17 comment (docs/ner.md, fifth round). This reader runs the same steps, in
 * readDoc's order, with wink's own tokenizer, lexicon cache and entity transformers, and wink's
 * entity machines compiled to tables (wink-automaton.ts), and hands back plain arrays.
 * wink-reader.test.ts checks it against `readDoc` token for token and entity for entity, on
 * every WNUT-17 text and on random text, so a new wink version cannot drift silently.
 */
import type { Model } from 'wink-nlp';
import { CompiledAutomaton, type SymbolOf } from './wink-automaton';
import { scanTokens, type DocData, type Tokenize } from './wink-scan';

/** One comment as wink reads it. */
export interface WinkRead {
  /** Token texts exactly as in the input. */
  readonly values: string[];
  /** wink token types: word, punctuation, number, url, emoji, ... */
  readonly types: string[];
  /** wink's entities as [first token, last token, wink type], in text order. */
  readonly entities: readonly WinkEntity[];
  /**
   * Each token's lexeme index in wink's cache: it fixes the token's value and type. Indices of
   * novel lexemes are reused after a lexicon trim, so they identify a lexeme only within one
   * `lexiconEpoch`.
   */
  readonly lexemes: readonly number[];
  readonly lexiconEpoch: number;
  /** Whether wink's English lexicon has a lower-cased word (names mostly are not in it). */
  readonly isKnown: (lowerWord: string) => boolean;
}

export type WinkEntity = readonly [first: number, last: number, type: string];

/** The members of wink's lexicon cache (wink-nlp/src/cache.js) this reader calls. */
export interface WinkCache {
  value(hash: number): string;
  property(hash: number, name: string): string;
  isOOV(word: string): boolean;
  /** A text's lexeme index (its contraction's expansions: several numbers each), or null when it is not in the lexicon. */
  lookup(text: string): number[] | null;
  /** How many lexemes the model itself holds: hashes below it are the model's, never renumbered. */
  intrinsicSize(): number;
}

/** An entity transformer of the wink model: a token's normal hash to the automaton's symbol. */
export type WinkTransform = (hash: number, cache: WinkCache) => number;

/** The members of wink's core model (wink-model.ts `readCoreModel`) the tokenizer is built from. */
export interface TokenizerModel {
  trex: unknown;
  tcat: { hash: unknown };
  preserve: unknown;
}

/** wink's raw document data, as its tokenizer and token mappers read and fill it. */
interface RawDocument {
  cache: WinkCache;
  tokens: number[];
  nonBreakingSpaces: Record<number, string>;
  numOfTokens: number;
}

const createTokenizer = require('wink-nlp/src/tokenizer.js') as (trex: unknown, categories: unknown, preserve: unknown) => Tokenize;
const compileTRex = require('wink-nlp/src/compile-trex.js') as (trex: unknown) => unknown;
const wrapDocData = require('wink-nlp/src/dd-wrapper.js') as (rdd: RawDocument) => DocData;
const { mapRawTokens2UIdOfNormal } = require('wink-nlp/src/tokens-mappers.js') as { mapRawTokens2UIdOfNormal(rdd: RawDocument): number[] };
/** Numbers per token in wink's flat token array (its `constants.tkSize`): the lexeme hash first. */
const { tkSize: TOKEN_SIZE } = require('wink-nlp/src/constants.js') as { tkSize: number };

/**
 * A reader over `cache`, the lexicon cache of a loaded wink instance (see lexicon-bound.ts): it
 * must be that object, as the lexicon bound swaps its methods in place. `model` is the wink model
 * the instance was loaded with; its `ner` loader gives the entity automata. `lexiconEpoch` counts
 * the bound's trims.
 */
export function createWinkReader(core: TokenizerModel, cache: WinkCache, model: Model, lexiconEpoch: () => number): (text: string) => WinkRead {
  const tokenize = createTokenizer(compileTRex(core.trex), core.tcat.hash, core.preserve);
  const ner = (model as unknown as { ner(): { machines: string[]; transformers: (WinkTransform | undefined)[] } }).ner();
  const symbolsOf = ner.transformers.map((transform) => transform && rememberingTransform(transform, cache));
  // wink's automata skip this lexeme (automaton.js `keyLF`).
  const lineBreak = cache.lookup('\n')![0]!;
  const automata = ner.machines.map((machine) => new CompiledAutomaton(machine, lineBreak));
  const isKnown = (word: string): boolean => !cache.isOOV(word);
  return (text) => {
    const rdd: RawDocument = { cache, tokens: [], nonBreakingSpaces: Object.create(null) as Record<number, string>, numOfTokens: 0 };
    scanTokens(tokenize, wrapDocData(rdd), rdd.tokens, text);
    const count = rdd.tokens.length / TOKEN_SIZE;
    rdd.numOfTokens = count;
    const normals = mapRawTokens2UIdOfNormal(rdd);
    // As readDoc: each automaton sees the previous one's entities as patterns to swap in.
    let entities: WinkEntity[] | null = null;
    for (let i = 0; i < automata.length; i += 1) entities = automata[i]!.recognize(normals, symbolsOf[i], entities);
    const values = new Array<string>(count);
    const types = new Array<string>(count);
    const lexemes = new Array<number>(count);
    for (let i = 0; i < count; i += 1) {
      const hash = rdd.tokens[i * TOKEN_SIZE]!;
      lexemes[i] = hash;
      values[i] = cache.value(hash);
      types[i] = cache.property(hash, 'tokenType');
    }
    return { values, types, entities: entities ?? [], isKnown, lexemes, lexiconEpoch: lexiconEpoch() };
  };
}

/**
 * wink's transformer works a token's symbol out of its lexeme's fixed properties (value, type,
 * hint): for the model's own lexemes the answer is kept, so each costs its string tests once per
 * process rather than once per occurrence. Novel lexemes (renumbered by lexicon trims) are asked
 * every time.
 */
function rememberingTransform(transform: WinkTransform, cache: WinkCache): SymbolOf {
  const symbols = new Int32Array(cache.intrinsicSize()).fill(-1);
  return (hash) => {
    const kept = hash < symbols.length ? symbols[hash]! : -1;
    if (kept >= 0) return kept;
    const symbol = transform(hash, cache);
    if (hash < symbols.length && Number.isInteger(symbol) && symbol >= 0 && symbol <= 0x7fffffff) symbols[hash] = symbol;
    return symbol;
  };
}
