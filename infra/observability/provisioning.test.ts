/**
 * Runs the real provisioning script (provisioning/provision.sh, POSIX sh + curl) against a
 * local HTTP server that implements the Elasticsearch and Kibana endpoints it calls, with
 * the documented status codes (409 on create of an existing connector/rule, 503 while
 * starting). Elasticsearch and Kibana cannot run here; their API contract can.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DATA_STREAMS, ERROR_RULE_ID, PAGERDUTY_CONNECTOR_ID, ROLLUP_RULE_ID, provisioningFiles } from './provisioningFiles';

const PASSWORD = 'test-password';
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

interface Call { method: string; path: string; body: string }

class FakeStack {
  calls: Call[] = [];
  connectors = new Map<string, unknown>();
  rules = new Map<string, unknown>();
  /** Requests answered 503 before Elasticsearch / Kibana report ready. */
  esStarting = 1;
  kibanaStarting = 2;
  importSucceeds = true;
  server: Server;

  constructor() {
    this.server = createServer(async (req, res) => {
      const body = await read(req);
      const url = new URL(req.url ?? '/', 'http://x');
      this.calls.push({ method: req.method ?? '', path: url.pathname + url.search, body });
      const reply = (status: number, json: unknown = {}) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      };
      const auth = Buffer.from(`elastic:${PASSWORD}`).toString('base64');
      if (req.headers.authorization !== `Basic ${auth}`) return reply(401);
      const p = url.pathname;
      if (p === '/es/_cluster/health') return this.esStarting-- > 0 ? reply(503) : reply(200, { status: 'green' });
      if (req.method === 'PUT' && (p.startsWith('/es/_ilm/policy/') || p.startsWith('/es/_index_template/'))) {
        JSON.parse(body);
        return reply(200, { acknowledged: true });
      }
      if (req.method === 'POST' && p.endsWith('/_rollover')) return p.includes(DATA_STREAMS[0]) ? reply(200, {}) : reply(404);
      if (p === '/kb/api/status') return this.kibanaStarting-- > 0 ? reply(503) : reply(200, { status: { overall: { level: 'available' } } });
      if (!p.startsWith('/kb/')) return reply(404);
      if (req.headers['kbn-xsrf'] === undefined) return reply(400, { message: 'missing kbn-xsrf' });
      if (p === '/kb/api/saved_objects/_import') {
        const ok = url.searchParams.get('overwrite') === 'true' && /filename="kibana-objects\.ndjson"/.test(body);
        return reply(200, { success: ok && this.importSucceeds, successCount: ok ? 1 : 0 });
      }
      const match = /^\/kb\/api\/(actions\/connector|alerting\/rule)\/([^/]+)$/.exec(p);
      if (match) {
        const store = match[1] === 'alerting/rule' ? this.rules : this.connectors;
        if (req.method === 'POST') {
          if (store.has(match[2])) return reply(409, { message: 'already exists' });
          store.set(match[2], JSON.parse(body));
          return reply(200, { id: match[2] });
        }
        if (req.method === 'PUT') {
          if (!store.has(match[2])) return reply(404);
          store.set(match[2], JSON.parse(body));
          return reply(200, { id: match[2] });
        }
      }
      return reply(404);
    });
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
}

function runScript(dir: string, base: string, extraEnv: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('sh', [path.join(dir, 'provision.sh')], {
      env: {
        PATH: process.env.PATH, ES_URL: `${base}/es`, KIBANA_URL: `${base}/kb`, ELASTIC_PASSWORD: PASSWORD,
        CONFIG_DIR: dir, DATA_STREAMS: DATA_STREAMS.join(' '), PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
        WAIT_ATTEMPTS: '5', WAIT_SECONDS: '0', ...extraEnv,
      },
      timeout: 30_000,
    }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }));
  });
}

