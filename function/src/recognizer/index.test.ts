import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeRecognizers, createRecognizer, loadWink } from './index';
import type { Entity, Recognizer } from './types';

const fixed = (modelVersion: string, entities: Entity[]): Recognizer => ({ modelVersion, recognize: () => entities });

test('the default pipeline is the shared wink stage', () => {
  const recognizer = createRecognizer();
  assert.equal(recognizer.modelVersion, loadWink().version);
  assert.equal(loadWink(), loadWink(), 'one wink instance per process');
  assert.deepEqual(recognizer.recognize('at 5pm'), [{ text: '5pm', label: 'TIME', start: 3, end: 6 }]);
});

test('composed stages merge in text order; the earlier stage wins an overlap', () => {
  const first = fixed('a@1', [{ text: '5pm', label: 'TIME', start: 20, end: 23 }]);
  const second = fixed('b@2', [
    { text: 'Ann', label: 'PERSON', start: 0, end: 3 },
    { text: '5pm Tuesday', label: 'DATE', start: 20, end: 31 },
  ]);
  const composed = composeRecognizers([first, second]);
  assert.equal(composed.modelVersion, 'a@1 + b@2');
  assert.deepEqual(composed.recognize('ignored').map((entity) => entity.label), ['PERSON', 'TIME']);
});
