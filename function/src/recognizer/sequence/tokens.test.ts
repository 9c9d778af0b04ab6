import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWink } from '../wink';
import { readTokens } from './tokens';

const { nlp } = loadWink();

test('token offsets index the raw text, also past emoji, CJK and combining marks', () => {
  const text = '👍🏽 Zoë (e\u0301) met 東京 fans @ Café Noir!! can\'t wait 🇫🇷 #Paris2024';
  const view = readTokens(nlp.readDoc(text), nlp.its, text, false);
  assert.ok(view.values.length > 10);
  view.values.forEach((value, i) => {
    assert.equal(text.slice(view.starts[i], view.ends[i]), value, `token ${i}`);
    if (i > 0) assert.ok(view.starts[i]! >= view.ends[i - 1]!, 'tokens are in order');
  });
  assert.equal(view.types.length, view.values.length);
  assert.deepEqual(view.pos, [], 'part of speech is read only when the model uses it');
});

test('empty text has no tokens', () => {
  assert.deepEqual(readTokens(nlp.readDoc(''), nlp.its, '', false).values, []);
});
