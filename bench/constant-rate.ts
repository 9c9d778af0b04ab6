/**
 * Latency at a fixed request rate, measured open-loop: request i is due at start + i/rate
 * whatever the server is doing, and its latency runs from that due time to the end of its
 * answer. A server that stalls therefore shows the stall in every request due meanwhile,
 * instead of holding the load back (no coordinated omission).
 *
 * autocannon's `overallRate` cannot measure this: each connection sends its share of a
 * second's quota back to back, as fast as the server answers, then waits for the next
 * second (lib/httpClient.js, `reqsMadeThisSecond`), so half the peak rate is really full
 * load for half of each second. Its latency correction then assumes a 1 ms interval
 * between requests (`Math.ceil(1 / rate)` in lib/run.js mixes seconds and milliseconds)
 * and adds L-1 synthetic samples for every answer of L ms, so one 250 ms pause becomes
 * thousands of samples. autocannon stays the throughput tool; this module is for latency.
 *
 * The client is Node's own http.Agent with keep-alive; connections open as needed up to
 * `maxConnections`, and a request waiting for one counts that wait as latency.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile, round } from './lib';

export interface ConstantRateOptions {
  /** Full URL of the endpoint, e.g. http://127.0.0.1:8080/ */
  url: string;
  /** Requests per second, spread evenly. */
  rate: number;
  /** Seconds of scheduled requests. */
  duration: number;
  /** Request bodies, sent in turn (POST). */
  bodies: readonly string[];
  headers?: Record<string, string>;
  /** Most connections the client opens (default 64). */
  maxConnections?: number;
  /** How long to wait for outstanding answers once the schedule is over (default 10 s); later ones count as errors. */
  drainTimeoutMs?: number;
}

export interface ConstantRateResult {
  rate: number;
  /** Requests due in the run: rate x duration. */
  scheduled: number;
  /** Answers with a 2xx status. */
  completed: number;
  /** 2xx answers per second of the run, the schedule plus the wait for the last answers. */
  requests_per_second: number;
  /** From each request's due time to the end of its answer, 2xx only. */
  latency_ms: { p50: number; p90: number; p99: number; p999: number; max: number };
  /** How late the client itself was in sending (timer and event-loop delay); part of latency_ms. */
  send_lag_ms: { p50: number; p99: number; max: number };
  /** Connection failures and answers still missing after the drain timeout. */
  errors: number;
  non_2xx: number;
}

export async function constantRate(options: ConstantRateOptions): Promise<ConstantRateResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxConnections ?? 64 });
  const headers = options.headers ?? { 'content-type': 'application/json' };
  const interval = 1000 / options.rate;
  const scheduled = Math.round(options.rate * options.duration);
  const latencies: number[] = [];
  const lags: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let outstanding = 0;
  let allAnswered: () => void = () => {};

  const send = (index: number, due: number) => {
    outstanding++;
    lags.push(performance.now() - due);
    const finish = () => {
      outstanding--;
      if (outstanding === 0) allAnswered();
    };
    const request = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: 'POST', headers, agent },
      (response) => {
        response.on('end', () => {
          if (response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300) {
            latencies.push(performance.now() - due);
          } else {
            non2xx++;
          }
          finish();
        });
        response.resume();
      },
    );
    request.on('error', () => {
      errors++;
      finish();
    });
    request.end(options.bodies[index % options.bodies.length]);
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out now; its latency still counts from its due time.
      while (next < scheduled && start + next * interval <= now) {
        send(next, start + next * interval);
        next++;
      }
      if (next < scheduled) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  const drained = await new Promise<boolean>((resolve) => {
    if (outstanding === 0) return resolve(true);
    const timer = setTimeout(() => resolve(false), options.drainTimeoutMs ?? 10_000);
    allAnswered = () => {
      clearTimeout(timer);
      resolve(true);
    };
  });
  const elapsedSeconds = (performance.now() - start) / 1000;
  if (!drained) errors += outstanding;
  agent.destroy();

  const ms = (values: readonly number[], p: number) => round(percentile(values, p));
  return {
    rate: options.rate,
    scheduled,
    completed: latencies.length,
    requests_per_second: Math.round(latencies.length / elapsedSeconds),
    latency_ms: { p50: ms(latencies, 50), p90: ms(latencies, 90), p99: ms(latencies, 99), p999: ms(latencies, 99.9), max: ms(latencies, 100) },
    send_lag_ms: { p50: ms(lags, 50), p99: ms(lags, 99), max: ms(lags, 100) },
    errors,
    non_2xx: non2xx,
  };
}
