import * as tencent from '../src/vendors/tencent/schemas.js';
import { pairListMapping } from './pairLists.js';

/**
 * `im.blacklist.added`: users were blacklisted (docs/vendors/tencent.md#blacklist). OpenIM has no
 * after-callback for this, only `callbackBeforeAddBlackCommand` (decoded by `im.blacklist.add.before`);
 * an OpenIM-format backend gets that, one call per pair, as a notification. The blacklisting already
 * happened, so a deny it answers cannot be honoured: imbridge logs and counts it.
 */
export const blacklistAdded = pairListMapping({
  type: 'im.blacklist.added',
  key: 'blackUserID',
  example: { pairs: [{ ownerUserID: 'alice', blackUserID: 'mallory' }] },
  tencent: { command: 'Sns.CallbackBlackListAdd', schema: tencent.blackListAdd },
  openim: { command: 'callbackBeforeAddBlackCommand' },
  toOpenIM: 'sent as the before-callback after the fact; a deny is logged and counted, not honoured',
});
