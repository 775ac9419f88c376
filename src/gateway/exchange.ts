import { readCanonicalReply } from '../canonical/reply.js';
import type { DownstreamFormat, Outcome, Phase } from '../canonical/types.js';
import { failed } from '../canonical/verdict.js';
import { readOpenIMReply } from '../vendors/openim/envelope.js';
import { isPerTargetCommand } from '../vendors/tencent/commands.js';
import { readTencentReply } from '../vendors/tencent/envelope.js';
import type { WireReply } from '../wire.js';
import type { Forwarder } from './forwarder.js';
import type { Metrics } from './metrics.js';
import type { Planned } from './translate.js';

/** One downstream exchange's result, and how long the backend asked to be left alone. */
export interface Exchange {
  outcome: Outcome;
  /** The backend's HTTP status, when it answered at all. */
  status?: number;
  /** How long the exchange took. */
  ms: number;
  /** From a `Retry-After` header (seconds or an HTTP date), when the backend sent one. */
  retryAfterMs?: number;
}

/** `Retry-After` as milliseconds from `nowMs`, or undefined when absent or unreadable. */
export function retryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Sends one planned request and reads the reply in the target format's terms. */
/** Why an exchange failed when the backend did not answer in time: counted as a deadline miss. */
export const NO_ANSWER = 'no answer within the deadline';

/** Sends one planned request and reads the reply in the target format's terms; records it in `metrics`. */
export async function exchange(
  forwarder: Forwarder,
  format: DownstreamFormat,
  p: Planned,
  phase: Phase,
  signal: AbortSignal,
  nowMs: number,
  metrics?: Metrics,
): Promise<Exchange> {
  const started = performance.now();
  let reply: WireReply | undefined;
  let outcome: Outcome;
  try {
    reply = await forwarder.send(p.request, signal);
    outcome = readReply(format, p, phase, reply);
  } catch (err) {
    outcome = failed(signal.aborted ? NO_ANSWER : `request failed: ${(err as Error).message}`);
  }
  const ms = performance.now() - started;
  metrics?.exchange(format, p.command, ms, outcome.ok);
  return { outcome, status: reply?.status, ms, retryAfterMs: reply && retryAfter(reply.headers['retry-after'], nowMs) };
}

function readReply(format: DownstreamFormat, p: Planned, phase: Phase, reply: WireReply): Outcome {
  switch (format) {
    case 'tencent':
      return readTencentReply(reply, isPerTargetCommand(p.command));
    case 'openim':
      // OpenIM ignores statuses (O§1.3), but a backend saying "come back later" is a failed delivery.
      if (reply.status === 429 || reply.status >= 500) return failed(`backend answered HTTP ${reply.status}`);
      return readOpenIMReply(reply);
    case 'canonical':
      return readCanonicalReply(reply, phase);
  }
}
