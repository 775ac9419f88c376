import type { Origin } from '../../canonical/event.js';
import type { AnyEvent, Phase, Verdict } from '../../canonical/types.js';
import type { Config } from '../../config/schema.js';
import { outcomeOf, type Trace } from '../observe.js';
import type { Pipeline } from '../pipeline.js';
import { policyFor } from '../policy.js';
import { decodeDelivery } from './decode.js';

/**
 * What both ingress routes do once the vendor edge has read a delivery: decode it, deliver it under its
 * policy (or answer it when imbridge does not map it), and record the outcome on the trace.
 */
export async function handleDelivery(
  config: Config,
  pipeline: Pipeline,
  trace: Trace,
  origin: Origin,
  body: Record<string, unknown>,
  phase: Phase,
): Promise<{ event?: AnyEvent; verdict: Verdict }> {
  const event = decodeDelivery(origin, body, config.server.unknownFields, (keys) =>
    pipeline.unknownFields(origin.vendor, origin.command, keys),
  );
  const verdict = event
    ? await pipeline.deliver(event, phase, policyFor(config, origin.vendor, origin.command), trace)
    : pipeline.unmapped(origin.vendor, origin.command, 'imbridge has no mapping for this command', trace);
  trace.outcome ??= phase === 'after' ? 'ack' : outcomeOf(verdict);
  return { event, verdict };
}
