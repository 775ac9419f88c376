import type { OpenIMReply } from './envelope.js';

/**
 * OpenIM's set-group-info before-callbacks apply the reply's group fields whether or not the backend
 * set them (docs/vendors/openim.md#groups): a bare "continue" makes OpenIM update group `""` and fail
 * the user's change. So every allow imbridge gives these commands — the backend's, the failure rule's,
 * shadow mode's, or its own answer to a command it does not map — echoes the request:
 * non-Ex: `groupID`, `groupName`, `notification`, `introduction`, `faceURL` as sent, `ex` and the flags
 * `null` (echoing their `""`/`0` would write them); Ex: every key as sent, `null` staying `null`.
 */
const SET_GROUP_INFO = 'callbackBeforeSetGroupInfoCommand';
const SET_GROUP_INFO_EX = 'callbackBeforeSetGroupInfoExCommand';
const STRINGS = ['groupID', 'groupName', 'notification', 'introduction', 'faceURL'] as const;
const NULLABLE = ['ex', 'needVerification', 'lookMemberInfo', 'applyMemberFriend'] as const;

/** Whether an allow of this command must echo the request. */
export function echoesGroupInfo(command: string): boolean {
  return command === SET_GROUP_INFO || command === SET_GROUP_INFO_EX;
}

/** The reply with the request's group fields echoed, when it allows; a deny is left as it is. */
export function withGroupInfoEcho(command: string, body: Record<string, unknown>, reply: OpenIMReply): object {
  if (!echoesGroupInfo(command) || reply.errCode !== 0 || reply.nextCode !== 0) return reply;
  const ex = command === SET_GROUP_INFO_EX;
  const echo: Record<string, unknown> = {};
  for (const key of STRINGS) {
    const v = body[key];
    echo[key] = ex ? (v === undefined ? null : v) : typeof v === 'string' ? v : '';
  }
  for (const key of NULLABLE) echo[key] = ex ? (body[key] === undefined ? null : body[key]) : null;
  return { ...reply, ...echo };
}
