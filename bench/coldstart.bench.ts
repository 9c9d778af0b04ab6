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
 *
 * COLDSTART_BASELINE=<another function folder, built> interleaves its runs with this one's
 * (baseline, this, baseline, ...) and reports both: on a shared machine only figures taken
 * side by side compare.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { FUNCTION_DIR, SERVER_COMMAND } from '../function/test/server';
import { median, scaled, writeResults } from './lib';
import { cpuSeconds } from './process-cpu';

const PORT = 18_000 + (process.pid % 1000);
const BASELINE_DIR = process.env.COLDSTART_BASELINE?.trim() || undefined;

/**
 * The first request holds an emoji: the grapheme segmenter (wink.ts) is made on the first
 * comment with an emoji entity, so the figure includes that work rather than leave it to a
 * later request.
 */
const FIRST_BODY = JSON.stringify({ text: 'ready at 5pm? 🎉' });

async function firstSuccess(url: string, started: bigint): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(url, { method: 'POST', body: FIRST_BODY, headers: { 'content-type': 'application/json' } });
      if (response.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * CPU time of a process's main thread (the one start-up waits on; GC helpers excluded), from
 * /proc/<pid>/schedstat in nanoseconds: the steadiest start-up figure on a busy machine.
 */
function mainThreadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
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

interface Runs {
  times: number[];
  ready: ReadyLine[];
  cpu: number[];
  mainThreadCpu: number[];
  emptyNode: number[];
}

/** One cold start of the server in `functionDir`, from spawn to its first 200. */
async function coldStart(functionDir: string, runs: Runs): Promise<void> {
  runs.emptyNode.push(await emptyNodeMs());
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, SERVER_COMMAND.slice(1), {
    cwd: functionDir,
    env: { PATH: process.env.PATH, PERSISTENCE: 'off', PORT: String(PORT), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = readyLine(child);
  runs.times.push(await firstSuccess(`http://127.0.0.1:${PORT}/`, started));
  runs.cpu.push(cpuSeconds(child.pid!) * 1000);
  runs.mainThreadCpu.push(mainThreadCpuMs(child.pid!));
  runs.ready.push(await line);
  child.kill('SIGTERM');
  await once(child, 'exit');
}

function figures({ times, ready, cpu, mainThreadCpu, emptyNode }: Runs) {
  return {
    median_ms: Math.round(median(times)),
    runs_ms: times.map((time) => Math.round(time)),
    breakdown_median_ms: {
      empty_node: Math.round(median(emptyNode)),
      server_reports_listening: median(ready.map((line) => line.startup_ms)),
      server_reports_model_load: median(ready.map((line) => line.model_load_ms)),
      server_cpu_to_first_response: median(cpu),
      server_main_thread_cpu_to_first_response: Math.round(median(mainThreadCpu)),
    },
  };
}

async function main() {
  const count = Math.max(5, scaled(5));
  const runs: Runs = { times: [], ready: [], cpu: [], mainThreadCpu: [], emptyNode: [] };
  const baseline: Runs = { times: [], ready: [], cpu: [], mainThreadCpu: [], emptyNode: [] };
  for (let run = 0; run < count; run += 1) {
    if (BASELINE_DIR) await coldStart(BASELINE_DIR, baseline);
    await coldStart(FUNCTION_DIR, runs);
  }
  writeResults('coldstart', {
    ...figures(runs),
    ...(BASELINE_DIR ? { baseline: { function_dir: BASELINE_DIR, ...figures(baseline) } } : {}),
  });
}

void main();
