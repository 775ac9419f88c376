import type Router from '@koa/router';
import type { Outbox } from '../../outbox/dispatcher.js';
import type { Metrics } from '../metrics.js';

/** What the operations routes look at. */
export interface OperationsOptions {
  metrics: Metrics;
  /** The outbox, when a downstream is configured. */
  outbox?: Outbox;
  /** Whether imbridge answers everything itself (no downstream). */
  shadow: boolean;
}

/** A promise that rejects after `ms`, for racing a call that may hang. */
function rejectAfter(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

/** `GET /healthz`, `/readyz` and `/metrics` (docs/operations.md#health). */
export function operationRoutes(router: Router, { metrics, outbox, shadow }: OperationsOptions): void {
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
      ctx.body = { status: 'ready', shadow, ...(answer && { outbox: answer[1] }) };
    } catch (err) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: `outbox unreachable: ${(err as Error).message}` };
    }
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}
