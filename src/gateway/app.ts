import Router from '@koa/router';
import Koa from 'koa';
import type { Config } from '../config/schema.js';
import { Forwarder } from '../downstream/forwarder.js';
import { downstreamTarget } from '../downstream/target.js';
import type { Logger } from '../log.js';
import { Dispatcher, type Outbox } from '../outbox/dispatcher.js';
import { openOutbox } from '../outbox/open.js';
import { Metrics } from './metrics.js';
import { notFound, tidyPath } from './paths.js';
import { Recorder } from '../record/recorder.js';
import { Mirror } from './mirror.js';
import { Pipeline } from './pipeline.js';
import { callbackRoutes } from './routes/callbacks.js';
import { operationRoutes } from './routes/operations.js';

/** What the app is built from. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Downstream client; built from the config when omitted (none in shadow mode). */
  forwarder?: Forwarder;
  /** Clock for signature windows and event times (default `Date.now`). */
  now?: () => number;
  /** Whether to export Node process metrics too (default true; one registry per process wants them once). */
  processMetrics?: boolean;
}

/** A built gateway: the Koa app, and how to stop what runs beside it. */
export interface Gateway {
  app: Koa;
  pipeline: Pipeline;
  metrics: Metrics;
  /** The outbox, when a downstream is configured. */
  outbox?: Outbox;
  /** Stops delivering (what is pending stays stored), closes the store and the connection pool. */
  close(): Promise<void>;
}

/** The backend side of a gateway with a downstream: where to send, how, and the outbox's store. */
function openBackend(deps: AppDeps) {
  const { config, logger } = deps;
  const target = downstreamTarget(config);
  if (!target) return undefined;
  const { connections, replyLimitBytes } = config.downstream;
  const forwarder = deps.forwarder ?? new Forwarder({ connections, replyLimitBytes });
  return { target, forwarder, store: openOutbox(config, { logger, gateway: true }) };
}

/**
 * Builds the gateway: the backend side (none in shadow mode), the metrics over it, the outbox's
 * dispatcher (started), the pipeline, and the Koa app with its routes.
 */
export function createApp(deps: AppDeps): Gateway {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const backend = openBackend(deps);
  const metrics = new Metrics(backend?.store, deps.processMetrics ?? true);
  const outbox: Outbox | undefined = backend && {
    store: backend.store,
    dispatcher: new Dispatcher({ ...backend, config, logger, now, metrics }),
  };
  outbox?.dispatcher.start();
  const pipeline = new Pipeline({
    config,
    logger,
    target: backend?.target,
    forwarder: backend?.forwarder,
    outbox,
    now,
    metrics,
  });

  const { record } = config.server;
  const recorder = record.path ? new Recorder({ ...record, path: record.path }, logger, metrics) : undefined;
  const mirror = Mirror.configured(config)
    ? new Mirror({ config, logger, store: backend?.store, metrics, now })
    : undefined;
  const router = new Router();
  operationRoutes(router, { metrics, outbox, shadow: pipeline.shadow });
  callbackRoutes(router, { config, logger, metrics, pipeline, now, recorder, mirror });
  const app = new Koa({ proxy: false });
  app.silent = true;
  app.use(tidyPath());
  app.use(router.routes());
  app.use(notFound());
  return {
    app,
    pipeline,
    metrics,
    outbox,
    async close() {
      await outbox?.dispatcher.stop();
      await mirror?.close();
      await outbox?.store.close();
      await recorder?.close();
      await backend?.forwarder.close();
    },
  };
}
