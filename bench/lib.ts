/** Shared by the benchmark scripts: sizes, percentiles, results files. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** BENCH_SCALE=0.1 for a quick smoke run; 1 (default) for the figures. */
export const SCALE = Number(process.env.BENCH_SCALE ?? '1');

export function scaled(full: number, minimum = 1): number {
  return Math.max(minimum, Math.round(full * SCALE));
}

/** The p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Prints the figures and writes bench/results/<name>.json with the machine they came from. */
export function writeResults(name: string, figures: Record<string, unknown>): void {
  const record = {
    benchmark: name,
    at: new Date().toISOString(),
    scale: SCALE,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
    ...figures,
  };
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round(Number(match[1]) / 1024);
}

/**
 * The recognizer modules as the function runs them: compiled into function/dist by
 * `npm run build`, which `npm run bench` runs first. tsx's on-the-fly transpile of src/
 * runs the hot loops about 20% slower, so benchmarks of src/ would understate the function.
 */
export const compiled = {
  recognizer: (): typeof import('../function/src/recognizer') => require('../function/dist/recognizer'),
  wink: (): typeof import('../function/src/recognizer/wink') => require('../function/dist/recognizer/wink'),
};
