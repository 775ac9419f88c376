import { array, mixed, number, object, string, type InferType } from 'yup';
import { exactObject } from '../exact.js';
import { uint32, unixMs } from '../../canonical/ints.js';

/**
 * yup schemas for Tencent callback bodies (docs/vendors/tencent.md#relationship). Lenient where Tencent's own docs are: fields the docs
 * always show but a defensive parser should not require are optional, and unknown keys are tolerated
 * (docs/vendors/tencent.md#relationship: "Parsers must tolerate unknown extra fields"). Validated with `strict`, so nothing is coerced:
 * a number where a string belongs is an error that names the field.
 */

const account = string().defined();
/** Documented on some commands only, but "may appear in practice" on the others (docs/vendors/tencent.md#relationship): accepted everywhere. */
const eventTime = unixMs().optional();
const command = <C extends string>(name: C) => string<C>().oneOf([name]).defined();

const pair = exactObject({ From_Account: account, To_Account: account });

/** Body shared by Sns.CallbackFriendDelete, Sns.CallbackBlackListAdd and Sns.CallbackBlackListDelete. */
const pairEvent = <C extends string>(name: C) =>
  exactObject({ CallbackCommand: command(name), PairList: array(pair.defined()).defined(), EventTime: eventTime });

export const friendDelete = pairEvent('Sns.CallbackFriendDelete');
export type FriendDelete = InferType<typeof friendDelete>;

export const blackListDelete = pairEvent('Sns.CallbackBlackListDelete');
export type BlackListDelete = InferType<typeof blackListDelete>;

export const blackListAdd = pairEvent('Sns.CallbackBlackListAdd');
export type BlackListAdd = InferType<typeof blackListAdd>;

export const friendAdd = exactObject({
  CallbackCommand: command('Sns.CallbackFriendAdd'),
  PairList: array(
    exactObject({ From_Account: account, To_Account: account, Initiator_Account: account }).defined(),
  ).defined(),
  ClientCmd: string().optional(),
  Admin_Account: string().optional(),
  ForceFlag: number().integer().oneOf([0, 1]).optional(),
  EventTime: eventTime,
});
export type FriendAdd = InferType<typeof friendAdd>;

export const prevFriendAdd = exactObject({
  CallbackCommand: command('Sns.CallbackPrevFriendAdd'),
  Requester_Account: account,
  From_Account: account,
  FriendItem: array(
    exactObject({
      To_Account: account,
      Remark: string().optional(),
      GroupName: string().optional(),
      AddSource: string().optional(),
      AddWording: string().optional(),
    }).defined(),
  ).defined(),
  AddType: string().oneOf(['Add_Type_Both', 'Add_Type_Single']).optional(),
  ForceAddFlags: number().integer().oneOf([0, 1]).optional(),
  EventTime: eventTime,
});
export type PrevFriendAdd = InferType<typeof prevFriendAdd>;

/** `ResponseAction` strings (docs/vendors/tencent.md#friend-response). */
export const RESPONSE_ACTIONS = [
  'Response_Action_AgreeAndAdd',
  'Response_Action_Agree',
  'Response_Action_Reject',
] as const;

export const prevFriendResponse = exactObject({
  CallbackCommand: command('Sns.CallbackPrevFriendResponse'),
  Requester_Account: account,
  From_Account: account,
  ResponseFriendItem: array(
    exactObject({
      To_Account: account,
      Remark: string().optional(),
      TagName: string().optional(),
      ResponseAction: string<(typeof RESPONSE_ACTIONS)[number]>()
        .oneOf([...RESPONSE_ACTIONS])
        .defined(),
    }).defined(),
  ).defined(),
  EventTime: eventTime,
});
export type PrevFriendResponse = InferType<typeof prevFriendResponse>;

/** `ProfileItem[].Value` is a uint32 or a string, per tag (docs/vendors/tencent.md#profile). */
const profileValue = mixed<string | number>()
  .test(
    'string-or-number',
    '${path} must be a string or a number',
    (v) => typeof v === 'string' || typeof v === 'number',
  )
  .test(
    'uint32',
    '${path} must be a uint32 (0 to 4294967295) when it is a number',
    (v) => typeof v !== 'number' || uint32().isValidSync(v, { strict: true }),
  )
  .defined();

export const portraitSet = exactObject({
  CallbackCommand: command('Profile.CallbackPortraitSet'),
  Operator_Account: string().optional(),
  From_Account: account,
  EventTime: eventTime,
  ProfileItem: array(exactObject({ Tag: string().defined(), Value: profileValue }).defined()).defined(),
});
export type PortraitSet = InferType<typeof portraitSet>;

/** The common reply envelope (docs/vendors/tencent.md#replies), read leniently from a Tencent-format backend. */
export const reply = object({
  ActionStatus: string().defined(),
  ErrorCode: number().integer().defined(),
  ErrorInfo: string().optional(),
  ResultItem: array(
    object({
      To_Account: account,
      ResultCode: number().integer().defined(),
      ResultInfo: string().optional(),
    }).defined(),
  ).optional(),
});
export type Reply = InferType<typeof reply>;
