/**
 * The per-token facts the features are built from, read once from a wink document,
 * with each token's offsets into the raw text (JavaScript string indices).
 */
import type { Document, WinkMethods } from 'wink-nlp';

export interface TokenView {
  /** Token text exactly as in the input. */
  values: string[];
  /** wink token type: word, punctuation, number, mention, hashtag, url, emoji, ... */
  types: string[];
  /** wink part of speech (universal tags). */
  pos: string[];
  starts: number[];
  ends: number[];
}

export function readTokens(doc: Document, its: WinkMethods['its'], text: string): TokenView {
  const tokens = doc.tokens();
  const values = tokens.out() as string[];
  const types = tokens.out(its.type) as string[];
  const pos = tokens.out(its.pos) as string[];
  const { starts, ends } = locate(values, text);
  return { values, types, pos, starts, ends };
}

/**
 * wink keeps every token's original text, in order, so each is found at or after the end
 * of the previous one. A token wink rewrote (none known) gets an empty span at the cursor
 * rather than a wrong one.
 */
export function locate(values: readonly string[], text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = new Array(values.length);
  const ends: number[] = new Array(values.length);
  let cursor = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i]!;
    const at = text.indexOf(value, cursor);
    if (at < 0) {
      starts[i] = cursor;
      ends[i] = cursor;
      continue;
    }
    starts[i] = at;
    ends[i] = at + value.length;
    cursor = ends[i]!;
  }
  return { starts, ends };
}
