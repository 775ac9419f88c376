import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from './config/schema.js';
import type { Logger } from './log.js';
import { withNodeFlags } from './runtime.js';

/** How many workers the config asks for (0: one per core). */
export function workerCount(config: Config): number {
  return config.server.workers === 0 ? availableParallelism() : config.server.workers;
}

/**
 * The primary of a multi-core imbridge: forks the workers (they share the listening port through
 * node:cluster), replaces one that dies, serves their metrics summed on `server.metricsPort`, and on
 * SIGTERM/SIGINT passes the signal on and exits once every worker has drained.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const count = workerCount(config);
  let stopping = false;
  // Workers get imbridge's heap settings even when the primary was started without them.
  cluster.setupPrimary({ execArgv: withNodeFlags(process.execArgv) });
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker died: starting another');
    cluster.fork();
  });

  const aggregator = new AggregatorRegistry();
  const metrics = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404;
      res.end();
      return;
    }
    aggregator.clusterMetrics().then(
      (text) => {
        res.setHeader('content-type', aggregator.contentType);
        res.end(text);
      },
      (err: Error) => {
        res.statusCode = 503;
        res.end(err.message);
      },
    );
  });
  metrics.listen(config.server.metricsPort, config.server.host);
  logger.info(
    { workers: count, metrics: `${config.server.host}:${config.server.metricsPort}/metrics` },
    'imbridge primary started',
  );

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping workers');
    metrics.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
