import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novelComment, readWnut17 } from '../../../../bench/wnut17';
import { BUNDLED_NER_MODEL_PATH } from '../../paths';
import { createWinkEngine } from '../wink';
import { caseClass, DEFAULT_FEATURE_CONFIG, FeatureExtractor, featureKey, normalizeWord, shapeOf, Template, type GroupedFeatures, type TokenFeatures } from './features';
import { Gazetteer } from './gazetteer';
import { TAGS } from './labels';
import { loadModel } from './model';
import { WordClusters } from './word-clusters';
import { tokensOf, type TokenView } from './tokens';
import { BEFORE, Vocabulary } from './vocabulary';

function view(values: string[], types = values.map(() => 'word'), pos = values.map(() => 'PROPN')): TokenView {
  // a one-word lexicon: only "the" is known
  return { values, types, pos, starts: values.map(() => 0), ends: values.map(() => 0), isKnown: (word) => word === 'the' };
}

test('case classes cover ASCII and non-ASCII letters', () => {
  assert.equal(caseClass('Paris'), 'T');
  assert.equal(caseClass('Émile'), 'T');
  assert.equal(caseClass('NASA'), 'U');
  assert.equal(caseClass('I'), 'T');
  assert.equal(caseClass('iPhone'), 'M');
  assert.equal(caseClass('café'), 'L');
  assert.equal(caseClass('2020'), 'N');
  assert.equal(caseClass('🙂'), 'N');
});

test('shapes fold long runs and keep digits and symbols', () => {
  assert.equal(shapeOf('iPhone11'), 'xXxxdd');
  assert.equal(shapeOf('Ñandú'), 'Xxx');
  assert.equal(shapeOf('#NYC'), '#XX');
  assert.equal(normalizeWord('iPhone11'), 'iphone00');
});

test('feature keys are 30-bit integers that tell templates and values apart', () => {
  const keys = new Set<number>();
  for (let template = 1; template < 25; template += 1) {
    for (let a = 0; a < 200; a += 1) for (const b of [0, 1, 7]) keys.add(featureKey(template, a, b));
  }
  assert.equal(keys.size, 24 * 200 * 3, 'no collisions on a dense grid of small ids');
  for (const key of keys) assert.ok(Number.isInteger(key) && key >= 0 && key < 2 ** 30);
});

function perToken({ intrinsic, keys, offsets }: TokenFeatures): number[][] {
  return Array.from({ length: offsets.length - 1 }, (_, i) => [...intrinsic[i]!, ...keys.subarray(offsets[i], offsets[i + 1])]);
}

function extractor(config = DEFAULT_FEATURE_CONFIG, gazetteer = new Gazetteer({}), clusters?: WordClusters) {
  const vocabulary = new Vocabulary([], true);
  return { vocabulary, features: new FeatureExtractor(config, vocabulary, gazetteer, clusters) };
}

test('features see the word, its context window and padding at the edges', () => {
  const { vocabulary, features } = extractor();
  const [first, second] = perToken(features.extract(view(['Hello', 'World'])));
  const hello = vocabulary.id('hello');
  const world = vocabulary.id('world');
  assert.ok(first!.includes(featureKey(Template.Word, hello)));
  assert.ok(first!.includes(featureKey(Template.WordAt, -1, BEFORE)));
  assert.ok(first!.includes(featureKey(Template.WordAt, 1, world)));
  assert.ok(!second!.includes(featureKey(Template.BigramBefore, hello, world)), 'bigrams are off by default');
  const { vocabulary: v2, features: all } = extractor({ ...DEFAULT_FEATURE_CONFIG, pos: true, bigrams: true });
  const [, withBigram] = perToken(all.extract(view(['Hello', 'World'])));
  assert.ok(withBigram!.includes(featureKey(Template.BigramBefore, v2.id('hello'), v2.id('world'))));
  assert.ok(withBigram!.includes(featureKey(Template.Pos, v2.id('PROPN'))));
  assert.notDeepEqual([...first!].sort(), [...second!].sort());
});

