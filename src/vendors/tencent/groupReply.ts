import { array, object, string } from 'yup';
import type { Outcome, Verdict } from '../../canonical/types.js';
import { allow, decisionFor, deny, failed, ok } from '../../canonical/verdict.js';
import { readReplyBody, replyProblem } from '../../replyBody.js';
import { tencentAck, type TencentAck } from './envelope.js';
import { denyErrorCode, errorCodeSchema } from './errorCode.js';

/**
 * Tencent's group before-callbacks (docs/vendors/tencent.md#groups): `ErrorCode` is the verdict,
 * whatever `ActionStatus` says — 0 continues, anything else refuses — and an invitation may leave
 * some invitees out with `RefusedMembers_Account`. Nothing else in a reply changes anything.
 */

const CREATE = 'Group.CallbackBeforeCreateGroup';
const APPLY = 'Group.CallbackBeforeApplyJoinGroup';
export const INVITE = 'Group.CallbackBeforeInviteJoinGroup';

/** Whether a command is one of Tencent's group before-callbacks. */
export function isGroupBeforeCommand(command: string): boolean {
  return command === CREATE || command === APPLY || command === INVITE;
}

/** The reply to an invitation: the ack, and the invitees not to add. */
export interface TencentInviteReply extends TencentAck {
  RefusedMembers_Account?: string[];
}

const replySchema = object({
  ActionStatus: string().optional(),
  ErrorCode: errorCodeSchema.defined('ErrorCode is missing'),
  ErrorInfo: string().optional(),
  RefusedMembers_Account: array(string().defined()).nullable().optional(),
});

/**
 * Reads a Tencent-format backend's reply to a group before-callback. A non-zero `ErrorCode` denies
 * with that code (2 included: the group commands have no silent drop); 0 allows only with
 * `ActionStatus` `OK` — 0 with anything else is a reply that contradicts itself, settled by the
 * failure rule. The ids in `RefusedMembers_Account` become deny items; the mapping keeps only invitees.
 */
export function readTencentGroupReply(body: string): Outcome {
  const read = readReplyBody(replySchema, body, true);
  if (!read.ok) return failed(replyProblem(read, 'a Tencent envelope'));
  const r = read.value;
  const errorCode = Number(r.ErrorCode);
  if (errorCode !== 0) return ok(deny(errorCode, r.ErrorInfo ?? ''));
  if (r.ActionStatus !== 'OK')
    return failed(`backend answered ErrorCode 0 with ActionStatus ${r.ActionStatus ?? '(none)'}`);
  const verdict = allow();
  for (const userID of r.RefusedMembers_Account ?? []) {
    verdict.items.push({ userID, decision: 'deny', code: 0, message: '' });
  }
  return ok(verdict);
}

/**
 * The reply to a Tencent group before-callback once the verdict is known. A deny is `ActionStatus`
 * `OK` with a code the command shows the client (else 1; never 2, which these commands do not
 * define). An allowed invitation names the refused invitees, in invitation order, when there are any
 * — all of them included, which Tencent reads as "add nobody" while the request still succeeds.
 */
export function tencentGroupReply(
  command: string,
  targets: readonly string[],
  verdict: Verdict,
  denyCode: number,
): TencentInviteReply {
  if (verdict.decision !== 'allow')
    return {
      ActionStatus: 'OK',
      ErrorCode: denyErrorCode(command, verdict.code, denyCode),
      ErrorInfo: verdict.message,
    };
  const reply: TencentInviteReply = tencentAck();
  if (command === INVITE) {
    const refused = targets.filter((userID) => decisionFor(verdict, userID).decision !== 'allow');
    if (refused.length > 0) reply.RefusedMembers_Account = refused;
  }
  return reply;
}
