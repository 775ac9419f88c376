import { ImbridgeError, quoted } from '../../errors.js';
import type { Meta } from '../../canonical/types.js';

/** The query string Tencent appends to the callback URL (docs/vendors/tencent.md#requests), normalised. */
export interface TencentQuery {
  sdkAppId: string;
  command: string;
  clientIP?: string;
  platform?: string;
  sign?: string;
  requestTime?: string;
}

/** Tencent's documented platform spellings; real servers also send `IOS`, `IPad` and `macOS`. */
const PLATFORMS = new Map(
  ['RESTAPI', 'Web', 'Android', 'iOS', 'Windows', 'Mac', 'iPad', 'Linux', 'Unknown'].map((p) => [p.toLowerCase(), p]),
);
PLATFORMS.set('macos', 'Mac');

/** `OptPlatform` folded to one spelling per platform; an unlisted value is kept as sent. */
export function normalisePlatform(raw: string): string {
  return PLATFORMS.get(raw.toLowerCase()) ?? raw;
}

type RawQuery = Record<string, string | string[] | undefined>;

/** The keys that decide which app, which command and whether the signature holds. */
const DECISIVE = new Set(['sdkappid', 'callbackcommand', 'sign', 'requesttime']);

/**
 * Reads Tencent's query case-insensitively: real servers send `SdkAppid`, TRTC-family ones
 * `SdkAppId`, and a hand-configured URL may carry any case. A repeated key keeps its first value,
 * except that one of the keys that decide app, command or signature given twice with different values
 * is refused: Tencent never sends that, and which one counts would be a guess.
 */
export function parseTencentQuery(query: RawQuery): TencentQuery {
  const byLower: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const lower = key.toLowerCase();
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      if (!(lower in byLower)) byLower[lower] = v;
      else if (byLower[lower] !== v && DECISIVE.has(lower)) {
        throw new ImbridgeError('invalid_payload', `query parameter ${key} is given twice with different values`);
      }
    }
  }
  const contentType = byLower['contenttype'];
  if (contentType !== undefined && contentType !== '' && contentType.toLowerCase() !== 'json') {
    throw new ImbridgeError('invalid_payload', `query contenttype must be json, got ${quoted(contentType)}`);
  }
  const q: TencentQuery = { sdkAppId: byLower['sdkappid'] ?? '', command: byLower['callbackcommand'] ?? '' };
  if (byLower['clientip']) q.clientIP = byLower['clientip'];
  if (byLower['optplatform']) q.platform = normalisePlatform(byLower['optplatform']);
  if (byLower['sign'] !== undefined) q.sign = byLower['sign'];
  if (byLower['requesttime'] !== undefined) q.requestTime = byLower['requesttime'];
  return q;
}

/** What becomes the event's `meta`: app, client and platform from the query; `EventTime` (ms) from the body. */
export function tencentMeta(q: TencentQuery, body: Record<string, unknown>): Meta {
  const meta: Meta = {};
  if (q.sdkAppId) meta.sdkAppId = q.sdkAppId;
  if (q.clientIP) meta.clientIP = q.clientIP;
  if (q.platform) meta.platform = q.platform;
  // A number, or in Tencent's group message samples a numeric string (docs/vendors/tencent.md#messages).
  const eventTime = body['EventTime'];
  if (Number.isSafeInteger(eventTime)) meta.eventTime = eventTime as number;
  else if (typeof eventTime === 'string' && /^\d{1,16}$/.test(eventTime)) meta.eventTime = Number(eventTime);
  return meta;
}
