import { boolean, string, type InferType } from 'yup';
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
