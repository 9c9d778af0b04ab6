/**
 * pino with the Elastic Common Schema formatter: one JSON object per line with
 * `@timestamp`, `log.level` as text, `message` and `service.name`, which Filebeat ships
 * to Elasticsearch as-is.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { ecsFormat } from '@elastic/ecs-pino-format';
import type { Config } from './config';

export const SERVICE_NAME = 'ner-processor';

export type { Logger } from 'pino';

/**
 * Logs go to stdout asynchronously: a blocking write per request would cost more than
 * recognizing the comment. pino flushes what is buffered when the process exits.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  destination: DestinationStream = pino.destination({ dest: 1, sync: false }),
): Logger {
  return pino({ ...ecsFormat({ serviceName: SERVICE_NAME, apmIntegration: false }), level: config.logLevel }, destination);
}
