/**
 * HTTP throughput and latency with autocannon against the compiled server (as the
 * container runs it, PERSISTENCE=off, info logs on): single comments and batches of 100
 * at several concurrencies, then single comments at half the peak rate for latency, twice:
 * with autocannon's rate limit (`single_at_half_peak`, kept for comparison; it sends each
 * second's quota in a burst, see constant-rate.ts) and open-loop at evenly spaced arrivals
 * (`single_at_half_peak_constant_arrival`), plus open-loop at the target's 2,500/s.
 * First one server process, then (`workers_2`) the same runs with WORKERS=2, both cores.
 * Targets: >= 5,000 single requests/s on 2 cores, p99 < 10 ms at half that rate,
 * batches of 100 >= 15,000 comments/s. Load generator and server share the machine.
 */
import { startServer } from '../function/test/server';
import { constantRate } from './constant-rate';
import { load, type LoadResult } from './load';
import { scaled, writeResults } from './lib';
import { readWnut17 } from './wnut17';

const texts = readWnut17('wnut17train.conll');
const singles = texts.slice(0, 2000).map((text) => JSON.stringify({ text }));
const batches = Array.from({ length: 20 }, (_, index) =>
  JSON.stringify({ items: texts.slice(index * 100, index * 100 + 100).map((text) => ({ text })) }));
const duration = scaled(10);
/** Half the 5,000/s single-request target: the rate the p99 target is stated at. */
const TARGET_HALF_RATE = 2500;

/** Every run against one server: throughput at each concurrency, then latency at fixed rates. */
async function measure(url: string, singleConnections: number[], batchConnections: number[]) {
  await load({ url, connections: 10, duration: Math.min(3, duration), bodies: singles }); // warm-up
  const single: Record<string, LoadResult> = {};
  for (const connections of singleConnections) {
    single[`c${connections}`] = await load({ url, connections, duration, bodies: singles });
  }
  const batch: Record<string, LoadResult & { comments_per_second: number }> = {};
  for (const connections of batchConnections) {
    const result = await load({ url, connections, duration, bodies: batches });
    batch[`c${connections}`] = { ...result, comments_per_second: result.requests_per_second * 100 };
  }
  const peak = Math.max(...Object.values(single).map((result) => result.requests_per_second));
  const half = Math.round(peak / 2);
  const halfRate = await load({ url, connections: 10, duration, bodies: singles, overallRate: half });
  return {
    single,
    batch_of_100: batch,
    single_at_half_peak: { rate: half, ...halfRate },
    single_at_half_peak_constant_arrival: await constantRate({ url: `${url}/`, rate: half, duration, bodies: singles }),
    single_at_target_half_rate_constant_arrival: await constantRate({ url: `${url}/`, rate: TARGET_HALF_RATE, duration, bodies: singles }),
  };
}

/** One server process with WORKERS=workers, measured, then stopped. */
async function withServer<T>(workers: number, run: (url: string) => Promise<T>): Promise<T> {
  const server = await startServer({ WORKERS: String(workers) }, { keepLogs: false });
  try {
    return await run(server.url);
  } finally {
    await server.stop();
  }
}

async function main() {
  const oneWorker = await withServer(1, (url) => measure(url, [1, 10, 50], [1, 4, 16]));
  // Both cores: two workers behind one port (WORKERS=2), the load generator on the same cores.
  const twoWorkers = await withServer(2, (url) => measure(url, [10, 50], [4, 16]));
  writeResults('http', { duration_s_per_run: duration, ...oneWorker, workers_2: twoWorkers });
}

void main();
