import { createHash, randomUUID } from 'node:crypto';
import type { CanonicalEvent, CanonicalType, EventData, Meta, Vendor } from './types.js';

/** Where a canonical event came from: the upstream delivery it was decoded from. */
export interface Origin {
  vendor: Vendor;
  command: string;
  meta: Meta;
  /** The raw request body, for a stable id. */
  rawBody: string;
  /**
   * Something that distinguishes this delivery from an identical-looking later one (Tencent's
   * `RequestTime`, OpenIM's operation id). Without it the id is random: a stable id built from the body
   * alone would make two real deletions of the same pair look like one retried delivery.
   */
  stamp?: string;
}

/**
 * An id that is the same every time the same upstream delivery is seen, so a backend can de-duplicate
 * retries: a digest of vendor, command, delivery stamp and body.
 */
export function eventId(origin: Origin): string {
  if (!origin.stamp) return randomUUID();
  return createHash('sha256')
    .update(`${origin.vendor}\n${origin.command}\n${origin.stamp}\n${origin.rawBody}`)
    .digest('base64url')
    .slice(0, 32);
}

/** Wraps decoded `data` in the CloudEvents envelope (docs/mappings.md#canonical-events). */
export function makeEvent<T extends CanonicalType>(type: T, data: EventData<T>, origin: Origin): CanonicalEvent<T> {
  const meta = origin.meta;
  // A decoder may find meta in the body itself (OpenIM message bodies carry their operationID); what
  // the request says around the body wins.
  if (Object.keys(meta).length > 0) data.meta = data.meta ? { ...data.meta, ...meta } : meta;
  return {
    specversion: '1.0',
    id: eventId(origin),
    source: meta.sdkAppId ? `${origin.vendor}/${meta.sdkAppId}` : origin.vendor,
    type,
    time: new Date(meta.eventTime ?? Date.now()).toISOString(),
    datacontenttype: 'application/json',
    imvendor: origin.vendor,
    imcommand: origin.command,
    data,
  };
}
