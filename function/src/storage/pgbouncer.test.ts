import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PgBouncer, pgBouncerUnavailable } from '../../test/support/pgbouncer';
import { PgCluster } from '../../test/support/pg-cluster';
import type { EntityLabel } from '../recognizer/types';
import type { PostgresConfig } from './config';
import { migrate } from './migrations';
import { PostgresStore } from './postgres-store';
import type { EnrichedText } from './types';

/**
 * The primary reached through PgBouncer in transaction mode, as infra's rw Pooler serves the
 * function: 8 clients share 2 server connections, so consecutive statements of one client land
 * on different server connections and only PgBouncer's prepared-statement tracking keeps the
 * store's named statements working.
 */
function result(requestId: string, names: string[], modelVersion: string): EnrichedText {
  let offset = 0;
  const entities = names.map((text) => {
    const entity = { text, label: 'PERSON' as EntityLabel, start: offset, end: offset + text.length };
    offset += text.length + 1;
    return entity;
  });
  return { requestId, entities, modelVersion, textLength: offset };
}

function configThrough(primaryDsn: string, replicaDsn: string): PostgresConfig {
  return {
    primaryDsn,
    replicaDsn,
    poolMax: 8,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 5000,
    readWaitMs: 150,
    retryAfterSeconds: 3,
    writeMaxConcurrent: 8,
    writeMaxBatchRows: 50,
    writeWindowMs: 0,
    rawRetentionDays: 30,
  };
}

describe('PostgresStore through PgBouncer in transaction mode', () => {
  let cluster: PgCluster;
  let bouncer: PgBouncer;
  let store: PostgresStore;
  let missing: string | undefined;
  const rows = (sql: string, values: unknown[] = []) => cluster.query(cluster.primaryDsn, sql, values);

  before(async () => {
    missing = await pgBouncerUnavailable();
    if (missing) return;
    cluster = await PgCluster.start();
    // Migrations take a session-level advisory lock: they connect directly, as the Kubernetes Job does.
    await migrate(cluster.primaryDsn);
    bouncer = await PgBouncer.start({ upstreamPort: cluster.primary.port, poolSize: 2, maxPreparedStatements: 200 });
    store = await PostgresStore.open(configThrough(bouncer.dsn, cluster.replicaDsn), { probeIntervalMs: 100, rollupIntervalMs: 3_600_000 });
  });

  after(async () => {
    await store?.close();
    await bouncer?.stop();
    await cluster?.destroy();
  });

  test('concurrent saves and retries over 2 server connections keep every latest result and its mentions', async (t) => {
    if (missing) return t.skip(missing);
    const savers = Array.from({ length: 8 }, async (_, saver) => {
      for (let round = 0; round < 15; round += 1) {
        // Each round writes 1-5 new ids and retries one of the round before with a newer result.
        const batch = Array.from({ length: 1 + ((saver + round) % 5) }, (_, k) => result(`s${saver}-r${round}-${k}`, ['Ann', 'Bo'], 'model@1'));
        if (round > 0) batch.push(result(`s${saver}-r${round - 1}-0`, ['Cy'], 'model@2'));
        const receipt = await store.save(batch);
        assert.match(receipt.consistencyToken, /^[0-9A-F]+\/[0-9A-F]+$/);
      }
    });
    await Promise.all(savers);

    const expectedIds = 8 * 15 + Array.from({ length: 8 }, (_, saver) => Array.from({ length: 15 }, (_, round) => (saver + round) % 5).reduce((a, b) => a + b, 0)).reduce((a, b) => a + b, 0);
    const [counts] = await rows(`SELECT count(*)::int AS texts,
        count(*) FILTER (WHERE model_version = 'model@2')::int AS retried,
        (SELECT count(*)::int FROM entity_mentions) AS mentions FROM enriched_texts`);
    // Retried ids (round 0-13's first id per saver) hold one mention, the others two.
    assert.deepEqual(counts, { texts: expectedIds, retried: 8 * 14, mentions: 2 * expectedIds - 8 * 14 });
    const [retried] = await rows(`SELECT m.entity_text FROM enriched_texts t JOIN entity_mentions m USING (request_id) WHERE t.request_id = 's3-r7-0'`);
    assert.deepEqual(retried, { entity_text: 'cy' }); // mentions are stored lower-cased
  });

  test('a read with a consistency token sees the write at once, through the pooler when the replica lags', async (t) => {
    if (missing) return t.skip(missing);
    await cluster.query(cluster.replicaDsn, 'SELECT pg_wal_replay_pause()');
    try {
      const receipt = await store.save([result('read-your-write', ['Dee'], 'model@1')]);
      const read = await store.findResult('read-your-write', receipt.consistencyToken);
      assert.equal(read.source, 'primary');
      assert.equal(read.value?.entities[0]?.text, 'Dee');
    } finally {
      await cluster.query(cluster.replicaDsn, 'SELECT pg_wal_replay_resume()');
    }
  });

  test('the rollup job and raw-data retention run through the pooler', async (t) => {
    if (missing) return t.skip(missing);
    // Five of the first test's texts become 40 days old: past the 30 days of raw data kept.
    await rows(`UPDATE enriched_texts SET processed_at = processed_at - interval '40 days' WHERE request_id LIKE 's0-r%-1'`);
    await rows(`UPDATE entity_mentions SET processed_at = processed_at - interval '40 days' WHERE request_id LIKE 's0-r%-1'`);
    const [before] = await rows(`SELECT count(*)::int AS old FROM entity_mentions WHERE processed_at < now() - interval '30 days'`);
    assert.ok(before.old > 0);
    // The job's transaction-scoped lock and multi-statement transactions need no session.
    while (!(await store.rollUpMentions(24 * 41))) { /* until caught up */ }
    while (!(await store.expireRawData())) { /* until nothing is left to expire */ }
    const [after] = await rows(`SELECT (SELECT count(*)::int FROM entity_mentions WHERE processed_at < now() - interval '30 days') AS old,
        (SELECT count(*)::int FROM enriched_texts WHERE processed_at < now() - interval '30 days') AS old_texts,
        (SELECT coalesce(sum(mentions), 0)::int FROM entity_mentions_hourly WHERE bucket < now() - interval '30 days') AS old_rolled_up`);
    assert.deepEqual(after, { old: 0, old_texts: 0, old_rolled_up: before.old });
  });
});

test('without prepared-statement tracking the same pooler breaks the store: the suite above tests that path', async (t) => {
  const missing = await pgBouncerUnavailable();
  if (missing) return t.skip(missing);
  const cluster = await PgCluster.start({ replica: false });
  let bouncer: PgBouncer | undefined;
  let store: PostgresStore | undefined;
  try {
    await migrate(cluster.primaryDsn);
    bouncer = await PgBouncer.start({ upstreamPort: cluster.primary.port, poolSize: 2, maxPreparedStatements: 0 });
    store = await PostgresStore.open(configThrough(bouncer.dsn, bouncer.dsn), { probeIntervalMs: 100 });
    const saves = await Promise.allSettled(
      Array.from({ length: 40 }, (_, k) => store!.save([result(`untracked-${k}`, ['Ann'], 'model@1')])),
    );
    const failures = saves.filter((save) => save.status === 'rejected');
    assert.ok(failures.length > 0, 'some saves land on a server connection that never saw the statement');
  } finally {
    await store?.close();
    await bouncer?.stop();
    await cluster.destroy();
  }
});
