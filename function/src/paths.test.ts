import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BUNDLED_NER_MODEL_PATH, FUNCTION_DIR, MIGRATIONS_DIR } from './paths';

test('the function folder holds the model and the migrations', () => {
  assert.ok(existsSync(path.join(FUNCTION_DIR, 'package.json')));
  assert.ok(existsSync(BUNDLED_NER_MODEL_PATH), BUNDLED_NER_MODEL_PATH);
  assert.ok(readdirSync(MIGRATIONS_DIR).some((name) => name.endsWith('.sql')), MIGRATIONS_DIR);
});
