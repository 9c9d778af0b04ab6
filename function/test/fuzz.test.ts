/** Randomized: whatever a client sends, the answer is a JSON 2xx/4xx, never a 5xx or a hang. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer, type RunningServer } from './server';

let server: RunningServer;
before(async () => {
  server = await startServer({ MAX_TEXT_CHARS: '200', MAX_BATCH_ITEMS: '5', MAX_BODY_BYTES: '4096' });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const anyValue = fc.oneof(fc.anything(), fc.string(), fc.string({ unit: 'binary' }), fc.integer(), fc.constant(null));
const nearlyValid = fc.record(
  {
    text: anyValue,
    request_id: anyValue,
    items: fc.oneof(anyValue, fc.array(fc.record({ text: anyValue, request_id: anyValue }, { requiredKeys: [] }), { maxLength: 8 })),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  nearlyValid.map((value) => JSON.stringify(value) ?? ''),
  fc.json(),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 5000 }),
  nearlyValid.map((value) => (JSON.stringify(value) ?? '').slice(0, -1)),
);
const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'text/plain; charset=utf-8', 'application/xml', 'multipart/form-data', 'application/json; charset=latin1', ''),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
);
const requestId = fc.option(fc.stringMatching(/^[\x20-\x7e]{0,200}$/), { nil: undefined });

test('malformed bodies, content types and ids never produce a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(body, contentType, requestId, fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'), async (payload, type, id, method) => {
      const headers: Record<string, string> = {};
      if (type !== '') headers['content-type'] = type;
      if (id !== undefined) headers['x-request-id'] = id;
      const response = await fetch(`${server.url}/`, { method, headers, body: payload, signal: AbortSignal.timeout(5000) });
      const text = await response.text();
      assert.ok(response.status < 500, `${response.status} ${text}`);
      const json = JSON.parse(text) as { error?: unknown };
      if (response.status >= 400) assert.equal(typeof json.error, 'string', text);
    }),
    { numRuns: 400 },
  );
});
