import type { Middleware } from 'koa';
import type { Logger } from '../log.js';
import { ImbridgeError, toImbridgeError } from '../errors.js';
import type { TraceState } from './observe.js';

/** Renders an ImbridgeError as the calling vendor's reply body. */
export type ErrorRenderer = (err: ImbridgeError) => unknown;

/**
 * The one place errors become replies: anything thrown below is turned into an ImbridgeError and
 * answered with its status in the caller's own envelope, so an IM server (or a prober) never sees a
 * stack trace. A 5xx is logged here with its cause; a refusal is handed to the callback's trace.
 */
export function errorEnvelope({
  render,
  logger,
}: {
  render: ErrorRenderer;
  logger: Logger;
}): Middleware<Partial<TraceState>> {
  return async function errorEnvelope(ctx, next) {
    try {
      await next();
    } catch (thrown) {
      const err = toImbridgeError(thrown);
      // The route pattern, not the path: an OpenIM path may carry the secret segment.
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unknown';
      if (err.status >= 500) logger.error({ err: thrown, route }, 'request failed');
      // `observe` logs the refusal with the rest of the callback's line.
      const trace = ctx.state.trace;
      if (trace) trace.refusal = { code: err.code, reason: err.message };
      else if (err.status < 500)
        logger.warn({ code: err.code, status: err.status, route, reason: err.message }, 'request refused');
      ctx.status = err.status;
      ctx.body = render(err);
    }
  };
}

/** Refuses every method but POST on a callback route, in the route's envelope (via errorEnvelope). */
export function postOnly(): Middleware {
  return async function postOnly(ctx) {
    ctx.set('Allow', 'POST');
    throw new ImbridgeError('method_not_allowed', `${ctx.method} is not allowed here; IM servers POST callbacks`, 405);
  };
}
