import type { Role } from '../../canonical/group.js';

/** OpenIM's `roleLevel` of each group role (docs/vendors/openim.md#groups). */
export const ROLE_LEVELS: Readonly<Record<Role, number>> = { owner: 100, admin: 60, member: 20 };

/** OpenIM `roleLevel` → role; another level reads as member. */
export function roleFromOpenIM(level: number): Role {
  return level === ROLE_LEVELS.owner ? 'owner' : level === ROLE_LEVELS.admin ? 'admin' : 'member';
}

export function roleToOpenIM(role: Role): number {
  return ROLE_LEVELS[role];
}

/** OpenIM's group profile keys, in Go's order, with their canonical names. */
export const OPENIM_INFO_KEYS = [
  ['groupName', 'name'],
  ['notification', 'notification'],
  ['introduction', 'introduction'],
  ['faceURL', 'faceURL'],
  ['ex', 'ex'],
  ['needVerification', 'needVerification'],
  ['lookMemberInfo', 'lookMemberInfo'],
  ['applyMemberFriend', 'applyMemberFriend'],
] as const;

/**
 * What a create-group reply may set (docs/vendors/openim.md#groups), OpenIM field → canonical patch key,
 * in Go's order. OpenIM also applies `status`, `creatorUserID` and `groupType`, which imbridge carries
 * no further; `ownerUserID` and `applyMemberFriend` it reads and never applies.
 */
export const CREATE_PATCH_KEYS = [
  ['groupID', 'groupID'],
  ['groupName', 'name'],
  ['notification', 'notification'],
  ['introduction', 'introduction'],
  ['faceURL', 'faceURL'],
  ['ex', 'ex'],
  ['needVerification', 'needVerification'],
  ['lookMemberInfo', 'lookMemberInfo'],
] as const;

/** The set-member-info reply's fields (Go's order) → canonical patch keys; `roleLevel` is the role. */
export const MEMBER_PATCH_KEYS = [
  ['ex', 'ex'],
  ['nickName', 'nickname'],
  ['faceURL', 'faceURL'],
] as const;

export const CREATE_GROUP = 'callbackBeforeCreateGroupCommand';
export const SET_GROUP_INFO = 'callbackBeforeSetGroupInfoCommand';
export const SET_GROUP_INFO_EX = 'callbackBeforeSetGroupInfoExCommand';
export const INVITE = 'callbackBeforeInviteJoinGroupCommand';
export const MEMBERS_JOIN = 'callbackBeforeMembersJoinGroupCommand';
/** Up to v3.7: one member per call, its values flat in the reply. */
export const MEMBER_JOIN_V37 = 'callbackBeforeMemberJoinGroupCommand';
export const SET_MEMBER_INFO = 'callbackBeforeSetGroupMemberInfoCommand';

/** The group before-callbacks whose allowing reply carries values OpenIM applies (answered by `groupAnswer.ts`). */
export const VALUE_REPLY_COMMANDS: ReadonlySet<string> = new Set([
  CREATE_GROUP,
  SET_GROUP_INFO,
  SET_GROUP_INFO_EX,
  MEMBERS_JOIN,
  MEMBER_JOIN_V37,
  SET_MEMBER_INFO,
]);
