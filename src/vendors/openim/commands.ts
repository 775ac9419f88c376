import type { Phase } from '../../canonical/types.js';

/**
 * Every webhook command OpenIM's server code sends (docs/vendors/openim.md#relationship–docs/vendors/openim.md#commands), plus the v3.5/v3.6 names that older
 * servers still in production send (docs/vendors/openim.md#versions). Anything else is refused as unknown; a listed command
 * without a mapping is answered by the gateway itself.
 */
export const OPENIM_COMMANDS: readonly string[] = [
  // relationship (docs/vendors/openim.md#relationship)
  'callbackBeforeAddFriendCommand',
  'callbackAfterAddFriendCommand',
  'callbackBeforeAddFriendAgreeCommand',
  'callbackAfterAddFriendAgreeCommand',
  'callbackAfterDeleteFriendCommand',
  'callbackBeforeImportFriendsCommand',
  'callbackAfterImportFriendsCommand',
  'callbackBeforeAddBlackCommand',
  'callbackAfterRemoveBlackCommand',
  'callbackBeforeSetFriendRemarkCommand',
  'callbackAfterSetFriendRemarkCommand',
  'callbackBeforeSetFriendRemark',
  'callbackAfterSetFriendRemark',
  // user (docs/vendors/openim.md#user-info)
  'callbackBeforeUpdateUserInfoCommand',
  'callbackAfterUpdateUserInfoCommand',
  'callbackBeforeUpdateUserInfoExCommand',
  'callbackAfterUpdateUserInfoExCommand',
  'callbackBeforeUserRegisterCommand',
  'callbackAfterUserRegisterCommand',
  // messages, push, presence, groups, conversations (docs/vendors/openim.md#commands)
  'callbackBeforeSendSingleMsgCommand',
  'callbackAfterSendSingleMsgCommand',
  'callbackBeforeSendGroupMsgCommand',
  'callbackAfterSendGroupMsgCommand',
  'callbackBeforeMsgModifyCommand',
  'callbackAfterSingleMsgReadCommand',
  'callbackAfterGroupMsgReadCommand',
  'callbackBeforeAfterMsgCommand',
  'callbackAfterMsgSaveDBCommand',
  'callbackBeforeOfflinePushCommand',
  'callbackBeforeOnlinePushCommand',
  'callbackBeforeGroupOnlinePushCommand',
  'callbackAfterUserOnlineCommand',
  'callbackAfterUserOfflineCommand',
  'callbackAfterUserKickOffCommand',
  'callbackBeforeCreateGroupCommand',
  'callbackAfterCreateGroupCommand',
  'callbackBeforeMembersJoinGroupCommand',
  'callbackBeforeMemberJoinGroupCommand',
  'callbackBeforeSetGroupMemberInfoCommand',
  'callbackAfterSetGroupMemberInfoCommand',
  'callbackAfterQuitGroupCommand',
  'callbackAfterKickGroupCommand',
  'callbackAfterDisMissGroupCommand',
  'callbackBeforeJoinGroupCommand',
  'callbackBeforeInviteJoinGroupCommand',
  'callbackAfterJoinGroupCommand',
  'callbackAfterTransferGroupOwnerCommand',
  'callbackBeforeSetGroupInfoCommand',
  'callbackAfterSetGroupInfoCommand',
  'callbackBeforeSetGroupInfoExCommand',
  'callbackAfterSetGroupInfoExCommand',
  'callbackBeforeCreateSingleChatConversationsCommand',
  'callbackAfterCreateSingleChatConversationsCommand',
  'callbackBeforeCreateGroupChatConversationsCommand',
  'callbackAfterCreateGroupChatConversationsCommand',
  // v3.5/v3.6 names of the callbacks above, renamed in v3.7.0 (docs/vendors/openim.md#versions)
  'callbackMsgModifyCommand',
  'callbackSingleMsgRead',
  'callbackGroupMsgReadCommand',
  'callbackOfflinePushCommand',
  'callbackOnlinePushCommand',
  'callbackSuperGroupOnlinePushCommand',
  'callbackUserOnlineCommand',
  'callbackUserOfflineCommand',
  'callbackUserKickOffCommand',
  'callbackQuitGroupCommand',
  'callbackKillGroupCommand',
  'callbackDisMissGroupCommand',
  'callbackTransferGroupOwnerAfter',
  'callbackAfterTransferGroupOwner',
];

/** v3.5/v3.6 names of before-callbacks that do not start with `callbackBefore`. */
const OLD_BEFORE_NAMES = new Set([
  'callbackMsgModifyCommand',
  'callbackOfflinePushCommand',
  'callbackOnlinePushCommand',
  'callbackSuperGroupOnlinePushCommand',
]);

const KNOWN = new Set(OPENIM_COMMANDS);

/** Whether OpenIM's server sends this command. */
export function isOpenIMCommand(command: string): boolean {
  return KNOWN.has(command);
}

/**
 * `callbackBefore…` commands are synchronous, and so are the v3.5/v3.6 modify and push callbacks. One
 * exception: the message-revoked notification is named `callbackBeforeAfterMsgCommand` in OpenIM's
 * code but is an async after-callback (docs/vendors/openim.md#commands).
 */
export function openimPhase(command: string): Phase {
  if (command === 'callbackBeforeAfterMsgCommand') return 'after';
  return command.startsWith('callbackBefore') || OLD_BEFORE_NAMES.has(command) ? 'before' : 'after';
}
