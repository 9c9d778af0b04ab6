import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import packageModel from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import { readCoreModel, winkModel } from './wink-model';

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
