/**
 * Runs the compiled function exactly as the container does (`node dist/main.js`, cwd
 * function/) on a free port, and collects its log lines for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { FUNCTION_DIR } from '../src/paths';

export { FUNCTION_DIR };

/** The command the Dockerfile's fprocess must run; dockerfile.test.ts checks they agree. */
export const SERVER_COMMAND = ['node', 'dist/main.js'] as const;

export interface LogLine {
  message: string;
  'log.level': string;
  [field: string]: unknown;
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  logs: LogLine[];
  /** Resolves with the exit code after sending `signal`. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves when a log line matching `predicate` has been written. */
  waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine>;
}

/**
 * `keepLogs: false` (benchmarks) stops reading log lines once the server is ready; they
 * are still drained, so the server never blocks on a full pipe.
 */
export async function startServer(env: Record<string, string> = {}, { keepLogs = true } = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, SERVER_COMMAND.slice(1), {
    cwd: FUNCTION_DIR,
    env: { PATH: process.env.PATH, PERSISTENCE: 'off', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (text) => {
    const line = JSON.parse(text) as LogLine;
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const waitForLog = (predicate: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = logs.find(predicate);
      if (seen) return resolve(seen);
      waiters.push({ predicate, resolve });
      void exited.then((code) => reject(new Error(`server exited (${code}) first: ${stderr}${JSON.stringify(logs)}`)));
    });
  // With WORKERS > 1 the supervising process says when every worker is listening.
  const readyMessage = Number(env.WORKERS ?? 1) > 1 ? 'ner-processor workers ready' : 'ner-processor ready';
  const ready = await waitForLog((line) => line.message === readyMessage);
  if (!keepLogs) {
    lines.close();
    child.stdout!.resume();
  }
  return {
    url: `http://127.0.0.1:${String(ready.port)}`,
    process: child,
    logs,
    waitForLog,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts the server expecting it to fail; resolves with its exit code and log lines. */
export async function startFailing(env: Record<string, string>): Promise<{ code: number | null; logs: LogLine[] }> {
  const child = spawn(process.execPath, SERVER_COMMAND.slice(1), {
    cwd: FUNCTION_DIR,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: LogLine[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => logs.push(JSON.parse(text) as LogLine));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, logs };
}
