/** WORKERS > 1: several server processes share the port under one supervising process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startFailing, startServer, type RunningServer } from './server';

/** One POST on a connection of its own, so the primary hands each to the next worker. */
function post(server: RunningServer, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ text });
    const request = http.request(server.url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const pidsOf = (server: RunningServer, message: string): Set<unknown> =>
  new Set(server.logs.filter((line) => line.message === message).map((line) => line['process.pid']));

test('two workers share the port and the requests; SIGTERM drains both and exits 0', async () => {
  const server = await startServer({ WORKERS: '2' });
  const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => post(server, `Obama visited Paris, comment ${i}`)));
  assert.deepEqual(new Set(statuses), new Set([200]));
  await server.waitForLog(() => server.logs.filter((line) => line.message === 'request completed').length === 40);
  const workers = pidsOf(server, 'ner-processor ready');
  assert.equal(workers.size, 2);
  assert.deepEqual(pidsOf(server, 'request completed'), workers, 'both workers served requests');
  assert.ok(!workers.has(server.process.pid), 'the supervising process serves nothing');

  assert.equal(await server.stop('SIGTERM'), 0);
  assert.deepEqual(pidsOf(server, 'shut down cleanly'), workers);
});

test('a worker that dies is replaced and the port keeps answering', async () => {
  const server = await startServer({ WORKERS: '2' });
  try {
    // The port answers once one worker listens; the other may not have logged yet.
    await server.waitForLog(() => pidsOf(server, 'ner-processor ready').size === 2);
    const [victim] = [...pidsOf(server, 'ner-processor ready')] as number[];
    process.kill(victim!, 'SIGKILL');
    await server.waitForLog((line) => line.message === 'worker died; starting another' && line.worker_pid === victim);
    await server.waitForLog(() => pidsOf(server, 'ner-processor ready').size === 3);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => post(server, 'still here')));
    assert.deepEqual(new Set(statuses), new Set([200]));
  } finally {
    assert.equal(await server.stop('SIGTERM'), 0);
  }
});

test('workers that cannot start stop the whole process with exit 1, not a fork loop', async () => {
  const { code, logs } = await startFailing({ PERSISTENCE: 'off', WORKERS: '2', NER_MODEL_PATH: '/nonexistent/model.json' });
  assert.equal(code, 1);
  assert.ok(logs.some((line) => line.message === 'a worker failed to start; stopping'));
  assert.ok(logs.filter((line) => line.message === 'start-up failed').length <= 2, 'no worker was started again');
});

test('WORKERS must be a whole number from 1 to 64', async () => {
  const { code, logs } = await startFailing({ PERSISTENCE: 'off', WORKERS: '0' });
  assert.equal(code, 1);
  assert.match(String(logs.at(-1)?.message), /WORKERS/);
});
