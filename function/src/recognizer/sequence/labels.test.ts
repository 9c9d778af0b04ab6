import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTITY_TYPES, toEntityLabel, toWnutType, TAGS } from './labels';

test('the tag set is O plus B/I for each WNUT type', () => {
  assert.equal(TAGS.length, 1 + 2 * ENTITY_TYPES.length);
  assert.equal(TAGS[1], 'B-person');
  assert.equal(TAGS[2], 'I-person');
});

test('every WNUT type maps to a service label and back', () => {
  for (const type of ENTITY_TYPES) {
    assert.equal(toWnutType(toEntityLabel(type, false)), type);
    assert.equal(toWnutType(toEntityLabel(type, true)), type);
  }
  assert.equal(toEntityLabel('location', true), 'GPE');
  assert.equal(toEntityLabel('location', false), 'LOC');
  assert.equal(toWnutType('URL'), undefined);
});
