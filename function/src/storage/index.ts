/**
 * The one seam through which main.ts gets its store. Placeholder from the http area until
 * the persistence area's PostgreSQL store lands here: PERSISTENCE=off (NER only) is the
 * only mode it can open; any other value stops start-up with a message saying so.
 */
import { ConfigError, readChoice } from '../config';
import type { Logger } from '../log';
import type { ResultStore } from './types';

export type { ResultStore } from './types';

export async function openStore(env: NodeJS.ProcessEnv, logger: Logger): Promise<ResultStore | undefined> {
  const mode = readChoice(env, 'PERSISTENCE', ['postgres', 'off'], 'postgres');
  if (mode === 'off') {
    logger.info('PERSISTENCE=off: recognizing only, nothing is stored');
    return undefined;
  }
  throw new ConfigError('PERSISTENCE', 'the PostgreSQL store is not built into this version yet; set PERSISTENCE=off');
}
