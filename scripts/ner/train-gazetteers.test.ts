import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWink } from '../../function/src/recognizer/wink';
import { parseConll } from './conll';
import { trainingGazetteers, TRAINING_LISTS } from './train-gazetteers';

const examples = parseConll([
  'I\tO\nmet\tO\nTaylor\tB-person\nSwift\tI-person\nin\tO\nNew\tB-location\nYork\tI-location\n',
  'taylor\tB-person\nswift\tI-person\nagain\tO\n',
  'Swift\tB-product\nis\tO\na\tO\nlanguage\tO\n',
].join('\n'));

test('every gold span is listed under its type, as wink tokens lower-cased, once', () => {
  const lists = trainingGazetteers(examples, loadWink().nlp);
  assert.deepEqual(Object.keys(lists), TRAINING_LISTS);
  assert.deepEqual(lists['train-person'], ['taylor swift']);
  assert.deepEqual(lists['train-location'], ['new york']);
  assert.deepEqual(lists['train-product'], ['swift']);
  assert.deepEqual(lists['train-group'], []);
});

test('only the given texts are read', () => {
  const lists = trainingGazetteers(examples.slice(2), loadWink().nlp);
  assert.deepEqual(lists['train-person'], []);
  assert.deepEqual(lists['train-product'], ['swift']);
});
