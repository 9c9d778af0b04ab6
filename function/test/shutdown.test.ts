/** SIGTERM: stop accepting, finish what is in flight, exit 0 (or 1 when the drain overruns). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, type RunningServer } from './server';

/** Sends the headers and half the body, and waits until the server has seen the request. */
async function halfSentRequest(server: RunningServer, requestId: string, body: string) {
  const request = http.request(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, body.length / 2));
  await server.waitForLog((line) => line.message === 'request received' && line.request_id === requestId);
  return { response, finish: () => request.end(body.slice(body.length / 2)) };
}

test('SIGTERM drains an in-flight request, refuses new connections and exits 0', async () => {
  const server = await startServer({ LOG_LEVEL: 'debug' });
  const inFlight = await halfSentRequest(server, 'drain-1', JSON.stringify({ text: 'finish me: $20 at 5pm' }));
  const exited = server.stop('SIGTERM');
  await server.waitForLog((line) => line.message === 'draining in-flight requests');
  await assert.rejects(fetch(server.url, { method: 'POST', body: '{"text":"too late"}' }), 'new connections are refused');

  inFlight.finish();
  const answer = await inFlight.response;
  assert.equal(answer.status, 200);
  assert.deepEqual((JSON.parse(answer.body) as { entities: { text: string }[] }).entities.map((entity) => entity.text), ['$20', '5pm']);
  assert.equal(await exited, 0);
  assert.ok(server.logs.some((line) => line.message === 'shut down cleanly'));
});

test('a drain that overruns SHUTDOWN_TIMEOUT_MS exits 1', async () => {
  const server = await startServer({ LOG_LEVEL: 'debug', SHUTDOWN_TIMEOUT_MS: '300' });
  const stuck = await halfSentRequest(server, 'stuck-1', JSON.stringify({ text: 'never finished' }));
  const cutOff = stuck.response.then(() => 'answered', () => 'cut off');
  assert.equal(await server.stop('SIGTERM'), 1);
  assert.equal(await cutOff, 'cut off');
  assert.ok(server.logs.some((line) => line.message === 'drain timed out; exiting'));
});
