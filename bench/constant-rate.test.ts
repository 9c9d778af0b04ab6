/** The constant-arrival client against small real HTTP servers whose delays are known. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { constantRate } from './constant-rate';

interface Received {
  body: string;
  at: number;
}

/** A server that answers each request after `delayMs`, with the status `statusFor(body)`. */
async function serve(delayMs: number, statusFor: (body: string) => number = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ body, at: performance.now() });
      setTimeout(() => response.writeHead(statusFor(body)).end('{}'), delayMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('sends rate x duration requests spread over the whole duration, bodies in turn', async () => {
  const server = await serve(0);
  try {
    const result = await constantRate({ url: server.url, rate: 200, duration: 0.5, bodies: ['a', 'b', 'c'] });
    assert.equal(result.scheduled, 100);
    assert.equal(result.completed, 100);
    assert.equal(result.errors, 0);
    assert.equal(result.non_2xx, 0);
    const count = (body: string) => server.received.filter((entry) => entry.body === body).length;
    assert.deepEqual([count('a'), count('b'), count('c')], [34, 33, 33]);
    // Request 99 is due 495 ms after request 0 and is never sent early: not one burst.
    const arrivals = server.received.map((entry) => entry.at);
    assert.ok(Math.max(...arrivals) - Math.min(...arrivals) >= 400, 'requests arrive over the whole run');
    assert.ok(result.latency_ms.p50 <= result.latency_ms.p99 && result.latency_ms.p99 <= result.latency_ms.max);
  } finally {
    await server.close();
  }
});

test('latency counts from the due time: requests queued behind a slow server show their wait', async () => {
  // One connection, 100 ms per answer, a request due every 20 ms: each request waits for
  // the ones before it. A closed-loop client would report 100 ms for every request.
  const server = await serve(100);
  try {
    const result = await constantRate({ url: server.url, rate: 50, duration: 0.4, bodies: ['x'], maxConnections: 1 });
    assert.equal(result.completed, 20);
    // Request i is due at 20i ms and answered no earlier than (i + 1) x 100 ms: its latency is
    // at least 100 + 80i ms (1,620 ms for the last, 820 ms for the median); margins for timer rounding.
    assert.ok(result.latency_ms.max >= 1500, `max ${result.latency_ms.max} ms includes the queueing`);
    assert.ok(result.latency_ms.p50 >= 700, `p50 ${result.latency_ms.p50} ms includes the queueing`);
  } finally {
    await server.close();
  }
});

test('non-2xx answers and unreachable servers are counted, not timed', async () => {
  const server = await serve(0, (body) => (body === 'bad' ? 500 : 200));
  try {
    const result = await constantRate({ url: server.url, rate: 100, duration: 0.2, bodies: ['ok', 'bad'] });
    assert.equal(result.completed, 10);
    assert.equal(result.non_2xx, 10);
  } finally {
    await server.close();
  }
  const closed = await constantRate({ url: server.url, rate: 100, duration: 0.1, bodies: ['ok'] });
  assert.equal(closed.errors, 10);
  assert.equal(closed.completed, 0);
});
