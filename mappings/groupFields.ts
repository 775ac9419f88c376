import type {
  GroupChanges,
  GroupCreateData,
  GroupMember,
  GroupType,
  JoinSource,
  MemberChanges,
  Role,
} from '../src/canonical/group.js';
import { OPENIM_INFO_KEYS, ROLE_LEVELS, roleFromOpenIM, roleToOpenIM } from '../src/vendors/openim/groupValues.js';

/**
 * A group's fields across vendors (docs/mappings.md#groups): the value tables of group type, role,
 * join source and exit type, member lists, and the keys each vendor uses for a group's profile.
 */

const FROM_TENCENT_TYPE: Record<string, GroupType> = {
  Private: 'work',
  Work: 'work',
  Public: 'public',
  ChatRoom: 'meeting',
  Meeting: 'meeting',
  AVChatRoom: 'avchatroom',
  Community: 'community',
};
const TO_TENCENT_TYPE: Record<string, string> = {
  work: 'Private',
  public: 'Public',
  meeting: 'ChatRoom',
  avchatroom: 'AVChatRoom',
  community: 'Community',
};

/** Tencent `Type` → canonical; a value Tencent adds later is kept as sent. */
export function groupTypeFromTencent(type: string | undefined): GroupType {
  return type === undefined ? '' : (FROM_TENCENT_TYPE[type] ?? type);
}

export function groupTypeToTencent(type: GroupType): string {
  return TO_TENCENT_TYPE[type] ?? type;
}

/**
 * Every OpenIM group is type 2, whose rules (applications need approval, invitations join directly)
 * are Tencent's Public group, whatever `groupType` says.
 */
export const OPENIM_GROUP_TYPE: GroupType = 'public';
/** OpenIM's working group as create bodies write it. */
export const OPENIM_GROUP_TYPE_INT = 2;
/** …and as join and dismiss bodies write it: Go's `string(int32(2))`, a rune conversion. */
export const OPENIM_GROUP_TYPE_RUNE = '\u0002';

export { OPENIM_INFO_KEYS, roleFromOpenIM, roleToOpenIM };

/** Tencent `Role` → role; another value is not a role imbridge knows (left out of `changes`). */
export function roleFromTencent(role: string | undefined): Role | undefined {
  return role === 'Owner' ? 'owner' : role === 'Admin' ? 'admin' : role === 'Member' ? 'member' : undefined;
}

export function roleToTencent(role: Role): string {
  return role === 'owner' ? 'Owner' : role === 'admin' ? 'Admin' : 'Member';
}

const JOIN_SOURCES: Record<number, JoinSource> = { 1: 'admin', 2: 'invitation', 3: 'search', 4: 'qrcode' };

export function joinSourceFromOpenIM(n: number | undefined): JoinSource {
  return JOIN_SOURCES[n ?? 0] ?? '';
}

/** OpenIM's number for a join source; unknown is guessed from how the user joined. */
export function joinSourceToOpenIM(source: JoinSource, joinType: string): number {
  const known = Object.entries(JOIN_SOURCES).find(([, s]) => s === source);
  if (known) return Number(known[0]);
  return joinType === 'invited' ? 2 : 3;
}

export function joinTypeFromTencent(t: string): string {
  return t === 'Apply' ? 'apply' : t === 'Invited' ? 'invited' : t;
}

export function joinTypeToTencent(t: string): string {
  return t === 'apply' ? 'Apply' : t === 'invited' ? 'Invited' : t;
}

/** Tencent `ExitType`: `Quit` or `Kicked`; anything else was a removal. */
export function exitTypeFromTencent(t: string): 'quit' | 'kicked' {
  return t === 'Quit' ? 'quit' : 'kicked';
}

export function exitTypeToTencent(t: string): string {
  return t === 'quit' ? 'Quit' : 'Kicked';
}

