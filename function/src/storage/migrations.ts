/**
 * Runs the SQL migrations in function/migrations/ with node-pg-migrate. Its advisory lock
 * (waited for, not failed on) serializes concurrent runs, so two Jobs or two `npm start`s
 * racing each other both succeed and apply each migration once.
 *
 * The lock is session-level: point the migration at the database directly (or a pooler in
 * session mode), not at a PgBouncer in transaction mode.
 */
import { runner } from 'node-pg-migrate';
import type { ConnectionOptions } from 'node:tls';
import { MIGRATIONS_DIR } from '../paths';

export interface MigrateOptions {
  ssl?: false | ConnectionOptions;
  /** Receives node-pg-migrate's progress messages. */
  log?: (message: string) => void;
}

/** Applies pending migrations; resolves with the names of those applied by this call. */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const applied = await runner({
    databaseUrl: { connectionString: databaseUrl, ...(options.ssl === undefined ? {} : { ssl: options.ssl }) },
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    advisoryLockMode: 'wait',
    singleTransaction: true,
    checkOrder: true,
    log: options.log ?? (() => undefined),
  });
  return applied.map((migration) => migration.name);
}
