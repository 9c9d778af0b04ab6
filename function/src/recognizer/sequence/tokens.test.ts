import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWink } from './nlp';
import { locate, readTokens } from './tokens';

const nlp = createWink();

test('token offsets index the raw text, also past emoji, CJK and combining marks', () => {
  const text = '👍🏽 Zoë (e\u0301) met 東京 fans @ Café Noir!! can\'t wait 🇫🇷 #Paris2024';
  const view = readTokens(nlp.readDoc(text), nlp.its, text);
  assert.ok(view.values.length > 10);
  view.values.forEach((value, i) => {
    assert.equal(text.slice(view.starts[i], view.ends[i]), value, `token ${i}`);
    if (i > 0) assert.ok(view.starts[i]! >= view.ends[i - 1]!, 'tokens are in order');
  });
  assert.equal(view.types.length, view.values.length);
  assert.equal(view.pos.length, view.values.length);
});

test('a value missing from the text gets an empty span at the cursor', () => {
  assert.deepEqual(locate(['ab', 'zz', 'cd'], 'ab cd'), { starts: [0, 2, 3], ends: [2, 2, 5] });
});
