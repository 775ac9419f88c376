import type { Middleware } from 'koa';

/**
 * OpenIM concatenates its configured URL and the command, so a URL ending in `/` arrives as
 * `/openim//callbackX` (docs/vendors/openim.md#requests); Tencent's console may hold `…/tencent/`.
 * Both are the same route.
 */
export function tidyPath(): Middleware {
  return async function tidyPath(ctx, next) {
    if (ctx.path.includes('//') || (ctx.path.length > 1 && ctx.path.endsWith('/'))) {
      ctx.path = ctx.path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
    }
    await next();
  };
}

/** A JSON 404 for anything that is not a route; IM servers never hit it, probes do. */
export function notFound(): Middleware {
  return async function notFound(ctx) {
    ctx.status = 404;
    ctx.body = { error: { code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` } };
  };
}
