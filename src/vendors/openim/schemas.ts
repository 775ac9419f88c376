import { array, string, type InferType } from 'yup';
import { exactObject } from '../exact.js';
import { int32, int64 } from '../../canonical/ints.js';

/**
 * yup schemas for OpenIM webhook bodies (docs/vendors/openim.md#relationship). Keys follow OpenIM's Go struct tags; `null` is accepted
 * wherever Go sends `null` for a nil slice. Validated with `strict`, so nothing is coerced.
 */

const userID = string().defined();
/** Body key `callbackCommand`: optional here because the path already names the command. */
const command = string().optional();

export const afterDeleteFriend = exactObject({ callbackCommand: command, ownerUserID: userID, friendUserID: userID });
export type AfterDeleteFriend = InferType<typeof afterDeleteFriend>;

/** `callbackBeforeAddBlackCommand` and `callbackAfterRemoveBlackCommand` share this shape (docs/vendors/openim.md#blacklist). */
export const blackPair = exactObject({ callbackCommand: command, ownerUserID: userID, blackUserID: userID });
export type BlackPair = InferType<typeof blackPair>;

/** `callbackBeforeAddFriendCommand` (docs/vendors/openim.md#friend-apply). */
export const beforeAddFriend = exactObject({
  callbackCommand: command,
  fromUserID: userID,
  toUserID: userID,
  reqMsg: string().optional(),
  ex: string().optional(),
});
export type BeforeAddFriend = InferType<typeof beforeAddFriend>;

/** Both remark callbacks, current and v3.5-era names (docs/vendors/openim.md#remark). */
export const friendRemark = exactObject({
  callbackCommand: command,
  ownerUserID: userID,
  friendUserID: userID,
  remark: string().defined(),
});
export type FriendRemark = InferType<typeof friendRemark>;

/**
 * The user-info callbacks (docs/vendors/openim.md#user-info): each field is a bare string or `null` ("not changed"). The
 * deprecated non-Ex pair always sends strings, `""` meaning "not supplied".
 */
const maybeString = () => string().nullable().optional();
export const updateUserInfo = exactObject({
  callbackCommand: command,
  userID,
  nickName: maybeString(),
  faceURL: maybeString(),
  ex: maybeString(),
});
export type UpdateUserInfo = InferType<typeof updateUserInfo>;

/** One `sdkws.UserInfo` in a register callback (docs/vendors/openim.md#register); note OpenIM's `appMangerLevel` spelling. */
const registerUserShape = {
  userID,
  nickname: string().optional(),
  faceURL: string().optional(),
  ex: string().optional(),
  createTime: int64().optional(),
  appMangerLevel: int32().optional(),
  globalRecvMsgOpt: int32().optional(),
};
export const registerUser = exactObject(registerUserShape);
export type RegisterUserBody = InferType<typeof registerUser>;

/** v3.5–v3.6 also sent the admin `secret` (docs/vendors/openim.md#versions); accepted and never forwarded. */
export const userRegister = exactObject({
  callbackCommand: command,
  secret: string().optional(),
  users: array(registerUser.defined()).nullable().defined(),
});
export type UserRegister = InferType<typeof userRegister>;

/** `callbackAfterAddFriendCommand` as the server sends it: the friend request was stored (docs/vendors/openim.md#friend-apply). */
export const afterAddFriend = exactObject({
  callbackCommand: command,
  fromUserID: userID,
  toUserID: userID,
  reqMsg: string().optional(),
});
export type AfterAddFriend = InferType<typeof afterAddFriend>;

/**
 * The agree callbacks (docs/vendors/openim.md#friend-agree): the code puts the responder under `blackUserID` and capitalises
 * `HandleResult`/`HandleMsg`; the docs-era spelling is `toUserID`/`handleResult`/`handleMsg`. Either
 * responder key is accepted; `agreeResponder` picks it.
 */
export const addFriendAgree = exactObject({
  callbackCommand: command,
  fromUserID: userID,
  blackUserID: string().optional(),
  toUserID: string().optional(),
  HandleResult: int32().optional(),
  handleResult: int32().optional(),
  HandleMsg: string().optional(),
  handleMsg: string().optional(),
}).test(
  'responder',
  'blackUserID (or docs-era toUserID) is a required field',
  (v) => typeof v?.blackUserID === 'string' || typeof v?.toUserID === 'string',
);
export type AddFriendAgree = InferType<typeof addFriendAgree>;

/** The user who accepted, from whichever key this server version used. */
export function agreeResponder(body: AddFriendAgree): string {
  return body.blackUserID ?? body.toUserID ?? '';
}

/** Whether a body carries an agree result (`HandleResult` or docs-era `handleResult`). */
export function hasHandleResult(body: unknown): boolean {
  return typeof body === 'object' && body !== null && ('HandleResult' in body || 'handleResult' in body);
}

/** Import before/after share one shape (docs/vendors/openim.md#import); a nil list arrives as `null`. */
export const importFriends = exactObject({
  callbackCommand: command,
  ownerUserID: userID,
  friendUserIDs: array(string().defined()).nullable().defined(),
});
export type ImportFriends = InferType<typeof importFriends>;
