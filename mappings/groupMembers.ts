import type { MembersJoinedData, MembersLeftData, MemberUpdatedData } from '../src/canonical/group.js';
import * as openim from '../src/vendors/openim/groupSchemas.js';
import * as tencent from '../src/vendors/tencent/groupSchemas.js';
import {
  accountsOf,
  exitTypeFromTencent,
  exitTypeToTencent,
  groupTypeFromTencent,
  groupTypeToTencent,
  joinSourceFromOpenIM,
  joinSourceToOpenIM,
  joinTypeFromTencent,
  joinTypeToTencent,
  memberChangesFromOpenIM,
  memberChangesToOpenIM,
  memberList,
  OPENIM_GROUP_TYPE,
  roleFromTencent,
  roleToTencent,
  uniqueUsers,
} from './groupFields.js';
import { decoder, defineMapping, eventTime, wholeCall } from './mapping.js';

/**
 * Who is in a group (docs/mappings.md#groups): members joined, members left, a member's fields
 * changed. Tencent batches members into one callback; OpenIM reports a join or a quit per user and a
 * kick as one list, so a Tencent batch fans out where OpenIM would have made several calls.
 */

const T_JOINED = 'Group.CallbackAfterNewMemberJoin';
const O_JOINED = 'callbackAfterJoinGroupCommand';
const T_EXIT = 'Group.CallbackAfterMemberExit';
const O_QUIT = 'callbackAfterQuitGroupCommand';
const O_KICK = 'callbackAfterKickGroupCommand';
const T_MEMBER = 'Group.CallbackAfterMemberFieldChanged';
const O_MEMBER = 'callbackAfterSetGroupMemberInfoCommand';

/** `im.group.members.joined`: users became members. */
export const groupMembersJoined = defineMapping({
  type: 'im.group.members.joined',
  examples: [
    {
      groupID: 'g1',
      groupType: 'public',
      joinType: 'apply',
      joinSource: 'search',
      operatorUserID: 'carol',
      userIDs: ['carol'],
      message: 'let me in',
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_JOINED,
      schema: tencent.newMemberJoin,
      decode: (b): MembersJoinedData => ({
        groupID: b.GroupId,
        groupType: groupTypeFromTencent(b.Type),
        joinType: joinTypeFromTencent(b.JoinType),
        joinSource: '',
        operatorUserID: b.Operator_Account,
        userIDs: accountsOf(b.NewMemberList),
        message: '',
      }),
    }),
    // OpenIM reports only users who joined by themselves, and names the joiner `inviterUserID`.
    decoder({
      vendor: 'openim',
      command: O_JOINED,
      schema: openim.afterJoinGroup,
      decode: (b): MembersJoinedData => ({
        groupID: b.groupID,
        groupType: OPENIM_GROUP_TYPE,
        joinType: 'apply',
        joinSource: joinSourceFromOpenIM(b.joinSource),
        operatorUserID: b.inviterUserID,
        userIDs: [b.inviterUserID],
        message: b.reqMessage ?? '',
      }),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_JOINED, {
        CallbackCommand: T_JOINED,
        GroupId: d.groupID,
        Type: groupTypeToTencent(d.groupType),
        JoinType: joinTypeToTencent(d.joinType),
        Operator_Account: d.operatorUserID,
        NewMemberList: memberList(d.userIDs),
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
    openim: (d, ctx) =>
      d.userIDs.map((user) =>
        wholeCall(O_JOINED, {
          callbackCommand: O_JOINED,
          operationID: ctx.operationID ?? '',
          groupID: d.groupID,
          reqMessage: d.message,
          joinSource: joinSourceToOpenIM(d.joinSource, d.joinType),
          inviterUserID: user,
        }),
      ),
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_JOINED,
      lost: 'to OpenIM: `Type`, `Operator_Account`, `JoinType` (only guessed as `joinSource`), `EventTime`; one call per member',
    },
    { vendor: 'openim', command: O_JOINED, lost: 'to Tencent: `reqMessage`, `joinSource`' },
  ],
});

const quitFromOpenIM = (b: openim.QuitGroup): MembersLeftData => ({
  groupID: b.groupID,
  groupType: OPENIM_GROUP_TYPE,
  exitType: 'quit',
  operatorUserID: b.userID,
  userIDs: [b.userID],
  reason: '',
});

const kickFromOpenIM = (b: openim.KickGroup): MembersLeftData => ({
  groupID: b.groupID,
  groupType: OPENIM_GROUP_TYPE,
  exitType: 'kicked',
  operatorUserID: '',
  userIDs: uniqueUsers(b.kickedUserIDs ?? []),
  reason: b.reason ?? '',
});

/** `im.group.members.left`: members quit or were removed. */
export const groupMembersLeft = defineMapping({
  type: 'im.group.members.left',
  examples: [
    { groupID: 'g1', groupType: 'public', exitType: 'kicked', operatorUserID: 'alice', userIDs: ['bob'], reason: '' },
    { groupID: 'g1', groupType: 'public', exitType: 'quit', operatorUserID: 'bob', userIDs: ['bob'], reason: '' },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_EXIT,
      schema: tencent.memberExit,
      decode: (b): MembersLeftData => ({
        groupID: b.GroupId,
        groupType: groupTypeFromTencent(b.Type),
        exitType: exitTypeFromTencent(b.ExitType),
        operatorUserID: b.Operator_Account,
        userIDs: accountsOf(b.ExitMemberList),
        reason: '',
      }),
    }),
    ...[O_QUIT, 'callbackQuitGroupCommand'].map((command) =>
      decoder({ vendor: 'openim', command, schema: openim.quitGroup, decode: quitFromOpenIM }),
    ),
    ...[O_KICK, 'callbackKillGroupCommand'].map((command) =>
      decoder({ vendor: 'openim', command, schema: openim.kickGroup, decode: kickFromOpenIM }),
    ),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_EXIT, {
        CallbackCommand: T_EXIT,
        GroupId: d.groupID,
        Type: groupTypeToTencent(d.groupType),
        ExitType: exitTypeToTencent(d.exitType),
        Operator_Account: d.operatorUserID,
        ExitMemberList: memberList(d.userIDs),
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
    // OpenIM kicks a list at once, and quits one user at a time.
    openim: (d) =>
      d.exitType === 'quit'
        ? d.userIDs.map((userID) => wholeCall(O_QUIT, { callbackCommand: O_QUIT, groupID: d.groupID, userID }))
        : [
            wholeCall(O_KICK, {
              callbackCommand: O_KICK,
              groupID: d.groupID,
              kickedUserIDs: d.userIDs,
              reason: d.reason,
            }),
          ],
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_EXIT,
      lost: 'to OpenIM: `Type`, `Operator_Account` of a kick, `EventTime`; a quit batch becomes one call per member',
    },
    {
      vendor: 'openim',
      command: O_KICK,
      lost: 'to Tencent: `reason`; `Operator_Account` is `""` (OpenIM names no kicker)',
    },
    { vendor: 'openim', command: O_QUIT, lost: 'lossless' },
  ],
});

