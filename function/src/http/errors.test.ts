import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyError } from 'fastify';
import { StorageUnavailableError } from '../storage/types';
import { describeError, fieldName } from './errors';

test('ajv paths read as field names', () => {
  assert.equal(fieldName(''), '');
  assert.equal(fieldName('/text'), 'text');
  assert.equal(fieldName('/items/12/request_id'), 'items[12].request_id');
});

test('storage outages are 503 with Retry-After', () => {
  const reply = describeError(new StorageUnavailableError('primary down', 7) as unknown as FastifyError, {});
  assert.deepEqual(reply, { statusCode: 503, message: 'storage unavailable, retry later', headers: { 'retry-after': '7' } });
});

test('unexpected errors are a 500 that does not leak internals; client errors keep their status', () => {
  assert.deepEqual(describeError(new Error('db password wrong') as FastifyError, {}), { statusCode: 500, message: 'internal error' });
  const client = Object.assign(new Error('bad header'), { statusCode: 431 }) as FastifyError;
  assert.deepEqual(describeError(client, {}), { statusCode: 431, message: 'bad header' });
});
