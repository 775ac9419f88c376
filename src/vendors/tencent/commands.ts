import type { Phase } from '../../canonical/types.js';

/**
 * Every callback command Tencent documents (docs/vendors/tencent.md#relationship, docs/vendors/tencent.md#commands). A command outside this list is refused as
 * unknown; one inside it without a mapping is answered by the gateway itself.
 */
export const TENCENT_COMMANDS: readonly string[] = [
  'Profile.CallbackPortraitSet',
  'Sns.CallbackPrevFriendAdd',
  'Sns.CallbackPrevFriendResponse',
  'Sns.CallbackFriendAdd',
  'Sns.CallbackFriendDelete',
  'Sns.CallbackBlackListAdd',
  'Sns.CallbackBlackListDelete',
  'State.StateChange',
  'C2C.CallbackBeforeSendMsg',
  'C2C.CallbackAfterSendMsg',
  'C2C.CallbackAfterMsgReport',
  'C2C.CallbackAfterMsgWithDraw',
  'Group.CallbackBeforeCreateGroup',
  'Group.CallbackAfterCreateGroup',
  'Group.CallbackBeforeApplyJoinGroup',
  'Group.CallbackBeforeInviteJoinGroup',
  'Group.CallbackAfterNewMemberJoin',
  'Group.CallbackAfterMemberExit',
  'Group.CallbackBeforeSendMsg',
  'Group.CallbackAfterSendMsg',
  'Group.CallbackAfterGroupFull',
  'Group.CallbackAfterGroupDestroyed',
  'Group.CallbackAfterGroupInfoChanged',
  'Group.CallbackOnMemberStateChange',
  'Group.CallbackSendMsgException',
  'Group.CallbackAfterRecallMsg',
  'Group.CallbackBeforeCreateTopic',
  'Group.CallbackAfterCreateTopic',
  'Group.CallbackAfterTopicDestroyed',
  'Group.CallbackAfterTopicInfoChanged',
  'Group.CallbackAfterMemberFieldChanged',
  'Group.CallbackAfterGroupAttrChanged',
  'Group.CallbackAfterReadReceipt',
  'Group.CallbackAfterChangeGroupOwner',
  'Group.CallbackOnDailyGroupQuotaAlarm',
];

const KNOWN = new Set(TENCENT_COMMANDS);

/** Whether Tencent documents this command. */
export function isTencentCommand(command: string): boolean {
  return KNOWN.has(command);
}

/** Tencent's naming is regular: `…CallbackPrev…` and `…CallbackBefore…` wait for a decision. */
export function tencentPhase(command: string): Phase {
  return /\.Callback(Prev|Before)/.test(command) ? 'before' : 'after';
}

/**
 * Relationship "Prev" callbacks answer per target in `ResultItem[]`; every other before-callback is
 * decided by `ErrorCode` (docs/vendors/tencent.md#replies).
 */
export function isPerTargetCommand(command: string): boolean {
  return command.startsWith('Sns.CallbackPrev');
}
