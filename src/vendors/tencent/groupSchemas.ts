import { array, mixed, string, type InferType } from 'yup';
import { int32 } from '../../canonical/ints.js';
import { exactObject } from '../exact.js';
import { looseEventTime } from './messageSchemas.js';

/**
 * yup schemas for Tencent's presence and group callbacks (docs/vendors/tencent.md#presence,
 * docs/vendors/tencent.md#groups). Unknown keys are tolerated as everywhere; keys some samples leave
 * out are optional. `EventTime` is a number or, in every group sample, a numeric string.
 */

const account = string().defined();
const command = <C extends string>(name: C) => string<C>().oneOf([name]).defined();

/** `State.StateChange`: the device's platform is the query's `OptPlatform`, not in the body. */
export const stateChange = exactObject({
  CallbackCommand: command('State.StateChange'),
  EventTime: looseEventTime(),
  Info: exactObject({ Action: account, To_Account: account, Reason: string().optional() }).defined(),
  KickedDevice: array(exactObject({ Platform: string().defined() }).defined()).optional(),
});
export type StateChange = InferType<typeof stateChange>;

/** The `Info.Action` of a `State.StateChange` body, or undefined when the body has none. */
export function stateAction(body: unknown): unknown {
  const info = (body as { Info?: unknown } | null)?.Info;
  return typeof info === 'object' && info !== null ? (info as { Action?: unknown }).Action : undefined;
}

/** Group member lists are objects, `[{ "Member_Account": "<UserID>" }]`, never bare strings. */
const memberList = () => array(exactObject({ Member_Account: account }).defined());

const group = <C extends string>(name: C) => ({
  CallbackCommand: command(name),
  GroupId: account,
  Type: account,
  EventTime: looseEventTime(),
});

/** `CreatedGroupNum` and `InviteOption` appear in one public model only: accepted and ignored. */
const createExtras = { CreatedGroupNum: mixed().optional(), InviteOption: mixed().optional() };

export const afterCreateGroup = exactObject({
  ...group('Group.CallbackAfterCreateGroup'),
  Operator_Account: account,
  Owner_Account: account,
  Name: string().defined(),
  MemberList: memberList().defined(),
  UserDefinedDataList: array(
    exactObject({
      Key: account,
      Value: mixed<string | number>()
        .test('value', '${path} must be a string or a number', (v) => typeof v === 'string' || typeof v === 'number')
        .defined(),
    }).defined(),
  ).optional(),
  ...createExtras,
});
export type AfterCreateGroup = InferType<typeof afterCreateGroup>;

/** No `GroupId`: the group has none yet. `CreateGroupNum` counts the operator's groups of this type. */
export const beforeCreateGroup = exactObject({
  CallbackCommand: command('Group.CallbackBeforeCreateGroup'),
  Operator_Account: account,
  Owner_Account: account,
  Type: account,
  Name: string().defined(),
  CreateGroupNum: int32().optional(),
  MemberList: memberList().defined(),
  EventTime: looseEventTime(),
  ...createExtras,
});
export type BeforeCreateGroup = InferType<typeof beforeCreateGroup>;

/** No application message: Tencent's body has none. */
export const beforeApplyJoinGroup = exactObject({
  ...group('Group.CallbackBeforeApplyJoinGroup'),
  Requestor_Account: account,
});
export type BeforeApplyJoinGroup = InferType<typeof beforeApplyJoinGroup>;

export const beforeInviteJoinGroup = exactObject({
  ...group('Group.CallbackBeforeInviteJoinGroup'),
  Operator_Account: account,
  DestinationMembers: memberList().defined(),
});
export type BeforeInviteJoinGroup = InferType<typeof beforeInviteJoinGroup>;

/** `MemberList` is not sent for Community groups. */
export const groupDestroyed = exactObject({
  ...group('Group.CallbackAfterGroupDestroyed'),
  Owner_Account: account,
  Name: string().optional(),
  MemberList: memberList().optional(),
});
export type GroupDestroyed = InferType<typeof groupDestroyed>;

/** Only the changed keys are present; `""` is a change (cleared). */
export const groupInfoChanged = exactObject({
  ...group('Group.CallbackAfterGroupInfoChanged'),
  Operator_Account: account,
  Name: string().optional(),
  Introduction: string().optional(),
  Notification: string().optional(),
  FaceUrl: string().optional(),
});
export type GroupInfoChanged = InferType<typeof groupInfoChanged>;

export const changeGroupOwner = exactObject({
  ...group('Group.CallbackAfterChangeGroupOwner'),
  Operator_Account: account,
  OldOwner_Account: account,
  NewOwner_Account: account,
});
export type ChangeGroupOwner = InferType<typeof changeGroupOwner>;

/** Documented with `GroupId` and `EventTime` only. */
export const groupFull = exactObject({ ...group('Group.CallbackAfterGroupFull'), Type: string().optional() });
export type GroupFull = InferType<typeof groupFull>;

export const newMemberJoin = exactObject({
  ...group('Group.CallbackAfterNewMemberJoin'),
  JoinType: account,
  Operator_Account: account,
  NewMemberList: memberList().defined(),
});
export type NewMemberJoin = InferType<typeof newMemberJoin>;

export const memberExit = exactObject({
  ...group('Group.CallbackAfterMemberExit'),
  ExitType: account,
  Operator_Account: account,
  ExitMemberList: memberList().defined(),
});
export type MemberExit = InferType<typeof memberExit>;

/** The member is `Member_Account` in the sample, `Modified_Account` in a public model: either is read. */
export const memberFieldChanged = exactObject({
  ...group('Group.CallbackAfterMemberFieldChanged'),
  Operator_Account: account,
  Member_Account: string().optional(),
  Modified_Account: string().optional(),
  Role: string().optional(),
  NameCard: string().optional(),
}).test(
  'member',
  'Member_Account (or Modified_Account) is a required field',
  (v) => typeof v?.Member_Account === 'string' || typeof v?.Modified_Account === 'string',
);
export type MemberFieldChanged = InferType<typeof memberFieldChanged>;
