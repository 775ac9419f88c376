import type Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import type { Config } from '../../config/schema.js';
import { deny } from '../../canonical/verdict.js';
import { ImbridgeError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { openimPhase } from '../../vendors/openim/commands.js';
import { openimDeny, openimError } from '../../vendors/openim/envelope.js';
import { tencentError } from '../../vendors/tencent/envelope.js';
import { allowCallers } from '../callers.js';
import { errorEnvelope, postOnly } from '../errorEnvelope.js';
import type { IngressOptions } from '../ingress/handle.js';
import { openimIngress, openimOrigin } from '../ingress/openim.js';
import { tencentIngress, tencentOrigin } from '../ingress/tencent.js';
import type { Metrics } from '../metrics.js';
import { observe, traceOf } from '../observe.js';
import type { Pipeline } from '../pipeline.js';
import { policyFor } from '../policy.js';
import type { Recorder } from '../../record/recorder.js';
import type { Mirror } from '../mirror.js';
import { shedLoad } from '../shed.js';
import { echoesRequest } from '../../vendors/openim/groupAnswer.js';

/** What the callback routes are built from. */
export interface CallbackOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  pipeline: Pipeline;
  now: () => number;
  /** Where accepted callbacks are recorded (`server.record`), when on. */
  recorder?: Recorder;
  /** Where decoded callbacks are also sent for comparison (`mirror`), when on. */
  mirror?: Mirror;
}

/**
 * `POST /tencent` and `POST /openim/[<pathSecret>/]{callbackCommand}` (docs/configuration.md#routes).
 * Each callback goes through, in order: its trace, the caller's error envelope, load shedding, the
 * caller address check, the origin check (both before the body is read: an unauthenticated caller
 * costs no parsing), body parsing, and the vendor's ingress. Any other method is 405.
 */
export function callbackRoutes(
  router: Router,
  { config, logger, metrics, pipeline, now, recorder, mirror }: CallbackOptions,
): void {
  const { server, tencent, openim } = config;
  const parseBody = bodyParser({
    enableTypes: ['json'],
    // Tencent's Content-Type is undocumented (docs/vendors/tencent.md#requests): every body is JSON.
    detectJSON: () => true,
    jsonLimit: String(server.bodyLimitBytes),
    strict: true,
  });
  const policyOf = (vendor: 'tencent' | 'openim', command: string) => policyFor(config, vendor, command);
  const ingress = (denyCode: number): IngressOptions => ({
    pipeline,
    unknownFields: server.unknownFields,
    policyOf,
    maxJsonDepth: server.maxJsonDepth,
    denyCode,
    now,
    recorder,
    mirror,
  });
  // One count for both routes: what is shed is the process's load, whichever IM server sends it.
  const inFlight = { count: 0 };
  const { maxInFlight, trustedProxies } = server;
  const overloaded = new ImbridgeError(
    'overloaded',
    `imbridge is overloaded: ${maxInFlight} callbacks already in flight`,
    503,
  );
  const tencentErrors = errorEnvelope({ render: tencentError, logger });
  const openimErrors = errorEnvelope({ render: openimError, logger });

  router.post(
    '/tencent',
    observe({ vendor: 'tencent', metrics, logger }),
    tencentErrors,
    shedLoad({
      inFlight,
      maxInFlight,
      onShed: () => metrics.shed.inc({ vendor: 'tencent' }),
      answer: (ctx) => {
        traceOf(ctx).outcome = 'shed';
        // Tencent treats any status but 200 as a failed callback and goes ahead, as with its own timeout.
        return tencentError(overloaded);
      },
    }),
    allowCallers({ allowed: tencent.allowedIPs, trustedProxies }),
    tencentOrigin({
      sdkAppId: tencent.sdkAppId,
      callbackToken: tencent.callbackToken,
      windowSec: tencent.signatureWindowSec,
      now,
    }),
    parseBody,
    tencentIngress(ingress(tencent.denyCode)),
  );
  router.all('/tencent', tencentErrors, postOnly());

  const openimShed = shedLoad({
    inFlight,
    maxInFlight,
    onShed: () => metrics.shed.inc({ vendor: 'openim' }),
    // A set-group-info allow must echo the request, or OpenIM fails the user's change; these are rare
    // admin actions, so they wait their turn rather than get an answer that cannot be right.
    exempt: (ctx) => echoesRequest(String(ctx['params']?.command ?? '')),
    answer: (ctx) => {
      traceOf(ctx).outcome = 'shed';
      // OpenIM never reads the status: a before-callback gets the failure rule's answer in the body.
      const command = String(ctx['params']?.command ?? '');
      const policy = policyOf('openim', command);
      return openimPhase(command) === 'before' && policy.failureRule === 'deny'
        ? openimDeny(deny(policy.denyCode, overloaded.message), policy.denyCode)
        : openimError(overloaded);
    },
  });
  const openimSeen = observe({ vendor: 'openim', metrics, logger });
  const openimCallers = allowCallers({ allowed: openim.allowedIPs, trustedProxies });
  const openimFrom = openimOrigin({ pathSecret: openim.pathSecret });
  const openimIn = openimIngress(ingress(openim.denyCode));
  for (const path of ['/openim/:command', '/openim/:secret/:command']) {
    router.post(path, openimSeen, openimErrors, openimShed, openimCallers, openimFrom, parseBody, openimIn);
    router.all(path, openimErrors, postOnly());
  }
}
