/** Shared by the benchmark scripts: sizes, percentiles, results files. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FUNCTION_DIR } from '../function/src/paths';
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

type RecognizerModule = typeof import('../function/src/recognizer') & Pick<typeof import('../function/src/recognizer/wink'), 'createWinkRecognizer'>;

/**
 * The recognizer compiled as the function runs it: bundled with function/build.js's options
 * (tsx's on-the-fly transpile of src/ runs the hot loops about 20% slower). The bundle is
 * written into function/dist beside the function's, so its data paths resolve as theirs do.
 */
export function compiledRecognizer(): RecognizerModule {
  const functionRequire = createRequire(path.join(FUNCTION_DIR, 'package.json'));
  const { BUNDLE_OPTIONS } = functionRequire('./build.js') as { BUNDLE_OPTIONS: object };
  const esbuild = functionRequire('esbuild') as typeof import('esbuild');
  const outfile = path.join(FUNCTION_DIR, 'dist', 'recognizer.bench.js');
  esbuild.buildSync({
    ...BUNDLE_OPTIONS,
    stdin: {
      contents: "export * from './recognizer'; export { createWinkRecognizer } from './recognizer/wink';",
      resolveDir: path.join(FUNCTION_DIR, 'src'),
      loader: 'ts',
    },
    outfile,
  });
  return functionRequire(outfile) as RecognizerModule;
}
