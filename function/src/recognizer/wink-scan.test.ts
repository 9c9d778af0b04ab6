import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { novelComment, readWnut17 } from '../../../bench/wnut17';
import { LexiconBound } from './lexicon-bound';
import { scanTokens, type DocData, type Tokenize } from './wink-scan';
import type { TokenizerModel } from './wink-reader';

const createTokenizer = require('wink-nlp/src/tokenizer.js') as (trex: unknown, categories: unknown, preserve: unknown) => Tokenize;
const compileTRex = require('wink-nlp/src/compile-trex.js') as (trex: unknown) => unknown;
const wrapDocData = require('wink-nlp/src/dd-wrapper.js') as (rdd: unknown) => DocData;

/** A wink instance's tokenizer and a function giving the raw token data of a text, by wink's way or the scan. */
function instance() {
  const { core, cache } = LexiconBound.load(['ner']);
  const { trex, tcat, preserve } = core as unknown as TokenizerModel;
  const tokenize = createTokenizer(compileTRex(trex), tcat.hash, preserve);
  return (text: string, scan: boolean) => {
    const rdd = { cache, tokens: [] as number[], nonBreakingSpaces: Object.create(null) as Record<number, string> };
    if (scan) scanTokens(tokenize, wrapDocData(rdd), rdd.tokens, text);
    else tokenize(wrapDocData(rdd), text);
    return rdd.tokens;
  };
}

// Two instances read the same texts in the same order, as wink's tokenizer consults the lexicon it has grown.
const [winks, scans] = [instance(), instance()];
const same = (text: string) => assert.deepEqual(scans(text, true), winks(text, false), JSON.stringify(text));

test('the scan gives wink\'s raw tokens (lexemes, preceding spaces, contractions) on every WNUT-17 text', () => {
  const texts = [...readWnut17('wnut17train.conll'), ...readWnut17('emerging.dev.conll')];
  texts.forEach((text, index) => same(index % 3 === 0 ? `${text}  ${novelComment(index, 3, 6)}` : text));
});

test('the scan gives wink\'s raw tokens on any text, with every kind of space and line break', () => {
  const piece = fc.oneof(
    fc.constantFrom("can't,", '(hello)', '"Paris".', 'U.S.', '$5', '#tag!', '@bob:', 'http://x.co/a?b', ':-)', '...', 'e\u0301', '👍🏽', 'x'),
    fc.string({ unit: 'binary', maxLength: 5 }),
  );
  const gap = fc.constantFrom(' ', '  ', '\u00a0', ' \u00a0 ', '\u2003', '\u2009\u200a', '\u202f', '\u205f', '\t', '\n', '\r\n', ' \n ', '\n\n\t', '', '\u3000', '\v');
  const text = fc.array(fc.tuple(gap, piece), { maxLength: 12 }).map((parts) => parts.flat().join(''));
  fc.assert(fc.property(text, same), { numRuns: 3000, seed: -1178587955, endOnFailure: true, verbose: 2 });
});

test('the scan caps preceding spaces as wink does', () => {
  for (const spaces of [65533, 65534, 65535, 70000]) same(`a${' '.repeat(spaces)}b ${' '.repeat(spaces)}can't,`);
});
