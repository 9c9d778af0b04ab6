/**
 * HTTP + NER + durable write: the compiled function against a local PostgreSQL primary
 * (synchronous_commit and fsync on) with a streaming replica, loaded by autocannon.
 * Single comments at several concurrencies, with group commit (the default) and without (one
 * transaction per request, DB_WRITE_MAX_BATCH_ROWS=1), alternated; batches of 100 at several
 * concurrencies (comments/s, p50/p99), and both again from a function process with WORKERS=2
 * (`workers2`: both cores recognizing); then token-less reads of stored results (served by
 * the replica). Afterwards every acknowledged comment is counted in the database.
 * BENCH_SECONDS sets each run's duration (default 10). BENCH_PARTS limits the runs to some of
 * `single,batch100,workers2,reads` (default all), e.g. `batch100,workers2` to compare write paths.
 * Writes bench/results/persistence-http.json.
 */
import autocannon from 'autocannon';
import { migrate } from '../function/src/storage/migrations';
import { PgCluster } from '../function/test/support/pg-cluster';
import { readConll, WNUT_DEV, WNUT_TRAIN } from '../scripts/ner/conll';
import { startServer, type RunningServer } from '../function/test/server';
import { round, writeResults } from './lib';
import { cpuMeter, postmasterPid } from './process-cpu';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const PARTS = ['single', 'batch100', 'workers2', 'reads'] as const;
const parts = new Set((process.env.BENCH_PARTS ?? PARTS.join(',')).split(',').map((part) => part.trim()));
for (const part of parts) {
  if (!(PARTS as readonly string[]).includes(part)) throw new Error(`BENCH_PARTS: unknown part ${part} (known: ${PARTS.join(', ')})`);
}
const texts = [...readConll(WNUT_TRAIN), ...readConll(WNUT_DEV)].map((example) => example.text);
let cursor = 0;
const nextText = (): string => texts[cursor++ % texts.length]!;

interface Run {
  connections: number;
  commentsPerSecond: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** CPU microseconds per acknowledged comment: the function's processes, PostgreSQL's (primary and replica), autocannon's. */
  cpuUsPerComment: { function: number; postgres: number; loadGenerator: number };
  /** WAL the primary wrote per acknowledged comment (what the replica receives and replays). */
  walBytesPerComment: number;
}

/** Where the CPU goes: the function's process tree and PostgreSQL's (set once the cluster runs). */
const cpuRoots = { postgres: [] as number[] };
/** The cluster under load (set once it runs): the WAL it writes per comment. */
let underLoad: PgCluster | undefined;

/** WAL bytes the primary has written since `from` (a WAL position), and the position now. */
async function walSince(from: string | undefined): Promise<{ bytes: number; lsn: string }> {
  const [row] = await underLoad!.query(
    underLoad!.primaryDsn,
    'SELECT pg_current_wal_lsn()::text AS lsn, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn), 0)::float8 AS bytes',
    [from ?? null],
  );
  return { bytes: row.bytes as number, lsn: row.lsn as string };
}

async function load(
  fn: RunningServer,
  connections: number,
  itemsPerRequest: number,
): Promise<Run & { acknowledged: number }> {
  const body = (): string =>
    itemsPerRequest === 1
      ? JSON.stringify({ text: nextText() })
      : JSON.stringify({ items: Array.from({ length: itemsPerRequest }, () => ({ text: nextText() })) });
  const functionCpu = cpuMeter([fn.process.pid!]);
  const postgresCpu = cpuMeter(cpuRoots.postgres);
  const loadGeneratorCpu = process.cpuUsage();
  const walStart = await walSince(undefined);
  const result = await autocannon({
    url: `${fn.url}/`,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
  const acknowledged = result['2xx'] * itemsPerRequest;
  const wal = await walSince(walStart.lsn);
  const perComment = (seconds: number) => (acknowledged > 0 ? Math.round((seconds * 1e6) / acknowledged) : 0);
  return {
    connections,
    commentsPerSecond: Math.round((result['2xx'] * itemsPerRequest) / result.duration),
    requestsPerSecond: Math.round(result['2xx'] / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    acknowledged,
    cpuUsPerComment: {
      function: perComment(functionCpu.stop()),
      postgres: perComment(postgresCpu.stop()),
      loadGenerator: perComment(Object.values(process.cpuUsage(loadGeneratorCpu)).reduce((a, b) => a + b, 0) / 1e6),
    },
    walBytesPerComment: acknowledged > 0 ? Math.round(wal.bytes / acknowledged) : 0,
  };
}

/** Token-less reads of stored results at 16 connections (served by the replica). */
async function readStored(cluster: PgCluster, url: string) {
  await cluster.waitForReplica(60_000);
  const ids = (await cluster.query(cluster.primaryDsn, 'SELECT request_id FROM enriched_texts LIMIT 10000')).map(
    (row) => row.request_id as string,
  );
  let next = 0;
  const reads = await autocannon({
    url,
    connections: 16,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, method: 'GET', path: `/entities/${ids[next++ % ids.length]}` }) }],
  });
  const sources = new Set<string>();
  for (const id of ids.slice(0, 20)) sources.add((await fetch(`${url}/entities/${id}`)).headers.get('x-read-source') ?? '');
  return {
    connections: 16,
    requestsPerSecond: Math.round(reads['2xx'] / reads.duration),
    p50Ms: reads.latency.p50,
    p99Ms: reads.latency.p99,
    non2xx: reads.non2xx,
    servedBy: [...sources],
  };
}

