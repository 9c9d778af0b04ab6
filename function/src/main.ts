/**
 * Entry point (`node dist/main.js`): config, logger, model, store, HTTP server, and a
 * SIGTERM drain so a rolling update loses no request. With WORKERS > 1 this process
 * supervises that many such servers instead (workers.ts).
 */
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './log';
import { createRecognizer } from './recognizer';
import { buildApp } from './http/app';
import { readRoutes } from './http/read-routes';
import { openStore, type ResultStore } from './storage';
import { superviseWorkers } from './workers';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    return fail(createLogger({ logLevel: 'info' }), error);
  }
  const logger = createLogger(config);
  if (config.workers > 1 && cluster.isPrimary) return superviseWorkers(config.workers, config.shutdownTimeoutMs, logger);
  try {
    const loadStarted = performance.now();
    const recognizer = createRecognizer({ nerModelPath: config.nerModelPath });
    const modelLoadMs = Math.round(performance.now() - loadStarted);
    const store = await openStore(process.env, logger);
    const app = buildApp({ config, recognizer, store, logger });
    if (store) await app.register(readRoutes, { reader: store });
    await app.listen({ port: config.port, host: config.host });
    const { port } = app.server.address() as AddressInfo;
    // startup_ms: from process start (performance's time origin) to listening.
    logger.info({
      port, model_version: recognizer.modelVersion, persistence: store !== undefined,
      startup_ms: Math.round(performance.now()), model_load_ms: modelLoadMs,
    }, 'ner-processor ready');
    drainOnSignals(app, store, config, logger);
  } catch (error) {
    fail(logger, error);
  }
}

function fail(logger: Logger, error: unknown): void {
  const message = error instanceof ConfigError ? `invalid configuration: ${error.message}` : 'start-up failed';
  logger.fatal({ err: error }, message);
  process.exit(1);
}

/** Stop accepting, finish in-flight requests, close the store, exit 0; exit 1 if that overruns. */
function drainOnSignals(app: FastifyInstance, store: ResultStore | undefined, config: Config, logger: Logger): void {
  let draining = false;
  const drain = async (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'draining in-flight requests');
    setTimeout(() => {
      logger.error({ timeout_ms: config.shutdownTimeoutMs }, 'drain timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    try {
      await app.close();
      await store?.close();
      logger.info('shut down cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void drain(signal));
  process.once('SIGINT', (signal) => void drain(signal));
}

void main();
