import { expect } from 'chai';
import type { AnyEvent, Meta } from '../../src/canonical/types.js';
import { decodeDelivery } from '../../src/gateway/ingress/decode.js';
import { encode, NOW } from './translate.js';
import { vendorProblems } from './vendorShapes.js';

/** An event's data without its meta (what a round trip must keep). */
export const withoutMeta = (e: AnyEvent) => {
  const { meta: _meta, ...data } = e.data as Record<string, unknown>;
  return data;
};

/** The vendor command of a planned request's URL. */
export const commandOf = (url: string) =>
  url.includes('CallbackCommand=') ? new URL(url).searchParams.get('CallbackCommand')! : url.split('/').pop()!;

/** An OpenIM delivery as the ingress decodes it, with the operationID header when there was one. */
export function fromOpenIM(command: string, raw: string, operationID = ''): AnyEvent {
  const meta: Meta = { eventTime: NOW, ...(operationID && { operationID }) };
  return decodeDelivery({ vendor: 'openim', command, meta, rawBody: raw, stamp: 's' }, JSON.parse(raw))!;
}

/** Every request an event becomes for a vendor, each checked against what that vendor's server sends. */
export function sent(event: AnyEvent, vendor: 'tencent' | 'openim') {
  const requests = encode(event, vendor) ?? [];
  for (const r of requests)
    expect(vendorProblems(vendor, commandOf(r.url), JSON.parse(r.body)), r.body).to.deep.equal([]);
  return requests.map((r) => ({ command: commandOf(r.url), body: r.body }));
}
