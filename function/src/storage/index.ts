/**
 * The one seam through which main.ts gets its store: PostgreSQL (primary + optional
 * replica) by default, nothing with PERSISTENCE=off (NER only).
 */
import type { Logger } from '../log';
import { loadStorageConfig } from './config';
import type { PostgresStore } from './postgres-store';

export type { ResultReader, ResultStore } from './types';

/** Logged at warn when a background run of the rollup job fails; an alert rule counts these lines (infra/observability). */
export const ROLLUP_FAILURE_LOG = 'analytics rollup job failed (rollups or raw-data retention); the next run retries';

/**
 * Opens the store; throws ConfigError for a malformed setting. An unreachable database does
 * not fail start-up: the store starts not ready (/readyz 503) and recovers by itself.
 */
export async function openStore(env: NodeJS.ProcessEnv, logger: Logger): Promise<PostgresStore | undefined> {
  const config = loadStorageConfig(env);
  if (config.persistence === 'off') {
    logger.info('PERSISTENCE=off: recognizing only, nothing is stored');
    return undefined;
  }
  // Loaded here, not at the top: with PERSISTENCE=off the process never loads pg at all.
  const { PostgresStore } = await import('./postgres-store');
  return PostgresStore.open(config, {
    onAvailabilityChange: (server, up, error) => {
      if (up) logger.info({ db: { server } }, `database ${server} reachable`);
      else logger.error({ db: { server }, err: error }, `database ${server} unreachable`);
    },
    onRollupFailure: (error) => logger.warn({ err: error }, ROLLUP_FAILURE_LOG),
  });
}
