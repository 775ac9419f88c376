import type { Outcome, Verdict } from '../../canonical/types.js';
import { allow, decisionFor, failed, ok } from '../../canonical/verdict.js';
import type { ImbridgeError } from '../../errors.js';
import { readReplyBody, replyProblem } from '../../replyBody.js';
import { reply as replySchema } from './schemas.js';

/** Tencent's success envelope (docs/vendors/tencent.md#replies); IM ignores it for after-callbacks, so it is always this. */
export interface TencentAck {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
}

/** A per-target answer to a Prev* callback. */
export interface TencentResultItem {
  To_Account: string;
  ResultCode: number;
  ResultInfo: string;
}

/** Deny codes Tencent accepts for Prev* targets (docs/vendors/tencent.md#friend-apply). */
export const TENCENT_DENY_RANGE = [38000, 39000] as const;

/** The reply to an after-callback or a non-Prev before-callback that is allowed. */
export function tencentAck(): TencentAck {
  return { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
}

/** An edge error (bad signature, malformed body …) in Tencent's envelope; `ErrorCode` 1 = app failed. */
export function tencentError(err: ImbridgeError): TencentAck {
  return {
    ActionStatus: 'FAIL',
    ErrorCode: 1,
    ErrorInfo: `${err.code}: ${err.expose ? err.message : 'internal error'}`,
  };
}

/** A deny code Tencent will honour: inside [38000, 39000], else the configured default. */
export function tencentDenyCode(code: number, fallback: number): number {
  return code >= TENCENT_DENY_RANGE[0] && code <= TENCENT_DENY_RANGE[1] ? code : fallback;
}

/**
 * The reply to a Prev* callback: always `OK`/0 with one `ResultItem` per target, because IM decides
 * per target and ignores `ErrorCode` (docs/vendors/tencent.md#replies).
 */
export function tencentPrevReply(
  targets: readonly string[],
  verdict: Verdict,
  denyCode: number,
): TencentAck & { ResultItem: TencentResultItem[] } {
  return {
    ...tencentAck(),
    ResultItem: targets.map((userID) => {
      const item = decisionFor(verdict, userID);
      return item.decision === 'allow'
        ? { To_Account: userID, ResultCode: 0, ResultInfo: '' }
        : { To_Account: userID, ResultCode: tencentDenyCode(item.code, denyCode), ResultInfo: item.message };
    }),
  };
}

/**
 * Reads a Tencent-format backend's reply body (docs/mappings.md#reading-backend-replies). For Prev* commands `ResultItem` decides per
 * target, a missing target is allowed, and `FAIL`/non-zero `ErrorCode` without `ResultItem` is a
 * failure. For everything else `OK` with `ErrorCode` 0 is delivered/allowed and anything else fails.
 * The HTTP status is judged by the caller (`exchange`), since a deny in the body counts whatever it is.
 */
export function readTencentReply(body: string, perTarget: boolean): Outcome {
  const read = readReplyBody(replySchema, body, true);
  if (!read.ok) return failed(replyProblem(read, 'a Tencent envelope'));
  const r = read.value;
  const succeeded = r.ActionStatus === 'OK' && r.ErrorCode === 0;
  if (perTarget && r.ResultItem) {
    const verdict = allow();
    for (const item of r.ResultItem) {
      verdict.items.push(
        item.ResultCode === 0
          ? { userID: item.To_Account, decision: 'allow', code: 0, message: '' }
          : { userID: item.To_Account, decision: 'deny', code: item.ResultCode, message: item.ResultInfo ?? '' },
      );
    }
    return ok(verdict);
  }
  if (!succeeded) return failed(`backend answered ActionStatus ${r.ActionStatus}, ErrorCode ${r.ErrorCode}`);
  return ok(allow());
}

/**
 * The reply to any Tencent callback once the verdict is known. After-callbacks: always `OK`.
 * Prev* callbacks: per-target `ResultItem`s. Other before-callbacks (messages): `ErrorCode` 1 rejects.
 */
export function tencentReply(
  phase: 'before' | 'after',
  perTarget: boolean,
  targets: readonly string[],
  verdict: Verdict,
  denyCode: number,
): TencentAck {
  if (phase === 'after') return tencentAck();
  if (perTarget) return tencentPrevReply(targets, verdict, denyCode);
  return verdict.decision === 'allow' ? tencentAck() : { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: verdict.message };
}
