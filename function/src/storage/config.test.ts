import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../config';
import { loadStorageConfig } from './config';

const DSN = 'postgres://app:secret@db.example:5432/nlp';

function fails(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadStorageConfig(env),
    (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.startsWith(`${variable}:`),
  );
}

test('the default number of concurrent writes never exceeds the pool', () => {
  const config = loadStorageConfig({ DB_PRIMARY_DSN: DSN, DB_POOL_MAX: '1' });
  assert.equal(config.persistence === 'postgres' && config.writeMaxConcurrent, 1);
});

test('workers of one process share the default write concurrency', () => {
  const writes = (workers: string): number | false => {
    const config = loadStorageConfig({ DB_PRIMARY_DSN: DSN, WORKERS: workers });
    return config.persistence === 'postgres' && config.writeMaxConcurrent;
  };
  assert.deepEqual(['1', '2', '3', '8'].map(writes), [4, 2, 1, 1]);
});

test('defaults: postgres persistence, reads from the primary when no replica is set', () => {
  const config = loadStorageConfig({ DB_PRIMARY_DSN: DSN });
  assert.deepEqual(config, {
    persistence: 'postgres',
    primaryDsn: DSN,
    replicaDsn: undefined,
    ssl: undefined,
    poolMax: 10,
    connectTimeoutMs: 2000,
    statementTimeoutMs: 5000,
    readWaitMs: 200,
    retryAfterSeconds: 2,
    writeMaxConcurrent: 4,
    writeMaxBatchRows: 1000,
    writeWindowMs: 0,
    rawRetentionDays: 30,
  });
});

test('PERSISTENCE=off needs no database settings', () => {
  assert.deepEqual(loadStorageConfig({ PERSISTENCE: 'off' }), { persistence: 'off' });
});

test('every setting is read', () => {
  const config = loadStorageConfig({
    DB_PRIMARY_DSN: DSN,
    DB_REPLICA_DSN: 'postgresql://ro@replica/nlp',
    DB_POOL_MAX: '25',
    DB_CONNECT_TIMEOUT_MS: '500',
    DB_STATEMENT_TIMEOUT_MS: '1500',
    DB_READ_WAIT_MS: '0',
    DB_RETRY_AFTER_SECONDS: '7',
    DB_SSL_MODE: 'require',
    DB_WRITE_MAX_CONCURRENT: '25',
    DB_WRITE_MAX_BATCH_ROWS: '500',
    DB_WRITE_WINDOW_MS: '3',
    RAW_RETENTION_DAYS: '0',
  });
  assert.equal(config.persistence, 'postgres');
  if (config.persistence !== 'postgres') return;
  assert.equal(config.replicaDsn, 'postgresql://ro@replica/nlp');
  assert.deepEqual(
    [config.poolMax, config.connectTimeoutMs, config.statementTimeoutMs, config.readWaitMs, config.retryAfterSeconds],
    [25, 500, 1500, 0, 7],
  );
  assert.deepEqual([config.writeMaxConcurrent, config.writeMaxBatchRows, config.writeWindowMs], [25, 500, 3]);
  assert.equal(config.rawRetentionDays, 0);
  assert.deepEqual(config.ssl, { rejectUnauthorized: false });
});

test('DSNs come from <NAME>_FILE, as OpenFaaS mounts secrets (trailing newline trimmed)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storage-config-'));
  writeFileSync(path.join(dir, 'db-primary-dsn'), `${DSN}\n`);
  writeFileSync(path.join(dir, 'db-replica-dsn'), 'postgres://ro@replica/nlp\n');
  const config = loadStorageConfig({
    DB_PRIMARY_DSN_FILE: path.join(dir, 'db-primary-dsn'),
    DB_REPLICA_DSN_FILE: path.join(dir, 'db-replica-dsn'),
  });
  assert.equal(config.persistence === 'postgres' && config.primaryDsn, DSN);
  assert.equal(config.persistence === 'postgres' && config.replicaDsn, 'postgres://ro@replica/nlp');
  fails({ DB_PRIMARY_DSN_FILE: path.join(dir, 'missing') }, 'DB_PRIMARY_DSN_FILE');
  fails({ DB_PRIMARY_DSN: DSN, DB_PRIMARY_DSN_FILE: path.join(dir, 'db-primary-dsn') }, 'DB_PRIMARY_DSN');
});

