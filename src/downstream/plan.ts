import { mappingOf, type OutboundCall } from '../../mappings/index.js';
import type { AnyEvent, DownstreamFormat } from '../canonical/types.js';
import { buildOpenIMRequest } from '../vendors/openim/request.js';
import { buildTencentRequest } from '../vendors/tencent/request.js';
import type { WireRequest } from '../wire.js';
import { buildCloudEventRequest } from './cloudEvent.js';
import type { Target } from './target.js';

/** A planned downstream exchange: the wire request and, for vendor formats, the call it carries. */
export interface Planned {
  request: WireRequest;
  /** Vendor command for vendor formats; the canonical type for canonical. */
  command: string;
  targets: string[];
  /** Sent only once the other calls of the event allowed it (a synthesized follow-up call). */
  afterAllow?: true;
}

/**
 * The downstream requests an event becomes for a target, or undefined when the target's vendor has no
 * counterpart for the event (docs/mappings.md#unmapped-commands). Pure apart from the clock it is given.
 */
export function plan(event: AnyEvent, target: Target, nowMs: number): Planned[] | undefined {
  return planParts(event, target, nowMs);
}

/**
 * Just one of the requests `plan` would give (an outbox entry is one part): only the part asked for is
 * serialised and signed, and the calls of a fan-out are encoded once per event object (see
 * `fanOutCalls`), so delivering an N-part fan-out costs N, not N².
 */
export function planPart(event: AnyEvent, target: Target, nowMs: number, part: number): Planned | undefined {
  return planParts(event, target, nowMs, part)?.[0];
}

/**
 * The idempotency key of one planned call: the event id, suffixed with the part when the event fans
 * out. Stable across retries and restarts, so a backend can de-duplicate.
 */
export function partKey(eventId: string, part: number, parts: number): string {
  return parts > 1 ? `${eventId}.${part}` : eventId;
}

/**
 * The calls of the fan-outs whose parts are being planned one by one, kept as long as their event
 * object lives. The outbox's passes read the parts of one event as one object (the stores parse a
 * shared event once per read), so a Tencent batch of 5 000 pairs is encoded once per pass instead of
 * once per part (~180 µs each; docs/performance.md#what-each-piece-of-machinery-buys). An encoder that stamps the
 * time stamps every part of one read alike.
 */
const fanOuts = new WeakMap<AnyEvent, { format: DownstreamFormat; calls: OutboundCall[] }>();

function fanOutCalls(event: AnyEvent, format: DownstreamFormat, encode: () => OutboundCall[]): OutboundCall[] {
  const known = fanOuts.get(event);
  if (known?.format === format) return known.calls;
  const calls = encode();
  // A single call is the common case, and has nothing to share.
  if (calls.length > 1) fanOuts.set(event, { format, calls });
  return calls;
}

/** Every part, or only part `only`; each request carries the target's static headers and its key. */
function planParts(event: AnyEvent, target: Target, nowMs: number, only?: number): Planned[] | undefined {
  const withHeaders = (p: Planned, part: number, parts: number): Planned => {
    p.request.headers = { ...target.headers, ...p.request.headers, 'Idempotency-Key': partKey(event.id, part, parts) };
    return p;
  };
  if (target.format === 'canonical') {
    if (only !== undefined && only !== 0) return [];
    const request = buildCloudEventRequest(target.url, event, target.signer, nowMs);
    return [
      withHeaders(
        { request, command: event.type, targets: mappingOf(event.type).targets?.(event.data as never) ?? [] },
        0,
        1,
      ),
    ];
  }
  const encode = mappingOf(event.type).encoders[target.format];
  if (!encode) return undefined;
  // Calls to commands the backend does not implement are never made (`downstream.commands`).
  const operationID = event.data.meta?.operationID || event.id;
  const encodeHandled = () => {
    const all = encode(event.data as never, { nowMs, operationID, command: event.imcommand });
    // A synthesized call goes out only when the backend says it handles it.
    return all.filter((c) => (target.commands ? target.commands.has(c.command) : !c.synthesized));
  };
  const calls = only === undefined ? encodeHandled() : fanOutCalls(event, target.format, encodeHandled);
  const parts = only === undefined ? calls.map((_, i) => i) : only < calls.length ? [only] : [];
  // A follow-up call belongs to the same operation, as OpenIM's modify call shares its send's operationID.
  const fannedOut = calls.filter((c) => !c.synthesized).length > 1;
  return parts.map((i) => {
    const call = calls[i]!;
    const request =
      target.format === 'tencent'
        ? buildTencentRequest(
            target,
            call.command,
            call.body,
            call.platform ? { ...event.data.meta, platform: call.platform } : event.data.meta,
            nowMs,
          )
        : buildOpenIMRequest(target.url, call.command, call.body, fannedOut ? `${operationID}-${i}` : operationID);
    return withHeaders(
      { command: call.command, targets: call.targets, request, afterAllow: call.synthesized },
      i,
      calls.length,
    );
  });
}
