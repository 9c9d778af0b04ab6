import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novelComment, readWnut17 } from '../../../bench/wnut17';
import { createWinkEngine, createWinkRecognizer, loadWink } from './wink';

function boundedRecognizer(maxNovelLexemes: number) {
  const wink = createWinkEngine(maxNovelLexemes);
  return { bound: wink.bound, recognizer: createWinkRecognizer(wink) };
}

test('novel tokens no longer accumulate: the lexicon is trimmed back once over the bound', () => {
  const { bound, recognizer } = boundedRecognizer(5000);
  let mostNovel = 0;
  for (let first = 0; first < 120_000; first += 20) {
    recognizer.recognize(novelComment(first, 20));
    mostNovel = Math.max(mostNovel, bound.novelEntries().lexeme!);
  }
  assert.ok(bound.trimCount() >= 20, `trimmed ${bound.trimCount()} times`);
  // The bound plus one document's tokens (each word and, here, no separate lower-case form).
  assert.ok(mostNovel <= 5000 + 20, `at most ${mostNovel} novel lexemes at once`);
});

test('results are identical with constant trimming and without', () => {
  const texts = readWnut17('emerging.dev.conll');
  const { bound, recognizer: trimming } = boundedRecognizer(50);
  const reference = createWinkRecognizer(loadWink());
  texts.forEach((text, index) => {
    // Novel words between the comments force a trim every few documents.
    const noisy = `${text} ${novelComment(index * 5, 5, 7)}`;
    assert.deepEqual(trimming.recognize(noisy), reference.recognize(noisy), noisy);
    assert.deepEqual(trimming.recognize(text), reference.recognize(text), text);
  });
  assert.ok(bound.trimCount() > texts.length / 20, `trimmed ${bound.trimCount()} times`);
});
