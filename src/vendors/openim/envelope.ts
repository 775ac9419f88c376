import type { Outcome, Patch, Verdict } from '../../canonical/types.js';
import { allow, deny, failed, ok } from '../../canonical/verdict.js';
import type { ImbridgeError } from '../../errors.js';
import { memoReading } from '../../replyBody.js';
import { elementsFromOpenIM } from '../elements.js';
import { goUnmarshal, type GoUnmarshalled, type GoValue } from './goUnmarshal.js';
import { groupOutcome, isGroupPatchCommand } from './groupPatch.js';
import { replyTypeOf } from './replyTypes.js';
import type { RegisterUserBody } from './schemas.js';
import { usersFromOpenIM, usersToOpenIM } from './users.js';

/** OpenIM's common reply (docs/vendors/openim.md#reply-handling). Every code is a JSON integer: OpenIM decodes them into int32. */
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
 * internal error at OpenIM's API layer (docs/vendors/openim.md#reply-handling).
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

/** Largest errCode OpenIM can hold: it decodes codes into int32, and a larger one aborts instead of denying. */
const OPENIM_MAX_CODE = 2 ** 31 - 1;

/** The reply that makes OpenIM reject: `actionCode` 0 with `nextCode` 1, errCode in [100, 2^31 − 1]. */
export function openimDeny(verdict: Verdict, denyCode: number): OpenIMReply {
  const code = verdict.code >= OPENIM_MIN_DENY_CODE && verdict.code <= OPENIM_MAX_CODE ? verdict.code : denyCode;
  return { actionCode: 0, errCode: code, errMsg: verdict.message, errDlt: verdict.detail, nextCode: 1 };
}

/** `errDlt` of the deny that stands in for a silent drop, which OpenIM cannot express. */
export const SILENT_DROP = 'silent_drop';

/**
 * A drop told to OpenIM: refused with the caller's deny code and `errDlt` `silent_drop` — the message is
 * not delivered, but unlike Tencent's drop the sender sees an error (docs/mappings.md#message-verdicts).
 */
export function openimDrop(verdict: Verdict, denyCode: number): OpenIMReply {
  return { ...openimDeny({ ...verdict, code: denyCode }, denyCode), errDlt: SILENT_DROP };
}

/**
 * An edge error in OpenIM's envelope. The body lets the user's action continue on every OpenIM version:
 * v3.7+ reject only on `actionCode` 0 with `nextCode` 1, but v3.5/v3.6 reject on any non-zero
 * `actionCode` (docs/vendors/openim.md#versions), so both are 0 and the problem is told in `errCode`
 * (the HTTP status, which OpenIM never reads), `errMsg` and `errDlt` (the machine code).
 */
export function openimError(err: ImbridgeError): OpenIMReply {
  return {
    actionCode: 0,
    errCode: err.status,
    errMsg: err.expose ? err.message : 'internal error',
    errDlt: err.code,
    nextCode: 0,
  };
}

/** Go's reading of one reply text against one command's reply struct, shared between equal texts. */
function unmarshalReply(body: string, command: string): GoUnmarshalled {
  const type = replyTypeOf(command);
  return memoReading(type, body, (text) => goUnmarshal(text, type));
}

/**
 * Reads an OpenIM-format backend's reply to `command` as OpenIM's Go server reads it
 * (docs/vendors/openim.md#reply-handling): `encoding/json` into the command's reply struct, so keys
 * match case-insensitively (`NextCode`, `friendUserIds`, `nickname` are OpenIM's fields too), the last
 * of two keys that fold alike wins, and a wrong JSON type is an error, which OpenIM answers by aborting
 * (here: a failure, settled by the failure rule). Then, as `CommonCallbackResp.Parse` does: `nextCode`
 * 1 denies; as the docs' reject samples intend, also with a non-zero `actionCode` (a repair, like
 * reading a numeric-string code as its number); a non-zero `actionCode` otherwise is a failure; anything
 * else allows, with what OpenIM would apply as the patch: non-empty lists and remarks, non-null strings.
 * A modify reply and the group replies are read against `requestBody`, the request imbridge sent.
 * The HTTP status is judged by the caller (`exchange`): OpenIM ignores it.
 */
