/**
 * The storage layer alone, on a local PostgreSQL primary + streaming replica (fsync and
 * synchronous_commit on):
 * - write throughput in one run: the batch writer (PostgresStore.save, 100 rows per round
 *   trip) against the same store saving one row at a time and against plain one-row INSERTs;
 *   32 concurrent one-row savers with group commit against one transaction per save;
 * - replica read latency of a stored result, without and with a consistency token;
 * - analytics query latency (p50/p95 through the store, served by the replica; top entities
 *   also over a day starting at half past an hour and just past a whole hour: edges) over
 *   BENCH_MENTIONS mention rows (default 10,000,000; e.g. 200000 for a smoke run), spread
 *   over 7 days, 20 labels (skewed) and, per label, a Zipf-like draw with exponent
 *   BENCH_ZIPF_EXPONENT (default 1) from BENCH_VOCABULARY entity texts (default 10,000),
 *   generated in SQL (bench/mention-data.ts), then rolled up (hourly, 5-minute) by the store's rollup job;
 * - the rollup job's run at a campaign's rate (2,500 mentions a second, about 1,000 comments)
 *   and with changed buckets behind the watermark (retries of old request_ids).
 * BENCH_SECONDS sets each write run's duration (default 10). Writes bench/results/persistence-db.json.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { ENTITY_LABELS, type EntityLabel } from '../function/src/recognizer/types';
import type { PostgresConfig } from '../function/src/storage/config';
import { migrate } from '../function/src/storage/migrations';
import { PostgresStore } from '../function/src/storage/postgres-store';
import type { EnrichedText } from '../function/src/storage/types';
import { PgCluster } from '../function/test/support/pg-cluster';
import { percentile, round, writeResults } from './lib';
import { describeMentions, insertMentions, type MentionData } from './mention-data';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const writers = 4;
const mentionData: MentionData = {
  rows: Number(process.env.BENCH_MENTIONS ?? 10_000_000),
  /** Distinct entity texts per label in the generated mentions (a Zipf-like draw from them). */
  vocabulary: Number(process.env.BENCH_VOCABULARY ?? 10_000),
  zipfExponent: Number(process.env.BENCH_ZIPF_EXPONENT ?? 1),
  days: 7,
};

let sequence = 0;
function comment(): EnrichedText {
  const id = `bench-${process.pid}-${sequence++}`;
  const label = (i: number): EntityLabel => ENTITY_LABELS[(sequence + i) % ENTITY_LABELS.length]!;
  return {
    requestId: id,
    entities: [
      { text: `Entity ${sequence % 500}`, label: label(0), start: 0, end: 10 },
      { text: `Other ${sequence % 80}`, label: label(7), start: 11, end: 19 },
    ],
    modelVersion: 'bench@1',
    textLength: 80,
  };
}

/** Runs `callers` concurrent loops of `write` for `seconds`; rows written per second. */
async function rowsPerSecond(rowsPerCall: number, write: () => Promise<unknown>, callers = writers): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let rows = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        await write();
        rows += rowsPerCall;
      }
    }),
  );
  return Math.round(rows / ((performance.now() - started) / 1000));
}

async function latencyMs(times: number, run: () => Promise<unknown>): Promise<{ p50Ms: number; p95Ms: number; p99Ms: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return { p50Ms: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), p99Ms: round(percentile(samples, 99)) };
}

/**
 * BENCH_MENTIONS rows of synthetic mentions, loaded without indexes, then indexed and
 * analyzed; the load time and how skewed the mentions came out.
 */
