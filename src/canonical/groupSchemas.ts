import { array, boolean, mixed, number, object, string, type ObjectSchema } from 'yup';
import {
  OFFLINE_REASONS,
  PLATFORMS,
  ROLES,
  type GroupChanges,
  type GroupCreateData,
  type GroupCreatedData,
  type GroupDismissedData,
  type GroupFullData,
  type GroupInfoUpdateData,
  type GroupInfoUpdatedData,
  type GroupInviteData,
  type GroupJoinData,
  type GroupOwnerChangedData,
  type GroupType,
  type JoinSource,
  type MemberChanges,
  type MemberJoinPatch,
  type MembersJoinData,
  type MembersJoinedData,
  type MembersLeftData,
  type MemberUpdateData,
  type MemberUpdatedData,
  type OfflineData,
  type OnlineData,
  type Platform,
  type Role,
} from './group.js';

/** yup schemas of the group and presence model (src/canonical/group.ts), the source of their JSON Schemas. */

const text = string().defined();
const platform = string<Platform>()
  .oneOf([...PLATFORMS])
  .defined();

export const onlineDataSchema: ObjectSchema<OnlineData> = object({
  userID: text,
  platform,
  background: boolean().nullable().defined(),
  kickedPlatforms: array(platform).defined(),
  connID: text,
});

export const offlineDataSchema: ObjectSchema<OfflineData> = object({
  userID: text,
  platform,
  reason: string<OfflineData['reason']>()
    .oneOf([...OFFLINE_REASONS])
    .defined(),
  connID: text,
});

const int = number().integer().defined();
const groupType = string<GroupType>().defined();
const role = string<Role>().oneOf([...ROLES]);
const ids = array(text).defined();

export const groupChangesSchema: ObjectSchema<GroupChanges> = object({
  name: string().optional(),
  notification: string().optional(),
  introduction: string().optional(),
  faceURL: string().optional(),
  ex: string().optional(),
  needVerification: number().integer().optional(),
  lookMemberInfo: number().integer().optional(),
  applyMemberFriend: number().integer().optional(),
});

export const memberChangesSchema: ObjectSchema<MemberChanges> = object({
  nickname: string().optional(),
  faceURL: string().optional(),
  role: role.optional(),
  ex: string().optional(),
});

/** `Key → Value` of Tencent's `UserDefinedDataList`. */
const custom = mixed<Record<string, string>>()
  .test(
    'custom',
    '${path} must map keys to strings',
    (v) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'),
  )
  .defined()
  .meta({ jsonSchema: { type: 'object', additionalProperties: { type: 'string' } } });

/** What a group being created and a created group have in common. */
const newGroup = {
  groupID: text,
  groupType,
  name: text,
  ownerUserID: text,
  operatorUserID: text,
  members: array(object({ userID: text, role: role.defined() }).defined()).defined(),
  notification: text,
  introduction: text,
  faceURL: text,
  ex: text,
  needVerification: int,
  lookMemberInfo: int,
  applyMemberFriend: int,
};

export const groupCreateSchema: ObjectSchema<GroupCreateData> = object({
  ...newGroup,
  createdGroupCount: number().integer().nullable().defined(),
});

export const groupCreatedSchema: ObjectSchema<GroupCreatedData> = object({ ...newGroup, custom });

export const groupDismissedSchema: ObjectSchema<GroupDismissedData> = object({
  groupID: text,
  groupType,
  name: text,
  ownerUserID: text,
  userIDs: ids,
});

export const groupInfoUpdateSchema: ObjectSchema<GroupInfoUpdateData> = object({
  groupID: text,
  changes: groupChangesSchema.defined(),
});

export const groupInfoUpdatedSchema: ObjectSchema<GroupInfoUpdatedData> = object({
  groupID: text,
  groupType,
  operatorUserID: text,
  changes: groupChangesSchema.defined(),
});

export const groupOwnerChangedSchema: ObjectSchema<GroupOwnerChangedData> = object({
  groupID: text,
  groupType,
  operatorUserID: text,
  oldOwnerUserID: text,
  newOwnerUserID: text,
});

export const groupFullSchema: ObjectSchema<GroupFullData> = object({ groupID: text, groupType });

export const groupJoinSchema: ObjectSchema<GroupJoinData> = object({
  groupID: text,
  groupType,
  applicantUserID: text,
  message: text,
  ex: text,
});

export const groupInviteSchema: ObjectSchema<GroupInviteData> = object({
  groupID: text,
  groupType,
  inviterUserID: text,
  reason: text,
  userIDs: ids,
});

export const membersJoinSchema: ObjectSchema<MembersJoinData> = object({
  groupID: text,
  groupEx: text,
  members: array(object({ userID: text, ex: text }).defined()).defined(),
});

/** One member's values in a members-join verdict's `patch.members`. */
export const memberJoinPatchSchema: ObjectSchema<MemberJoinPatch> = object({
  userID: string().min(1).defined(),
  nickname: string().optional(),
  faceURL: string().optional(),
  role: role.optional(),
  muteEndTime: number().integer().optional(),
  ex: string().optional(),
});

/** The patch keys of the group before-events (besides `nickname`, `faceURL`, `ex`, which profiles share). */
export const groupPatchShape = {
  groupID: string().optional(),
  name: string().optional(),
  notification: string().optional(),
  introduction: string().optional(),
  needVerification: number().integer().optional(),
  lookMemberInfo: number().integer().optional(),
  applyMemberFriend: number().integer().optional(),
  role: role.optional(),
  members: array(memberJoinPatchSchema.defined()).optional(),
};

export const membersJoinedSchema: ObjectSchema<MembersJoinedData> = object({
  groupID: text,
  groupType,
  joinType: text,
  joinSource: string<JoinSource>().oneOf(['admin', 'invitation', 'search', 'qrcode', '']).defined(),
  operatorUserID: text,
  userIDs: ids,
  message: text,
});

export const membersLeftSchema: ObjectSchema<MembersLeftData> = object({
  groupID: text,
  groupType,
  exitType: text,
  operatorUserID: text,
  userIDs: ids,
  reason: text,
});

export const memberUpdateSchema: ObjectSchema<MemberUpdateData> = object({
  groupID: text,
  userID: text,
  changes: memberChangesSchema.defined(),
});

export const memberUpdatedSchema: ObjectSchema<MemberUpdatedData> = object({
  groupID: text,
  groupType,
  operatorUserID: text,
  userID: text,
  changes: memberChangesSchema.defined(),
});
