import { go, type GoType } from './goUnmarshal.js';

type Struct = GoType & { kind: 'struct' };

/**
 * `CommonCallbackResp` (docs/vendors/openim.md#reply-handling): every OpenIM reply embeds it. The three codes accept numeric strings,
 * the one documented repair (Go itself refuses `"nextCode": "1"`).
 */
const COMMON = {
  actionCode: go.int32(true),
  errCode: go.int32(true),
  errMsg: go.string(),
  errDlt: go.string(),
  nextCode: go.int32(true),
};

/** `sdkws.UserInfo` (docs/vendors/openim.md#register), with OpenIM's own `appMangerLevel` spelling. */
const USER_INFO = go.struct({
  userID: go.string(),
  nickname: go.string(),
  faceURL: go.string(),
  ex: go.string(),
  createTime: go.int64(),
  appMangerLevel: go.int32(),
  globalRecvMsgOpt: go.int32(),
});

/** `*string`, and `*wrapperspb.StringValue`, which reads and writes a bare string the same way (docs/vendors/openim.md#user-info). */
const OPTIONAL_STRING = go.pointer(go.string());

const USER_INFO_PATCH = go.struct({
  ...COMMON,
  nickName: OPTIONAL_STRING,
  faceURL: OPTIONAL_STRING,
  ex: OPTIONAL_STRING,
});

/** `sdkws.OfflinePushInfo` (docs/vendors/openim.md#messages). */
const OFFLINE_PUSH_INFO = go.struct({
  title: go.string(),
  desc: go.string(),
  ex: go.string(),
  iOSPushSound: go.string(),
  iOSBadgeCount: go.bool(),
  signalInfo: go.string(),
});

/**
 * `CallbackMsgModifyCommandResp` (docs/vendors/openim.md#messages): every field a pointer, replaced
 * when present and not `null`. imbridge applies `content`, `contentType`, `atUserIDList` and `ex`; the
 * rest are decoded only so that a value Go would refuse fails the call as it fails OpenIM's.
 */
const MSG_MODIFY = go.struct({
  ...COMMON,
  content: OPTIONAL_STRING,
  recvID: OPTIONAL_STRING,
  groupID: OPTIONAL_STRING,
  clientMsgID: OPTIONAL_STRING,
  serverMsgID: OPTIONAL_STRING,
  senderPlatformID: go.pointer(go.int32()),
  senderNickname: OPTIONAL_STRING,
  senderFaceURL: OPTIONAL_STRING,
  sessionType: go.pointer(go.int32()),
  msgFrom: go.pointer(go.int32()),
  contentType: go.pointer(go.int32()),
  status: go.pointer(go.int32()),
  options: go.pointer(go.map(go.bool())),
  offlinePushInfo: go.pointer(OFFLINE_PUSH_INFO),
  atUserIDList: go.pointer(go.slice(go.string())),
  msgDataList: go.pointer(go.bytes()),
  attachedInfo: OPTIONAL_STRING,
  ex: OPTIONAL_STRING,
});

const OPTIONAL_INT32 = go.pointer(go.int32());

/** `CallbackBeforeCreateGroupResp` (docs/vendors/openim.md#groups): every field a pointer, applied when not `null`. */
const CREATE_GROUP = go.struct({
  ...COMMON,
  groupID: OPTIONAL_STRING,
  groupName: OPTIONAL_STRING,
  notification: OPTIONAL_STRING,
  introduction: OPTIONAL_STRING,
  faceURL: OPTIONAL_STRING,
  ownerUserID: OPTIONAL_STRING,
  ex: OPTIONAL_STRING,
  status: OPTIONAL_INT32,
  creatorUserID: OPTIONAL_STRING,
  groupType: OPTIONAL_INT32,
  needVerification: OPTIONAL_INT32,
  lookMemberInfo: OPTIONAL_INT32,
  applyMemberFriend: OPTIONAL_INT32,
});

