/**
 * wink-nlp's tokenizer (wink-nlp/src/tokenizer.js, `tokenize`) with its first step done by a
 * scan of the characters instead of regular expressions.
 *
 * Why: wink splits the text with a regular expression, then tests every piece with another for
 * non-breaking spaces; the scan takes about 7% off the recognizer's CPU (docs/ner.md, sixth
 * round). wink splits on runs of spaces (a space or any of the non-breaking and fixed-width
 * spaces below) and on runs of line breaks and tabs; a space run only counts the spaces before
 * the next token, while a run of line breaks is itself a piece to tokenize, as is every run of
 * other characters. A piece in the lexicon is added exactly as wink adds it. Any other piece is
 * handed alone to wink's own tokenizer, which treats it as it would in place (each piece is
 * tokenized on its own), and the spaces before it are then put on its first token, where wink
 * would have put them. The tokens come out as wink's (wink-scan.test.ts). Non-breaking spaces
 * are not recorded: wink keeps them only to rebuild the text in its document API, which the
 * reader does not use.
 */

/** wink's document-data wrapper (wink-nlp/src/dd-wrapper.js), as the tokenizer calls it. */
export interface DocData {
  /** Adds the piece's token (or a contraction's tokens) when the lexicon has it; 0 when it does not. */
  _addTokenIfInCache(piece: string, precedingSpaces: number, nonBreakingSpaces: string | null): number;
}

export type Tokenize = (doc: DocData, text: string) => void;

/** wink's cap on a token's preceding spaces; a run with a non-breaking space is recorded as the cap itself. */
const MAX_PRECEDING_SPACES = 65535;

/** Characters of wink's space runs (its `splitter`'s first class): ' ', U+00A0, U+2002-U+2005, U+2009, U+200A, U+202F, U+205F. */
function isSpace(code: number): boolean {
  return code === 32 || code === 0xa0 || (code >= 0x2002 && code <= 0x2005) || code === 0x2009 || code === 0x200a || code === 0x202f || code === 0x205f;
}

/** Characters of wink's line-break runs (its `splitter`'s second class). */
function isBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 9;
}

/**
 * `tokenize(doc, text)` as wink's does it. `tokens` is the raw document's token array, which
 * `doc` wraps: four numbers per token, the lexeme, then its preceding spaces (with a
 * contraction's normal above them), ...
 */
export function scanTokens(tokenize: Tokenize, doc: DocData, tokens: number[], text: string): void {
  let precedingSpaces = 0;
  let at = 0;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    let end = at + 1;
    if (isSpace(code)) {
      let plain = code === 32;
      for (; end < text.length && isSpace(text.charCodeAt(end)); end += 1) plain &&= text.charCodeAt(end) === 32;
      precedingSpaces = plain ? Math.min(end - at, MAX_PRECEDING_SPACES - 1) : MAX_PRECEDING_SPACES;
    } else {
      const lineBreaks = isBreak(code);
      while (end < text.length && (lineBreaks ? isBreak(text.charCodeAt(end)) : !isSpace(text.charCodeAt(end)) && !isBreak(text.charCodeAt(end)))) end += 1;
      const piece = text.slice(at, end);
      if (doc._addTokenIfInCache(piece, precedingSpaces, null) === 0) {
        const first = tokens.length;
        tokenize(doc, piece);
        // Its first token was added with no preceding spaces: they go in its low bits (a
        // contraction's normal sits above them).
        if (tokens.length > first) tokens[first + 1] += precedingSpaces;
      }
      precedingSpaces = 0;
    }
    at = end;
  }
}
