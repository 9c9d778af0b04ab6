/**
 * Real log lines from the running function (node function/dist/main.js): a success and a 4xx
 * with PERSISTENCE=off, a 503 with the database unreachable. Checked against what Logstash, the index template, the dashboard, the saved search and
 * the alert rule expect: every field they use that a line carries indexes under its mapping,
 * and every field they use is written by the function (or added by Filebeat).
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FieldUse, SavedObject, esQueryRuleFieldUses, fitsMapping, flattenLine, mappedFields, savedObjectFieldUses } from './fields';
import { DATA_FILES, errorRule, indexTemplate, rollupRule } from './provisioningFiles';

const FUNCTION_DIR = path.resolve(__dirname, '..', '..', 'function');
/** Fields Filebeat adds from Kubernetes metadata; the function cannot write them. */
const ADDED_BY_FILEBEAT = new Set(['kubernetes.pod.name']);

const template = indexTemplate(0) as { template: { mappings: { properties: any } } };
const mapping = mappedFields(template.template.mappings.properties);
const objects: SavedObject[] = readFileSync(DATA_FILES.kibanaObjects, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const uses: FieldUse[] = [
  ...savedObjectFieldUses(objects),
  ...esQueryRuleFieldUses(errorRule(1, false).params),
  ...esQueryRuleFieldUses(rollupRule(false).params),
];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running function process and the JSON lines it printed. */
interface RunningFunction {
  child: ChildProcess;
  base: string;
  lines: Array<Record<string, unknown>>;
}

async function startFunction(env: Record<string, string>): Promise<RunningFunction> {
  const entry = path.join(FUNCTION_DIR, 'dist', 'main.js');
  assert.ok(existsSync(entry), `${entry} missing: run \`npm run build\` first (npm test does)`);
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: FUNCTION_DIR,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const running: RunningFunction = { child, base: `http://127.0.0.1:${port}`, lines: [] };
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    // Each line is what Logstash's json filter parses; a non-JSON line would fail the test here.
    for (const part of parts.filter(Boolean)) running.lines.push(JSON.parse(part));
  });
  for (let i = 0; i < 200 && !running.lines.some((l) => l.message === 'ner-processor ready'); i++) {
    assert.equal(child.exitCode, null, 'the function exited during start-up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return running;
}

/** POSTs with an X-Request-Id (contracts) so the request's log line can be found, and waits for that line. */
async function request(fn: RunningFunction, requestId: string, body: unknown): Promise<number> {
  const response = await fetch(`${fn.base}/`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify(body),
  });
  for (let i = 0; i < 100 && !fn.lines.some((l) => l.request_id === requestId && l.message === 'request completed'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return response.status;
}

describe('log lines captured from the running function', () => {
  const running: RunningFunction[] = [];
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    // NER only, for the success and client-error paths.
    const nerOnly = await startFunction({ PERSISTENCE: 'off' });
    // Storage down (nothing listens on the database port): writes answer 503 + Retry-After.
    const closedPort = await freePort();
    const storageDown = await startFunction({ DB_PRIMARY_DSN: `postgres://ner:unused@127.0.0.1:${closedPort}/ner`, DB_CONNECT_TIMEOUT_MS: '500' });
    running.push(nerOnly, storageDown);
    assert.equal(await request(nerOnly, 'obs-success-1', { text: 'Meet @alice on Monday at 3pm, see https://example.com #launch' }), 200);
    assert.equal(await request(nerOnly, 'obs-client-error-1', { comment: 'no text field' }), 400);
    assert.equal(await request(storageDown, 'obs-storage-down-1', { text: 'Ping @bob' }), 503);
    lines.push(...nerOnly.lines, ...storageDown.lines);
  });

  after(() => {
    for (const fn of running) fn.child.kill('SIGTERM');
  });

  const line = (requestId: string) => {
    const found = lines.find((l) => l.request_id === requestId && l.message === 'request completed');
    assert.ok(found, `no "request completed" line for ${requestId}`);
    return flattenLine(found);
  };

  it('every field the dashboard, search and rule use that a line carries fits its mapping', () => {
    for (const requestId of ['obs-success-1', 'obs-client-error-1', 'obs-storage-down-1']) {
      const flat = line(requestId);
      for (const use of uses) {
        if (!flat.has(use.field)) continue;
        const type = mapping.get(use.field)!;
        assert.ok(fitsMapping(type, flat.get(use.field)), `${requestId}: ${use.field}=${JSON.stringify(flat.get(use.field))} does not fit ${type}`);
      }
      for (const [field, value] of flat) {
        const type = mapping.get(field);
        if (type) assert.ok(fitsMapping(type, value), `${requestId}: ${field}=${JSON.stringify(value)} does not fit ${type}`);
      }
    }
  });

  it('a success line carries what the rate, latency and entity charts need', () => {
    const flat = line('obs-success-1');
    assert.equal(flat.get('log.level'), 'info');
    assert.equal(flat.get('http.response.status_code'), 200);
    assert.equal(typeof flat.get('duration_ms'), 'number');
    assert.equal(typeof flat.get('@timestamp'), 'string');
    const labels = [...flat.keys()].filter((key) => key.startsWith('entity_labels.'));
    assert.ok(labels.length >= 3, `entity_labels: ${labels.join(', ')}`);
    for (const label of labels) assert.ok(mapping.has(label), `${label} is not mapped: the entities chart would miss it`);
  });

  // 4xx lines are warn (never page); 5xx/503 lines are error, which the alert rule counts.
  for (const { requestId, level, status } of [
    { requestId: 'obs-client-error-1', level: 'warn', status: 400 },
    { requestId: 'obs-storage-down-1', level: 'error', status: 503 },
  ]) {
    it(`a ${status} line is a ${level} line with the status and error message`, () => {
      const flat = line(requestId);
      assert.equal(flat.get('log.level'), level);
      assert.equal(flat.get('http.response.status_code'), status);
      assert.equal(typeof flat.get('error.message'), 'string');
      const alertLevel = JSON.parse(errorRule(1, false).params.esQuery).query.bool.filter[0].term['log.level'];
      assert.equal(alertLevel === flat.get('log.level'), status >= 500, 'the alert counts 5xx lines only');
    });
  }

  it('every field the objects use is written by the function or added by Filebeat', () => {
    const written = new Set(lines.flatMap((l) => [...flattenLine(l).keys()]));
    const missing = [...new Set(uses.map((use) => use.field))].filter((field) => !written.has(field) && !ADDED_BY_FILEBEAT.has(field));
    // Entity labels appear only when the text has such entities.
    const expectedAbsent = missing.filter((field) => field.startsWith('entity_labels.'));
    assert.deepEqual(missing.filter((field) => !expectedAbsent.includes(field)), []);
  });
});
