import type { Verdict } from '../../canonical/types.js';
import { openimReply } from './envelope.js';
import {
  CREATE_GROUP,
  CREATE_PATCH_KEYS,
  MEMBER_JOIN_V37,
  MEMBER_PATCH_KEYS,
  MEMBERS_JOIN,
  OPENIM_INFO_KEYS,
  roleToOpenIM,
  SET_GROUP_INFO,
  SET_GROUP_INFO_EX,
  SET_MEMBER_INFO,
  VALUE_REPLY_COMMANDS,
} from './groupValues.js';

/**
 * imbridge's answers to OpenIM's group before-callbacks whose allow carries values
 * (docs/vendors/openim.md#groups). OpenIM applies every non-null field of these replies, so an allow
 * names only what the verdict changes — except set-group-info, whose reply OpenIM applies whether or
 * not it was set: there every allow (the backend's, the failure rule's, shadow mode's, or imbridge's
 * own for a command it does not send on) echoes the request, or OpenIM updates group `""` and fails
 * the user's change.
 */

type Fields = Record<string, unknown>;

/** Whether an allow of this command carries more than the common fields. */
export function isGroupAnswerCommand(command: string): boolean {
  return VALUE_REPLY_COMMANDS.has(command);
}

/** Whether every allow of this command must echo its request (and so needs the request read). */
export function echoesRequest(command: string): boolean {
  return command === SET_GROUP_INFO || command === SET_GROUP_INFO_EX;
}

/**
 * The set-group-info echo with the patch in it. Non-Ex: `groupID` and `notification` as sent, the
 * other strings the patch's or as sent (`""` is "no change" there), `ex` and the flags the patch's or
 * `null` — echoing their `""`/`0` would write them. Ex: every key the patch's or as sent, `null`
 * staying `null` (a missing key would cancel that part of the change).
 */
function groupInfoEcho(request: Fields, patch: Fields, ex: boolean): Fields {
  const echo: Fields = { groupID: typeof request['groupID'] === 'string' ? request['groupID'] : '' };
  for (const [oKey, key] of OPENIM_INFO_KEYS) {
    const sent = request[oKey];
    const patched = key === 'notification' ? undefined : patch[key];
    if (ex) echo[oKey] = patched ?? sent ?? null;
    else if (typeof sent === 'string' && key !== 'ex') echo[oKey] = patched ?? sent;
    else echo[oKey] = patched ?? null;
  }
  return echo;
}

/** A member's values in the members-join reply: `userID` always, `null` where the verdict sets nothing. */
function memberFields(m: NonNullable<Verdict['patch']['members']>[number]): Fields {
  return {
    userID: m.userID,
    nickname: m.nickname ?? null,
    faceURL: m.faceURL ?? null,
    roleLevel: m.role === undefined ? null : roleToOpenIM(m.role),
    muteEndTime: m.muteEndTime ?? null,
    ex: m.ex ?? null,
  };
}

/** Only the keys of `fields` that are set. */
function setOnly(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * The answer to a group before-callback once the verdict is known: a refusal as for any callback; an
 * allow with the values the command takes.
 */
export function openimGroupAnswer(command: string, request: Fields, verdict: Verdict, denyCode: number): object {
  const reply = openimReply('before', { ...verdict, patch: {} }, denyCode);
  if (reply.nextCode !== 0) return reply;
  const patch = verdict.patch as Fields;
  const set: Fields = {};
  switch (command) {
    case CREATE_GROUP:
      for (const [oKey, key] of CREATE_PATCH_KEYS) if (patch[key] !== undefined) set[oKey] = patch[key];
      return { ...reply, ...set };
    case SET_GROUP_INFO:
    case SET_GROUP_INFO_EX:
      return { ...reply, ...groupInfoEcho(request, patch, command === SET_GROUP_INFO_EX) };
    case MEMBERS_JOIN: {
      const members = verdict.patch.members ?? [];
      return members.length > 0 ? { ...reply, memberCallbackList: members.map(memberFields) } : reply;
    }
    case MEMBER_JOIN_V37: {
      const member = verdict.patch.members?.find((m) => m.userID === request['userID']);
      if (!member) return reply;
      const { userID: _, ...flat } = memberFields(member);
      return { ...reply, ...setOnly(flat) };
    }
    case SET_MEMBER_INFO:
      for (const [oKey, key] of MEMBER_PATCH_KEYS) if (patch[key] !== undefined) set[oKey] = patch[key];
      if (verdict.patch.role !== undefined) set['roleLevel'] = roleToOpenIM(verdict.patch.role);
      return { ...reply, ...set };
    default:
      return reply;
  }
}