test('verify-full reads the CA file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storage-config-'));
  writeFileSync(path.join(dir, 'ca.crt'), 'PEM');
  const config = loadStorageConfig({ DB_PRIMARY_DSN: DSN, DB_SSL_MODE: 'verify-full', DB_SSL_CA_FILE: path.join(dir, 'ca.crt') });
  assert.deepEqual(config.persistence === 'postgres' && config.ssl, { rejectUnauthorized: true, ca: 'PEM' });
});

test('malformed values fail naming the variable', () => {
  fails({}, 'DB_PRIMARY_DSN');
  fails({ PERSISTENCE: 'mysql', DB_PRIMARY_DSN: DSN }, 'PERSISTENCE');
  fails({ DB_PRIMARY_DSN: 'db.example:5432' }, 'DB_PRIMARY_DSN');
  fails({ DB_PRIMARY_DSN: 'mysql://db/nlp' }, 'DB_PRIMARY_DSN');
  fails({ DB_PRIMARY_DSN: DSN, DB_REPLICA_DSN: 'not a url' }, 'DB_REPLICA_DSN');
  fails({ DB_PRIMARY_DSN: DSN, DB_POOL_MAX: 'ten' }, 'DB_POOL_MAX');
  fails({ DB_PRIMARY_DSN: DSN, DB_POOL_MAX: '0' }, 'DB_POOL_MAX');
  fails({ DB_PRIMARY_DSN: DSN, DB_CONNECT_TIMEOUT_MS: '-1' }, 'DB_CONNECT_TIMEOUT_MS');
  fails({ DB_PRIMARY_DSN: DSN, DB_STATEMENT_TIMEOUT_MS: '1.5' }, 'DB_STATEMENT_TIMEOUT_MS');
  fails({ DB_PRIMARY_DSN: DSN, DB_READ_WAIT_MS: '1e3' }, 'DB_READ_WAIT_MS');
  fails({ DB_PRIMARY_DSN: DSN, DB_RETRY_AFTER_SECONDS: '0' }, 'DB_RETRY_AFTER_SECONDS');
  fails({ DB_PRIMARY_DSN: DSN, DB_WRITE_MAX_CONCURRENT: '0' }, 'DB_WRITE_MAX_CONCURRENT');
  fails({ DB_PRIMARY_DSN: DSN, DB_POOL_MAX: '4', DB_WRITE_MAX_CONCURRENT: '5' }, 'DB_WRITE_MAX_CONCURRENT');
  fails({ DB_PRIMARY_DSN: DSN, DB_WRITE_MAX_BATCH_ROWS: '0' }, 'DB_WRITE_MAX_BATCH_ROWS');
  fails({ DB_PRIMARY_DSN: DSN, DB_WRITE_WINDOW_MS: 'soon' }, 'DB_WRITE_WINDOW_MS');
  fails({ DB_PRIMARY_DSN: DSN, RAW_RETENTION_DAYS: '-1' }, 'RAW_RETENTION_DAYS');
  fails({ DB_PRIMARY_DSN: DSN, RAW_RETENTION_DAYS: '7d' }, 'RAW_RETENTION_DAYS');
  fails({ DB_PRIMARY_DSN: DSN, DB_SSL_MODE: 'prefer' }, 'DB_SSL_MODE');
  fails({ DB_PRIMARY_DSN: DSN, DB_SSL_CA_FILE: '/ca.crt' }, 'DB_SSL_CA_FILE');
  fails({ DB_PRIMARY_DSN: DSN, DB_SSL_MODE: 'verify-ca', DB_SSL_CA_FILE: '/nonexistent/ca.crt' }, 'DB_SSL_CA_FILE');
});
