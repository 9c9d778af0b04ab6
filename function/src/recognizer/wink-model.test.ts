import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import packageModel from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import { EMPTY_AUTOMATON, readCoreModel, winkModel, winkModelFor } from './wink-model';

type Members = Record<string, unknown>;
const ours = winkModel as unknown as Members;
const theirs = packageModel as unknown as Members;

test("the core model is exactly the package's own, from one parse", () => {
  const core = readCoreModel();
  assert.ok(isDeepStrictEqual(core, (theirs.core as () => unknown)()), 'wink-eng-lite-web-model prepares its core model differently now');
  assert.notEqual(readCoreModel(), core, 'each wink instance gets a model of its own, as with the package');
});

test("the model has the package's members, and each loader gives the package's model", () => {
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
  assert.deepEqual(Object.keys(ours.addons as object).sort(), Object.keys(theirs.addons as object).sort());
  // Not metaCER: the package's own loader re-stringifies its module state on every call.
  for (const name of ['sbd', 'pos', 'ner', 'negation', 'sa']) {
    assert.ok(isDeepStrictEqual((ours[name] as () => unknown)(), (theirs[name] as () => unknown)()), name);
  }
  assert.equal(ours.featureFn, theirs.featureFn);
  assert.equal((ours.addons as Members).wordVectors, undefined);
});

test("wink's full default pipe gives the same annotations and addon results with either model", () => {
  const text = 'The kids were running faster than @bob on 3rd May :) but Apple\'s shares fell 5% in New York.';
  const read = (model: typeof packageModel) => {
    const nlp = winkNLP(model);
    const doc = nlp.readDoc(text);
    const { its } = nlp;
    return {
      tokens: [its.value, its.pos, its.lemma, its.stem, its.type, its.shape, its.negationFlag].map((f) => doc.tokens().out(f as typeof its.value)),
      entities: doc.entities().out(its.detail),
      sentences: doc.sentences().out(its.sentiment),
      readability: doc.out(its.readabilityStats),
    };
  };
  assert.deepEqual(read(winkModel), read(packageModel));
});

test("an empty automaton is wink-nlp's own", () => {
  const automaton = require('wink-nlp/src/automaton.js') as () => { emptyModelJSON(): string };
  assert.equal(EMPTY_AUTOMATON, automaton().emptyModelJSON());
});

test('a pipe gets the loaders of its annotations; those it leaves out give wink an automaton that is never run', () => {
  const ner = winkModelFor(['ner']) as unknown as Members;
  for (const name of ['sbd', 'negation', 'sa', 'pos']) {
    assert.deepEqual((ner[name] as () => unknown)(), { machines: [EMPTY_AUTOMATON], transformers: [] }, name);
  }
  for (const name of ['core', 'ner', 'metaCER', 'featureFn', 'addons']) assert.equal(ner[name], ours[name], name);
  const full = winkModelFor(['sbd', 'negation', 'sentiment', 'pos', 'ner', 'cer']) as unknown as Members;
  for (const name of Object.keys(ours)) assert.equal(full[name], ours[name], name);
});

test("the ner pipe reads the same tokens and entities with its own model as with the package's", () => {
  const texts = [
    "Not bad :) but @bob won't pay $20 on 3rd May at 5pm, 20% off https://x.co #deal",
    'The kids were running faster than Apple\'s shares fell in New York. Wow!!! 😀👍🏽',
    "i can't believe it's not butter ... email me at a@b.com or call 555-1234",
  ];
  const read = (model: typeof packageModel) => {
    const nlp = winkNLP(model, ['ner']);
    const { its } = nlp;
    return texts.map((text) => {
      const doc = nlp.readDoc(text);
      return {
        tokens: [its.value, its.normal, its.type, its.shape, its.pos, its.precedingSpaces].map((f) => doc.tokens().out(f as typeof its.value)),
        entities: doc.entities().out(its.detail),
      };
    });
  };
  assert.deepEqual(read(winkModelFor(['ner'])), read(packageModel));
});