async function loadMentions(dsn: string): Promise<{ loadSeconds: number; distribution: Record<string, number> }> {
  const client = new Client({ connectionString: dsn });
  await client.connect();
  const started = performance.now();
  try {
    await client.query('SET synchronous_commit = off');
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query('TRUNCATE entity_mentions');
    const indexes = (await client.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'entity_mentions'`)).rows.map(
      (row) => row.indexdef as string,
    );
    await client.query(`SELECT format('DROP INDEX %I', indexname) FROM pg_indexes WHERE tablename = 'entity_mentions'`).then(
      async (result) => {
        for (const row of result.rows) await client.query(row.format as string);
      },
    );
    await insertMentions(client, mentionData);
    for (const definition of indexes) await client.query(definition);
    await client.query('ANALYZE entity_mentions');
    // Backdated rows: have the rollup job start over from the oldest mention.
    await client.query('TRUNCATE entity_mentions_hourly, label_mentions_hourly, entity_mentions_5min, label_mentions_5min');
    await client.query(`UPDATE mention_rollup_state SET rolled_up_to = '-infinity'`);
    await client.query('CHECKPOINT');
    const loadSeconds = Math.round((performance.now() - started) / 1000);
    return { loadSeconds, distribution: await describeMentions(client) };
  } finally {
    await client.end();
  }
}

/** Median wall time of `times` runs of `run`, each after `prepare`, with what `prepare` answered. */
async function medianRun<T>(times: number, prepare: () => Promise<T>, run: () => Promise<unknown>): Promise<{ ms: number; prepared: T }> {
  const samples: number[] = [];
  let prepared: T | undefined;
  for (let i = 0; i < times; i += 1) {
    prepared = await prepare();
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return { ms: round(percentile(samples, 50)), prepared: prepared! };
}

/**
 * What one rollup run costs where it matters:
 * - at a campaign's rate: 2,500 mentions a second for the last 6 minutes, the watermark a
 *   minute back (the job runs every minute): a run adds the counts of the mentions since
 *   (`campaignMentionsCounted`: fewer than a minute's worth, since they were inserted a
 *   while before the run);
 * - with 100 changed 5-minute buckets queued, spread over the 6 days before the last hour
 *   (retries of old request_ids): a run recounts 12 of them (MAX_CHANGED_BUCKETS in
 *   postgres-store.ts) and leaves the rest to the next runs.
 */
async function rollupRunCosts(dsn: string, store: PostgresStore): Promise<Record<string, unknown>> {
  const client = new Client({ connectionString: dsn });
  await client.connect();
  try {
    const rate = 2500;
    const minutes = 6;
    await insertMentions(client, { ...mentionData, rows: rate * 60 * minutes, days: minutes / 1440 });
    await client.query('ANALYZE entity_mentions');
    const campaign = await medianRun(
      5,
      async () => {
        const { rows } = await client.query(`
          UPDATE mention_rollup_state SET rolled_up_to = now() - interval '1 minute'
          RETURNING (SELECT count(*)::int FROM entity_mentions WHERE processed_at >= now() - interval '1 minute') AS counted`);
        return rows[0].counted as number;
      },
      () => store.rollUpMentions(),
    );
    const changed = await medianRun(
      5,
      // Before the last hour: the campaign's minutes are not what a late retry changes.
      () => client.query(`INSERT INTO mention_rollup_changes SELECT now() - interval '1 hour' - random() * interval '6 days' FROM generate_series(1, 100)`),
      () => store.rollUpMentions(),
    );
    // The rest of these made-up changes would keep the store's background job recounting
    // (holding the job's lock) for minutes: they change nothing, so they go.
    await client.query('DELETE FROM mention_rollup_changes');
    return {
      campaignMentionsPerSecond: rate,
      campaignRunMs: campaign.ms,
      campaignMentionsCounted: campaign.prepared,
      hundredChangedBucketsRunMs: changed.ms,
    };
  } finally {
    await client.end();
  }
}

/**
 * Raw-data retention at the end of the analytics data: with RAW_RETENTION_DAYS 6, the oldest
 * day of the week of mentions (less the hour kept as margin) goes, in the store's batches.
 */
async function retentionCosts(config: PostgresConfig): Promise<Record<string, unknown>> {
  // Its own background job stays off (an hour away): it would take the lock from the runs measured.
  const keeping = await PostgresStore.open({ ...config, rawRetentionDays: 6 }, { rollupIntervalMs: 3_600_000 });
  const client = new Client({ connectionString: config.primaryDsn });
  await client.connect();
  const count = async () => (await client.query('SELECT count(*)::int AS n FROM entity_mentions')).rows[0].n as number;
  try {
    const before = await count();
    const started = performance.now();
    let runs = 1;
    while (!(await keeping.expireRawData())) runs += 1;
    const secondsTaken = (performance.now() - started) / 1000;
    const deleted = before - (await count());
    return { mentionsDeleted: deleted, runs, seconds: round(secondsTaken, 1), mentionsDeletedPerSecond: Math.round(deleted / secondsTaken) };
  } finally {
    await client.end();
    await keeping.close();
  }
}

async function main(): Promise<void> {
  const cluster = await PgCluster.start({ settings: { max_wal_size: '4GB' } });
  let store: PostgresStore | undefined;
  try {
    await migrate(cluster.primaryDsn);
    const config: PostgresConfig = {
      primaryDsn: cluster.primaryDsn,
      replicaDsn: cluster.replicaDsn,
      poolMax: writers,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 60_000,
      readWaitMs: 200,
      retryAfterSeconds: 1,
      writeMaxConcurrent: writers,
      writeMaxBatchRows: 1000,
      writeWindowMs: 0,
      // The benchmark's mentions are generated up to a week back and kept.
      rawRetentionDays: 0,
    };
    store = await PostgresStore.open(config);
    const ready = store;
    // Without group commit: one transaction per save, as many in flight as the function's pool allows.
    const ungrouped = await PostgresStore.open({ ...config, poolMax: 16, writeMaxConcurrent: 16, writeMaxBatchRows: 1 });

    const plain = new Pool({ connectionString: cluster.primaryDsn, max: writers });
    const plainInsert = async () => {
      const row = comment();
      await plain.query(
        `INSERT INTO enriched_texts (request_id, entities, entity_count, model_version, text_length) VALUES ($1, $2, $3, $4, $5)`,
        [row.requestId, JSON.stringify(row.entities), row.entities.length, row.modelVersion, row.textLength],
      );
    };
    const writes = {
      writers,
      batchWriter100RowsPerSecond: await rowsPerSecond(100, () => ready.save(Array.from({ length: 100 }, comment))),
      storeOneRowPerSaveRowsPerSecond: await rowsPerSecond(1, () => ready.save([comment()])),
      // Many concurrent one-row saves: group commit merges them into shared transactions.
      groupCommit32CallersRowsPerSecond: await rowsPerSecond(1, () => ready.save([comment()]), 32),
      oneTransactionPerSave32CallersRowsPerSecond: await rowsPerSecond(1, () => ungrouped.save([comment()]), 32),
      // The naive writer: one autocommit INSERT per comment, no mentions.
      plainOneRowInsertRowsPerSecond: await rowsPerSecond(1, plainInsert),
    };
    await Promise.all([plain.end(), ungrouped.close()]);

    await cluster.waitForReplica(60_000);
    const ids = (await cluster.query(cluster.primaryDsn, 'SELECT request_id FROM enriched_texts LIMIT 1000')).map(
      (row) => row.request_id as string,
    );
    const { consistencyToken } = await ready.save([comment()]);
    await cluster.waitForReplica(60_000);
    let next = 0;
    const reads = {
      tokenless: await latencyMs(2000, () => ready.findResult(ids[next++ % ids.length]!)),
      withReplayedToken: await latencyMs(2000, () => ready.findResult(ids[next++ % ids.length]!, consistencyToken)),
      servedBy: (await ready.findResult(ids[0]!)).source,
    };

    const { loadSeconds, distribution } = await loadMentions(cluster.primaryDsn);
    const rollupStarted = performance.now();
    while (!(await ready.rollUpMentions(24))) {
      // a day of hours per run, as the background job would over several minutes
    }
    const rollupSeconds = Math.round((performance.now() - rollupStarted) / 1000);
    // The background job's usual run: the mentions since the last one.
    const steadyStarted = performance.now();
    await ready.rollUpMentions();
    const rollupSteadyStateMs = Math.round(performance.now() - steadyStarted);
    const [rollupRows] = await cluster.query(
      cluster.primaryDsn,
      `SELECT (SELECT count(*)::int FROM entity_mentions_hourly) AS "entityMentionsHourly",
              (SELECT count(*)::int FROM label_mentions_hourly) AS "labelMentionsHourly",
              (SELECT count(*)::int FROM entity_mentions_5min) AS "entityMentions5min",
              (SELECT count(*)::int FROM label_mentions_5min) AS "labelMentions5min"`,
    );
    // Steady state: autovacuum would have set the visibility map and statistics by now.
    await cluster.query(
      cluster.primaryDsn,
      'VACUUM ANALYZE entity_mentions, entity_mentions_hourly, label_mentions_hourly, entity_mentions_5min, label_mentions_5min',
    );
    const [rollupMegabytes] = await cluster.query(
      cluster.primaryDsn,
      `SELECT pg_total_relation_size('entity_mentions') / 1048576 AS "entityMentions",
              pg_total_relation_size('entity_mentions_hourly') / 1048576 AS "entityMentionsHourly",
              pg_total_relation_size('entity_mentions_5min') / 1048576 AS "entityMentions5min"`,
    );
    const replicaStarted = performance.now();
    await cluster.waitForReplica(600_000);
    const replicaCatchUpSeconds = Math.round((performance.now() - replicaStarted) / 1000);
    const now = Date.now();
    const lastDay = { from: new Date(now - 86_400_000), to: new Date(now) };
    const lastWeek = { from: new Date(now - 7 * 86_400_000), to: new Date(now) };
    // Windows starting inside an hour: at half past (before 5-minute rollups, the longest raw
    // edge: 30 minutes), and just past a whole hour (now the most edge work: 11 five-minute
    // buckets and 5 minutes of raw mentions).
    const dayAgoHour = Math.floor((now - 86_400_000) / 3_600_000) * 3_600_000;
    const dayFromHalfPast = { from: new Date(dayAgoHour + 1_800_000), to: new Date(now) };
    const dayFromJustPastHour = { from: new Date(dayAgoHour + 1), to: new Date(now) };
    const times = 20;
    const analytics = {
      data: { ...mentionData, distribution },
      rollupRows,
      rollupMegabytes,
      loadSeconds,
      rollupSeconds,
      rollupSteadyStateMs,
      replicaCatchUpSeconds,
      servedBy: (await ready.freshness()).source,
      topEntitiesOneLabelLastDay: await latencyMs(times, () => ready.topEntities({ ...lastDay, label: 'PERSON', limit: 10 })),
      topEntitiesAllLabelsLastDay: await latencyMs(times, () => ready.topEntities({ ...lastDay, limit: 10 })),
      topEntitiesAllLabelsDayFromHalfPast: await latencyMs(times, () => ready.topEntities({ ...dayFromHalfPast, limit: 10 })),
      topEntitiesAllLabelsDayFromJustPastHour: await latencyMs(times, () => ready.topEntities({ ...dayFromJustPastHour, limit: 10 })),
      topEntitiesOneLabelLastWeek: await latencyMs(times, () => ready.topEntities({ ...lastWeek, label: 'PERSON', limit: 10 })),
      mentionsPerHourLastDay: await latencyMs(times, () => ready.mentionsOverTime({ ...lastDay, bucket: 'hour' })),
      mentionsPerDayLastWeek: await latencyMs(times, () => ready.mentionsOverTime({ ...lastWeek, bucket: 'day' })),
      freshness: await latencyMs(times, () => ready.freshness()),
    };

    const rollupRuns = await rollupRunCosts(cluster.primaryDsn, ready);
    const retention = await retentionCosts(config);

    writeResults('persistence-db', {
      note: 'PostgreSQL primary + replica on the same 2-core machine as the benchmark; fsync and synchronous_commit on',
      secondsPerRun: seconds,
      writes: {
        ...writes,
        batchVsPlainInsert: round(writes.batchWriter100RowsPerSecond / writes.plainOneRowInsertRowsPerSecond, 1),
        groupCommitVsOneTransactionPerSave: round(writes.groupCommit32CallersRowsPerSecond / writes.oneTransactionPerSave32CallersRowsPerSecond, 1),
      },
      replicaReads: reads,
      analytics,
      rollupRuns,
      retention,
    });
  } finally {
    await store?.close();
    await cluster.destroy();
    // Gigabytes of table and WAL files were just written and removed: flush them now, so their
    // writeback does not slow the benchmark that runs next (persistence-http, run right after
    // without it, gave 13% fewer persisted comments a second than a run after a sync).
    execFileSync('sync');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
