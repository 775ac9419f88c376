import type { DataByType } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { decoder, defineMapping, eventTime, type OutboundCall } from './mapping.js';

type ApplyBefore = DataByType['im.friend.apply.before'];

const T_CMD = 'Sns.CallbackPrevFriendAdd';
const O_CMD = 'callbackBeforeAddFriendCommand';

/**
 * The one `Sns.CallbackPrevFriendAdd` a Tencent-format backend is asked for a friend request; every
 * target is a `FriendItem` and is answered by its own `ResultItem`. Also used for OpenIM imports.
 */
export function tencentPrevFriendAdd(d: ApplyBefore, eventTime: number): OutboundCall {
  return {
    command: T_CMD,
    body: {
      CallbackCommand: T_CMD,
      Requester_Account: d.requesterUserID,
      From_Account: d.fromUserID,
      FriendItem: d.targets.map((t) => ({
        To_Account: t.toUserID,
        Remark: t.remark,
        GroupName: t.group,
        AddSource: t.source,
        AddWording: t.message,
      })),
      AddType: d.addType === 'single' ? 'Add_Type_Single' : 'Add_Type_Both',
      ForceAddFlags: d.force ? 1 : 0,
      EventTime: eventTime,
    },
    targets: d.targets.map((t) => t.toUserID),
  };
}

/**
 * `im.friend.apply.before`: a user asks to befriend one or more others (docs/vendors/tencent.md#friend-apply, docs/vendors/openim.md#friend-apply). Tencent asks once
 * for a batch of targets; OpenIM once per target, so to an OpenIM backend the batch fans out and each
 * answer becomes that target's `ResultItem`.
 */
export const friendApplyBefore = defineMapping({
  type: 'im.friend.apply.before',
  examples: [
    {
      fromUserID: 'alice',
      requesterUserID: 'alice',
      addType: 'both',
      force: false,
      targets: [
        {
          toUserID: 'bob',
          message: 'hi, I am Alice',
          remark: 'Bob',
          group: 'work',
          source: 'AddSource_Type_Web',
          ex: '',
        },
      ],
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.prevFriendAdd,
      decode: (b): ApplyBefore => ({
        fromUserID: b.From_Account,
        requesterUserID: b.Requester_Account,
        addType: b.AddType === 'Add_Type_Single' ? 'single' : 'both',
        force: b.ForceAddFlags === 1,
        targets: b.FriendItem.map((i) => ({
          toUserID: i.To_Account,
          message: i.AddWording ?? '',
          remark: i.Remark ?? '',
          group: i.GroupName ?? '',
          source: i.AddSource ?? '',
          ex: '',
        })),
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.beforeAddFriend,
      decode: (b): ApplyBefore => ({
        fromUserID: b.fromUserID,
        requesterUserID: b.fromUserID,
        addType: 'both',
        force: false,
        targets: [{ toUserID: b.toUserID, message: b.reqMsg ?? '', remark: '', group: '', source: '', ex: b.ex ?? '' }],
      }),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => [tencentPrevFriendAdd(d, eventTime(d.meta, ctx))],
    openim: (d) =>
      d.targets.map((t) => ({
        command: O_CMD,
        body: { callbackCommand: O_CMD, fromUserID: d.fromUserID, toUserID: t.toUserID, reqMsg: t.message, ex: t.ex },
        targets: [t.toUserID],
      })),
  },
  targets: (d) => d.targets.map((t) => t.toUserID),
  losses: [
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: 'to OpenIM: `Remark`, `GroupName`, `AddSource`, `AddType`, `ForceAddFlags` and `Requester_Account` have no OpenIM field; one call per target, each with `operationID` `<event id>-<i>`',
    },
    { vendor: 'openim', command: O_CMD, lost: 'to Tencent: `ex` has no Tencent field' },
  ],
});
