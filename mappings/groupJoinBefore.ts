import type { GroupInviteData, GroupJoinData } from '../src/canonical/group.js';
import type { Verdict } from '../src/canonical/types.js';
import { deny } from '../src/canonical/verdict.js';
import * as openim from '../src/vendors/openim/groupSchemas.js';
import * as tencent from '../src/vendors/tencent/groupSchemas.js';
import {
  accountsOf,
  groupTypeFromTencent,
  groupTypeToTencent,
  memberList,
  OPENIM_GROUP_TYPE,
  OPENIM_GROUP_TYPE_RUNE,
  uniqueUsers,
} from './groupFields.js';
import { fromTencent, settleGroupPatch } from './groupVerdicts.js';
import { decoder, defineMapping, eventTime, wholeCall } from './mapping.js';

/**
 * Users about to enter a group (docs/mappings.md#groups): one applies, or a member invites several.
 * Tencent can refuse single invitees (`RefusedMembers_Account`); OpenIM only the whole invitation.
 */

const T_APPLY = 'Group.CallbackBeforeApplyJoinGroup';
const O_APPLY = 'callbackBeforeJoinGroupCommand';
const T_INVITE = 'Group.CallbackBeforeInviteJoinGroup';
const O_INVITE = 'callbackBeforeInviteJoinGroupCommand';

/** `im.group.join.before`: a user asks to join a group. Allow or refuse; nothing to change. */
export const groupJoinBefore = defineMapping({
  type: 'im.group.join.before',
  examples: [{ groupID: 'g1', groupType: 'public', applicantUserID: 'dave', message: 'let me in', ex: '' }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_APPLY,
      schema: tencent.beforeApplyJoinGroup,
      decode: (b): GroupJoinData => ({
        groupID: b.GroupId,
        groupType: groupTypeFromTencent(b.Type),
        applicantUserID: b.Requestor_Account,
        message: '',
        ex: '',
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_APPLY,
      schema: openim.beforeJoinGroup,
      decode: (b): GroupJoinData => ({
        groupID: b.groupID,
        groupType: OPENIM_GROUP_TYPE,
        applicantUserID: b.applyID,
        message: b.reqMessage ?? '',
        ex: b.ex ?? '',
      }),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_APPLY, {
        CallbackCommand: T_APPLY,
        GroupId: d.groupID,
        Type: groupTypeToTencent(d.groupType),
        Requestor_Account: d.applicantUserID,
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
    openim: (d) => [
      wholeCall(O_APPLY, {
        callbackCommand: O_APPLY,
        groupID: d.groupID,
        groupType: OPENIM_GROUP_TYPE_RUNE,
        applyID: d.applicantUserID,
        reqMessage: d.message,
        ex: d.ex,
      }),
    ],
  },
  settle: (_d, verdict, command) => settleGroupPatch({ ...verdict, items: [] }, command, []),
  losses: [
    { vendor: 'tencent', command: T_APPLY, lost: 'to OpenIM: `Type`' },
    { vendor: 'openim', command: O_APPLY, lost: 'to Tencent: `reqMessage`, `ex`' },
  ],
});

/**
 * Folds per-invitee decisions into what the caller can apply. Tencent leaves refused invitees out and
 * adds the rest, so the refusals stay items (invitees only, in invitation order). OpenIM cannot refuse
 * single invitees, so any refusal refuses the whole invitation and names who was refused; its code is
 * the caller's deny code.
 */
export function settleInvite(d: GroupInviteData, verdict: Verdict, command: string): Verdict {
  const settled = settleGroupPatch(verdict, command, []);
  if (settled.decision !== 'allow') return { ...settled, items: [] };
  const items = d.userIDs.flatMap((userID) =>
    settled.items.filter((i) => i.userID === userID && i.decision !== 'allow').slice(0, 1),
  );
  const refused = items.map((i) => i.userID);
  if (refused.length === 0 || fromTencent(command)) return { ...settled, items };
  return { ...deny(0, `members refused: ${refused.join(',')}`), ...(settled.ignored && { ignored: settled.ignored }) };
}

/** `im.group.invite.before`: a member is about to add others. Each invitee may be refused on its own. */
export const groupInviteBefore = defineMapping({
  type: 'im.group.invite.before',
  examples: [{ groupID: 'g1', groupType: 'public', inviterUserID: 'alice', reason: '', userIDs: ['erin', 'frank'] }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_INVITE,
      schema: tencent.beforeInviteJoinGroup,
      decode: (b): GroupInviteData => ({
        groupID: b.GroupId,
        groupType: groupTypeFromTencent(b.Type),
        inviterUserID: b.Operator_Account,
        reason: '',
        userIDs: accountsOf(b.DestinationMembers),
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_INVITE,
      schema: openim.beforeInviteJoinGroup,
      decode: (b): GroupInviteData => ({
        groupID: b.groupID,
        groupType: OPENIM_GROUP_TYPE,
        // OpenIM's body does not name the inviter.
        inviterUserID: '',
        reason: b.reason ?? '',
        userIDs: uniqueUsers(b.invitedUserIDs ?? []),
      }),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      {
        command: T_INVITE,
        body: {
          CallbackCommand: T_INVITE,
          GroupId: d.groupID,
          Type: groupTypeToTencent(d.groupType),
          Operator_Account: d.inviterUserID,
          DestinationMembers: memberList(d.userIDs),
          EventTime: eventTime(d.meta, ctx),
        },
        targets: d.userIDs,
      },
    ],
    openim: (d, ctx) => [
      {
        command: O_INVITE,
        body: {
          callbackCommand: O_INVITE,
          operationID: ctx.operationID ?? '',
          groupID: d.groupID,
          reason: d.reason,
          invitedUserIDs: d.userIDs,
        },
        targets: d.userIDs,
      },
    ],
  },
  targets: (d) => d.userIDs,
  settle: settleInvite,
  losses: [
    {
      vendor: 'tencent',
      command: T_INVITE,
      lost: 'to OpenIM: `Type`, `Operator_Account` (OpenIM names no inviter)',
    },
    {
      vendor: 'openim',
      command: O_INVITE,
      lost: 'to Tencent: `reason`; the inviter is `""` (OpenIM does not say). Refusing some invitees refuses the whole invitation (OpenIM cannot refuse one)',
    },
  ],
});
