/** The app with a store: the persistence seam as the HTTP layer sees it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { createRecognizer } from '../recognizer';
import { StorageUnavailableError, type EnrichedText, type ResultStore, type WriteReceipt } from '../storage/types';
import { buildApp } from './app';

/** An in-memory ResultStore that can be switched to "down". */
class MemoryStore implements ResultStore {
  readonly saves: EnrichedText[][] = [];
  down = false;
  async save(results: readonly EnrichedText[]): Promise<WriteReceipt> {
    if (this.down) throw new StorageUnavailableError('primary unreachable', 5);
    this.saves.push([...results]);
    return { consistencyToken: `0/${this.saves.length}` };
  }
  isReady(): boolean {
    return !this.down;
  }
  async close(): Promise<void> {}
}

function setup() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const store = new MemoryStore();
  const app = buildApp({ config: loadConfig({}), recognizer: createRecognizer(), store, logger: createLogger({ logLevel: 'info' }, sink) });
  return { app, store, lines };
}

test('a batch is saved in one call before the answer, which carries the consistency token', async () => {
  const { app, store } = setup();
  const response = await app.inject({ method: 'POST', url: '/', payload: { items: [{ text: 'at 5pm', request_id: 'a' }, { text: 'no entities' }] }, headers: { 'x-request-id': 'b' } });
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().consistency_token, '0/1');
  assert.equal(store.saves.length, 1);
  assert.deepEqual(store.saves[0], [
    { requestId: 'a', entities: [{ text: '5pm', label: 'TIME', start: 3, end: 6 }], modelVersion: createRecognizer().modelVersion, textLength: 6 },
    { requestId: 'b-1', entities: [], modelVersion: createRecognizer().modelVersion, textLength: 11 },
  ]);

  const single = await app.inject({ method: 'POST', url: '/', payload: { text: 'hi', request_id: 'c' } });
  assert.deepEqual([single.json().request_id, single.json().consistency_token], ['c', '0/2']);
});

test('storage down: 503 with Retry-After and a JSON error, readiness fails, logged at error', async () => {
  const { app, store, lines } = setup();
  store.down = true;
  const response = await app.inject({ method: 'POST', url: '/', payload: { text: 'hi', request_id: 'd' } });
  assert.equal(response.statusCode, 503);
  assert.equal(response.headers['retry-after'], '5');
  assert.deepEqual(response.json(), { error: 'storage unavailable, retry later', request_id: 'd' });
  const line = lines.find((entry) => entry.message === 'request completed' && entry.request_id === 'd');
  assert.equal(line?.['log.level'], 'error');
  assert.deepEqual(line?.error, { message: 'primary unreachable' });

  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.deepEqual(ready.json(), { error: 'storage unreachable' });
  store.down = false;
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
});

test('routes registered after buildApp (the storage reads) share the error, 405 and logging handling', async () => {
  const { app, lines } = setup();
  await app.register(async (reads) => {
    reads.get<{ Params: { id: string } }>('/entities/:id', async (request) => {
      if (request.params.id === 'boom') throw new Error('replica exploded');
      return { request_id: request.params.id };
    });
  });
  assert.deepEqual((await app.inject({ method: 'GET', url: '/entities/e1' })).json(), { request_id: 'e1' });
  const wrongMethod = await app.inject({ method: 'DELETE', url: '/entities/e1' });
  assert.equal(wrongMethod.statusCode, 405);
  assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
  const failed = await app.inject({ method: 'GET', url: '/entities/boom', headers: { 'x-request-id': 'r-boom' } });
  assert.deepEqual([failed.statusCode, failed.json()], [500, { error: 'internal error', request_id: 'r-boom' }]);
  const line = lines.find((entry) => entry.message === 'request completed' && entry.request_id === 'r-boom');
  assert.deepEqual([line?.['log.level'], line?.error, line?.url], ['error', { message: 'replica exploded' }, { path: '/entities/boom' }]);
});
