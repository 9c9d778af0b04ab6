/**
 * WORKERS > 1: this process forks that many servers sharing one port (node:cluster; the
 * primary hands each new connection to the next worker in turn), so one function process
 * uses several cores, on a laptop or in a pod given more than one CPU. Each worker is the
 * whole single-process server with its own model, pools and drain.
 *
 * The primary loads no model and serves nothing. It replaces a worker that dies after it
 * was listening; a worker that dies before listening is a start-up failure (a bad model
 * file, say), which stops the whole process with exit 1 rather than fork in a loop. On
 * SIGTERM or SIGINT it passes the signal on and exits once every worker has drained: 0 if
 * all exited 0.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './log';

/** Wait before replacing a worker that died, so a fault that kills every request cannot spin. */
const RESTART_DELAY_MS = 1000;

export function superviseWorkers(count: number, shutdownTimeoutMs: number, logger: Logger): void {
  const live = new Set<Worker>();
  const listening = new Set<Worker>();
  let stopping = false;
  let failed = false;

  const fork = (): void => {
    live.add(cluster.fork());
  };
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: live.size }, 'stopping workers');
    for (const worker of live) worker.process.kill(signal);
    // Each worker bounds its own drain by SHUTDOWN_TIMEOUT_MS; this only catches a stuck one.
    setTimeout(() => {
      logger.error({ timeout_ms: shutdownTimeoutMs }, 'workers did not stop in time; exiting');
      process.exit(1);
    }, shutdownTimeoutMs + 2000).unref();
    if (live.size === 0) process.exit(1);
  };

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    if (listening.size === count && !stopping) logger.info({ workers: count, port: address.port }, 'ner-processor workers ready');
  });
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const wasListening = listening.delete(worker);
    if (stopping) {
      failed ||= code !== 0;
      if (live.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    const fields = { worker_pid: worker.process.pid, exit_code: code, signal };
    if (!wasListening) {
      logger.fatal(fields, 'a worker failed to start; stopping');
      failed = true;
      stop('SIGTERM');
      return;
    }
    logger.error(fields, 'worker died; starting another');
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS);
  });

  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for (let i = 0; i < count; i += 1) fork();
}
