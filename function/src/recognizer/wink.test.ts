import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createWinkRecognizer, loadWink, tokenBounds } from './wink';
import { ENTITY_LABELS } from './types';

const recognizer = createWinkRecognizer(loadWink());

test('every wink entity type maps to its contract label', () => {
  const text = 'On 3rd March 2024 at 5pm for 2 hours I paid $50, 20% more, one hundred times, ' +
    'first! 😀 :) #tbt @bob http://x.com a@b.com';
  assert.deepEqual(
    recognizer.recognize(text).map((entity) => [entity.label, entity.text]),
    [
      ['DATE', '3rd March 2024'], ['TIME', '5pm'], ['DURATION', '2 hours'], ['MONEY', '$50'], ['PERCENT', '20%'],
      ['CARDINAL', 'one hundred'], ['ORDINAL', 'first'], ['EMOJI', '😀'], ['EMOTICON', ':)'], ['HASHTAG', '#tbt'],
      ['MENTION', '@bob'], ['URL', 'http://x.com'], ['EMAIL', 'a@b.com'],
    ],
  );
});

test('offsets count UTF-16 code units, like String.prototype.slice', () => {
  const text = '😀😀 東京 e\u0301\u0301 $50';
  assert.deepEqual(recognizer.recognize(text).find((entity) => entity.label === 'MONEY'), {
    text: '$50', label: 'MONEY', start: text.length - 3, end: text.length,
  });
});

test('tokenBounds refuses a token that is not where wink says', () => {
  assert.deepEqual(tokenBounds(' a  bc', ['a', 'bc'], 1), { starts: [1, 4], ends: [2, 6] });
  assert.throws(() => tokenBounds('a x b', ['a', 'b'], 1), /token 1/);
  assert.throws(() => tokenBounds('a,b', ['a', 'b'], 1), /token 1/, 'a one-character gap that is not a space');
  assert.deepEqual(tokenBounds('a\u00a0b', ['a', 'b'], 1), { starts: [0, 2], ends: [1, 3] }, 'any whitespace may separate tokens');
});

const piece = fc.oneof(
  fc.constantFrom('$50', '5pm', '3rd', 'March', '20%', '#tag', '@bob', 'http://x.com/a', 'a@b.com', ':)', "can't", 'gonna',
    '👍🏽', '👨‍👩‍👧', '🇺🇸', 'e\u0301', '東京', '\u00a0', '\t', '\r\n', '\u2003', '\u200b', 'two hours', 'U.S.', '\ud800'),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const comment = fc.array(piece, { maxLength: 12 }).chain((pieces) =>
  fc.array(fc.constantFrom('', ' ', '  ', '\n'), { minLength: pieces.length, maxLength: pieces.length })
    .map((gaps) => pieces.map((text, index) => gaps[index] + text).join('')));

test('for any text, every entity is text.slice(start, end) with a contract label, in order', () => {
  fc.assert(
    fc.property(comment, (text) => {
      let previousEnd = 0;
      for (const entity of recognizer.recognize(text)) {
        assert.equal(text.slice(entity.start, entity.end), entity.text);
        assert.ok(ENTITY_LABELS.includes(entity.label));
        assert.ok(entity.start >= previousEnd && entity.end > entity.start);
        previousEnd = entity.end;
      }
    }),
    { numRuns: 3000 },
  );
});

test('an emoji is one entity however many code points wink splits it into', () => {
  const emoji = (text: string): string[] => recognizer.recognize(text).filter((entity) => entity.label === 'EMOJI').map((entity) => entity.text);
  assert.deepEqual(emoji('nice 👍🏽 job'), ['👍🏽']);
  assert.deepEqual(emoji('family 👨‍👩‍👧 here'), ['👨‍👩‍👧']);
  assert.deepEqual(emoji('flag 🇺🇸 ok'), ['🇺🇸']);
  assert.deepEqual(emoji('heart ❤️ yes'), ['❤️']);
  assert.deepEqual(emoji('wave 👋🏿👋 two'), ['👋🏿', '👋']);
  assert.deepEqual(emoji('kiss 👩🏽‍❤️‍💋‍👨🏿 x'), ['👩🏽‍❤️‍💋‍👨🏿']);
  assert.deepEqual(emoji('😀😀'), ['😀', '😀']);
});