/** Each user once, in the order first seen. */
export function uniqueUsers(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** User ids from a Tencent member list (`[{ Member_Account }]`). */
export function accountsOf(list: readonly { Member_Account: string }[] | undefined): string[] {
  return uniqueUsers((list ?? []).map((m) => m.Member_Account));
}

/** A Tencent member list from user ids. */
export function memberList(ids: readonly string[]): { Member_Account: string }[] {
  return ids.map((Member_Account) => ({ Member_Account }));
}

/**
 * Members of a new group: one entry per user at its highest role, in first-seen order (OpenIM's
 * after-create repeats the owner and admins as ordinary members).
 */
export function membersFromOpenIM(list: readonly { userID: string; roleLevel: number }[] | null): GroupMember[] {
  const best = new Map<string, Role>();
  for (const m of list ?? []) {
    const role = roleFromOpenIM(m.roleLevel);
    const known = best.get(m.userID);
    if (known === undefined || ROLE_LEVELS[role] > ROLE_LEVELS[known]) best.set(m.userID, role);
  }
  return [...best].map(([userID, role]) => ({ userID, role }));
}

/** OpenIM's `initMemberList`, clean: owner, admins, members, each user once, source order within a role. */
export function initMemberList(members: readonly GroupMember[]): { userID: string; roleLevel: number }[] {
  return (['owner', 'admin', 'member'] as const).flatMap((role) =>
    members.filter((m) => m.role === role).map((m) => ({ userID: m.userID, roleLevel: ROLE_LEVELS[role] })),
  );
}

/** The group profile keys Tencent's info-changed callback carries, in its order. */
const TENCENT_INFO_KEYS = [
  ['name', 'Name'],
  ['introduction', 'Introduction'],
  ['notification', 'Notification'],
  ['faceURL', 'FaceUrl'],
] as const;

/** Tencent info changes: a present key is a change, `""` included (cleared). */
export function groupChangesFromTencent(
  b: Partial<Record<'Name' | 'Introduction' | 'Notification' | 'FaceUrl', string>>,
): GroupChanges {
  const changes: GroupChanges = {};
  for (const [key, tKey] of TENCENT_INFO_KEYS) if (b[tKey] !== undefined) changes[key] = b[tKey];
  return changes;
}

/** The changed keys Tencent can carry, in its order (the rest has no Tencent field). */
export function groupChangesToTencent(changes: GroupChanges): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, tKey] of TENCENT_INFO_KEYS) if (changes[key] !== undefined) out[tKey] = changes[key];
  return out;
}

type OpenIMInfo = { [K in (typeof OPENIM_INFO_KEYS)[number][0]]?: string | number | null };

/**
 * OpenIM info changes. The non-Ex pair cannot say "cleared": `""`, `0` and `null` all mean unchanged;
 * in the Ex pair only `null` does.
 */
export function groupChangesFromOpenIM(b: OpenIMInfo, ex: boolean): GroupChanges {
  const changes: Record<string, string | number> = {};
  for (const [oKey, key] of OPENIM_INFO_KEYS) {
    const v = b[oKey];
    if (v === null || v === undefined || (!ex && (v === '' || v === 0))) continue;
    changes[key] = v;
  }
  return changes as GroupChanges;
}

/** The `…Ex` body's profile keys: each changed value, `null` where unchanged. */
export function groupChangesToOpenIMEx(changes: GroupChanges): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [oKey, key] of OPENIM_INFO_KEYS) out[oKey] = changes[key] ?? null;
  return out;
}

/** OpenIM's set-member-info values: `null` where unchanged. */
export function memberChangesFromOpenIM(b: {
  nickName?: string | null;
  faceURL?: string | null;
  roleLevel?: number | null;
  ex?: string | null;
}): MemberChanges {
  const changes: MemberChanges = {};
  if (b.nickName !== null && b.nickName !== undefined) changes.nickname = b.nickName;
  if (b.faceURL !== null && b.faceURL !== undefined) changes.faceURL = b.faceURL;
  if (b.roleLevel !== null && b.roleLevel !== undefined) changes.role = roleFromOpenIM(b.roleLevel);
  if (b.ex !== null && b.ex !== undefined) changes.ex = b.ex;
  return changes;
}

