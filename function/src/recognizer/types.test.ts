import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTITY_LABELS } from './types';

test('entity labels are unique upper-case names', () => {
  assert.equal(new Set(ENTITY_LABELS).size, ENTITY_LABELS.length);
  for (const label of ENTITY_LABELS) assert.match(label, /^[A-Z_]+$/);
});
