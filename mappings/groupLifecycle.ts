import type { GroupCreatedData, GroupInfoUpdatedData } from '../src/canonical/group.js';
import type { Meta } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/groupSchemas.js';
import * as tencent from '../src/vendors/tencent/groupSchemas.js';
import {
  accountsOf,
  groupChangesFromOpenIM,
  groupChangesFromTencent,
  groupChangesToOpenIMEx,
  groupChangesToTencent,
  groupTypeFromTencent,
  groupTypeToTencent,
  memberList,
  newGroupFromOpenIM,
  newGroupFromTencent,
  OPENIM_GROUP_TYPE,
  OPENIM_GROUP_TYPE_RUNE,
  openimGroupInfo,
  uniqueUsers,
} from './groupFields.js';
import { decoder, defineMapping, eventTime, wholeCall } from './mapping.js';

/**
 * A group's life (docs/mappings.md#groups): created, dismissed, its profile changed, its owner
 * changed, full. Tencent names an operator and a time; OpenIM rarely does.
 */

const T_CREATED = 'Group.CallbackAfterCreateGroup';
const O_CREATED = 'callbackAfterCreateGroupCommand';
const T_DESTROYED = 'Group.CallbackAfterGroupDestroyed';
const O_DISMISSED = 'callbackAfterDisMissGroupCommand';
const T_INFO = 'Group.CallbackAfterGroupInfoChanged';
const O_INFO = 'callbackAfterSetGroupInfoCommand';
const O_INFO_EX = 'callbackAfterSetGroupInfoExCommand';
const T_OWNER = 'Group.CallbackAfterChangeGroupOwner';
const O_OWNER = 'callbackAfterTransferGroupOwnerCommand';
const T_FULL = 'Group.CallbackAfterGroupFull';

/** After-create from OpenIM: the stored group, its creation time as the event's. */
function createdFromOpenIM(b: openim.AfterCreateGroup, meta: Meta): GroupCreatedData {
  if (b.createTime > 0) meta.eventTime = b.createTime;
  return { groupID: b.groupID, ...newGroupFromOpenIM(b), custom: {} };
}

/** `im.group.created`: a group was created with its first members. */
export const groupCreated = defineMapping({
  type: 'im.group.created',
  examples: [
    {
      groupID: 'g1',
      groupType: 'public',
      name: 'Team',
      ownerUserID: 'alice',
      operatorUserID: 'alice',
      members: [
        { userID: 'alice', role: 'owner' },
        { userID: 'bob', role: 'member' },
      ],
      notification: '',
      introduction: '',
      faceURL: '',
      ex: '',
      needVerification: 0,
      lookMemberInfo: 0,
      applyMemberFriend: 0,
      custom: { Tag: 'x' },
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CREATED,
      schema: tencent.afterCreateGroup,
      decode: (b): GroupCreatedData => ({
        groupID: b.GroupId,
        ...newGroupFromTencent(b),
        custom: Object.fromEntries((b.UserDefinedDataList ?? []).map((d) => [d.Key, String(d.Value)])),
      }),
    }),
    decoder({ vendor: 'openim', command: O_CREATED, schema: openim.afterCreateGroup, decode: createdFromOpenIM }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_CREATED, {
        CallbackCommand: T_CREATED,
        GroupId: d.groupID,
        Operator_Account: d.operatorUserID,
        Owner_Account: d.ownerUserID,
        Type: groupTypeToTencent(d.groupType),
        Name: d.name,
        MemberList: memberList(d.members.filter((m) => m.userID !== d.ownerUserID).map((m) => m.userID)),
        ...(Object.keys(d.custom).length > 0 && {
          UserDefinedDataList: Object.entries(d.custom).map(([Key, Value]) => ({ Key, Value })),
        }),
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
    openim: (d, ctx) => [
      wholeCall(O_CREATED, {
        callbackCommand: O_CREATED,
        ...openimGroupInfo(d, { createTime: eventTime(d.meta, ctx), memberCount: d.members.length }),
      }),
    ],
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_CREATED,
      lost: 'to OpenIM: `Type` (every OpenIM group is a working group), `UserDefinedDataList`; `EventTime` only as `createTime`',
    },
    {
      vendor: 'openim',
      command: O_CREATED,
      lost: 'to Tencent: `notification`, `introduction`, `faceURL`, `ex`, the flags, admin roles (admins are members), `memberCount`, `status`',
    },
  ],
});

