/**
 * The per-token facts the features are built from, read once from wink (its served read, or a
 * document for training), with each token's offsets into the raw text (JavaScript string indices).
 */
import type { Document, WinkMethods } from 'wink-nlp';
import { tokenBounds, type TokenBounds } from '../wink';
import type { WinkRead } from '../wink-reader';

export interface TokenView extends TokenBounds {
  /** Token text exactly as in the input. */
  values: string[];
  /** wink token type: word, punctuation, number, mention, hashtag, url, emoji, ... */
  types: string[];
  /** wink part of speech (universal tags); empty when the model does not use them. */
  pos: string[];
  /** Whether wink's English lexicon has a lower-cased word (names mostly are not in it). */
  isKnown: (lowerWord: string) => boolean;
  /** wink's lexeme index per token and its epoch, from a served read (see `WinkRead`); absent for documents. */
  lexemes?: readonly number[];
  lexiconEpoch?: number;
}

/** The token facts of a served read (wink-reader.ts), which has no part of speech. */
export function tokensOf(read: WinkRead, text: string): TokenView {
  const { starts, ends } = tokenBounds(text, read.values, read.values.length - 1);
  return { values: read.values, types: read.types, pos: [], starts, ends, isKnown: read.isKnown, lexemes: read.lexemes, lexiconEpoch: read.lexiconEpoch };
}

/** The token facts of a wink document: training's path, where a model may use part of speech. */
export function readTokens(doc: Document, its: WinkMethods['its'], text: string, withPos: boolean): TokenView {
  const tokens = doc.tokens();
  const values = tokens.out() as string[];
  const types = tokens.out(its.type) as string[];
  // Asked of this document, which lives only as long as the recognize() call that read it.
  const isKnown = (word: string): boolean => !doc.isOOV(word);
  const { starts, ends } = tokenBounds(text, values, values.length - 1);
  return { values, types, pos: withPos ? (tokens.out(its.pos) as string[]) : [], starts, ends, isKnown };
}
