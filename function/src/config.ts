/**
 * Server, limits and logging configuration, read once from the environment at start-up.
 * A malformed value fails start-up with a message naming the variable, so a typo in a
 * deployment shows up as a crash-looping pod with a clear log line, not as odd behaviour.
 * Storage settings (PERSISTENCE, DB_*) are read by the storage module.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Opt-in: log the comment text (user data) with each request. */
  logText: boolean;
  maxBatchItems: number;
  maxTextChars: number;
  maxBodyBytes: number;
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  shutdownTimeoutMs: number;
  /** Issue 7: the trained sequence model's file; undefined = the bundled one. */
  nerModelPath: string | undefined;
  /** Server processes sharing the port (workers.ts); 1 = this process serves. */
  workers: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads `env[name]`; blank counts as unset so `FOO=` in a manifest means "default". */
function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(name, `expected a whole number, got "${value}"`);
  const number = Number(value);
  if (number < min || number > max) {
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${number}`);
  }
  return number;
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

export function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) throw new ConfigError(name, `expected one of ${choices.join(', ')}, got "${env[name]}"`);
  return choice;
}

/** WORKERS: server processes sharing the port (workers.ts); storage sizes its write concurrency by it. */
export function readWorkers(env: Env): number {
  return readInteger(env, 'WORKERS', 1, 1, 64);
}

export function loadConfig(env: Env = process.env): Config {
  return {
    port: readInteger(env, 'PORT', 8080, 0, 65535),
    host: raw(env, 'HOST') ?? '0.0.0.0',
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logText: readBoolean(env, 'LOG_TEXT', false),
    maxBatchItems: readInteger(env, 'MAX_BATCH_ITEMS', 1000, 1, 1_000_000),
    maxTextChars: readInteger(env, 'MAX_TEXT_CHARS', 10_000, 1, 10_000_000),
    maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', 1_048_576, 1024, 1_073_741_824),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    nerModelPath: raw(env, 'NER_MODEL_PATH'),
    workers: readWorkers(env),
  };
}
