import { array, boolean, mixed, string, type InferType } from 'yup';
import { int32, int64 } from '../../canonical/ints.js';
import { exactObject } from '../exact.js';

/**
 * yup schemas for OpenIM's presence and group callbacks (docs/vendors/openim.md#presence,
 * docs/vendors/openim.md#groups), in Go's field names. Keys older servers leave out are optional.
 */

const text = string().defined();
const command = string().optional();

/** `UserStatusCallbackReq` and the keys of each presence command; pre-v3.8.2 servers send a counter in `seq`. */
const status = {
  callbackCommand: command,
  operationID: string().optional(),
  platformID: int32().defined(),
  platform: string().optional(),
  userID: text,
  seq: int64().optional(),
};

export const userOnline = exactObject({
  ...status,
  isAppBackground: boolean().optional(),
  connID: string().optional(),
});
export type UserOnline = InferType<typeof userOnline>;

export const userOffline = exactObject({ ...status, connID: string().optional() });
export type UserOffline = InferType<typeof userOffline>;

export const userKickOff = exactObject(status);
export type UserKickOff = InferType<typeof userKickOff>;

const int = int32().defined();
const nullableText = string().nullable().defined();
const nullableInt = int32().nullable().defined();

/**
 * `groupType`: an integer in create bodies, and in join and dismiss bodies Go's rune conversion of one
 * (`"\u0002"`); `"2"` is read too. Every OpenIM group is read as one kind, so only the type is checked.
 */
const groupType = mixed<number | string>()
  .test('group-type', '${path} must be a number or a string', (v) => typeof v === 'number' || typeof v === 'string')
  .defined();

/** `sdkws.GroupInfo`, flattened into the create bodies. */
const groupInfo = {
  groupID: text,
  groupName: text,
  notification: text,
  introduction: text,
  faceURL: text,
  ownerUserID: text,
  createTime: int64().defined(),
  memberCount: int64().defined(),
  ex: text,
  status: int,
  creatorUserID: text,
  groupType,
  needVerification: int,
  lookMemberInfo: int,
  applyMemberFriend: int,
  notificationUpdateTime: int64().optional(),
  notificationUserID: string().optional(),
};
const initMemberList = array(exactObject({ userID: text, roleLevel: int }).defined())
  .nullable()
  .defined();

/** The client's group as sent: `groupID` usually `""`, `ownerUserID` as the client filled it. */
export const beforeCreateGroup = exactObject({
  operationID: string().optional(),
  callbackCommand: command,
  ...groupInfo,
  initMemberList,
});
export type BeforeCreateGroup = InferType<typeof beforeCreateGroup>;

export const afterCreateGroup = exactObject({ callbackCommand: command, ...groupInfo, initMemberList });
export type AfterCreateGroup = InferType<typeof afterCreateGroup>;

/** `membersID` is `[]` or `null` when the members were deleted with the group. */
export const dismissGroup = exactObject({
  callbackCommand: command,
  groupID: text,
  ownerID: text,
  groupType: groupType.optional(),
  membersID: array(text).nullable().optional(),
});
export type DismissGroup = InferType<typeof dismissGroup>;

/** The set-group-info pair: strings `""` and numbers `0` (or `null` in the after body) mean unchanged. */
export const setGroupInfo = exactObject({
  callbackCommand: command,
  operationID: string().optional(),
  groupID: text,
  groupName: text,
  notification: text,
  introduction: text,
  faceURL: text,
  ex: string().nullable().defined(),
  needVerification: nullableInt,
  lookMemberInfo: nullableInt,
  applyMemberFriend: nullableInt,
});
export type SetGroupInfo = InferType<typeof setGroupInfo>;

/** The `…Ex` pair (v3.8.1+): every value bare or `null` for unchanged. */
export const setGroupInfoEx = exactObject({
  callbackCommand: command,
  operationID: string().optional(),
  groupID: text,
  groupName: nullableText,
  notification: nullableText,
  introduction: nullableText,
  faceURL: nullableText,
  ex: nullableText,
  needVerification: nullableInt,
  lookMemberInfo: nullableInt,
  applyMemberFriend: nullableInt,
});
export type SetGroupInfoEx = InferType<typeof setGroupInfoEx>;

export const transferGroupOwner = exactObject({
  callbackCommand: command,
  groupID: text,
  oldOwnerUserID: text,
  newOwnerUserID: text,
});
export type TransferGroupOwner = InferType<typeof transferGroupOwner>;

/** `inviterUserID` is the user who joined (misnamed in OpenIM's struct). */
export const afterJoinGroup = exactObject({
  callbackCommand: command,
  operationID: string().optional(),
  groupID: text,
  reqMessage: string().optional(),
  joinSource: int32().optional(),
  inviterUserID: text,
});
export type AfterJoinGroup = InferType<typeof afterJoinGroup>;

/** `applyID` is the applicant; `groupType` the rune `"\u0002"`. */
export const beforeJoinGroup = exactObject({
  callbackCommand: command,
  groupID: text,
  groupType: groupType.optional(),
  applyID: text,
  reqMessage: string().optional(),
  ex: string().optional(),
});
export type BeforeJoinGroup = InferType<typeof beforeJoinGroup>;

/** The inviter is not in the body. */
export const beforeInviteJoinGroup = exactObject({
  callbackCommand: command,
  operationID: string().optional(),
  groupID: text,
  reason: string().optional(),
  invitedUserIDs: array(text).nullable().defined(),
});
export type BeforeInviteJoinGroup = InferType<typeof beforeInviteJoinGroup>;

/** v3.8.0+: every member about to be written, roles not shown. */
export const beforeMembersJoinGroup = exactObject({
  callbackCommand: command,
  groupID: text,
  memberList: array(exactObject({ userID: text, ex: string().optional() }).defined())
    .nullable()
    .defined(),
  groupEx: string().optional(),
});
export type BeforeMembersJoinGroup = InferType<typeof beforeMembersJoinGroup>;

/** Up to v3.7: one member per call. */
export const beforeMemberJoinGroup = exactObject({
  callbackCommand: command,
  operationID: string().optional(),
  groupID: text,
  userID: text,
  ex: string().optional(),
  groupEx: string().optional(),
});
export type BeforeMemberJoinGroup = InferType<typeof beforeMemberJoinGroup>;

export const quitGroup = exactObject({ callbackCommand: command, groupID: text, userID: text });
export type QuitGroup = InferType<typeof quitGroup>;

export const kickGroup = exactObject({
  callbackCommand: command,
  groupID: text,
  kickedUserIDs: array(text).nullable().defined(),
  reason: string().optional(),
});
export type KickGroup = InferType<typeof kickGroup>;

/** Set-member-info before and after: each value `null` when that field is not being changed. */
export const setGroupMemberInfo = exactObject({
  callbackCommand: command,
  operationID: string().optional(),
  groupID: text,
  userID: text,
  nickName: string().nullable().optional(),
  faceURL: string().nullable().optional(),
  roleLevel: int32().nullable().optional(),
  ex: string().nullable().optional(),
});
export type SetGroupMemberInfo = InferType<typeof setGroupMemberInfo>;
