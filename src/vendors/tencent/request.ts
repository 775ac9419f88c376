import { createHash } from 'node:crypto';
import type { Meta } from '../../canonical/types.js';
import type { WireRequest } from '../../wire.js';

/** What a Tencent-format downstream needs beyond its URL. */
export interface TencentDownstream {
  url: string;
  /** `SdkAppid` to present; the backend compares it with its own (docs/vendors/tencent.md#signature). */
  sdkAppId: string;
  /** When set, `Sign`/`RequestTime` are added so the backend's existing Tencent check passes. */
  token?: string;
}

/** `Sign = hex(sha256(token + RequestTime))` (docs/vendors/tencent.md#signature): no HMAC, no body, no separator. */
export function tencentSign(token: string, requestTime: string): string {
  return createHash('sha256')
    .update(token + requestTime)
    .digest('hex');
}

/**
 * Builds the request Tencent itself would send for `command`: the documented query in the documented
 * order (docs/vendors/tencent.md#requests), compact JSON body. `ClientIP`/`OptPlatform` come from `meta` when known.
 */
export function buildTencentRequest(
  target: TencentDownstream,
  command: string,
  body: unknown,
  meta: Meta | undefined,
  nowMs: number,
): WireRequest {
  const query = new URLSearchParams({
    SdkAppid: target.sdkAppId,
    CallbackCommand: command,
    contenttype: 'json',
    ClientIP: meta?.clientIP ?? '',
    OptPlatform: meta?.platform ?? 'Unknown',
  });
  if (target.token) {
    const requestTime = String(Math.floor(nowMs / 1000));
    query.set('Sign', tencentSign(target.token, requestTime));
    query.set('RequestTime', requestTime);
  }
  const separator = target.url.includes('?') ? '&' : '?';
  return {
    method: 'POST',
    url: `${target.url}${separator}${query.toString()}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
