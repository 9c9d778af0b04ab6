/**
 * PgBouncer for tests: a transaction-mode pooler in front of a test server, as infra's
 * CloudNativePG Poolers run. The function's named prepared statements need PgBouncer >= 1.21
 * with `max_prepared_statements`; Debian 12 ships 1.18, so a PgBouncer found on PATH is used
 * only from 1.21 on, and otherwise Debian 13's 1.24.1 source is built once into the system
 * temp folder (about 20 s; it needs cc, make and libevent's headers, which apt-get installs
 * when the tests run as root on Debian, as CI does).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { chown, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, unprivilegedUser } from './postgres-server';

const run = promisify(execFile);

/** The oldest PgBouncer that keeps protocol-level prepared statements working in transaction mode. */
const MINIMUM = [1, 21] as const;
const SOURCE = {
  version: '1.24.1',
  url: 'http://deb.debian.org/debian/pool/main/p/pgbouncer/pgbouncer_1.24.1.orig.tar.gz',
  sha256: 'da72a3aba13072876d055a3e58dd4aba4a5de4ed6148e73033185245598fd3e0',
};
const BUILT = path.join(os.tmpdir(), `nlp-pipeline-pgbouncer-${SOURCE.version}`, 'bin', 'pgbouncer');

/** PgBouncer's version as [major, minor], or undefined when `binary` does not run. */
async function versionOf(binary: string): Promise<[number, number] | undefined> {
  try {
    const { stdout } = await run(binary, ['--version']);
    const match = /PgBouncer (\d+)\.(\d+)/.exec(stdout);
    return match ? [Number(match[1]), Number(match[2])] : undefined;
  } catch {
    return undefined;
  }
}

function recentEnough(version: [number, number] | undefined): boolean {
  return version !== undefined && (version[0] > MINIMUM[0] || (version[0] === MINIMUM[0] && version[1] >= MINIMUM[1]));
}

let found: Promise<string> | undefined;

/**
 * Why no PgBouncer >= 1.21 can be had here, or undefined when one can. Only a machine where the
 * build cannot install libevent's headers (not root) gets a reason: there the tests that need
 * PgBouncer are skipped with it; as root (CI) a failed build fails them.
 */
export async function pgBouncerUnavailable(): Promise<string | undefined> {
  try {
    await pgBouncerBinary();
    return undefined;
  } catch (error) {
    if (process.getuid?.() === 0) throw error;
    return `no PgBouncer >= ${MINIMUM.join('.')}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A PgBouncer >= 1.21: from PATH, from an earlier build, or built now. Rejects with the reason it cannot. */
export function pgBouncerBinary(): Promise<string> {
  found ??= (async () => {
    if (recentEnough(await versionOf('pgbouncer'))) return 'pgbouncer';
    if (!existsSync(BUILT)) await build();
    return BUILT;
  })();
  return found;
}

async function build(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'nlp-pgbouncer-build-'));
  // Installed beside its final place, then renamed: a concurrent build never sees half of one.
  const prefix = `${path.dirname(path.dirname(BUILT))}.${process.pid}`;
  try {
    const response = await fetch(SOURCE.url);
    if (!response.ok) throw new Error(`PgBouncer source: ${SOURCE.url} answered ${response.status}`);
    const tarball = Buffer.from(await response.arrayBuffer());
    const digest = createHash('sha256').update(tarball).digest('hex');
    if (digest !== SOURCE.sha256) throw new Error(`PgBouncer source: sha256 ${digest}, expected ${SOURCE.sha256}`);
    await writeFile(path.join(work, 'source.tar.gz'), tarball);
    await run('tar', ['xzf', 'source.tar.gz'], { cwd: work });
    const tree = path.join(work, `pgbouncer-${SOURCE.version}`);
    // Plain TCP with trust authentication on 127.0.0.1: no TLS, PAM, c-ares or systemd needed.
    const configure = () =>
      run('./configure', [`--prefix=${prefix}`, '--without-openssl', '--without-cares', '--without-pam', '--without-systemd'], { cwd: tree });
    await configure().catch(async (error: unknown) => {
      const output = error as { stdout?: string; stderr?: string };
      if (!/libevent/i.test(`${output.stdout ?? ''}${output.stderr ?? ''}`) || process.getuid?.() !== 0) {
        throw new Error(`PgBouncer ${SOURCE.version} could not be configured (libevent's headers, Debian: libevent-dev): ${String(error)}`);
      }
      const aptGet = (...args: string[]) => run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });
      const install = () => aptGet('install', '-y', '-q', '--no-install-recommends', 'libevent-dev');
      // A fresh machine may have no package lists yet.
      await install().catch(async () => {
        await aptGet('update', '-q');
        await install();
      });
      await configure();
    });
    await run('make', ['-j2'], { cwd: tree, maxBuffer: 64 * 1024 * 1024 });
    await run('make', ['install'], { cwd: tree, maxBuffer: 64 * 1024 * 1024 });
    try {
      renameSync(prefix, path.dirname(path.dirname(BUILT)));
    } catch (error) {
      if (!existsSync(BUILT)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(prefix, { recursive: true, force: true });
  }
}

export interface PgBouncerOptions {
  /** The PostgreSQL server's port on 127.0.0.1 (trust authentication, user postgres). */
  upstreamPort: number;
  /** Server connections per pool: fewer than the clients, so statements change connections. */
  poolSize: number;
  /** 0 turns PgBouncer's prepared-statement tracking off. */
  maxPreparedStatements: number;
}

/** One running PgBouncer in transaction mode; `dsn` reaches database postgres through it. */
export class PgBouncer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  get dsn(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async start(options: PgBouncerOptions): Promise<PgBouncer> {
    const binary = await pgBouncerBinary();
    const runAs = unprivilegedUser(); // PgBouncer refuses to run as root
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nlp-pgbouncer-'));
    const port = await freePort();
    await writeFile(path.join(dir, 'users.txt'), '"postgres" ""\n');
    await writeFile(
      path.join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `postgres = host=127.0.0.1 port=${options.upstreamPort} dbname=postgres user=postgres`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${path.join(dir, 'users.txt')}`,
        'pool_mode = transaction',
        `default_pool_size = ${options.poolSize}`,
        `max_prepared_statements = ${options.maxPreparedStatements}`,
        `logfile = ${path.join(dir, 'pgbouncer.log')}`,
        '',
      ].join('\n'),
    );
    if (runAs) {
      for (const file of ['', 'users.txt', 'pgbouncer.ini']) await chown(path.join(dir, file), runAs.uid, runAs.gid);
    }
    const child = spawn(binary, [path.join(dir, 'pgbouncer.ini')], { ...runAs, stdio: 'ignore' });
    live.add(child);
    const bouncer = new PgBouncer(child, dir, port);
    await bouncer.waitUntilServing();
    return bouncer;
  }

  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`PgBouncer exited with ${this.child.exitCode} (log: ${this.dir}/pgbouncer.log)`);
      const client = new Client({ connectionString: this.dsn });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(50);
      } finally {
        await client.end().catch(() => {});
      }
    }
  }

  async stop(): Promise<void> {
    live.delete(this.child);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
