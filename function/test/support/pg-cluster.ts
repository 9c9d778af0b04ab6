/**
 * A real PostgreSQL primary plus a hot-standby streaming replica on free local ports in a
 * temporary folder, for tests and benchmarks. initdb runs once per cluster (about a second);
 * the replica starts from a copy of the freshly initialised, cleanly shut down data folder,
 * so no pg_basebackup is needed. fsync and synchronous_commit stay on: the durability tests
 * rely on real commits.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { appendFile, chown, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import {
  freePort,
  initDataDir,
  PostgresServer,
  unprivilegedUser,
  type RunAs,
  type ShutdownMode,
} from './postgres-server';

export interface PgClusterOptions {
  /** Start a streaming replica beside the primary (default true). */
  replica?: boolean;
  /** Extra server settings for both servers. */
  settings?: Record<string, string | number>;
}

const liveClusters = new Set<PgCluster>();
process.once('exit', () => {
  for (const cluster of liveClusters) cluster.destroySync();
});

export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly primary: PostgresServer,
    private readonly replicaServer: PostgresServer | undefined,
  ) {
    liveClusters.add(this);
  }

  static async start(options: PgClusterOptions = {}): Promise<PgCluster> {
    const runAs = unprivilegedUser();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nlp-pg-'));
    if (runAs) await chown(dir, runAs.uid, runAs.gid);
    const settings = { wal_keep_size: '256MB', ...options.settings };
    const primaryDir = path.join(dir, 'primary');
    await initDataDir(primaryDir, runAs);
    const primary = new PostgresServer({
      dataDir: primaryDir,
      port: await freePort(),
      runAs,
      logFile: path.join(dir, 'primary.log'),
      settings,
    });
    let replica: PostgresServer | undefined;
    if (options.replica !== false) {
      const replicaDir = path.join(dir, 'replica');
      await makeStandbyCopy(primaryDir, replicaDir, primary.port, runAs);
      replica = new PostgresServer({
        dataDir: replicaDir,
        port: await freePort(),
        runAs,
        logFile: path.join(dir, 'replica.log'),
        settings,
      });
    }
    const cluster = new PgCluster(dir, primary, replica);
    try {
      await primary.start();
      await replica?.start();
      return cluster;
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }

  get replica(): PostgresServer {
    if (!this.replicaServer) throw new Error('this cluster was started without a replica');
    return this.replicaServer;
  }

  get primaryDsn(): string {
    return this.primary.dsn();
  }

  get replicaDsn(): string {
    return this.replica.dsn();
  }

  stopPrimary(mode: ShutdownMode = 'fast'): Promise<void> {
    return this.primary.stop(mode);
  }

  startPrimary(): Promise<void> {
    return this.primary.start();
  }

  stopReplica(mode: ShutdownMode = 'fast'): Promise<void> {
    return this.replica.stop(mode);
  }

  startReplica(): Promise<void> {
    return this.replica.start();
  }

  /** Pauses WAL replay on the replica and waits until it has actually paused. */
  async pauseReplay(): Promise<void> {
    await this.query(this.replicaDsn, 'SELECT pg_wal_replay_pause()');
    for (;;) {
      const rows = await this.query(this.replicaDsn, 'SELECT pg_get_wal_replay_pause_state() AS state');
      if (rows[0]?.state === 'paused') return;
      await sleep(10);
    }
  }

  async resumeReplay(): Promise<void> {
    await this.query(this.replicaDsn, 'SELECT pg_wal_replay_resume()');
  }

  /** Waits until the replica has replayed everything the primary has written so far. */
  async waitForReplica(timeoutMs = 10_000): Promise<void> {
    const [{ lsn }] = await this.query(this.primaryDsn, 'SELECT pg_current_wal_lsn()::text AS lsn');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ caught_up }] = await this.query(
        this.replicaDsn,
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up',
        [lsn],
      );
      if (caught_up) return;
      if (Date.now() > deadline) throw new Error(`replica did not reach ${lsn} within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  /** Runs one statement on a fresh connection (no pool to leak between tests). */
  async query(dsn: string, sql: string, values: unknown[] = []): Promise<any[]> {
    const client = new Client({ connectionString: dsn });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    await Promise.all([this.replicaServer?.stop('immediate'), this.primary.stop('immediate')]);
    this.destroySync();
  }

  /** Last-resort cleanup at process exit (also after a failed test). */
  destroySync(): void {
    this.primary.killNow();
    this.replicaServer?.killNow();
    rmSync(this.dir, { recursive: true, force: true });
    liveClusters.delete(this);
  }
}

/** A standby's data folder: a copy of the primary's (cleanly shut down) folder plus standby settings. */
async function makeStandbyCopy(primaryDir: string, replicaDir: string, primaryPort: number, runAs: RunAs | undefined) {
  await new Promise<void>((resolve, reject) => {
    // Run as the server's user so every copied file keeps the right owner.
    const cp = spawn('cp', ['-a', primaryDir, replicaDir], { ...runAs, stdio: 'ignore' });
    cp.once('error', reject);
    cp.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`cp exited with ${code}`))));
  });
  const signal = path.join(replicaDir, 'standby.signal');
  await writeFile(signal, '');
  if (runAs) await chown(signal, runAs.uid, runAs.gid);
  await appendFile(
    path.join(replicaDir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=replica'\n`,
  );
}
