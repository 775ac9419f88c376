import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { CanonicalType, Phase, Vendor, Verdict } from '../canonical/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';

/** What one callback went through, filled in along the way and logged as one line at the end. */
export interface Trace {
  requestId: string;
  vendor: Vendor;
  /** Set once the command is known to be the vendor's (never a prober's invention: it is a label). */
  command?: string;
  phase?: Phase;
  type?: CanonicalType;
  /** allow, deny, partial (some targets denied), ack, unmapped — or the refusal code. */
  outcome?: string;
  operationID?: string;
  downstream: { command: string; status?: number; ms: number; ok: boolean }[];
  refusal?: { code: string; reason: string };
  /** When the request reached imbridge (`performance.now()`): the caller's wait is counted from here. */
  startedAt: number;
}

/** What `observe` leaves for later middleware: the callback's trace. */
export interface TraceState {
  trace: Trace;
}

/** The trace of the callback being handled. */
export function traceOf(ctx: { state: TraceState }): Trace {
  return ctx.state.trace;
}

/** A before-event verdict as an outcome label. */
export function outcomeOf(verdict: Verdict): string {
  if (verdict.decision === 'deny') return 'deny';
  return verdict.items.some((i) => i.decision === 'deny') ? 'partial' : 'allow';
}

/**
 * Wraps a callback route: gives the request an id (the caller's `X-Request-Id`, or a new one, echoed
 * back), then counts the callback and writes one structured log line with everything an on-call
 * engineer asks first — vendor, command, canonical type, decision, downstream statuses and latencies,
 * the OpenIM operation id. Refusals are logged at warn with their reason, never with secrets.
 */
export function observe({
  vendor,
  metrics,
  logger,
}: {
  vendor: Vendor;
  metrics: Metrics;
  logger: Logger;
}): Middleware<TraceState> {
  return async function observe(ctx, next) {
    const started = performance.now();
    const requestId = ctx.get('x-request-id').slice(0, 128) || randomUUID();
    ctx.set('X-Request-Id', requestId);
    const trace: Trace = { requestId, vendor, downstream: [], startedAt: started };
    ctx.state.trace = trace;
    await next();
    const seconds = (performance.now() - started) / 1000;
    const outcome = trace.refusal?.code ?? trace.outcome ?? `http_${ctx.status}`;
    metrics.callbacks.inc({ vendor, command: trace.command ?? 'unknown', outcome });
    metrics.callbackDuration.observe({ vendor, phase: trace.phase ?? 'unknown' }, seconds);
    const line = {
      reqId: requestId,
      vendor,
      command: trace.command,
      type: trace.type,
      outcome,
      status: ctx.status,
      ms: Math.round(seconds * 10_000) / 10,
      operationID: trace.operationID,
      downstream: trace.downstream.length > 0 ? trace.downstream : undefined,
    };
    if (trace.refusal) logger.warn({ ...line, reason: trace.refusal.reason }, 'callback refused');
    else logger.info(line, 'callback');
  };
}