export function memberChangesToOpenIM(changes: MemberChanges) {
  return {
    nickName: changes.nickname ?? null,
    faceURL: changes.faceURL ?? null,
    roleLevel: changes.role === undefined ? null : roleToOpenIM(changes.role),
    ex: changes.ex ?? null,
  };
}

/** What a group being created and a created group share (canonical), without the group's id. */
type NewGroup = Omit<GroupCreateData, 'groupID' | 'createdGroupCount'>;

/**
 * A new group from Tencent's create callbacks: the owner first, then `MemberList` but the owner as
 * members; Tencent says nothing of the profile beyond the name.
 */
export function newGroupFromTencent(b: {
  Type: string;
  Name: string;
  Owner_Account: string;
  Operator_Account: string;
  MemberList: { Member_Account: string }[];
}): NewGroup {
  return {
    groupType: groupTypeFromTencent(b.Type),
    name: b.Name,
    ownerUserID: b.Owner_Account,
    operatorUserID: b.Operator_Account,
    members: [
      { userID: b.Owner_Account, role: 'owner' },
      ...accountsOf(b.MemberList)
        .filter((u) => u !== b.Owner_Account)
        .map((userID) => ({ userID, role: 'member' as const })),
    ],
    notification: '',
    introduction: '',
    faceURL: '',
    ex: '',
    needVerification: 0,
    lookMemberInfo: 0,
    applyMemberFriend: 0,
  };
}

/** OpenIM's `sdkws.GroupInfo` keys as its create callbacks flatten them. */
interface OpenIMGroupInfo {
  groupName: string;
  notification: string;
  introduction: string;
  faceURL: string;
  ownerUserID: string;
  ex: string;
  creatorUserID: string;
  needVerification: number;
  lookMemberInfo: number;
  applyMemberFriend: number;
  initMemberList: { userID: string; roleLevel: number }[] | null;
}

/** A new group from OpenIM's create callbacks: the member list names the owner (the field may be ""). */
export function newGroupFromOpenIM(b: OpenIMGroupInfo): NewGroup {
  const members = membersFromOpenIM(b.initMemberList);
  return {
    groupType: OPENIM_GROUP_TYPE,
    name: b.groupName,
    ownerUserID: members.find((m) => m.role === 'owner')?.userID ?? b.ownerUserID,
    operatorUserID: b.creatorUserID,
    members,
    notification: b.notification,
    introduction: b.introduction,
    faceURL: b.faceURL,
    ex: b.ex,
    needVerification: b.needVerification,
    lookMemberInfo: b.lookMemberInfo,
    applyMemberFriend: b.applyMemberFriend,
  };
}

/**
 * The body of OpenIM's create callbacks after the command (and the before-create's leading
 * `operationID`): `GroupInfo` flattened in Go's order, then a clean `initMemberList`.
 */
export function openimGroupInfo(
  d: NewGroup & { groupID: string },
  stored: { createTime: number; memberCount: number },
): Record<string, unknown> {
  return {
    groupID: d.groupID,
    groupName: d.name,
    notification: d.notification,
    introduction: d.introduction,
    faceURL: d.faceURL,
    ownerUserID: d.ownerUserID,
    createTime: stored.createTime,
    memberCount: stored.memberCount,
    ex: d.ex,
    status: 0,
    creatorUserID: d.operatorUserID,
    groupType: OPENIM_GROUP_TYPE_INT,
    needVerification: d.needVerification,
    lookMemberInfo: d.lookMemberInfo,
    applyMemberFriend: d.applyMemberFriend,
    notificationUpdateTime: 0,
    notificationUserID: '',
    initMemberList: initMemberList(d.members),
  };
}