describe('provision.sh against a local Elasticsearch/Kibana API', () => {
  let dir: string;
  let stack: FakeStack;
  let base: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'provisioning-'));
    for (const [name, content] of Object.entries(provisioningFiles({ retentionDays: 3, replicas: 0, errorThreshold: 5, pagerDuty: true }))) {
      writeFileSync(path.join(dir, name), content);
    }
    stack = new FakeStack();
    await new Promise<void>((resolve) => stack.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(stack.server.address() as AddressInfo).port}`;
  });
  after(() => {
    stack.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for both services, installs ILM + template, imports objects, creates connectors and the rules', async () => {
    const { code, output } = await runScript(dir, base);
    assert.equal(code, 0, output);
    const sequence = stack.calls.map((c) => `${c.method} ${c.path.split('?')[0]}`);
    assert.deepEqual(sequence.slice(0, 4), ['GET /es/_cluster/health', 'GET /es/_cluster/health', 'PUT /es/_ilm/policy/nlp-pipeline-logs', 'PUT /es/_index_template/nlp-pipeline-logs']);
    assert.ok(sequence.indexOf('POST /kb/api/saved_objects/_import') > sequence.lastIndexOf('GET /kb/api/status'));
    assert.equal(stack.calls.filter((c) => c.path.startsWith('/kb/api/status')).length, 3, 'retried until Kibana was ready');
    assert.ok(stack.calls.some((c) => c.path.includes('_rollover?lazy=true')), 'lazy rollover of existing streams');
    assert.deepEqual([...stack.connectors.keys()].sort(), ['nlp-pipeline-alert-index', PAGERDUTY_CONNECTOR_ID, 'nlp-pipeline-server-log']);
    assert.equal((stack.connectors.get(PAGERDUTY_CONNECTOR_ID) as any).secrets.routingKey, ROUTING_KEY);
    assert.deepEqual((stack.rules.get(ERROR_RULE_ID) as any).params.threshold, [5]);
    assert.deepEqual([...stack.rules.keys()].sort(), [ERROR_RULE_ID, ROLLUP_RULE_ID]);
    assert.match(output, /provisioning complete/);
  });

  it('is idempotent: a second run updates the existing connectors and rules in place', async () => {
    stack.calls = [];
    const { code, output } = await runScript(dir, base);
    assert.equal(code, 0, output);
    const puts = stack.calls.filter((c) => c.method === 'PUT' && c.path.startsWith('/kb/')).map((c) => c.path);
    assert.deepEqual(puts.sort(), [
      '/kb/api/actions/connector/nlp-pipeline-alert-index',
      `/kb/api/actions/connector/${PAGERDUTY_CONNECTOR_ID}`,
      '/kb/api/actions/connector/nlp-pipeline-server-log',
      `/kb/api/alerting/rule/${ERROR_RULE_ID}`,
      `/kb/api/alerting/rule/${ROLLUP_RULE_ID}`,
    ]);
    const updated = stack.rules.get(ERROR_RULE_ID) as Record<string, unknown>;
    assert.ok(!('rule_type_id' in updated), 'update body, not create body');
  });

  it('fails the Job (non-zero exit) when the import reports errors', async () => {
    stack.importSucceeds = false;
    const { code, output } = await runScript(dir, base);
    stack.importSucceeds = true;
    assert.notEqual(code, 0);
    assert.match(output, /import reported errors/);
  });

  it('gives up after WAIT_ATTEMPTS when Elasticsearch never becomes ready', async () => {
    stack.esStarting = 100;
    const { code, output } = await runScript(dir, base, { WAIT_ATTEMPTS: '3' });
    stack.esStarting = 0;
    assert.notEqual(code, 0);
    assert.match(output, /elasticsearch not ready after 3 attempts/);
  });

  it('fails on wrong credentials instead of reporting success', async () => {
    const { code } = await runScript(dir, base, { ELASTIC_PASSWORD: 'wrong', WAIT_ATTEMPTS: '1' });
    assert.notEqual(code, 0);
  });
});
