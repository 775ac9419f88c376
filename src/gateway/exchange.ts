import { readCanonicalReply } from '../canonical/reply.js';
import type { DownstreamFormat, Outcome, Phase } from '../canonical/types.js';
import { failed } from '../canonical/verdict.js';
import { readOpenIMReply } from '../vendors/openim/envelope.js';
import { isPerTargetCommand } from '../vendors/tencent/commands.js';
import { readTencentReply } from '../vendors/tencent/envelope.js';
import type { WireReply } from '../wire.js';
import type { Forwarder } from './forwarder.js';
import type { Planned } from './translate.js';

/** One downstream exchange's result, and how long the backend asked to be left alone. */
export interface Exchange {
  outcome: Outcome;
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
export async function exchange(forwarder: Forwarder, format: DownstreamFormat, p: Planned, phase: Phase, signal: AbortSignal, nowMs: number): Promise<Exchange> {
  let reply: WireReply;
  try {
    reply = await forwarder.send(p.request, signal);
  } catch (err) {
    return { outcome: failed(signal.aborted ? 'no answer within the deadline' : `request failed: ${(err as Error).message}`) };
  }
  const retryAfterMs = retryAfter(reply.headers['retry-after'], nowMs);
  switch (format) {
    case 'tencent':
      return { outcome: readTencentReply(reply, isPerTargetCommand(p.command)), retryAfterMs };
    case 'openim':
      // OpenIM ignores statuses (O§1.3), but a backend saying "come back later" is a failed delivery.
      if (reply.status === 429 || reply.status >= 500) return { outcome: failed(`backend answered HTTP ${reply.status}`), retryAfterMs };
      return { outcome: readOpenIMReply(reply), retryAfterMs };
    case 'canonical':
      return { outcome: readCanonicalReply(reply, phase), retryAfterMs };
  }
}
