import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { pairListMapping } from './pairLists.js';

/**
 * `im.friend.deleted` (docs/vendors/tencent.md#friend-deleted, docs/vendors/openim.md#friend-deleted):
 * friends removed from owners' lists. OpenIM deletes one direction per call.
 */
export const friendDeleted = pairListMapping({
  type: 'im.friend.deleted',
  key: 'friendUserID',
  example: { pairs: [{ ownerUserID: 'alice', friendUserID: 'bob' }] },
  tencent: { command: 'Sns.CallbackFriendDelete', schema: tencent.friendDelete },
  openim: { command: 'callbackAfterDeleteFriendCommand', schema: openim.afterDeleteFriend },
});
