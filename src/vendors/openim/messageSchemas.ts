import { array, number, string, type InferType } from 'yup';
import { int32, int64, uint32 } from '../../canonical/ints.js';
import { exactObject } from '../exact.js';

/**
 * yup schemas for OpenIM's message callbacks (docs/vendors/openim.md#messages): `CommonCallbackReq` in
 * Go's field names, plus each command's own keys. `sendTime` is missing before v3.8.1.
 */

const text = string().defined();
const command = string().optional();

/** `CommonCallbackReq`. */
const common = {
  sendID: text,
  callbackCommand: command,
  serverMsgID: text,
  clientMsgID: text,
  operationID: string().optional(),
  senderPlatformID: int32().defined(),
  senderNickname: string().optional(),
  sessionType: int32().defined(),
  msgFrom: int32().defined(),
  contentType: int32().defined(),
  status: int32().optional(),
  sendTime: int64().min(0).optional(),
  createTime: int64().min(0).defined(),
  content: string().defined(),
  seq: uint32().optional(),
  atUserList: array(text).nullable().optional(),
  faceURL: string().optional(),
  ex: string().optional(),
};

export const singleMessage = exactObject({ ...common, recvID: text });
export type SingleMessage = InferType<typeof singleMessage>;

export const groupMessage = exactObject({ ...common, groupID: text });
export type GroupMessage = InferType<typeof groupMessage>;

/** `callbackBeforeMsgModifyCommand`: the common fields only — neither recipient nor group. */
export const modifyMessage = exactObject(common);
export type ModifyMessage = InferType<typeof modifyMessage>;

/** `callbackAfterMsgSaveDBCommand`: both keys, one of them `""`. */
export const storedMessage = exactObject({ ...common, recvID: string().defined(), groupID: string().defined() });
export type StoredMessage = InferType<typeof storedMessage>;

export const singleRead = exactObject({
  callbackCommand: command,
  conversationID: text,
  userID: text,
  Seqs: array(int64().defined()).nullable().defined(),
  contentType: int32().defined(),
});
export type SingleRead = InferType<typeof singleRead>;

export const groupRead = exactObject({
  callbackCommand: command,
  sendID: text,
  receiveID: text,
  unreadMsgNum: int64().defined(),
  contentType: number().integer().defined(),
});
export type GroupRead = InferType<typeof groupRead>;

export const revoke = exactObject({
  callbackCommand: command,
  conversationID: text,
  seq: int64().defined(),
  userID: text,
});
export type Revoke = InferType<typeof revoke>;
