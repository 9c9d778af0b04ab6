/**
 * Cold start: from spawning `node dist/main.js` to the first successful POST /, median
 * of 5 (target <= 500 ms). Polls with a real request, so it measures "serving", not
 * "listening".
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { FUNCTION_DIR, SERVER_COMMAND } from '../function/test/server';
import { median, scaled, writeResults } from './lib';

const PORT = 18_000 + (process.pid % 1000);

async function firstSuccess(url: string, started: bigint): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(url, { method: 'POST', body: '{"text":"ready at 5pm?"}', headers: { 'content-type': 'application/json' } });
      if (response.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function main() {
  const runs = Math.max(5, scaled(5));
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, SERVER_COMMAND.slice(1), {
      cwd: FUNCTION_DIR,
      env: { PATH: process.env.PATH, PERSISTENCE: 'off', PORT: String(PORT), HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    times.push(await firstSuccess(`http://127.0.0.1:${PORT}/`, started));
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  writeResults('coldstart', {
    median_ms: Math.round(median(times)),
    runs_ms: times.map((time) => Math.round(time)),
  });
}

void main();
