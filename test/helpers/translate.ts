import fc from 'fast-check';
import { makeEvent } from '../../src/canonical/event.js';
import type { AnyEvent, CanonicalType, DataByType, DownstreamFormat, Vendor } from '../../src/canonical/types.js';
import { decodeDelivery } from '../../src/gateway/ingress/decode.js';
import { plan } from '../../src/downstream/plan.js';
import { parseTencentQuery, tencentMeta } from '../../src/vendors/tencent/query.js';
import type { WireRequest } from '../../src/wire.js';

export const NOW = Date.UTC(2026, 10, 22, 10, 0, 0);
export const BACKEND = 'http://127.0.0.1:9/hooks';

/** Decodes one vendor body as the ingress does, query aside (Tencent's `EventTime` goes to meta); fails the test when unmapped. */
export function decode(vendor: Vendor, command: string, raw: string): AnyEvent {
  const body = JSON.parse(raw);
  const meta = vendor === 'tencent' ? tencentMeta(parseTencentQuery({}), body) : {};
  const event = decodeDelivery({ vendor, command, meta, rawBody: raw, stamp: 'fixed' }, body);
  if (!event) throw new Error(`${vendor} ${command} is unmapped`);
  return event;
}

/** The wire requests an event becomes for a backend of `format` (undefined = unmapped there). */
export function encode(event: AnyEvent, format: DownstreamFormat): WireRequest[] | undefined {
  return plan(event, { url: BACKEND, format, sdkAppId: '1400000000' }, NOW)?.map((p) => p.request);
}

/** Body of a Tencent doc sample as imbridge writes it: the same JSON, compact. */
export function compact(raw: string): string {
  return JSON.stringify(JSON.parse(raw));
}

/** User ids as they occur in the wild and at the edges: unicode, HTML-special characters, empty. */
export const userID = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('', '<&>', 'a\u2028b', '中文', '"quoted"', '\\'),
);

/** A canonical event around `data`, as if decoded from `vendor`. */
export function canonical<T extends CanonicalType>(type: T, data: DataByType[T], vendor: Vendor = 'tencent'): AnyEvent {
  return makeEvent(type, structuredClone(data), {
    vendor,
    command: 'test',
    meta: {},
    rawBody: '',
    stamp: 'fixed',
  }) as AnyEvent;
}

/** The one request an event becomes for `format`, and its body decoded back by `vendor`'s decoder. */
export function roundTrip(event: AnyEvent, vendor: Vendor): { request: WireRequest; back: AnyEvent } {
  const requests = encode(event, vendor);
  if (requests?.length !== 1) throw new Error(`expected one ${vendor} request, got ${requests?.length}`);
  const request = requests[0]!;
  const command =
    vendor === 'tencent' ? new URL(request.url).searchParams.get('CallbackCommand')! : request.url.split('/').pop()!;
  return { request, back: decode(vendor, command, request.body) };
}
