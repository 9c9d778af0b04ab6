/**
 * Storage settings from the environment. Every secret-bearing value may also come from
 * `<NAME>_FILE` (OpenFaaS mounts secrets as files). A malformed value throws a
 * ConfigError naming the variable, so start-up fails with a clear message.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, readChoice, readInteger, readWorkers } from '../config';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Fewer writes in flight make bigger merged writes; see docs/persistence.md for the figures.
 * Shared by all WORKERS of a process: each worker gets its share (at least one).
 */
const DEFAULT_WRITE_MAX_CONCURRENT = 4;

const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

export interface PostgresConfig {
  primaryDsn: string;
  /** Absent: reads go to the primary. */
  replicaDsn?: string;
  /** `false` = no TLS; undefined = as the DSN says (its sslmode). */
  ssl?: false | ConnectionOptions;
  /** Connections per pool (one pool for the primary, one for the replica). */
  poolMax: number;
  connectTimeoutMs: number;
  /** Bound on any one query, enforced client-side (works behind PgBouncer). */
  statementTimeoutMs: number;
  /** How long a read with a consistency token waits for the replica before using the primary. */
  readWaitMs: number;
  retryAfterSeconds: number;
  /** Group commit (see write-coalescer.ts): write transactions in flight at once, at most poolMax. */
  writeMaxConcurrent: number;
  /** Rows one merged write may hold. */
  writeMaxBatchRows: number;
  /** How long an idle writer waits for more saves before writing, in ms (0: only merge while busy). */
  writeWindowMs: number;
  /** Days raw texts and mentions are kept (0: for good); the hourly rollups are always kept. */
  rawRetentionDays: number;
}

export type StorageConfig = { persistence: 'off' } | ({ persistence: 'postgres' } & PostgresConfig);

export function loadStorageConfig(env: Env = process.env): StorageConfig {
  const persistence = readChoice(env, 'PERSISTENCE', ['postgres', 'off'], 'postgres');
  if (persistence === 'off') return { persistence };

  const primaryDsn = readValue(env, 'DB_PRIMARY_DSN');
  if (primaryDsn === undefined) {
    throw new ConfigError('DB_PRIMARY_DSN', 'required when PERSISTENCE=postgres (or set DB_PRIMARY_DSN_FILE)');
  }
  const replicaDsn = readValue(env, 'DB_REPLICA_DSN');
  const poolMax = readInteger(env, 'DB_POOL_MAX', 10, 1, 1000);
  return {
    persistence,
    primaryDsn: checkDsn('DB_PRIMARY_DSN', primaryDsn),
    replicaDsn: replicaDsn === undefined ? undefined : checkDsn('DB_REPLICA_DSN', replicaDsn),
    ssl: sslOptions(env),
    poolMax,
    connectTimeoutMs: readInteger(env, 'DB_CONNECT_TIMEOUT_MS', 2000, 1, 600_000),
    statementTimeoutMs: readInteger(env, 'DB_STATEMENT_TIMEOUT_MS', 5000, 1, 600_000),
    readWaitMs: readInteger(env, 'DB_READ_WAIT_MS', 200, 0, 60_000),
    retryAfterSeconds: readInteger(env, 'DB_RETRY_AFTER_SECONDS', 2, 1, 3600),
    writeMaxConcurrent: readInteger(
      env, 'DB_WRITE_MAX_CONCURRENT', Math.min(Math.max(1, Math.floor(DEFAULT_WRITE_MAX_CONCURRENT / readWorkers(env))), poolMax), 1, poolMax,
    ),
    writeMaxBatchRows: readInteger(env, 'DB_WRITE_MAX_BATCH_ROWS', 1000, 1, 100_000),
    writeWindowMs: readInteger(env, 'DB_WRITE_WINDOW_MS', 0, 0, 1000),
    rawRetentionDays: readInteger(env, 'RAW_RETENTION_DAYS', 30, 0, 36_500),
  };
}

/** `NAME`, else the content of the file `NAME_FILE` names; both set is ambiguous. */
export function readValue(env: Env, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '' && file) {
    throw new ConfigError(name, `set either ${name} or ${name}_FILE, not both`);
  }
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`${name}_FILE`, `cannot read ${file}: ${(error as Error).message}`);
    }
  }
  return direct === '' ? undefined : direct?.trim();
}

function checkDsn(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, 'not a URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `expected a postgres:// URL, got ${url.protocol}//`);
  }
  if (!url.hostname) throw new ConfigError(name, 'the URL has no host');
  return value;
}

function sslOptions(env: Env): false | ConnectionOptions | undefined {
  const mode = env.DB_SSL_MODE?.trim();
  const caFile = env.DB_SSL_CA_FILE?.trim();
  if (!mode) {
    if (caFile) throw new ConfigError('DB_SSL_CA_FILE', 'needs DB_SSL_MODE=verify-ca or verify-full');
    return undefined;
  }
  switch (readChoice(env, 'DB_SSL_MODE', SSL_MODES, 'disable')) {
    case 'disable':
      return false;
    case 'require':
      // Encrypted, server not authenticated (libpq's sslmode=require).
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // Certificate chain checked against the CA, host name not (libpq's verify-ca).
      return { rejectUnauthorized: true, ca: readCa(caFile), checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: readCa(caFile) };
  }
}

function readCa(caFile: string | undefined): string | undefined {
  if (!caFile) return undefined;
  try {
    return readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new ConfigError('DB_SSL_CA_FILE', `cannot read ${caFile}: ${(error as Error).message}`);
  }
}
