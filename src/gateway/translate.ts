import { createRequire } from 'node:module';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../config/schema.js';
import { ValidationError } from 'yup';
import { decoderFor, mappingOf, type OutboundCall } from '../../mappings/index.js';
import { makeEvent, type Origin } from '../canonical/event.js';
import type { AnyEvent, DownstreamFormat, EventData } from '../canonical/types.js';
import { ImbridgeError } from '../errors.js';
import { UNKNOWN_FIELD_TEST } from '../vendors/exact.js';
import { buildOpenIMRequest } from '../vendors/openim/request.js';
import { buildTencentRequest } from '../vendors/tencent/request.js';
import type { WireRequest } from '../wire.js';

/** What to do with body keys a vendor schema does not declare. */
export type UnknownFields = 'reject' | 'ignore';

/**
 * The body keys a vendor schema does not declare, as `path.key` with array indices dropped
 * (`PairList[].New`), from the unknown-field errors of one validation.
 */
function unknownKeys(errors: ValidationError[]): string[] {
  const keys = new Set<string>();
  for (const e of errors) {
    const where = e.path && e.path !== 'this' ? `${e.path.replace(/\[\d+\]/g, '[]')}.` : '';
    for (const key of String(e.params?.['properties'] ?? '').split(', ')) if (key) keys.add(where + key);
  }
  return [...keys];
}

/**
 * Validates and decodes one vendor delivery into its canonical event. Returns undefined for a command
 * imbridge knows but does not map; throws `invalid_payload` naming the offending field. Keys the
 * schema does not declare are accepted and handed to `onUnknown` when `unknownFields` is `ignore`
 * (the default in config: vendors add fields between versions, and refusing them would lose every
 * after-event of that command), and refused when it is `reject`.
 */
export function decodeDelivery(
  origin: Origin,
  body: unknown,
  unknownFields: UnknownFields = 'reject',
  onUnknown?: (keys: string[]) => void,
): AnyEvent | undefined {
  const d = decoderFor(origin.vendor, origin.command, body);
  if (!d) return undefined;
  try {
    d.schema.validateSync(body, { strict: true, abortEarly: unknownFields === 'reject' });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const problems = err.inner.length > 0 ? err.inner : [err];
    const relevant = unknownFields === 'ignore' ? problems.filter((e) => e.type !== UNKNOWN_FIELD_TEST) : problems;
    if (relevant.length > 0) throw new ImbridgeError('invalid_payload', relevant[0]!.message);
    onUnknown?.(unknownKeys(problems));
  }
  // Strict validation does not transform, so the body itself is the validated value.
  return makeEvent(d.type, d.decode(body) as EventData<typeof d.type>, origin) as AnyEvent;
}

let cloudeventsModule: typeof import('cloudevents') | undefined;

/** The cloudevents SDK, loaded the first time a canonical delivery is planned: ~10 MB that only canonical backends need. */
function cloudevents(): typeof import('cloudevents') {
  cloudeventsModule ??= createRequire(import.meta.url)('cloudevents') as typeof import('cloudevents');
  return cloudeventsModule;
}

/** Where and how to deliver: the downstream half of the config. */
export interface Target {
  url: string;
  format: DownstreamFormat;
  /** `SdkAppid` presented to a Tencent-format backend. */
  sdkAppId: string;
  /** Signs Tencent-format deliveries (`Sign`/`RequestTime`) when set. */
  token?: string;
  /** Signs canonical deliveries with Standard Webhooks headers when set. */
  signer?: Webhook;
  /** Static headers for every request (the format's own headers win on a clash). */
  headers?: Record<string, string>;
}

/** The configured downstream, or undefined in shadow mode. */
export function downstreamTarget(config: Config): Target | undefined {
  const { downstream, tencent } = config;
  if (!downstream.url || !downstream.format) return undefined;
  return {
    url: downstream.url,
    format: downstream.format,
    sdkAppId: tencent.sdkAppId ?? '',
    token: downstream.token,
    signer: downstream.secret ? new Webhook(downstream.secret) : undefined,
    headers: Object.keys(downstream.headers).length > 0 ? downstream.headers : undefined,
  };
}

/**
 * Standard Webhooks headers for a canonical delivery: `webhook-id` is the event id (stable for one
 * upstream delivery, so the backend can de-duplicate), `webhook-timestamp` is Unix seconds.
 */
function webhookHeaders(signer: Webhook, id: string, body: string, nowMs: number): Record<string, string> {
  const at = new Date(Math.floor(nowMs / 1000) * 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(at.getTime() / 1000), 'webhook-signature': signer.sign(id, at, body) };
}

/** A planned downstream exchange: the wire request and, for vendor formats, the call it carries. */
export interface Planned {
  request: WireRequest;
  /** Vendor command for vendor formats; the canonical type for canonical. */
  command: string;
  targets: string[];
}

/**
 * The downstream requests an event becomes for a target, or undefined when the target's vendor has no
 * counterpart for the event (DESIGN.md, unmapped commands). Pure apart from the clock it is given.
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
 * once per part (~180 µs each). An encoder that stamps the time stamps every part of one read alike.
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
    const { CloudEvent, HTTP } = cloudevents();
    const message = HTTP.structured(new CloudEvent<unknown>(event as never));
    const body = String(message.body);
    const request: WireRequest = {
      method: 'POST',
      url: target.url,
      headers: { 'content-type': String(message.headers['content-type']), ...(target.signer && webhookHeaders(target.signer, event.id, body, nowMs)) },
      body,
    };
    return [withHeaders({ request, command: event.type, targets: mappingOf(event.type).targets?.(event.data as never) ?? [] }, 0, 1)];
  }
  const encode = mappingOf(event.type).encoders[target.format];
  if (!encode) return undefined;
  const calls = only === undefined ? encode(event.data as never, { nowMs }) : fanOutCalls(event, target.format, () => encode(event.data as never, { nowMs }));
  const operationID = event.data.meta?.operationID || event.id;
  const parts = only === undefined ? calls.map((_, i) => i) : only < calls.length ? [only] : [];
  return parts.map((i) => {
    const call = calls[i]!;
    const request =
      target.format === 'tencent'
        ? buildTencentRequest(target, call.command, call.body, event.data.meta, nowMs)
        : buildOpenIMRequest(target.url, call.command, call.body, calls.length > 1 ? `${operationID}-${i}` : operationID);
    return withHeaders({ command: call.command, targets: call.targets, request }, i, calls.length);
  });
}