async function main(): Promise<void> {
  const cluster = await PgCluster.start();
  const database = { PERSISTENCE: 'postgres', DB_PRIMARY_DSN: cluster.primaryDsn, DB_REPLICA_DSN: cluster.replicaDsn, DB_POOL_MAX: '16' };
  const [fn, ungrouped, twoWorkers] = await (async () => {
    await migrate(cluster.primaryDsn);
    cpuRoots.postgres = [cluster.primary, cluster.replica].map((server) => postmasterPid(server.options.dataDir));
    underLoad = cluster;
    return Promise.all([
      startServer(database, { keepLogs: false }),
      // Group commit off: one transaction per request, up to the pool's 16 at once.
      startServer({ ...database, DB_WRITE_MAX_BATCH_ROWS: '1', DB_WRITE_MAX_CONCURRENT: '16' }, { keepLogs: false }),
      // Both cores for the function: two workers behind one port, 8 connections each.
      startServer({ ...database, DB_POOL_MAX: '8', WORKERS: '2' }, { keepLogs: false }),
    ]);
  })().catch(async (error: unknown) => {
    await cluster.destroy();
    throw error;
  });
  try {
    let acknowledged = 0;
    const strip = ({ acknowledged: count, ...run }: Run & { acknowledged: number }): Run => {
      acknowledged += count;
      return run;
    };
    const single: Run[] = [];
    const singleOneTransactionPerRequest: Run[] = [];
    for (const connections of parts.has('single') ? [8, 32, 64] : []) {
      // Alternated, so both see the same machine load.
      single.push(strip(await load(fn, connections, 1)));
      singleOneTransactionPerRequest.push(strip(await load(ungrouped, connections, 1)));
    }
    const batch100: Run[] = [];
    for (const connections of parts.has('batch100') ? [2, 8] : []) batch100.push(strip(await load(fn, connections, 100)));
    const twoWorkersSingle: Run[] = [];
    const twoWorkersBatch100: Run[] = [];
    if (parts.has('workers2')) {
      twoWorkersSingle.push(strip(await load(twoWorkers, 64, 1)));
      for (const connections of [4, 8]) twoWorkersBatch100.push(strip(await load(twoWorkers, connections, 100)));
    }

    const [{ stored }] = await cluster.query(cluster.primaryDsn, 'SELECT count(*)::int AS stored FROM enriched_texts');
    const replicaReads = parts.has('reads') ? await readStored(cluster, fn.url) : undefined;

    writeResults('persistence-http', {
      note: 'the function (one process, or WORKERS=2 under workers2) and PostgreSQL primary + replica on the same 2-core machine; fsync and synchronous_commit on',
      secondsPerRun: seconds,
      parts: [...parts],
      single,
      singleOneTransactionPerRequest,
      groupCommitSpeedup: single.map((run, i) => round(run.commentsPerSecond / singleOneTransactionPerRequest[i]!.commentsPerSecond, 1)),
      batch100,
      workers2: { single: twoWorkersSingle, batch100: twoWorkersBatch100 },
      acknowledgedComments: acknowledged,
      storedRows: stored,
      everyAcknowledgedStored: stored >= acknowledged,
      replicaReads,
    });
  } finally {
    await Promise.all([fn.stop(), ungrouped.stop(), twoWorkers.stop()]);
    await cluster.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
