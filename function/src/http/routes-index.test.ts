import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RouteIndex } from './routes-index';

test('allowed methods match static and parametric paths', () => {
  const routes = new RouteIndex();
  routes.add('/', 'POST');
  routes.add('/healthz', ['GET', 'HEAD']);
  routes.add('/entities/:request_id', 'GET');
  assert.deepEqual(routes.allowedMethods('/'), ['POST']);
  assert.deepEqual(routes.allowedMethods('/healthz/'), ['GET', 'HEAD']);
  assert.deepEqual(routes.allowedMethods('/entities/abc-1'), ['GET']);
  assert.deepEqual(routes.allowedMethods('/entities/'), []);
  assert.deepEqual(routes.allowedMethods('/entities/a/b'), []);
  assert.deepEqual(routes.allowedMethods('/healthzz'), []);
});