/** OpenIM's dismiss: `membersID` is empty when the members went with the group; the name is not said. */
const dismissedFromOpenIM = (b: openim.DismissGroup) => ({
  groupID: b.groupID,
  groupType: OPENIM_GROUP_TYPE,
  name: '',
  ownerUserID: b.ownerID,
  userIDs: uniqueUsers(b.membersID ?? []),
});

/** `im.group.dismissed`: a group was disbanded. */
export const groupDismissed = defineMapping({
  type: 'im.group.dismissed',
  examples: [{ groupID: 'g1', groupType: 'public', name: 'Team', ownerUserID: 'alice', userIDs: ['alice', 'bob'] }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_DESTROYED,
      schema: tencent.groupDestroyed,
      decode: (b) => ({
        groupID: b.GroupId,
        groupType: groupTypeFromTencent(b.Type),
        name: b.Name ?? '',
        ownerUserID: b.Owner_Account,
        userIDs: accountsOf(b.MemberList),
      }),
    }),
    ...[O_DISMISSED, 'callbackDisMissGroupCommand'].map((command) =>
      decoder({ vendor: 'openim', command, schema: openim.dismissGroup, decode: dismissedFromOpenIM }),
    ),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_DESTROYED, {
        CallbackCommand: T_DESTROYED,
        GroupId: d.groupID,
        Type: groupTypeToTencent(d.groupType),
        Owner_Account: d.ownerUserID,
        ...(d.name !== '' && { Name: d.name }),
        MemberList: memberList(d.userIDs),
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
    openim: (d) => [
      wholeCall(O_DISMISSED, {
        callbackCommand: O_DISMISSED,
        groupID: d.groupID,
        ownerID: d.ownerUserID,
        groupType: OPENIM_GROUP_TYPE_RUNE,
        membersID: d.userIDs,
      }),
    ],
  },
  losses: [
    { vendor: 'tencent', command: T_DESTROYED, lost: 'to OpenIM: `Type`, `Name`, `EventTime`' },
    { vendor: 'openim', command: O_DISMISSED, lost: 'to Tencent: nothing OpenIM says; `Name` is unknown and left out' },
  ],
});

const infoFromOpenIM =
  (ex: boolean) =>
  (b: openim.SetGroupInfo | openim.SetGroupInfoEx): GroupInfoUpdatedData => ({
    groupID: b.groupID,
    groupType: OPENIM_GROUP_TYPE,
    operatorUserID: '',
    changes: groupChangesFromOpenIM(b, ex),
  });

/** `im.group.info.updated`: a group's profile changed. */
export const groupInfoUpdated = defineMapping({
  type: 'im.group.info.updated',
  examples: [{ groupID: 'g1', groupType: 'public', operatorUserID: 'alice', changes: { notification: 'Hello' } }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_INFO,
      schema: tencent.groupInfoChanged,
      decode: (b) => ({
        groupID: b.GroupId,
        groupType: groupTypeFromTencent(b.Type),
        operatorUserID: b.Operator_Account,
        changes: groupChangesFromTencent(b),
      }),
    }),
    decoder({ vendor: 'openim', command: O_INFO, schema: openim.setGroupInfo, decode: infoFromOpenIM(false) }),
    decoder({ vendor: 'openim', command: O_INFO_EX, schema: openim.setGroupInfoEx, decode: infoFromOpenIM(true) }),
  ],
  encoders: {
    // Tencent reports name, introduction, notification and avatar only: a change of nothing else is not sent.
    tencent: (d, ctx) => {
      const changed = groupChangesToTencent(d.changes);
      if (Object.keys(changed).length === 0) return [];
      return [
        wholeCall(T_INFO, {
          CallbackCommand: T_INFO,
          GroupId: d.groupID,
          Type: groupTypeToTencent(d.groupType),
          Operator_Account: d.operatorUserID,
          ...changed,
          EventTime: eventTime(d.meta, ctx),
        }),
      ];
    },
    // The Ex form can say "cleared"; OpenIM's own server sends no after-callback for an empty change.
    openim: (d) =>
      Object.keys(d.changes).length === 0
        ? []
        : [
            wholeCall(O_INFO_EX, {
              callbackCommand: O_INFO_EX,
              operationID: '',
              groupID: d.groupID,
              ...groupChangesToOpenIMEx(d.changes),
            }),
          ],
  },
  losses: [
    { vendor: 'tencent', command: T_INFO, lost: 'to OpenIM: `Type`, `Operator_Account`, `EventTime`' },
    {
      vendor: 'openim',
      command: O_INFO,
      lost: 'to Tencent: `ex` and the flags; a field cleared to `""` cannot be told from an unchanged one',
    },
    { vendor: 'openim', command: O_INFO_EX, lost: 'to Tencent: `ex` and the flags' },
  ],
});

