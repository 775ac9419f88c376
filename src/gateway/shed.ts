import type { Context, Middleware } from 'koa';

/** What a shed callback is answered with: the caller's envelope, decided without reading the body. */
export type ShedAnswer = (ctx: Context) => unknown;

/** Options of `shedLoad`. */
export interface ShedOptions {
  /** The shared count of callbacks in flight in this process (one for both routes). */
  inFlight: { count: number };
  /** Callbacks in flight past which new ones are answered at once (`server.maxInFlight`). */
  maxInFlight: number;
  /** The body of a shed answer (its status is 503). */
  answer: ShedAnswer;
  /** Hears every shed callback (a metric). */
  onShed?: () => void;
  /** Callbacks never shed: those whose only safe answer needs their body read. */
  exempt?: (ctx: Context) => boolean;
}

/**
 * Answers callbacks beyond `maxInFlight` at once, before their body is read, instead of letting every
 * callback wait behind the others until all of them are past the IM server's deadline (2 000 callbacks
 * at once were answered after 2.3 s at the median, past Tencent's 2 s): under overload imbridge answers
 * what it can in time and the rest at once (docs/operations.md#overload).
 */
export function shedLoad({ inFlight, maxInFlight, answer, onShed, exempt }: ShedOptions): Middleware {
  return async function shedLoad(ctx, next) {
    if (inFlight.count >= maxInFlight && !exempt?.(ctx)) {
      onShed?.();
      ctx.status = 503;
      ctx.set('Retry-After', '1');
      ctx.body = answer(ctx);
      return;
    }
    inFlight.count++;
    try {
      await next();
    } finally {
      inFlight.count--;
    }
  };
}
