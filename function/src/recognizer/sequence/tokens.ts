/**
 * The per-token facts the features are built from, read once from a wink document,
 * with each token's offsets into the raw text (JavaScript string indices).
 */
import type { Document, WinkMethods } from 'wink-nlp';
import { tokenOffsets } from '../wink';

export interface TokenView {
  /** Token text exactly as in the input. */
  values: string[];
  /** wink token type: word, punctuation, number, mention, hashtag, url, emoji, ... */
  types: string[];
  /** wink part of speech (universal tags); empty when the model does not use them. */
  pos: string[];
  starts: number[];
  ends: number[];
}

export function readTokens(doc: Document, its: WinkMethods['its'], text: string, withPos: boolean): TokenView {
  const tokens = doc.tokens();
  const values = tokens.out() as string[];
  const types = tokens.out(its.type) as string[];
  const pos = withPos ? (tokens.out(its.pos) as string[]) : [];
  const offsets = tokenOffsets(text, values, values.length - 1);
  const starts = values.map((_, i) => offsets[2 * i]!);
  const ends = values.map((_, i) => offsets[2 * i + 1]!);
  return { values, types, pos, starts, ends };
}
