/**
 * Black-box contract tests: the compiled function over real HTTP, started the way the
 * container starts it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTITY_LABELS } from '../src/recognizer/types';
import { startFailing, startServer, type LogLine, type RunningServer } from './server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Entity {
  text: string;
  label: string;
  start: number;
  end: number;
}
interface Result {
  request_id: string;
  entities: Entity[];
  model_version: string;
}

async function post(server: RunningServer, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(server.url, { method: 'POST', body, headers });
  return { response, json: (await response.json()) as Record<string, unknown> };
}

function assertOffsets(text: string, entities: readonly Entity[]) {
  for (const entity of entities) {
    assert.equal(text.slice(entity.start, entity.end), entity.text, `${JSON.stringify(entity)} in ${JSON.stringify(text)}`);
    assert.ok((ENTITY_LABELS as readonly string[]).includes(entity.label), entity.label);
  }
}

/** The request's completion log line (one per request). */
async function completionLog(server: RunningServer, requestId: string): Promise<LogLine> {
  return server.waitForLog((line) => line.message === 'request completed' && line.request_id === requestId);
}

describe('ner-processor over HTTP', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ MAX_TEXT_CHARS: '2000', MAX_BATCH_ITEMS: '50', MAX_BODY_BYTES: '65536' });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test('a single comment returns its entities, a generated request_id and the model version', async () => {
    const text = 'Paid $50 on 3rd March at 5pm, 20% off! #deal @shop https://x.com/a';
    const { response, json } = await post(server, JSON.stringify({ text }));
    assert.equal(response.status, 200);
    assert.match(String(json.request_id), UUID);
    assert.equal(response.headers.get('x-request-id'), json.request_id);
    // wink and its pipe, then the NER model (issue 7): name@version
    assert.match(String(json.model_version), /^wink-nlp@\d+\.\d+\.\d+\+wink-eng-lite-web-model@\d+\.\d+\.\d+:ner \+ [a-z0-9-]+@\d+\.\d+\.\d+$/);
    const entities = json.entities as Entity[];
    assert.deepEqual(
      entities.map((entity) => [entity.label, entity.text]),
      [['MONEY', '$50'], ['DATE', '3rd March'], ['TIME', '5pm'], ['PERCENT', '20%'], ['HASHTAG', '#deal'], ['MENTION', '@shop'], ['URL', 'https://x.com/a']],
    );
    assertOffsets(text, entities);
    assert.equal(json.consistency_token, undefined, 'no store, no consistency token');
  });

  test("curl's default content type (form-urlencoded) is read as JSON", async () => {
    const { response, json } = await post(server, '{"text":"see you at 5pm"}', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(response.status, 200);
    assert.deepEqual((json.entities as Entity[]).map((entity) => entity.label), ['TIME']);
  });

  test('a body without content type is read as JSON', async () => {
    const response = await fetch(server.url, { method: 'POST', body: new TextEncoder().encode('{"text":"#tbt"}') });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as Result).entities[0]?.label, 'HASHTAG');
  });

  test('a text/plain body is one comment, JSON-looking or not', async () => {
    const text = '{"text": "not parsed"} costs $5';
    const { response, json } = await post(server, text, { 'content-type': 'text/plain; charset=utf-8' });
    assert.equal(response.status, 200);
    assert.deepEqual(json.entities, [{ text: '$5', label: 'MONEY', start: text.indexOf('$5'), end: text.length }]);
  });

  test('offsets are JavaScript string indices on emoji, CJK and combining marks', async () => {
    const texts = [
      '👨‍👩‍👧 family 😀😀 paid $50 🇺🇸 #fête',
      '東京で3rd March に 5pm 会議 #東京 @田中',
      'Cafe\u0301 crème at 10:30am, 25% off 👍🏽 e\u0301\u0301 :)',
      '\u00a0\t tab\u2003em-space 2 hours\r\nnew line http://例え.jp',
    ];
    const { response, json } = await post(server, JSON.stringify({ items: texts.map((text) => ({ text })) }));
    assert.equal(response.status, 200);
    const results = json.results as Result[];
    results.forEach((result, index) => assertOffsets(texts[index]!, result.entities));
    const labels = results.map((result) => result.entities.map((entity) => entity.label));
    assert.ok(labels[0]!.includes('EMOJI') && labels[0]!.includes('MONEY'), JSON.stringify(labels[0]));
    assert.ok(labels[1]!.includes('DATE') && labels[1]!.includes('TIME'), JSON.stringify(labels[1]));
    assert.ok(labels[2]!.includes('PERCENT') && labels[2]!.includes('EMOTICON'), JSON.stringify(labels[2]));
    assert.ok(labels[3]!.includes('DURATION'), JSON.stringify(labels[3]));
  });

  test('a batch answers in input order; items without an id get <X-Request-Id>-<index>', async () => {
    const items = Array.from({ length: 40 }, (_, index) =>
      index % 3 === 0 ? { text: `pay $${index} now`, request_id: `own-${index}` } : { text: `pay $${index} now` });
    const { response, json } = await post(server, JSON.stringify({ items }), { 'content-type': 'application/json', 'x-request-id': 'batch-7' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'batch-7');
    const results = json.results as Result[];
    assert.deepEqual(
      results.map((result) => result.request_id),
      items.map((item, index) => item.request_id ?? `batch-7-${index}`),
    );
    results.forEach((result, index) => assert.deepEqual(result.entities.map((entity) => entity.text), [`$${index}`]));
  });

  test('request_id: the body wins over X-Request-Id, which wins over a generated UUID', async () => {
    const fromHeader = await post(server, '{"text":"a"}', { 'content-type': 'application/json', 'x-request-id': 'hdr-1' });
    assert.equal(fromHeader.json.request_id, 'hdr-1');
    assert.equal(fromHeader.response.headers.get('x-request-id'), 'hdr-1');
    const fromBody = await post(server, '{"text":"a","request_id":"body-1"}', { 'content-type': 'application/json', 'x-request-id': 'hdr-1' });
    assert.equal(fromBody.json.request_id, 'body-1');
    assert.equal(fromBody.response.headers.get('x-request-id'), 'body-1');
    const badHeader = await post(server, '{"text":"a"}', { 'content-type': 'application/json', 'x-request-id': 'has space' });
    assert.match(String(badHeader.json.request_id), UUID);
  });

  const badRequests: [string, string, Record<string, string>, number, RegExp][] = [
    ['invalid JSON', '{"text": ', { 'content-type': 'application/json' }, 400, /invalid JSON/],
    ['empty JSON body', '', { 'content-type': 'application/json' }, 400, /empty/],
    ['a JSON array', '[1,2]', { 'content-type': 'application/json' }, 400, /JSON object/],
    ['neither text nor items', '{"txt":"a"}', { 'content-type': 'application/json' }, 400, /"text".*"items"/],
    ['both text and items', '{"text":"a","items":[{"text":"b"}]}', { 'content-type': 'application/json' }, 400, /not both/],
    ['text of the wrong type', '{"text":5}', { 'content-type': 'application/json' }, 400, /^text must be a string$/],
    ['a bad item', '{"items":[{"text":"a"},{"text":null}]}', { 'content-type': 'application/json' }, 400, /^items\[1\]\.text must be a string$/],
    ['an item without text', '{"items":[{"request_id":"x"}]}', { 'content-type': 'application/json' }, 400, /^items\[0\]\.text is required$/],
    ['empty items', '{"items":[]}', { 'content-type': 'application/json' }, 400, /^items /],
    ['a bad request_id', '{"text":"a","request_id":""}', { 'content-type': 'application/json' }, 400, /^request_id /],
    ['duplicate ids in a batch', '{"items":[{"text":"a","request_id":"x"},{"text":"b","request_id":"x"}]}', { 'content-type': 'application/json' }, 400, /items\[1\]\.request_id duplicates items\[0\]/],
    ['prototype poisoning', '{"text":"a","__proto__":{"x":1}}', { 'content-type': 'application/json' }, 400, /invalid JSON/],
    ['a text over MAX_TEXT_CHARS', JSON.stringify({ text: 'a'.repeat(2001) }), { 'content-type': 'application/json' }, 413, /^text /],
    ['a plain text over MAX_TEXT_CHARS', 'a'.repeat(2001), { 'content-type': 'text/plain' }, 413, /^text /],
    ['a batch over MAX_BATCH_ITEMS', JSON.stringify({ items: Array.from({ length: 51 }, () => ({ text: 'a' })) }), { 'content-type': 'application/json' }, 413, /^items /],
    ['a body over MAX_BODY_BYTES', JSON.stringify({ text: 'a'.repeat(70_000) }), { 'content-type': 'application/json' }, 413, /too large/],
    ['an unsupported media type', '<text>a</text>', { 'content-type': 'application/xml' }, 415, /content type/],
  ];
  for (const [name, body, headers, status, message] of badRequests) {
    test(`${name} -> ${status} with a JSON error`, async () => {
      const { response, json } = await post(server, body, { ...headers, 'x-request-id': `bad-${status}` });
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.match(String(json.error), message);
      assert.equal(json.request_id, `bad-${status}`);
    });
  }

  test('unknown path -> 404, unknown method on a known path -> 405 with Allow, both JSON', async () => {
    const missing = await fetch(`${server.url}/nowhere`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /\/nowhere/);
    for (const [method, path, allow] of [['GET', '/', 'POST'], ['DELETE', '/', 'POST'], ['POST', '/healthz', 'GET, HEAD']] as const) {
      const response = await fetch(`${server.url}${path}`, { method });
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get('allow'), allow);
      assert.match(((await response.json()) as { error: string }).error, /not allowed/);
    }
  });

  test('a malformed URL -> 400 with a JSON error', async () => {
    const response = await fetch(`${server.url}/%zz`);
    assert.equal(response.status, 400);
    const json = (await response.json()) as { error: string; request_id: string };
    assert.match(json.error, /not a valid url/);
    assert.match(json.request_id, UUID);
  });

  test('liveness and readiness', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
    }
  });

  test('the ready line reports how long start-up and loading the models took', async () => {
    const ready = await server.waitForLog((line) => line.message === 'ner-processor ready');
    const { startup_ms: startup, model_load_ms: modelLoad } = ready as LogLine & { startup_ms: unknown; model_load_ms: unknown };
    assert.ok(typeof modelLoad === 'number' && modelLoad > 0, `model_load_ms ${String(modelLoad)}`);
    assert.ok(typeof startup === 'number' && startup > modelLoad, `startup_ms ${String(startup)}`);
  });

  test('one ECS log line per request with the contract fields and no comment text', async () => {
    const text = 'secret plan: meet @bob at 5pm #go';
    const { json } = await post(server, JSON.stringify({ text, request_id: 'log-1' }));
    assert.equal(json.request_id, 'log-1');
    const line = await completionLog(server, 'log-1');
    assert.equal(line['log.level'], 'info');
    assert.equal(line['service.name'], 'ner-processor');
    assert.equal(typeof line['@timestamp'], 'string');
    assert.equal(typeof line.duration_ms, 'number');
    assert.deepEqual(
      { item_count: line.item_count, text_length: line.text_length, entity_count: line.entity_count, entity_labels: line.entity_labels },
      { item_count: 1, text_length: text.length, entity_count: 3, entity_labels: { MENTION: 1, TIME: 1, HASHTAG: 1 } },
    );
    assert.deepEqual([line.http, line.url], [{ request: { method: 'POST' }, response: { status_code: 200 } }, { path: '/' }]);
    assert.equal(server.logs.filter((entry) => entry.request_id === 'log-1').length, 1);
    assert.ok(!server.logs.some((entry) => JSON.stringify(entry).includes('secret plan')));

    await post(server, '{"text":5}', { 'content-type': 'application/json', 'x-request-id': 'log-2' });
    const failed = await completionLog(server, 'log-2');
    assert.equal(failed['log.level'], 'warn');
    assert.deepEqual(failed.error, { message: 'text must be a string' });
  });
});

test('LOG_TEXT=true adds the comment text to the log line', async () => {
  const server = await startServer({ LOG_TEXT: 'true' });
  try {
    await post(server, JSON.stringify({ text: 'debug me', request_id: 'text-1' }));
    const line = await completionLog(server, 'text-1');
    assert.deepEqual(line.comment_texts, ['debug me']);
  } finally {
    await server.stop();
  }
});

test('a malformed setting stops start-up with a message naming the variable', async () => {
  for (const [env, variable] of [[{ PERSISTENCE: 'off', MAX_BATCH_ITEMS: 'lots' }, 'MAX_BATCH_ITEMS'], [{ PERSISTENCE: 'sqlite' }, 'PERSISTENCE']] as const) {
    const { code, logs } = await startFailing(env);
    assert.equal(code, 1);
    const fatal = logs.find((line) => line['log.level'] === 'fatal');
    assert.ok(fatal, JSON.stringify(logs));
    assert.match(fatal.message, new RegExp(`invalid configuration: ${variable}:`));
  }
});
