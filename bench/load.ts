/** Typed entry to autocannon (it ships no type declarations): just what the benchmarks use. */
export interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  method?: 'POST';
  headers?: Record<string, string>;
  /** Request bodies, sent in turn. */
  bodies: readonly string[];
  overallRate?: number;
}

export interface LoadResult {
  requests_per_second: number;
  latency_ms: { p50: number; p99: number; max: number };
  requests: number;
  errors: number;
  non_2xx: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

interface AutocannonRequest {
  body?: string;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = require('autocannon') as Autocannon;

export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    method: options.method ?? 'POST',
    headers: options.headers ?? { 'content-type': 'application/json' },
    overallRate: options.overallRate,
    requests: [
      {
        setupRequest: (request: AutocannonRequest) => {
          request.body = options.bodies[next++ % options.bodies.length];
          return request;
        },
      },
    ],
  });
  return {
    requests_per_second: Math.round(result.requests.average),
    latency_ms: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non_2xx: result.non2xx,
  };
}
