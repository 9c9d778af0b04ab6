/**
 * The compiled function (`node dist/main.js`, as the image runs it) in a child process on a
 * free port, for benchmarks. Unlike function/test/server.ts (tests), it can discard the
 * request log lines instead of parsing and keeping them in this process, which under load
 * would compete with the load generator for CPU and memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../function/test/support/postgres-server';

const functionDir = path.resolve(__dirname, '..', 'function');

export interface FunctionProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout (its JSON log lines). */
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  timeoutMs?: number;
  /** Discard the request log lines (benchmarks: millions of lines); errors still show. */
  discardLogs?: boolean;
}

export async function startFunction(env: Record<string, string>, options: StartOptions = {}): Promise<FunctionProcess> {
  const { timeoutMs = 30_000, discardLogs = false } = options;
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: functionDir,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', discardLogs ? 'ignore' : 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const server: FunctionProcess = {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the function exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (healthy) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the function did not come up within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(50);
  }
}
