import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { deny } from '../canonical/verdict.js';
import { ImbridgeError } from '../errors.js';
import { openimPhase } from '../vendors/openim/commands.js';
import { openimDeny, openimError } from '../vendors/openim/envelope.js';
import { tencentError } from '../vendors/tencent/envelope.js';
import { errorEnvelope, postOnly } from './errorEnvelope.js';
import { Forwarder } from '../downstream/forwarder.js';
import { openimIngress, openimOrigin } from './ingress/openim.js';
import { tencentIngress, tencentOrigin } from './ingress/tencent.js';
import { allowFrom } from './origin.js';
import { Dispatcher, type Outbox } from '../outbox/dispatcher.js';
import { openOutbox } from '../outbox/open.js';
import { Metrics } from './metrics.js';
import { observe, traceOf } from './observe.js';
import { policyFor } from './policy.js';
import { shedLoad } from './shed.js';
import { Pipeline } from './pipeline.js';
import { downstreamTarget } from '../downstream/target.js';

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

/**
 * OpenIM concatenates its configured URL and the command, so a URL ending in `/` arrives as
 * `/openim//callbackX` (O§1.2); Tencent's console may hold `…/tencent/`. Both are the same route.
 */
function tidyPath(): Middleware {
  return async function tidyPath(ctx, next) {
    if (ctx.path.includes('//') || (ctx.path.length > 1 && ctx.path.endsWith('/'))) {
      ctx.path = ctx.path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
    }
    await next();
  };
}

/** A promise that rejects after `ms`, for racing a call that may hang. */
function rejectAfter(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

/** A JSON 404 for anything that is not a route; IM servers never hit it, probes do. */
function notFound(): Middleware {
  return async function notFound(ctx) {
    ctx.status = 404;
    ctx.body = { error: { code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` } };
  };
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

/** Builds the gateway. With a downstream it opens the outbox and starts delivering from it. */
export function createApp(deps: AppDeps): Gateway {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const target = downstreamTarget(config);
  const forwarder = target
    ? (deps.forwarder ??
      new Forwarder({ connections: config.downstream.connections, replyLimitBytes: config.downstream.replyLimitBytes }))
    : undefined;
  let outbox: Gateway['outbox'];
  const store = target && forwarder ? openOutbox(config, { logger, gateway: true }) : undefined;
  const metrics = new Metrics(store, deps.processMetrics ?? true);
  if (target && forwarder && store) {
    outbox = { store, dispatcher: new Dispatcher({ store, forwarder, target, config, logger, now, metrics }) };
    outbox.dispatcher.start();
  }
  const pipeline = new Pipeline({ config, logger, target, forwarder, outbox, now, metrics });
  const parseBody = bodyParser({
    enableTypes: ['json'],
    // Tencent's Content-Type is undocumented (T§1.1): every callback body is JSON, whatever the header says.
    detectJSON: () => true,
    jsonLimit: String(config.server.bodyLimitBytes),
    strict: true,
  });
  const tencentErrors = errorEnvelope(tencentError, logger);
  const openimErrors = errorEnvelope(openimError, logger);

  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    // Ready means the config loaded (it did, or there would be no app) and the outbox would take a new
    // after-event now: a load balancer must stop sending callbacks that would be refused.
    try {
      // A probe must answer fast even when the store hangs.
      const answer =
        outbox &&
        (await Promise.race([
          Promise.all([outbox.store.ready(), outbox.store.depth()]),
          rejectAfter(1_000, 'the outbox did not answer within 1 s'),
        ]));
      if (answer && !answer[0].ready) {
        ctx.status = 503;
        ctx.body = { status: 'unavailable', reason: answer[0].reason };
        return;
      }
      ctx.body = { status: 'ready', shadow: pipeline.shadow, ...(answer && { outbox: answer[1] }) };
    } catch (err) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: `outbox unreachable: ${(err as Error).message}` };
    }
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  const tencentCallers = allowFrom(config.tencent.allowedIPs, config.server.trustedProxies);
  const openimCallers = allowFrom(config.openim.allowedIPs, config.server.trustedProxies);
  // Origin checks come before the body is read: an unauthenticated caller costs no parsing.
  const tencentSeen = observe('tencent', metrics, logger);
  const openimSeen = observe('openim', metrics, logger);
  // One count for both routes: what is shed is the process's load, whichever IM server sends it.
  const inFlight = { count: 0 };
  const overloaded = new ImbridgeError(
    'overloaded',
    `imbridge is overloaded: ${config.server.maxInFlight} callbacks already in flight`,
    503,
  );
  const tencentShed = shedLoad({
    inFlight,
    maxInFlight: config.server.maxInFlight,
    onShed: () => metrics.shed.inc({ vendor: 'tencent' }),
    answer: (ctx) => {
      traceOf(ctx).outcome = 'shed';
      // Tencent treats any status but 200 as a failed callback and goes ahead, as with its own timeout.
      return tencentError(overloaded);
    },
  });
  const openimShed = shedLoad({
    inFlight,
    maxInFlight: config.server.maxInFlight,
    onShed: () => metrics.shed.inc({ vendor: 'openim' }),
    answer: (ctx) => {
      traceOf(ctx).outcome = 'shed';
      // OpenIM never reads the status: a before-callback gets the failure rule's answer in the body.
      const command = String(ctx['params']?.command ?? '');
      const policy = policyFor(config, 'openim', command);
      return openimPhase(command) === 'before' && policy.failureRule === 'deny'
        ? openimDeny(deny(policy.denyCode, overloaded.message), policy.denyCode)
        : openimError(overloaded);
    },
  });
  router.post(
    '/tencent',
    tencentSeen,
    tencentErrors,
    tencentShed,
    tencentCallers,
    tencentOrigin(config, now),
    parseBody,
    tencentIngress(config, pipeline, now),
  );
  router.all('/tencent', tencentErrors, postOnly());
  for (const path of ['/openim/:command', '/openim/:secret/:command']) {
    router.post(
      path,
      openimSeen,
      openimErrors,
      openimShed,
      openimCallers,
      openimOrigin(config),
      parseBody,
      openimIngress(config, pipeline, now),
    );
    router.all(path, openimErrors, postOnly());
  }

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
      await outbox?.store.close();
      await forwarder?.close();
    },
  };
}
