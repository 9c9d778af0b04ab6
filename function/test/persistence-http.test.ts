/**
 * End to end over real HTTP: the compiled function against a real PostgreSQL primary and
 * streaming replica. Every 200 is durable, outages answer 503 + Retry-After and lose no
 * acknowledged write, retries are idempotent, and a consistency token is never read stale.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrate } from '../src/storage/migrations';
import { startFailing, startServer, type RunningServer } from './server';
import { PgCluster } from './support/pg-cluster';

describe('ner-processor with PostgreSQL persistence', () => {
  let cluster: PgCluster;
  let fn: RunningServer;

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${fn.url}/`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${fn.url}${path}`, { headers });
  const storedIds = async (ids: string[]) =>
    new Set((await cluster.query(cluster.primaryDsn, 'SELECT request_id FROM enriched_texts WHERE request_id = ANY($1)', [ids])).map((row) => row.request_id as string));

  async function waitForReady(expected: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await get('/readyz')).status !== expected) {
      assert.ok(Date.now() < deadline, `/readyz never answered ${expected}`);
      await sleep(50);
    }
  }

  before(async () => {
    cluster = await PgCluster.start({ settings: { wal_retrieve_retry_interval: '100ms' } });
    await migrate(cluster.primaryDsn);
    fn = await startServer({
      PERSISTENCE: 'postgres',
      DB_PRIMARY_DSN: cluster.primaryDsn,
      DB_REPLICA_DSN: cluster.replicaDsn,
      DB_READ_WAIT_MS: '100',
      DB_STATEMENT_TIMEOUT_MS: '2000',
      DB_RETRY_AFTER_SECONDS: '4',
    });
    await waitForReady(200);
  });

  after(async () => {
    const code = await fn?.stop();
    await cluster?.destroy();
    assert.equal(code, 0, 'SIGTERM drains and exits 0');
  });

  test('read-your-writes over HTTP while replay is paused: the token read comes from the primary', async () => {
    await cluster.pauseReplay();
    try {
      const response = await post({ text: 'Alice flew to Paris on Monday', request_id: 'http-ryw' });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { consistency_token: string; entities: unknown[] };
      assert.match(body.consistency_token, /^[0-9A-F]+\/[0-9A-F]+$/);

      const stale = await get('/entities/http-ryw');
      assert.deepEqual([stale.status, stale.headers.get('x-read-source')], [404, 'replica']);
      assert.equal(((await stale.json()) as { request_id: string }).request_id.length > 0, true);

      const fresh = await get('/entities/http-ryw', { 'x-consistency-token': body.consistency_token });
      assert.deepEqual([fresh.status, fresh.headers.get('x-read-source')], [200, 'primary']);
      const stored = (await fresh.json()) as { request_id: string; entities: unknown[]; model_version: string };
      assert.equal(stored.request_id, 'http-ryw');
      assert.deepEqual(stored.entities, body.entities);

      const byQuery = await get(`/entities/http-ryw?consistency_token=${encodeURIComponent(body.consistency_token)}`);
      assert.deepEqual([byQuery.status, byQuery.headers.get('x-read-source')], [200, 'primary']);
    } finally {
      await cluster.resumeReplay();
    }
    await cluster.waitForReplica();
    const replicated = await get('/entities/http-ryw');
    assert.deepEqual([replicated.status, replicated.headers.get('x-read-source')], [200, 'replica']);
  });

  test('a retried request_id leaves one row holding the latest result', async () => {
    await post({ text: 'Bob likes Berlin', request_id: 'http-retry' });
    const second = await post({ text: 'Carol likes Rome and Oslo', request_id: 'http-retry' });
    assert.equal(second.status, 200);
    const { consistency_token: token, entities } = (await second.json()) as { consistency_token: string; entities: unknown[] };
    const rows = await cluster.query(cluster.primaryDsn, `SELECT entities FROM enriched_texts WHERE request_id = 'http-retry'`);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].entities, entities);
    const read = await get('/entities/http-retry', { 'x-consistency-token': token });
    assert.deepEqual(((await read.json()) as { entities: unknown[] }).entities, entities);
  });

  test('a batch is stored in one write, every item readable with the batch token', async () => {
    const response = await post({ items: [{ text: 'Dave in Lisbon' }, { text: 'Eve at #PyCon', request_id: 'http-batch-own' }] }, { 'x-request-id': 'http-batch' });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { consistency_token: string; results: Array<{ request_id: string }> };
    assert.deepEqual(body.results.map((result) => result.request_id), ['http-batch-0', 'http-batch-own']);
    for (const { request_id: id } of body.results) {
      const read = await get(`/entities/${id}`, { 'x-consistency-token': body.consistency_token });
      assert.equal(read.status, 200, id);
    }
  });

  test('analytics endpoints answer from the replica; bad parameters are 400 with the parameter named', async () => {
    await post({ items: [{ text: 'Paris, Paris and London' }, { text: 'I love Paris' }] });
    await cluster.waitForReplica();
    const top = await get('/analytics/top-entities?limit=3');
    assert.equal(top.status, 200);
    assert.equal(top.headers.get('x-read-source'), 'replica');
    const topBody = (await top.json()) as { entities: Array<{ label: string; entity_text: string; mentions: number }> };
    assert.ok(topBody.entities.length > 0);
    assert.ok(topBody.entities.every((row) => row.mentions >= 1 && row.entity_text === row.entity_text.toLowerCase()));

    const series = await get('/analytics/mentions?bucket=minute');
    assert.equal(series.status, 200);
    const seriesBody = (await series.json()) as { bucket: string; series: Array<{ mentions: number }> };
    assert.equal(seriesBody.bucket, 'minute');
    const total = (await cluster.query(cluster.primaryDsn, 'SELECT count(*)::int AS n FROM entity_mentions'))[0].n;
    assert.equal(seriesBody.series.reduce((sum, row) => sum + row.mentions, 0), total);

    const freshness = await get('/analytics/freshness');
    const fresh = (await freshness.json()) as { replication_lag_seconds: number; newest_processed_at: string; rolled_up_to: string | null };
    assert.equal(fresh.replication_lag_seconds, 0);
    assert.ok(fresh.rolled_up_to === null || Date.parse(fresh.rolled_up_to) <= Date.now(), 'the rollup watermark, once the job has run');
    assert.ok(Date.parse(fresh.newest_processed_at) > Date.now() - 600_000);

    for (const [path, parameter] of [
      ['/analytics/top-entities?limit=0', 'limit'],
      ['/analytics/top-entities?label=CITY', 'label'],
      ['/analytics/mentions?bucket=week', 'bucket'],
      ['/analytics/mentions?from=yesterday', 'from'],
      ['/analytics/mentions?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
      ['/analytics/mentions?bucket=minute&from=2020-01-01T00:00:00Z', 'bucket'],
      ['/entities/http-ryw?consistency_token=latest', 'consistency_token'],
    ] as const) {
      const response = await get(path);
      assert.equal(response.status, 400, path);
      assert.match(((await response.json()) as { error: string }).error, new RegExp(parameter), path);
    }
  });

  test('analytics past the raw-data retention (30 days by default): whole hours, or 400 saying why', async () => {
    const hour = 3_600_000;
    const oldHour = Math.floor((Date.now() - 40 * 24 * hour) / hour) * hour;
    const iso = (time: number) => new Date(time).toISOString();
    const moved = await get(`/analytics/top-entities?from=${iso(oldHour + 5 * 60_000)}`);
    assert.equal(moved.status, 200);
    assert.equal(((await moved.json()) as { from: string }).from, iso(oldHour + hour), 'the answer says which window it counted');
    for (const path of [
      `/analytics/top-entities?from=${iso(oldHour + 5 * 60_000)}&to=${iso(oldHour + 55 * 60_000)}`,
      `/analytics/mentions?bucket=minute&from=${iso(oldHour)}&to=${iso(oldHour + hour)}`,
    ]) {
      const response = await get(path);
      assert.equal(response.status, 400, path);
      assert.match(((await response.json()) as { error: string }).error, /RAW_RETENTION_DAYS/, path);
    }
  });

  test('primary stopped under load: only 200 or 503 + Retry-After, and every 200 survives the restart', { timeout: 120_000 }, async () => {
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let stop = false;
    const client = async (worker: number) => {
      for (let i = 0; !stop; i += 1) {
        const batch = i % 2 === 0;
        const ids = batch ? [0, 1, 2].map((j) => `load-${worker}-${i}-${j}`) : [`load-${worker}-${i}`];
        const body = batch ? { items: ids.map((id) => ({ text: `Frank met Grace in Madrid ${id}`, request_id: id })) } : { text: 'Heidi visits Prague', request_id: ids[0] };
        const response = await post(body).catch(() => undefined);
        if (!response) continue;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const answer = (await response.json()) as { error?: string };
        if (response.status === 200) acknowledged.push(...ids);
        else {
          assert.equal(response.status, 503, JSON.stringify(answer));
          assert.equal(response.headers.get('retry-after'), '4');
          assert.ok(answer.error);
          await sleep(20);
        }
      }
    };
    const clients = Array.from({ length: 6 }, (_, worker) => client(worker));
    try {
      while (acknowledged.length < 200) await sleep(20);
      await cluster.stopPrimary('immediate');
      while ((statuses.get(503) ?? 0) < 6) await sleep(20);
      await waitForReady(503);
      await cluster.startPrimary();
      await waitForReady(200);
      const target = acknowledged.length + 100;
      while (acknowledged.length < target) await sleep(20);
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    assert.deepEqual([...statuses.keys()].sort(), [200, 503]);
    const stored = await storedIds(acknowledged);
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], 'no acknowledged write is lost');
  });
});

test('a malformed storage setting stops start-up with a message naming it', async () => {
  const { code, logs } = await startFailing({ DB_PRIMARY_DSN: 'postgres://u@127.0.0.1:1/db', DB_POOL_MAX: 'many' });
  assert.equal(code, 1);
  assert.ok(logs.some((line) => JSON.stringify(line).includes('DB_POOL_MAX')), JSON.stringify(logs));
});
