import { readCanonicalReply } from '../canonical/reply.js';
import type { DownstreamFormat, Outcome, Phase, Verdict } from '../canonical/types.js';
import { failed } from '../canonical/verdict.js';
import { readOpenIMReply } from '../vendors/openim/envelope.js';
import { isPerTargetCommand } from '../vendors/tencent/commands.js';
import { readTencentReply } from '../vendors/tencent/envelope.js';
import { isGroupBeforeCommand, readTencentGroupReply } from '../vendors/tencent/groupReply.js';
import { isBeforeSendCommand, readTencentMessageReply } from '../vendors/tencent/messageReply.js';
import type { WireReply } from '../wire.js';
import type { Forwarder } from './forwarder.js';
import type { Planned } from './plan.js';

/** Where exchanges are timed (the gateway's Prometheus metrics). */
export interface ExchangeMetrics {
  /** Records one downstream exchange: its format, command, duration and whether it worked. */
  exchange(format: string, command: string, ms: number, ok: boolean): void;
}

/** One before-event exchange's result, and how long it took. */
export interface Exchange {
  outcome: Outcome;
  /** The backend's HTTP status, when it answered at all. */
  status?: number;
  /** How long the exchange took. */
  ms: number;
}

/** `Retry-After` as milliseconds from `nowMs`, or undefined when absent or unreadable. */
export function retryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Why an exchange failed when the backend did not answer in time: counted as a deadline miss. */
export const NO_ANSWER = 'no answer within the deadline';

/** Sends one request; the reply, or why there is none. */
async function send(
  forwarder: Forwarder,
  p: Planned,
  signal: AbortSignal,
): Promise<{ reply: WireReply } | { error: string }> {
  try {
    return { reply: await forwarder.send(p.request, signal) };
  } catch (err) {
    return { error: signal.aborted ? NO_ANSWER : `request failed: ${(err as Error).message}` };
  }
}

/** Whether an outcome carries an explicit deny: a whole-event deny, or a deny for any target. */
function saysDeny(outcome: Outcome): boolean {
  return (
    outcome.ok && (outcome.verdict.decision === 'deny' || outcome.verdict.items.some((i) => i.decision === 'deny'))
  );
}

/**
 * Whether a status alone makes a before-event exchange a failure. OpenIM never reads the status
 * (docs/vendors/openim.md#reply-handling), but a backend answering 429 or 5xx is saying "not now";
 * Tencent counts anything but 200 as a failed callback (docs/vendors/tencent.md#replies), and imbridge
 * accepts any 2xx; a canonical backend answers 2xx.
 */
function statusFails(format: DownstreamFormat, status: number): boolean {
  if (format === 'openim') return status === 429 || status >= 500;
  return status < 200 || status >= 300;
}

/** A reply body read in the target format's terms, for a before- or an after-event. */
function readBody(format: DownstreamFormat, p: Planned, body: string, phase: Phase): Outcome {
  switch (format) {
    case 'tencent':
      if (phase === 'before' && isBeforeSendCommand(p.command)) return readTencentMessageReply(body);
      if (phase === 'before' && isGroupBeforeCommand(p.command)) return readTencentGroupReply(body);
      return readTencentReply(body, phase === 'before' && isPerTargetCommand(p.command));
    case 'openim':
      return readOpenIMReply(body, p.command, p.request.body);
    case 'canonical':
      return readCanonicalReply(body, phase);
  }
}

/** A before-event reply read in the target format's terms. */
function readBefore(format: DownstreamFormat, p: Planned, reply: WireReply): Outcome {
  const outcome = readBody(format, p, reply.body, 'before');
  // An explicit deny is a deny whatever the status: the failure rule must never turn it into an allow.
  if (statusFails(format, reply.status) && !saysDeny(outcome)) return failed(`backend answered HTTP ${reply.status}`);
  return outcome;
}

/** Sends one planned before-event request and reads the reply; records it in `metrics`. */
export async function exchange(
  forwarder: Forwarder,
  format: DownstreamFormat,
  p: Planned,
  signal: AbortSignal,
  metrics?: ExchangeMetrics,
): Promise<Exchange> {
  const started = performance.now();
  const sent = await send(forwarder, p, signal);
  const outcome = 'reply' in sent ? readBefore(format, p, sent.reply) : failed(sent.error);
  const ms = performance.now() - started;
  metrics?.exchange(format, p.command, ms, outcome.ok);
  return { outcome, status: 'reply' in sent ? sent.reply.status : undefined, ms };
}

/**
 * What became of one after-event delivery (docs/guarantees.md): `delivered`; `rejected` — a 2xx whose
 * body is not a clean acknowledgement, which neither IM server would read, so it is not retried either;
 * `retry` — no answer, 408, 429 or 5xx; `dead` — any other status, which no retry will change.
 */
export type DeliveryResult = 'delivered' | 'rejected' | 'retry' | 'dead';

/** One after-event delivery attempt. */
export interface Delivery {
  result: DeliveryResult;
  /** Why it was not a clean delivery ('' when it was). */
  reason: string;
  /** From a `Retry-After` header (seconds or an HTTP date), when the backend sent one. */
  retryAfterMs?: number;
  /**
   * A deny in the reply to a before-callback sent as a notification (docs/mappings.md#timing-mismatches: the event already
   * happened, so it cannot be honoured).
   */
  denied?: Verdict;
}

/** Whether a 2xx reply to an after-event is a clean acknowledgement in the format's terms. */
function readAfter(format: DownstreamFormat, p: Planned, body: string): Pick<Delivery, 'result' | 'reason' | 'denied'> {
  const outcome = readBody(format, p, body, 'after');
  if (!outcome.ok) return { result: 'rejected', reason: outcome.reason };
  return saysDeny(outcome)
    ? { result: 'delivered', reason: '', denied: outcome.verdict }
    : { result: 'delivered', reason: '' };
}

/** Sends one planned after-event request and judges the delivery; records it in `metrics`. */
export async function deliver(
  forwarder: Forwarder,
  format: DownstreamFormat,
  p: Planned,
  signal: AbortSignal,
  nowMs: number,
  metrics?: ExchangeMetrics,
): Promise<Delivery> {
  const started = performance.now();
  const sent = await send(forwarder, p, signal);
  let delivery: Delivery;
  if (!('reply' in sent)) delivery = { result: 'retry', reason: sent.error };
  else {
    const { status, headers, body } = sent.reply;
    if (status >= 200 && status < 300) delivery = readAfter(format, p, body);
    else {
      const retry = status === 408 || status === 429 || status >= 500;
      delivery = {
        result: retry ? 'retry' : 'dead',
        reason: `backend answered HTTP ${status}`,
        retryAfterMs: retryAfter(headers['retry-after'], nowMs),
      };
    }
  }
  metrics?.exchange(
    format,
    p.command,
    performance.now() - started,
    delivery.result === 'delivered' || delivery.result === 'rejected',
  );
  return delivery;
}
