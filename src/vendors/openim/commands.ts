import type { Phase } from '../../canonical/types.js';

/**
 * Every webhook command OpenIM's server code sends (O§3–O§5), plus the v3.5/v3.6 names that older
 * servers still in production send (O§6). Anything else is refused as unknown; a listed command
 * without a mapping is answered by the gateway itself.
 */
export const OPENIM_COMMANDS: readonly string[] = [
  // relationship (O§3)
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
  // user (O§4)
  'callbackBeforeUpdateUserInfoCommand',
  'callbackAfterUpdateUserInfoCommand',
  'callbackBeforeUpdateUserInfoExCommand',
  'callbackAfterUpdateUserInfoExCommand',
  'callbackBeforeUserRegisterCommand',
  'callbackAfterUserRegisterCommand',
  // messages, push, presence, groups, conversations (O§5)
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
];

const KNOWN = new Set(OPENIM_COMMANDS);

/** Whether OpenIM's server sends this command. */
export function isOpenIMCommand(command: string): boolean {
  return KNOWN.has(command);
}

/**
 * `callbackBefore…` commands are synchronous. One exception: the message-revoked notification is
 * named `callbackBeforeAfterMsgCommand` in OpenIM's code but is an async after-callback (O§5).
 */
export function openimPhase(command: string): Phase {
  if (command === 'callbackBeforeAfterMsgCommand') return 'after';
  return command.startsWith('callbackBefore') ? 'before' : 'after';
}
