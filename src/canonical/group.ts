/**
 * Canonical data of group and presence events (docs/mappings.md#groups, docs/mappings.md#presence).
 * Vendor-free: the value tables that read and write vendor spellings live in `mappings/`.
 */

/** Every platform a client can run on, in the words both vendors' tables share (docs/mappings.md#platforms). */
export const PLATFORMS = [
  'ios',
  'android',
  'windows',
  'web',
  'linux',
  'mac',
  'ipad',
  'miniweb',
  'apad',
  'harmonyos',
  'admin',
  'unknown',
] as const;

export type Platform = (typeof PLATFORMS)[number];

/** Why a client went offline; `unknown` when the vendor does not say (OpenIM). */
export const OFFLINE_REASONS = ['logout', 'disconnect', 'timeout', 'kicked', 'unknown'] as const;
export type OfflineReason = (typeof OFFLINE_REASONS)[number];

/** `im.user.online`: a client connected. */
export interface OnlineData {
  userID: string;
  platform: Platform;
  /** Whether the app runs in the background (OpenIM); `null` when the vendor does not say. */
  background: boolean | null;
  /** Platforms whose clients this login kicked off (Tencent `KickedDevice`). */
  kickedPlatforms: Platform[];
  /** OpenIM's connection id; `""` when unknown. */
  connID: string;
}

/** `im.user.offline`: a client disconnected. */
export interface OfflineData {
  userID: string;
  platform: Platform;
  reason: OfflineReason;
  connID: string;
}

/** Group types, named for the rules they stand for (docs/mappings.md#group-type); another Tencent value is kept as sent. */
export type GroupType = 'work' | 'public' | 'meeting' | 'avchatroom' | 'community' | (string & {});

export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** One member of a group being created. */
export interface GroupMember {
  userID: string;
  role: Role;
}

/** Group profile fields a change names; absent keys did not change. */
export interface GroupChanges {
  name?: string;
  notification?: string;
  introduction?: string;
  faceURL?: string;
  ex?: string;
  needVerification?: number;
  lookMemberInfo?: number;
  applyMemberFriend?: number;
}

/** Member fields a change names; absent keys did not change. */
export interface MemberChanges {
  nickname?: string;
  faceURL?: string;
  role?: Role;
  ex?: string;
}

/** `im.group.create.before`. */
export interface GroupCreateData {
  groupID: string;
  groupType: GroupType;
  name: string;
  ownerUserID: string;
  operatorUserID: string;
  members: GroupMember[];
  notification: string;
  introduction: string;
  faceURL: string;
  ex: string;
  needVerification: number;
  lookMemberInfo: number;
  applyMemberFriend: number;
  /** How many groups the operator has created (Tencent `CreatedGroupNum`/`CreateGroupNum`); null when unknown. */
  createdGroupCount: number | null;
}

/** `im.group.created`. */
export type GroupCreatedData = Omit<GroupCreateData, 'createdGroupCount'> & {
  /** Tencent `UserDefinedDataList`, `Key → Value`. */
  custom: Record<string, string>;
};

export interface GroupDismissedData {
  groupID: string;
  groupType: GroupType;
  name: string;
  ownerUserID: string;
  userIDs: string[];
}

export interface GroupInfoUpdateData {
  groupID: string;
  changes: GroupChanges;
}

export interface GroupInfoUpdatedData {
  groupID: string;
  groupType: GroupType;
  operatorUserID: string;
  changes: GroupChanges;
}

export interface GroupOwnerChangedData {
  groupID: string;
  groupType: GroupType;
  operatorUserID: string;
  oldOwnerUserID: string;
  newOwnerUserID: string;
}

export interface GroupFullData {
  groupID: string;
  groupType: GroupType;
}

export interface GroupJoinData {
  groupID: string;
  groupType: GroupType;
  applicantUserID: string;
  message: string;
  ex: string;
}

export interface GroupInviteData {
  groupID: string;
  groupType: GroupType;
  inviterUserID: string;
  reason: string;
  userIDs: string[];
}

export interface MembersJoinData {
  groupID: string;
  groupEx: string;
  members: { userID: string; ex: string }[];
}

/** What a backend sets for one member about to join (absent keys stay as the IM server has them). */
export interface MemberJoinPatch {
  userID: string;
  nickname?: string;
  faceURL?: string;
  role?: Role;
  /** Muted until this Unix time in ms. */
  muteEndTime?: number;
  ex?: string;
}

export type JoinSource = 'admin' | 'invitation' | 'search' | 'qrcode' | '';

export interface MembersJoinedData {
  groupID: string;
  groupType: GroupType;
  joinType: string;
  joinSource: JoinSource;
  operatorUserID: string;
  userIDs: string[];
  message: string;
}

export interface MembersLeftData {
  groupID: string;
  groupType: GroupType;
  exitType: string;
  operatorUserID: string;
  userIDs: string[];
  reason: string;
}

export interface MemberUpdateData {
  groupID: string;
  userID: string;
  changes: MemberChanges;
}

export interface MemberUpdatedData {
  groupID: string;
  groupType: GroupType;
  operatorUserID: string;
  userID: string;
  changes: MemberChanges;
}
