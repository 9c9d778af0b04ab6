/**
 * The one seam through which main.ts gets its store: PostgreSQL (primary + optional
 * replica) by default, nothing with PERSISTENCE=off (NER only).
 */
import type { Logger } from '../log';
import { loadStorageConfig } from './config';
import { PostgresStore } from './postgres-store';

export type { ResultReader, ResultStore } from './types';
export { PostgresStore } from './postgres-store';

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
  return PostgresStore.open(config, {
    onAvailabilityChange: (server, up, error) => {
      if (up) logger.info({ db: { server } }, `database ${server} reachable`);
      else logger.error({ db: { server }, err: error }, `database ${server} unreachable`);
    },
  });
}