export function readOpenIMReply(body: string, command: string, requestBody = ''): Outcome {
  const read = unmarshalReply(body, command);
  if (!read.ok) return failed(`backend reply is not an OpenIM envelope: ${read.message}`);
  const r = read.value as unknown as GoReply;
  if (r.nextCode === 1) return ok(deny(r.errCode, r.errMsg, r.errDlt));
  if (r.actionCode !== 0) return failed(`backend answered actionCode ${r.actionCode}`);
  if (isModifyCommand(command)) return modifyOutcome(read.value, contentTypeOf(requestOf(requestBody)));
  if (isGroupPatchCommand(command)) return groupOutcome(command, read.value, requestOf(requestBody));
  const verdict = allow();
  if (r.friendUserIDs && r.friendUserIDs.length > 0) verdict.patch.friendUserIDs = [...r.friendUserIDs];
  if (r.remark) verdict.patch.remark = r.remark;
  if (typeof r.nickName === 'string') verdict.patch.nickname = r.nickName;
  if (typeof r.faceURL === 'string') verdict.patch.faceURL = r.faceURL;
  if (typeof r.ex === 'string') verdict.patch.ex = r.ex;
  if (r.users && r.users.length > 0) {
    // OpenIM would dereference a nil user and fail the request.
    if (r.users.some((u) => u === null)) return failed('backend reply has a null entry in users');
    verdict.patch.users = usersFromOpenIM(r.users as RegisterUserBody[]);
  }
  return ok(verdict);
}

/** The request imbridge sent, as an object (`{}` when there is none to compare with). */
function requestOf(requestBody: string): Record<string, unknown> {
  if (!requestBody) return {};
  const parsed = JSON.parse(requestBody) as unknown;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/** The `contentType` of an OpenIM message request: a modify reply without one keeps it. */
function contentTypeOf(request: Record<string, unknown>): number {
  return typeof request['contentType'] === 'number' ? request['contentType'] : 0;
}

/** OpenIM's modify callback, by its v3.7+ and its older name. */
export function isModifyCommand(command: string): boolean {
  return command === 'callbackBeforeMsgModifyCommand' || command === 'callbackMsgModifyCommand';
}

/** The modify reply fields imbridge applies; every other non-null one is reported as ignored. */
const APPLIED_MODIFY_FIELDS = new Set(['content', 'contentType', 'atUserIDList', 'ex']);
const COMMON_FIELDS = new Set(['actionCode', 'errCode', 'errMsg', 'errDlt', 'nextCode']);

/**
 * An allowing modify reply as a message patch (docs/mappings.md#message-modification): `content` (with
 * the reply's `contentType`, else the request's, and `atUserIDList` for an @ message) → elements,
 * `ex` → custom data. Content that is not a JSON object fails the call, as OpenIM's own check does.
 */
function modifyOutcome(r: { [field: string]: GoValue }, requestContentType: number): Outcome {
  const verdict = allow();
  const ignored = Object.keys(r).filter((k) => !COMMON_FIELDS.has(k) && !APPLIED_MODIFY_FIELDS.has(k) && r[k] !== null);
  if (typeof r['content'] === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(r['content']);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return failed('backend modify reply content is not a JSON object');
    const atUserList = Array.isArray(r['atUserIDList']) ? (r['atUserIDList'] as string[]) : null;
    verdict.patch.elements = elementsFromOpenIM({
      contentType: typeof r['contentType'] === 'number' ? r['contentType'] : requestContentType,
      content: r['content'],
      atUserList,
    });
  } else {
    if (r['contentType'] !== null) ignored.push('contentType');
    if (r['atUserIDList'] !== null) ignored.push('atUserIDList');
  }
  if (typeof r['ex'] === 'string') verdict.patch.cloudCustomData = r['ex'];
  if (ignored.length > 0) verdict.ignored = ignored;
  return ok(verdict);
}

/** A reply as Go decoded it: the common fields always, the command's own fields when it has them. */
interface GoReply {
  actionCode: number;
  errCode: number;
  errMsg: string;
  errDlt: string;
  nextCode: number;
  friendUserIDs?: string[] | null;
  remark?: string;
  nickName?: string | null;
  faceURL?: string | null;
  ex?: string | null;
  users?: (RegisterUserBody | null)[] | null;
}

/**
 * The reply to any OpenIM callback once the verdict is known. OpenIM has no per-target answer, so a
 * verdict that still denies any item denies the whole operation.
 */
export function openimReply(phase: 'before' | 'after', verdict: Verdict, denyCode: number): OpenIMReply {
  if (phase === 'after') return openimAllow();
  if (verdict.decision === 'drop') return openimDrop(verdict, denyCode);
  const deniedItem = verdict.items.find((i) => i.decision === 'deny');
  if (verdict.decision === 'deny') return openimDeny(verdict, denyCode);
  if (deniedItem) return openimDeny(deny(deniedItem.code, deniedItem.message), denyCode);
  return openimAllow(verdict.patch);
}
