import type { Outcome, Patch, Verdict } from '../../canonical/types.js';
import { allow, deny, failed, ok } from '../../canonical/verdict.js';
import type { ImbridgeError } from '../../errors.js';
import { readReplyBody } from '../../replyBody.js';
import type { WireReply } from '../../wire.js';
import { reply as replySchema } from './schemas.js';
import { usersFromOpenIM, usersToOpenIM } from './users.js';

/** OpenIM's common reply (O§2). Every code is a JSON integer: OpenIM decodes them into int32. */
export interface OpenIMReply {
  actionCode: number;
  errCode: number;
  errMsg: string;
  errDlt: string;
  nextCode: number;
  friendUserIDs?: string[];
  remark?: string;
  nickName?: string;
  faceURL?: string;
  ex?: string;
  users?: object[] | null;
}

/**
 * Lowest errCode that reaches OpenIM's REST caller verbatim; smaller codes become a generic
 * internal error at OpenIM's API layer (O§1.4).
 */
export const OPENIM_MIN_DENY_CODE = 100;

/**
 * The reply that lets OpenIM continue, with the patch fields the command honours. The patch is
 * already settled against the request (a list OpenIM cannot apply never gets here).
 */
export function openimAllow(patch: Patch = {}): OpenIMReply {
  const reply: OpenIMReply = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };
  if (patch.friendUserIDs !== undefined) reply.friendUserIDs = patch.friendUserIDs;
  if (patch.remark !== undefined) reply.remark = patch.remark;
  if (patch.nickname !== undefined) reply.nickName = patch.nickname;
  if (patch.faceURL !== undefined) reply.faceURL = patch.faceURL;
  if (patch.ex !== undefined) reply.ex = patch.ex;
  if (patch.users !== undefined) reply.users = usersToOpenIM(patch.users);
  return reply;
}

/** The reply that makes OpenIM reject: `actionCode` 0 with `nextCode` 1 (O§1.4), errCode ≥ 100. */
export function openimDeny(verdict: Verdict, denyCode: number): OpenIMReply {
  const code = verdict.code >= OPENIM_MIN_DENY_CODE ? verdict.code : denyCode;
  return { actionCode: 0, errCode: code, errMsg: verdict.message, errDlt: verdict.detail, nextCode: 1 };
}

/**
 * An edge error in OpenIM's envelope. `actionCode` ≠ 0 tells OpenIM to ignore the reply and continue,
 * so a gateway-side problem never blocks a user; the HTTP status and `errDlt` carry the machine code.
 */
export function openimError(err: ImbridgeError): OpenIMReply {
  return {
    actionCode: 1,
    errCode: err.status,
    errMsg: err.expose ? err.message : 'internal error',
    errDlt: err.code,
    nextCode: 0,
  };
}

/**
 * Reads an OpenIM-format backend's reply (MAPPINGS §5). Codes may be integers or numeric strings.
 * `nextCode` 1 denies (also with a non-zero `actionCode`, as the docs' reject samples intend);
 * a non-zero `actionCode` otherwise is a failure; anything else allows, with the modification fields
 * as the patch. OpenIM itself ignores the HTTP status (O§1.3), so imbridge does too.
 */
export function readOpenIMReply(reply: WireReply): Outcome {
  const read = readReplyBody(replySchema, reply.body, false);
  if (!read.ok) {
    if (read.wrong === 'not-json') return failed(`backend reply is not JSON (HTTP ${reply.status})`);
    if (read.wrong === 'not-object') return failed('backend reply is not a JSON object');
    return failed(`backend reply is not an OpenIM envelope: ${read.message}`);
  }
  const r = read.value;
  if (r.nextCode === 1) return ok(deny(r.errCode ?? 0, r.errMsg ?? '', r.errDlt ?? ''));
  if (r.actionCode) return failed(`backend answered actionCode ${r.actionCode}`);
  // Only what OpenIM itself would apply (O§3.6, O§3.9, O§4): non-empty lists and remarks, non-null strings.
  const verdict = allow();
  if (r.friendUserIDs && r.friendUserIDs.length > 0) verdict.patch.friendUserIDs = [...r.friendUserIDs];
  if (r.remark) verdict.patch.remark = r.remark;
  if (typeof r.nickName === 'string') verdict.patch.nickname = r.nickName;
  if (typeof r.faceURL === 'string') verdict.patch.faceURL = r.faceURL;
  if (typeof r.ex === 'string') verdict.patch.ex = r.ex;
  if (r.users && r.users.length > 0) verdict.patch.users = usersFromOpenIM(r.users);
  return ok(verdict);
}

/**
 * The reply to any OpenIM callback once the verdict is known. OpenIM has no per-target answer, so a
 * verdict that still denies any item denies the whole operation.
 */
export function openimReply(phase: 'before' | 'after', verdict: Verdict, denyCode: number): OpenIMReply {
  if (phase === 'after') return openimAllow();
  const deniedItem = verdict.items.find((i) => i.decision === 'deny');
  if (verdict.decision === 'deny') return openimDeny(verdict, denyCode);
  if (deniedItem) return openimDeny(deny(deniedItem.code, deniedItem.message), denyCode);
  return openimAllow(verdict.patch);
}
