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
  return pino(
    { ...ecsFormat({ serviceName: SERVICE_NAME, apmIntegration: false }), timestamp: ecsTimestamp(), level: config.logLevel },
    destination,
  );
}

/**
 * The `@timestamp` field exactly as ecs-pino-format writes it (`new Date().toISOString()`),
 * from the clock's milliseconds and the ISO text of the current second, formatted once per
 * second: formatting a Date for every line cost as much as all of a request line's own fields.
 */
export function ecsTimestamp(clock: () => number = Date.now): () => string {
  let second = Number.NaN;
  let prefix = '';
  return () => {
    const now = clock();
    const millisecond = now - Math.floor(now / 1000) * 1000;
    if (now - millisecond !== second) {
      second = now - millisecond;
      // 'YYYY-MM-DDTHH:mm:ss.' (longer for years past 9999): all but the milliseconds and 'Z'.
      prefix = `,"@timestamp":"${new Date(second).toISOString().slice(0, -4)}`;
    }
    return `${prefix}${millisecond < 10 ? '00' : millisecond < 100 ? '0' : ''}${millisecond}Z"`;
  };
}
