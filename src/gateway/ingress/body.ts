import type { Context } from 'koa';
import { ImbridgeError } from '../../errors.js';

/** Whether a parsed JSON value nests deeper than `limit` (iterative, so depth itself cannot overflow the stack). */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(node))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The parsed body, which every callback of both vendors sends as a JSON object no deeper than a few
 * levels; anything else is refused before validation touches it.
 */
export function requireObject(ctx: Context, maxDepth: number): Record<string, unknown> {
  const body = ctx.request.body as unknown;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ImbridgeError('invalid_payload', 'request body must be a JSON object');
  }
  if (deeperThan(body, maxDepth))
    throw new ImbridgeError('too_deep', `request body nests deeper than ${maxDepth} levels`);
  return body as Record<string, unknown>;
}

/** The raw body text koa-bodyparser kept, for stable event ids. */
export function rawBody(ctx: Context): string {
  return (ctx.request as { rawBody?: string }).rawBody ?? '';
}
