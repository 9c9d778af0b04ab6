import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beginTag, OUTSIDE } from '../../function/src/recognizer/sequence/labels';
import { lowerCased, parseConll, spansToTags } from './conll';

const sample = 'Empire\tB-location\nState\tI-location\nis\tO\ntall\tO\n\nSee\tO\nStar\tB-creative-work\nWars\tI-creative-work\nby\tO\nLucas\tB-person\n';

test('CoNLL blocks become joined texts with character spans of every type', () => {
  const examples = parseConll(sample);
  assert.equal(examples.length, 2);
  assert.equal(examples[0]!.text, 'Empire State is tall');
  assert.deepEqual(examples[0]!.spans, [{ type: 'location', start: 0, end: 12 }]);
  const [work, person] = examples[1]!.spans;
  assert.equal(examples[1]!.text.slice(work!.start, work!.end), 'Star Wars');
  assert.equal(work!.type, 'creative-work');
  assert.equal(examples[1]!.text.slice(person!.start, person!.end), 'Lucas');
});

test('an I tag of another type starts a new span', () => {
  const [example] = parseConll('a\tB-person\nb\tI-group\n');
  assert.deepEqual(example!.spans.map((span) => span.type), ['person', 'group']);
});

test('gold spans project onto other tokenizations, widening to whole tokens', () => {
  // text "New York's" with tokens New | York | 's and a gold span on "New York"
  const tags = spansToTags([{ type: 'location', start: 0, end: 8 }], [0, 4, 8], [3, 8, 10]);
  assert.deepEqual(tags, [beginTag(1), beginTag(1) + 1, OUTSIDE]);
  // a span ending inside a token takes the whole token
  assert.deepEqual(spansToTags([{ type: 'person', start: 0, end: 3 }], [0], [5]), [beginTag(0)]);
});

test('a lower-cased copy keeps its gold spans on the same words', () => {
  const [example] = parseConll(sample);
  const copy = lowerCased(example!)!;
  assert.equal(copy.text, 'empire state is tall');
  assert.deepEqual(copy.spans, example!.spans);
  assert.equal(copy.text.slice(copy.spans[0]!.start, copy.spans[0]!.end), 'empire state');
});

test('no lower-cased copy when it would change nothing or move the spans', () => {
  assert.equal(lowerCased({ text: 'all lower case', spans: [] }), undefined);
  // "İ" lower-cases to two characters: the spans after it would point at the wrong letters
  assert.equal(lowerCased({ text: 'İstanbul Paris', spans: [{ type: 'location', start: 9, end: 14 }] }), undefined);
});
