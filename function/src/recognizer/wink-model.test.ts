import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import packageModel from 'wink-eng-lite-web-model';
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
  for (const name of ['stem', 'lemmatize', 'readabilityStats', 'wordVectors']) {
    assert.equal((ours.addons as Members)[name], (theirs.addons as Members)[name], name);
  }
});
