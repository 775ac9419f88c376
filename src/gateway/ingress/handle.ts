import type { Origin } from '../../canonical/event.js';
import type { AnyEvent, Phase, Vendor, Verdict } from '../../canonical/types.js';
import { outcomeOf, type Trace } from '../observe.js';
import type { Pipeline } from '../pipeline.js';
import type { Mirror } from '../mirror.js';
import type { Policy } from '../policy.js';
import type { Recorder } from '../../record/recorder.js';
import type { RecordedCallback } from '../../record/recording.js';
import { decodeDelivery, type UnknownFields } from './decode.js';

/** What an ingress needs to hand a delivery on, whichever vendor sent it. */
export interface DeliveryOptions {
  pipeline: Pipeline;
  /** Body keys a vendor schema does not declare (`server.unknownFields`). */
  unknownFields: UnknownFields;
  /** The policy of one vendor command (deadline, failure rule, deny code). */
  policyOf: (vendor: Vendor, command: string) => Policy;
  /** Where decoded callbacks are also sent for comparison (`mirror`), when on. */
  mirror?: Mirror;
}

/** What each vendor's ingress takes: the delivery options, its body bounds, its deny code and a clock. */
export interface IngressOptions extends DeliveryOptions {
  /** Deepest accepted JSON nesting (`server.maxJsonDepth`). */
  maxJsonDepth: number;
  /** The caller's deny code for failure-rule denies (`tencent.denyCode`, `openim.denyCode`). */
  denyCode: number;
  /** Now, in Unix ms (an event whose vendor names no time happened when it was accepted). */
  now: () => number;
  /** Where accepted callbacks are recorded (`server.record`), when on. */
  recorder?: Recorder;
}

/**
 * What both ingress routes do once the vendor edge has read a delivery: decode it, deliver it under its
 * policy (or answer it when imbridge does not map it), and record the outcome on the trace.
 */
export async function handleDelivery(
  { pipeline, unknownFields, policyOf, mirror }: DeliveryOptions,
  trace: Trace,
  origin: Origin,
  body: Record<string, unknown>,
  phase: Phase,
): Promise<{ event?: AnyEvent; verdict: Verdict }> {
  const event = decodeDelivery(origin, body, unknownFields, (keys) =>
    pipeline.unknownFields(origin.vendor, origin.command, keys),
  );
  let verdict: Verdict;
  if (event) {
    const policy = policyOf(origin.vendor, origin.command);
    const decided = pipeline.deliver(event, phase, policy, trace);
    // The mirror asks its candidate beside the primary and is never waited for.
    mirror?.observe(event, phase, policy, decided);
    verdict = await decided;
  } else verdict = pipeline.unmapped(origin.vendor, origin.command, 'imbridge has no mapping for this command', trace);
  trace.outcome ??= phase === 'after' ? 'ack' : outcomeOf(verdict);
  return { event, verdict };
}

/**
 * Records one answered callback when recording is on: the query and headers the translation reads
 * (`extra`), the raw body, the canonical type and, for a before-callback, the verdict answered.
 * `extra` and `now` are asked only then: with recording off a callback pays nothing for it.
 */
export function recordDelivery(
  recorder: Recorder | undefined,
  trace: Trace,
  origin: Origin,
  phase: Phase,
  outcome: { event?: AnyEvent; verdict: Verdict },
  extra: () => Pick<RecordedCallback, 'query' | 'headers'>,
  now: () => number,
): void {
  if (!recorder) return;
  // When the callback arrived, not when it was answered.
  const arrived = now() - (performance.now() - trace.startedAt);
  recorder.record({
    v: 1,
    at: new Date(Math.round(arrived)).toISOString(),
    vendor: origin.vendor,
    command: origin.command,
    ...extra(),
    body: origin.rawBody,
    type: outcome.event?.type ?? null,
    verdict: phase === 'before' ? outcome.verdict : null,
  });
}