const memberFromOpenIM = (b: openim.SetGroupMemberInfo): MemberUpdatedData => ({
  groupID: b.groupID,
  groupType: OPENIM_GROUP_TYPE,
  operatorUserID: '',
  userID: b.userID,
  changes: memberChangesFromOpenIM(b),
});

/** `im.group.member.updated`: a member's role, group nickname, avatar or `ex` changed. */
export const groupMemberUpdated = defineMapping({
  type: 'im.group.member.updated',
  examples: [
    {
      groupID: 'g1',
      groupType: 'public',
      operatorUserID: 'alice',
      userID: 'bob',
      changes: { role: 'admin', nickname: 'Bobby' },
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_MEMBER,
      schema: tencent.memberFieldChanged,
      decode: (b): MemberUpdatedData => {
        const role = roleFromTencent(b.Role);
        return {
          groupID: b.GroupId,
          groupType: groupTypeFromTencent(b.Type),
          operatorUserID: b.Operator_Account,
          userID: b.Member_Account ?? b.Modified_Account ?? '',
          changes: { ...(b.NameCard !== undefined && { nickname: b.NameCard }), ...(role && { role }) },
        };
      },
    }),
    decoder({ vendor: 'openim', command: O_MEMBER, schema: openim.setGroupMemberInfo, decode: memberFromOpenIM }),
  ],
  encoders: {
    // Tencent reports role and name card changes only: a change of neither is not sent.
    tencent: (d, ctx) => {
      const { role, nickname } = d.changes;
      if (role === undefined && nickname === undefined) return [];
      return [
        wholeCall(T_MEMBER, {
          CallbackCommand: T_MEMBER,
          GroupId: d.groupID,
          Type: groupTypeToTencent(d.groupType),
          Operator_Account: d.operatorUserID,
          Member_Account: d.userID,
          ...(role !== undefined && { Role: roleToTencent(role) }),
          ...(nickname !== undefined && { NameCard: nickname }),
          EventTime: eventTime(d.meta, ctx),
        }),
      ];
    },
    openim: (d) =>
      Object.keys(d.changes).length === 0
        ? []
        : [
            wholeCall(O_MEMBER, {
              callbackCommand: O_MEMBER,
              groupID: d.groupID,
              userID: d.userID,
              ...memberChangesToOpenIM(d.changes),
            }),
          ],
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_MEMBER,
      lost: 'to OpenIM: `Type`, `Operator_Account`, `EventTime`; a `Role` imbridge does not know',
    },
    { vendor: 'openim', command: O_MEMBER, lost: 'to Tencent: `faceURL`, `ex`; `Operator_Account` is `""`' },
  ],
});
