/** Black-box tests of the compiled `node dist/migrate.js` against a real PostgreSQL. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { PgCluster } from './support/pg-cluster';

const functionDir = path.resolve(__dirname, '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function migrateCommand(env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['dist/migrate.js'], {
      cwd: functionDir,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let cluster: PgCluster;
before(async () => {
  cluster = await PgCluster.start({ replica: false });
});
after(async () => {
  await cluster?.destroy();
});

test('concurrent runs both succeed and apply each migration once; a rerun applies nothing', async () => {
  const env = { DB_PRIMARY_DSN: cluster.primaryDsn };
  const runs = await Promise.all([migrateCommand(env), migrateCommand(env), migrateCommand(env)]);
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const applied = runs.map((run) => JSON.parse(run.stdout.trim().split('\n').pop() as string).applied as string[]);
  assert.equal(applied.flat().length, applied.find((names) => names.length > 0)?.length, 'each migration applied by one run only');

  const recorded = await cluster.query(cluster.primaryDsn, 'SELECT name FROM pgmigrations');
  assert.deepEqual(recorded.map((row) => row.name), applied.flat());

  const rerun = await migrateCommand(env);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(JSON.parse(rerun.stdout.trim()).applied, []);
});

test('analyst views expose no comment text or entity offsets, and a read-only role needs only the views', async () => {
  const columns = await cluster.query(
    cluster.primaryDsn,
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'analytics' ORDER BY 1, 2`,
  );
  const names = columns.map((row) => `${row.table_name}.${row.column_name}`);
  assert.ok(names.includes('entity_mentions.entity_text') && names.includes('enriched_texts.text_length'));
  assert.ok(!names.some((name) => /\.(entities|text|start|end)$/.test(name)), names.join(', '));

  // The grants docs/persistence.md tells infra to run.
  await cluster.query(cluster.primaryDsn, `CREATE ROLE analyst LOGIN`);
  await cluster.query(cluster.primaryDsn, `GRANT USAGE ON SCHEMA analytics TO analyst`);
  await cluster.query(cluster.primaryDsn, `GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO analyst`);
  const analyst = new Client({ connectionString: cluster.primaryDsn.replace('postgres@', 'analyst@') });
  await analyst.connect();
  try {
    await analyst.query('SELECT * FROM analytics.enriched_texts, analytics.entity_mentions');
    await assert.rejects(analyst.query('SELECT * FROM public.enriched_texts'), /permission denied/);
    await assert.rejects(analyst.query(`INSERT INTO analytics.entity_mentions VALUES ('x', 'PERSON', 'x', now())`), /permission denied/);
  } finally {
    await analyst.end();
  }
});

test('a malformed or missing setting fails with a message naming the variable', async () => {
  const missing = await migrateCommand({});
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /DB_PRIMARY_DSN/);
  const malformed = await migrateCommand({ DB_PRIMARY_DSN: 'not-a-url' });
  assert.equal(malformed.code, 1);
  assert.match(malformed.stderr, /DB_PRIMARY_DSN/);
});

test('PERSISTENCE=off: nothing to migrate', async () => {
  const run = await migrateCommand({ PERSISTENCE: 'off' });
  assert.equal(run.code, 0, run.stderr);
});
