import { timingSafeEqual } from 'node:crypto';
import { ImbridgeError } from '../../errors.js';
import type { TencentQuery } from './query.js';
import { tencentSign } from './request.js';

/**
 * Verifies Tencent's callback authentication (docs/vendors/tencent.md#signature): `Sign` must be `hex(sha256(token + RequestTime))`,
 * compared in constant time and case-insensitively, and `RequestTime` (Unix seconds) must lie within
 * `windowSec` of now so that a captured URL cannot be replayed later. The body is not signed by
 * Tencent; HTTPS protects it.
 */
export function verifyTencentSignature(q: TencentQuery, token: string, nowMs: number, windowSec: number): void {
  if (!q.sign || !q.requestTime) {
    throw new ImbridgeError(
      'bad_signature',
      'Sign and RequestTime are required: callback authentication is configured',
      401,
    );
  }
  if (!/^\d{1,12}$/.test(q.requestTime))
    throw new ImbridgeError('bad_signature', 'RequestTime must be Unix seconds', 401);
  const expected = Buffer.from(tencentSign(token, q.requestTime), 'utf8');
  const given = Buffer.from(q.sign.toLowerCase(), 'utf8');
  // Lengths are public (64 hex digits); only equal-length buffers are compared in constant time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ImbridgeError('bad_signature', 'Sign does not match RequestTime and the configured callback token', 401);
  }
  const skewSec = Math.abs(nowMs / 1000 - Number(q.requestTime));
  if (skewSec > windowSec) {
    throw new ImbridgeError(
      'stale_request',
      `RequestTime ${q.requestTime} is ${Math.round(skewSec)} s from now, outside the ±${windowSec} s window`,
      401,
    );
  }
}
