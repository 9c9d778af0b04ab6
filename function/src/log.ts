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

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = { ...ecsFormat({ serviceName: SERVICE_NAME, apmIntegration: false }), level: config.logLevel };
  return destination === undefined ? pino(options) : pino(options, destination);
}
