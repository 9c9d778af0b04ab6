/**
 * Cold start: from spawning `node dist/main.js` to the first successful POST /, median
 * of 5 (target <= 500 ms). Polls with a real request, so it measures "serving", not
 * "listening".
 *
 * The breakdown puts the figure in context on a shared machine: how long an empty `node`
 * takes to start and exit here, what the server itself reports in its ready line
 * (`startup_ms` from process start to listening, `model_load_ms` for wink and the NER model),
 * and the CPU time the server used until its first answer (less sensitive to other load
 * than wall time; 10 ms resolution).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
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

/** User + system CPU time of a running process, from /proc (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface ReadyLine {
  startup_ms: number;
  model_load_ms: number;
}

function readyLine(child: ChildProcess): Promise<ReadyLine> {
  return new Promise((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as ReadyLine & { message: string };
      if (line.message === 'ner-processor ready') resolve(line);
    });
  });
}

/** Spawn to exit of `node -e 0`: the floor under any Node server's cold start on this machine. */
async function emptyNodeMs(): Promise<number> {
  const started = process.hrtime.bigint();
  await once(spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }), 'exit');
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
  const runs = Math.max(5, scaled(5));
  const times: number[] = [];
  const ready: ReadyLine[] = [];
  const cpu: number[] = [];
  const emptyNode: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    emptyNode.push(await emptyNodeMs());
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, SERVER_COMMAND.slice(1), {
      cwd: FUNCTION_DIR,
      env: { PATH: process.env.PATH, PERSISTENCE: 'off', PORT: String(PORT), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = readyLine(child);
    times.push(await firstSuccess(`http://127.0.0.1:${PORT}/`, started));
    cpu.push(cpuMs(child.pid!));
    ready.push(await line);
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  writeResults('coldstart', {
    median_ms: Math.round(median(times)),
    runs_ms: times.map((time) => Math.round(time)),
    breakdown_median_ms: {
      empty_node: Math.round(median(emptyNode)),
      server_reports_listening: median(ready.map((line) => line.startup_ms)),
      server_reports_model_load: median(ready.map((line) => line.model_load_ms)),
      server_cpu_to_first_response: median(cpu),
    },
  });
}

void main();
