import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { WinkMethods } from 'wink-nlp';
import { novelComment, readWnut17 } from '../../../bench/wnut17';
import { createWinkEngine, loadWink, type WinkEngine } from './wink';

/** What readDoc gives for `text`, in the reader's shape. */
function viaReadDoc(engine: WinkEngine, text: string) {
  const { its } = engine.nlp as WinkMethods;
  const doc = engine.readDoc(text);
  const entities = doc.entities();
  const spans = entities.out(its.span) as unknown as [number, number][];
  const types = entities.out(its.type) as string[];
  return {
    values: doc.tokens().out() as string[],
    types: doc.tokens().out(its.type) as string[],
    entities: spans.map(([first, last], i) => [first, last, types[i]]),
  };
}

function viaReader(engine: WinkEngine, text: string) {
  const { values, types, entities } = engine.read(text);
  return { values, types, entities: entities.map((entity) => [...entity]) };
}

const wink = loadWink();

test('the reader gives readDoc\'s tokens, types and entities on every WNUT-17 text', () => {
  // Two instances with the same history, as wink's tokenizer consults the lexicon it has grown.
  const [reading, documents] = [createWinkEngine(), createWinkEngine()];
  const texts = [...readWnut17('wnut17train.conll'), ...readWnut17('emerging.dev.conll')];
  let entities = 0;
  for (const text of texts) {
    const expected = viaReadDoc(documents, text);
    assert.deepEqual(viaReader(reading, text), expected, text);
    entities += expected.entities.length;
  }
  assert.ok(entities > 3000, `${entities} wink entities compared`);
});

test('the reader gives readDoc\'s tokens, types and entities on any text', () => {
  const piece = fc.oneof(
    fc.constantFrom('$50', '5pm', '3rd', 'March', '20%', '#tag', '@bob', 'http://x.com/a', 'a@b.com', ':)', "can't", "I'll", 'gonna',
      '12/25/2024', '10:30', '1,200.50', 'two hours', 'U.S.', '👍🏽', '👨‍👩‍👧', 'e\u0301', '東京', '\u00a0', '\t', '\r\n', '\n\n', '\u2003', '\ud800'),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  );
  const text = fc.array(piece, { maxLength: 14 }).map((pieces) => pieces.join(' '));
  fc.assert(fc.property(text, (comment) => assert.deepEqual(viaReader(wink, comment), viaReadDoc(wink, comment))), { numRuns: 3000 });
});

test('reads stay equal across lexicon trims (the reader uses the bound\'s live cache)', () => {
  const engine = createWinkEngine(50);
  const texts = readWnut17('emerging.dev.conll').slice(0, 300);
  texts.forEach((text, index) => {
    const noisy = `${text} ${novelComment(index * 5, 5, 7)}`;
    assert.deepEqual(viaReader(engine, noisy), viaReadDoc(wink, noisy), noisy);
  });
  assert.ok(engine.bound.trimCount() > 10, `trimmed ${engine.bound.trimCount()} times`);
});