/** `CallbackBeforeSetGroupInfoResp`: the four strings are plain strings, always applied (docs/vendors/openim.md#groups). */
const SET_GROUP_INFO = go.struct({
  ...COMMON,
  groupID: go.string(),
  groupName: go.string(),
  notification: go.string(),
  introduction: go.string(),
  faceURL: go.string(),
  ex: OPTIONAL_STRING,
  needVerification: OPTIONAL_INT32,
  lookMemberInfo: OPTIONAL_INT32,
  applyMemberFriend: OPTIONAL_INT32,
});

/** `CallbackBeforeSetGroupInfoExResp`: wrapper values, read as bare strings and numbers. */
const SET_GROUP_INFO_EX = go.struct({
  ...COMMON,
  groupID: go.string(),
  groupName: OPTIONAL_STRING,
  notification: OPTIONAL_STRING,
  introduction: OPTIONAL_STRING,
  faceURL: OPTIONAL_STRING,
  ex: OPTIONAL_STRING,
  needVerification: OPTIONAL_INT32,
  lookMemberInfo: OPTIONAL_INT32,
  applyMemberFriend: OPTIONAL_INT32,
});

/** One member's values in a members-join reply (`MemberJoinGroupCallBack`), and the ≤v3.7 flat reply's. */
const MEMBER_JOIN = {
  userID: OPTIONAL_STRING,
  nickname: OPTIONAL_STRING,
  faceURL: OPTIONAL_STRING,
  roleLevel: OPTIONAL_INT32,
  muteEndTime: go.pointer(go.int64()),
  ex: OPTIONAL_STRING,
};

/**
 * The Go struct OpenIM decodes each before-callback's reply into (docs/vendors/openim.md#relationship, docs/vendors/openim.md#user-info): a field another command's
 * reply has is an unknown key here, ignored as Go ignores it.
 */
const REPLY_TYPES: Readonly<Record<string, Struct>> = {
  callbackBeforeImportFriendsCommand: go.struct({ ...COMMON, friendUserIDs: go.slice(go.string()) }),
  callbackBeforeSetFriendRemarkCommand: go.struct({ ...COMMON, remark: go.string() }),
  callbackBeforeUpdateUserInfoCommand: USER_INFO_PATCH,
  callbackBeforeUpdateUserInfoExCommand: USER_INFO_PATCH,
  callbackBeforeUserRegisterCommand: go.struct({ ...COMMON, users: go.slice(go.pointer(USER_INFO)) }),
  callbackBeforeMsgModifyCommand: MSG_MODIFY,
  callbackMsgModifyCommand: MSG_MODIFY,
  callbackBeforeCreateGroupCommand: CREATE_GROUP,
  callbackBeforeSetGroupInfoCommand: SET_GROUP_INFO,
  callbackBeforeSetGroupInfoExCommand: SET_GROUP_INFO_EX,
  callbackBeforeInviteJoinGroupCommand: go.struct({ ...COMMON, refusedMembersAccount: go.slice(go.string()) }),
  callbackBeforeMembersJoinGroupCommand: go.struct({
    ...COMMON,
    memberCallbackList: go.slice(go.pointer(go.struct(MEMBER_JOIN))),
  }),
  callbackBeforeMemberJoinGroupCommand: go.struct({
    ...COMMON,
    nickname: MEMBER_JOIN.nickname,
    faceURL: MEMBER_JOIN.faceURL,
    roleLevel: MEMBER_JOIN.roleLevel,
    muteEndTime: MEMBER_JOIN.muteEndTime,
    ex: MEMBER_JOIN.ex,
  }),
  callbackBeforeSetGroupMemberInfoCommand: go.struct({
    ...COMMON,
    ex: OPTIONAL_STRING,
    nickName: OPTIONAL_STRING,
    faceURL: OPTIONAL_STRING,
    roleLevel: OPTIONAL_INT32,
  }),
};

const COMMON_REPLY = go.struct(COMMON);

/** The reply struct of an OpenIM command: its own, or `CommonCallbackResp` alone. */
export function replyTypeOf(command: string): Struct {
  return REPLY_TYPES[command] ?? COMMON_REPLY;
}