test('the same tokens give the same features, and configuration switches families off', () => {
  const { features } = extractor();
  const tokens = view(['Ask', 'Zoë', 'about', 'Paris']);
  assert.deepEqual(features.extract(tokens), features.extract(tokens));
  const small = extractor({ window: 1, pos: false, affixes: 1, bigrams: false, lexicon: false, layout: false });
  assert.throws(() => extractor({ ...DEFAULT_FEATURE_CONFIG, window: 9 }), /window/);
  const full = perToken(features.extract(tokens))[1]!.length;
  assert.ok(perToken(small.features.extract(tokens))[1]!.length < full - 3);
});

test('a frozen vocabulary maps unseen strings to one unknown id', () => {
  const vocabulary = new Vocabulary(['paris']);
  assert.equal(vocabulary.id('paris'), 3);
  assert.equal(vocabulary.id('lyon'), 0);
  assert.deepEqual(vocabulary.entries, ['paris']);
});

test('gazetteer hits add features, and only on the matched tokens', () => {
  const gazetteer = new Gazetteer({ city: ['new york'], first: ['john'] });
  const { features } = extractor(DEFAULT_FEATURE_CONFIG, gazetteer);
  const plain = perToken(extractor().features.extract(view(['John', 'loves', 'New', 'York'])));
  const withLists = perToken(features.extract(view(['John', 'loves', 'New', 'York'])));
  assert.equal(withLists[0]!.length, plain[0]!.length + 2);
  assert.equal(withLists[1]!.length, plain[1]!.length);
  assert.equal(withLists[2]!.length, plain[2]!.length + 2);
  assert.equal(withLists[3]!.length, plain[3]!.length + 2);
});

test('word clusters add each level\'s cluster of the lower-cased word, and "none" for an unlisted word', () => {
  const clusters = new WordClusters({ levels: [2, 8], words: ['lyon', 'paris'], ids: [1, 6, 1, 5] });
  const config = { ...DEFAULT_FEATURE_CONFIG, clusters: true };
  const [paris, zork] = perToken(extractor(config, new Gazetteer({}), clusters).features.extract(view(['Paris', 'Zork'])));
  const plain = perToken(extractor().features.extract(view(['Paris', 'Zork'])));
  assert.deepEqual(paris!.filter((key) => !plain[0]!.includes(key)), [featureKey(Template.Cluster, 0, 2), featureKey(Template.Cluster, 1, 6)]);
  assert.deepEqual(zork!.filter((key) => !plain[1]!.includes(key)), [featureKey(Template.Cluster, 0, 0), featureKey(Template.Cluster, 1, 0)]);
  assert.throws(() => extractor(config), /uses word clusters, and none were given/);
});

test('hashtags and mentions also get their bare word', () => {
  const { vocabulary, features } = extractor();
  const [tag] = perToken(features.extract(view(['#Obama'], ['hashtag'])));
  assert.ok(tag!.includes(featureKey(Template.Bare, vocabulary.id('obama'))));
});

test('lexicon and layout features tell a capitalized unknown word from a capitalized known one', () => {
  const { vocabulary, features } = extractor();
  const [known, unknown] = perToken(features.extract(view(['The', 'Zork'])));
  // lexicon here: only "the" is known
  const capitalizedKnown = featureKey(Template.Lexicon, 1 * 8 + 3, 1);
  const capitalizedUnknown = featureKey(Template.Lexicon, 0 * 8 + 3, 0);
  assert.ok(known!.includes(capitalizedKnown));
  assert.ok(unknown!.includes(capitalizedUnknown));
  assert.ok(vocabulary.entries.includes('zork'));
});

