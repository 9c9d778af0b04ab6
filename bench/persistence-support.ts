/** Small helpers shared by the persistence benchmarks. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The q-quantile (0..1) of unsorted samples. */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Prints the figures and writes bench/results/<name>.json. */
export function report(name: string, results: unknown): void {
  console.log(JSON.stringify(results, null, 2));
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
