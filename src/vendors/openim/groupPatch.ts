import type { MemberJoinPatch } from '../../canonical/group.js';
import type { Outcome } from '../../canonical/types.js';
import { allow, failed, ok } from '../../canonical/verdict.js';
import type { GoValue } from './goUnmarshal.js';
import {
  CREATE_GROUP,
  CREATE_PATCH_KEYS,
  INVITE,
  MEMBER_JOIN_V37,
  MEMBER_PATCH_KEYS,
  MEMBERS_JOIN,
  OPENIM_INFO_KEYS,
  roleFromOpenIM,
  SET_GROUP_INFO,
  SET_GROUP_INFO_EX,
  SET_MEMBER_INFO,
  VALUE_REPLY_COMMANDS,
} from './groupValues.js';

/**
 * What an OpenIM-format backend's allowing reply to a group before-callback changes
 * (docs/vendors/openim.md#groups), read from the struct Go decoded it into: every field there is a
 * value or `null` (nil). The set-group-info pair is compared with the request imbridge sent, because
 * backends written for OpenIM echo it (OpenIM needs the echo); only what differs is a change.
 */

type Fields = { [field: string]: GoValue };
type Patchable = Record<string, string | number>;

/**
 * Whether a command's reply can change what OpenIM does beyond allowing it: the commands whose replies
 * carry values, and the invitation, whose refused members imbridge carries though OpenIM does not apply them.
 */
export function isGroupPatchCommand(command: string): boolean {
  return VALUE_REPLY_COMMANDS.has(command) || command === INVITE;
}

/** One member's non-null values, keyed canonically. */
function memberPatch(userID: string, f: Fields): MemberJoinPatch {
  const m: MemberJoinPatch = { userID };
  if (typeof f['nickname'] === 'string') m.nickname = f['nickname'];
  if (typeof f['faceURL'] === 'string') m.faceURL = f['faceURL'];
  if (typeof f['roleLevel'] === 'number') m.role = roleFromOpenIM(f['roleLevel']);
  if (typeof f['muteEndTime'] === 'number') m.muteEndTime = f['muteEndTime'];
  if (typeof f['ex'] === 'string') m.ex = f['ex'];
  return m;
}

/**
 * Set-group-info: a value is a change when it is not `null`, differs from the request, and — in the
 * non-Ex form, whose strings cannot be `null` — is not `""` ("no change"). `notification` is never
 * applied by OpenIM; a different `groupID` would move the change to another group, so it is reported
 * as ignored and the request's is echoed.
 */
function groupInfoPatch(r: Fields, request: Record<string, unknown>, ex: boolean, patch: Patchable, ignored: string[]) {
  for (const [oKey, key] of OPENIM_INFO_KEYS) {
    const v = r[oKey];
    if (key === 'notification' || v === null || v === request[oKey]) continue;
    if (!ex && v === '' && key !== 'ex' && typeof request[oKey] === 'string') continue;
    if (typeof v === 'string' || typeof v === 'number') patch[key] = v;
  }
  if (r['groupID'] !== '' && r['groupID'] !== request['groupID']) ignored.push('groupID');
}

/** The canonical outcome of an allowing reply to one of the group before-callbacks. */
export function groupOutcome(command: string, r: Fields, request: Record<string, unknown>): Outcome {
  const verdict = allow();
  const { patch } = verdict;
  // The keys CREATE_PATCH_KEYS, OPENIM_INFO_KEYS and MEMBER_PATCH_KEYS name are Patch's scalar keys.
  const values = patch as Patchable;
  const ignored: string[] = [];
  switch (command) {
    case CREATE_GROUP:
      for (const [oKey, key] of CREATE_PATCH_KEYS) {
        const v = r[oKey];
        if (typeof v === 'string' || typeof v === 'number') values[key] = v;
      }
      for (const key of ['status', 'creatorUserID', 'groupType'])
        if (r[key] !== null && r[key] !== request[key]) ignored.push(key);
      break;
    case SET_GROUP_INFO:
    case SET_GROUP_INFO_EX:
      groupInfoPatch(r, request, command === SET_GROUP_INFO_EX, values, ignored);
      break;
    case INVITE:
      for (const userID of (r['refusedMembersAccount'] as string[] | null) ?? [])
        verdict.items.push({ userID, decision: 'deny', code: 0, message: '' });
      break;
    case MEMBERS_JOIN: {
      const list = (r['memberCallbackList'] as (Fields | null)[] | null) ?? [];
      // OpenIM dereferences every item's userID: a null one panics and fails the request.
      if (list.some((m) => m === null || typeof m['userID'] !== 'string'))
        return failed('backend reply has a memberCallbackList item without userID');
      if (list.length > 0) patch.members = list.map((m) => memberPatch(m!['userID'] as string, m!));
      break;
    }
    case MEMBER_JOIN_V37:
      if (typeof request['userID'] === 'string') patch.members = [memberPatch(request['userID'], r)];
      break;
    case SET_MEMBER_INFO:
      for (const [oKey, key] of MEMBER_PATCH_KEYS) if (typeof r[oKey] === 'string') values[key] = r[oKey];
      if (typeof r['roleLevel'] === 'number') patch.role = roleFromOpenIM(r['roleLevel']);
      break;
  }
  if (ignored.length > 0) verdict.ignored = ignored;
  return ok(verdict);
}
