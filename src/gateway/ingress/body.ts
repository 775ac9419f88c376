import type { Context } from 'koa';
import { ImbridgeError } from '../../errors.js';

/** The parsed body, which every callback of both vendors sends as a JSON object. */
export function requireObject(ctx: Context): Record<string, unknown> {
  const body = ctx.request.body as unknown;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ImbridgeError('invalid_payload', 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** The raw body text koa-bodyparser kept, for stable event ids. */
export function rawBody(ctx: Context): string {
  return (ctx.request as { rawBody?: string }).rawBody ?? '';
}
