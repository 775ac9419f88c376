import { createRequire } from 'node:module';
import type { Webhook } from 'standardwebhooks';
import type { AnyEvent } from '../canonical/types.js';
import type { WireRequest } from '../wire.js';

let cloudeventsModule: typeof import('cloudevents') | undefined;

/** The cloudevents SDK, loaded the first time a canonical delivery is planned: ~10 MB that only canonical backends need. */
function cloudevents(): typeof import('cloudevents') {
  cloudeventsModule ??= createRequire(import.meta.url)('cloudevents') as typeof import('cloudevents');
  return cloudeventsModule;
}

/**
 * Standard Webhooks headers for a canonical delivery: `webhook-id` is the event id (stable for one
 * upstream delivery, so the backend can de-duplicate), `webhook-timestamp` is Unix seconds.
 */
function webhookHeaders(signer: Webhook, id: string, body: string, nowMs: number): Record<string, string> {
  const at = new Date(Math.floor(nowMs / 1000) * 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(at.getTime() / 1000),
    'webhook-signature': signer.sign(id, at, body),
  };
}

/**
 * The request a canonical backend gets: the event as a CloudEvents 1.0 structured message
 * (docs/configuration.md#backend-formats), signed with Standard Webhooks headers when `signer` is set.
 */
export function buildCloudEventRequest(
  url: string,
  event: AnyEvent,
  signer: Webhook | undefined,
  nowMs: number,
): WireRequest {
  const { CloudEvent, HTTP } = cloudevents();
  const message = HTTP.structured(new CloudEvent<unknown>(event as never));
  const body = String(message.body);
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': String(message.headers['content-type']),
      ...(signer && webhookHeaders(signer, event.id, body, nowMs)),
    },
    body,
  };
}
