/**
 * HTTP throughput and latency with autocannon against the compiled server (as the
 * container runs it, PERSISTENCE=off, info logs on): single comments and batches of 100
 * at several concurrencies, then single comments at half the peak rate for latency.
 * Targets: >= 5,000 single requests/s on 2 cores, p99 < 10 ms at half that rate,
 * batches of 100 >= 15,000 comments/s. Load generator and server share the machine.
 */
import { startServer } from '../function/test/server';
import { load, type LoadResult } from './load';
import { scaled, writeResults } from './lib';
import { readWnut17 } from './wnut17';

const texts = readWnut17('wnut17train.conll');
const singles = texts.slice(0, 2000).map((text) => JSON.stringify({ text }));
const batches = Array.from({ length: 20 }, (_, index) =>
  JSON.stringify({ items: texts.slice(index * 100, index * 100 + 100).map((text) => ({ text })) }));
const duration = scaled(10);

async function main() {
  const server = await startServer({}, { keepLogs: false });
  try {
    await load({ url: server.url, connections: 10, duration: Math.min(3, duration), bodies: singles }); // warm-up
    const single: Record<string, LoadResult> = {};
    for (const connections of [1, 10, 50]) {
      single[`c${connections}`] = await load({ url: server.url, connections, duration, bodies: singles });
    }
    const batch: Record<string, LoadResult & { comments_per_second: number }> = {};
    for (const connections of [1, 4, 16]) {
      const result = await load({ url: server.url, connections, duration, bodies: batches });
      batch[`c${connections}`] = { ...result, comments_per_second: result.requests_per_second * 100 };
    }
    const peak = Math.max(...Object.values(single).map((result) => result.requests_per_second));
    const halfRate = await load({ url: server.url, connections: 10, duration, bodies: singles, overallRate: Math.round(peak / 2) });
    writeResults('http', {
      duration_s_per_run: duration,
      single,
      batch_of_100: batch,
      single_at_half_peak: { rate: Math.round(peak / 2), ...halfRate },
    });
  } finally {
    await server.stop();
  }
}

void main();