test('the text case profile and capital runs change with the whole text', () => {
  const { features } = extractor();
  const shouting = perToken(features.extract(view(['WE', 'LOVE', 'NEW', 'YORK'])));
  const prose = perToken(features.extract(view(['we', 'love', 'New', 'York'])));
  const lower = perToken(features.extract(view(['we', 'love', 'new', 'york'])));
  const textCase = (profile: number, caseIndex: number) => featureKey(Template.TextCase, profile, caseIndex);
  assert.ok(shouting[2]!.includes(textCase(2, 2)), 'mostly capitals');
  assert.ok(prose[2]!.includes(textCase(1, 3)), 'ordinary prose');
  assert.ok(lower[2]!.includes(textCase(0, 1)), 'all lower case');
  // "New York" is a capital run of two: New begins it (2 * 4 + 1), York ends it (2 * 4 + 2)
  assert.ok(prose[2]!.includes(featureKey(Template.CapitalRun, 9, 1)));
  assert.ok(prose[3]!.includes(featureKey(Template.CapitalRun, 10, 1)));
  const titles = perToken(features.extract(view(['saw', 'Lord', 'of', 'the', 'Rings', 'and', 'cried'])));
  assert.ok(titles[3]!.includes(featureKey(Template.CapitalRun, 4 * 4, 0)), 'connectors inside a title run');
  assert.ok(titles[4]!.includes(featureKey(Template.CapitalRun, 4 * 4 + 2, 1)));
  assert.ok(!titles[5]!.some((key) => [16, 17, 18, 19].some((size) => key === featureKey(Template.CapitalRun, size, 0))), 'a trailing "and" is outside');
});

test('a token text\'s own keys are one shared array, so scorers can cache their sum', () => {
  const { features } = extractor();
  const first = features.extract(view(['Paris', 'is', 'Paris']));
  const again = features.extract(view(['Paris']));
  assert.equal(first.intrinsic[0], first.intrinsic[2]);
  assert.equal(first.intrinsic[0], again.intrinsic[0]);
  assert.notEqual(first.intrinsic[0], first.intrinsic[1]);
});

/** The bundled model, and an extractor scoring with it as the function serves. */
const bundled = loadModel(BUNDLED_NER_MODEL_PATH);
const servedExtractor = () => new FeatureExtractor(bundled.header.featureConfig, bundled.vocabulary, bundled.gazetteer, bundled.wordClusters,
  (keys, ends, into, at) => bundled.scoreGroups(keys, ends, into, at));
/** Each token's text's group scores, as one string per token. */
function scoresPerToken({ scores, textAt }: GroupedFeatures): string[] {
  const size = (2 * bundled.header.featureConfig.window + 2) * TAGS.length;
  return [...textAt].map((at) => scores.subarray(at, at + size).join());
}

test('token facts found by wink lexeme index equal those found by text, across lexicon trims', () => {
  // A bound of 50 novel lexemes trims every few comments, so novel indices are reused for other words.
  const engine = createWinkEngine(50);
  const [byLexeme, byText] = [servedExtractor(), servedExtractor()];
  readWnut17('emerging.dev.conll').slice(0, 300).forEach((comment, index) => {
    const text = `${comment} ${novelComment(index * 5, 5, 7)}`;
    const view = tokensOf(engine.read(text), text);
    assert.ok(view.lexemes !== undefined);
    assert.deepEqual(scoresPerToken(byLexeme.extractGrouped(view)), scoresPerToken(byText.extractGrouped({ ...view, lexemes: undefined })), text);
  });
  assert.ok(engine.bound.trimCount() > 10, `trimmed ${engine.bound.trimCount()} times`);
});

test('texts are forgotten when the cache is full, with their scores, and score the same when seen again', () => {
  const features = servedExtractor();
  const words = Array.from({ length: 45_000 }, (_, i) => `Zq${i.toString(36)}`);
  const first = scoresPerToken(features.extractGrouped(view(words.slice(0, 50))));
  let largest = 0;
  for (let i = 0; i < words.length; i += 50) largest = Math.max(largest, features.extractGrouped(view(words.slice(i, i + 50))).scores.length);
  // At most the 20,000 cached texts (and one comment past them), doubled by growth; 45,000 kept would need more.
  const rowsPerText = (2 * bundled.header.featureConfig.window + 2) * TAGS.length;
  assert.ok(largest <= 2 * (20_000 + 50) * rowsPerText, `${largest} scores`);
  assert.deepEqual(scoresPerToken(features.extractGrouped(view(words.slice(0, 50)))), first);
  assert.deepEqual(scoresPerToken(servedExtractor().extractGrouped(view(words.slice(0, 50)))), first);
});