const ownerFromOpenIM = (b: openim.TransferGroupOwner) => ({
  groupID: b.groupID,
  groupType: OPENIM_GROUP_TYPE,
  operatorUserID: '',
  oldOwnerUserID: b.oldOwnerUserID,
  newOwnerUserID: b.newOwnerUserID,
});

/** `im.group.owner.changed`: ownership was transferred. */
export const groupOwnerChanged = defineMapping({
  type: 'im.group.owner.changed',
  examples: [
    { groupID: 'g1', groupType: 'public', operatorUserID: 'alice', oldOwnerUserID: 'alice', newOwnerUserID: 'bob' },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_OWNER,
      schema: tencent.changeGroupOwner,
      decode: (b) => ({
        groupID: b.GroupId,
        groupType: groupTypeFromTencent(b.Type),
        operatorUserID: b.Operator_Account,
        oldOwnerUserID: b.OldOwner_Account,
        newOwnerUserID: b.NewOwner_Account,
      }),
    }),
    ...[O_OWNER, 'callbackAfterTransferGroupOwner', 'callbackTransferGroupOwnerAfter'].map((command) =>
      decoder({ vendor: 'openim', command, schema: openim.transferGroupOwner, decode: ownerFromOpenIM }),
    ),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_OWNER, {
        CallbackCommand: T_OWNER,
        GroupId: d.groupID,
        Type: groupTypeToTencent(d.groupType),
        Operator_Account: d.operatorUserID,
        OldOwner_Account: d.oldOwnerUserID,
        NewOwner_Account: d.newOwnerUserID,
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
    openim: (d) => [
      wholeCall(O_OWNER, {
        callbackCommand: O_OWNER,
        groupID: d.groupID,
        oldOwnerUserID: d.oldOwnerUserID,
        newOwnerUserID: d.newOwnerUserID,
      }),
    ],
  },
  losses: [
    { vendor: 'tencent', command: T_OWNER, lost: 'to OpenIM: `Type`, `Operator_Account`, `EventTime`' },
    { vendor: 'openim', command: O_OWNER, lost: 'to Tencent: `Operator_Account` is `""` (OpenIM names no operator)' },
  ],
});

/** `im.group.full`: a join failed because the group is full. OpenIM has no such callback. */
export const groupFull = defineMapping({
  type: 'im.group.full',
  examples: [{ groupID: 'g1', groupType: 'public' }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_FULL,
      schema: tencent.groupFull,
      decode: (b) => ({ groupID: b.GroupId, groupType: groupTypeFromTencent(b.Type) }),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_FULL, {
        CallbackCommand: T_FULL,
        GroupId: d.groupID,
        ...(d.groupType !== '' && { Type: groupTypeToTencent(d.groupType) }),
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
  },
  losses: [{ vendor: 'tencent', command: T_FULL, lost: 'to OpenIM: not sent (OpenIM has no such callback)' }],
});
