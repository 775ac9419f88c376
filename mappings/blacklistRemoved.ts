import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { pairListMapping } from './pairLists.js';

/**
 * `im.blacklist.removed` (docs/vendors/tencent.md#blacklist, docs/vendors/openim.md#blacklist): users
 * taken off blacklists. OpenIM fires this only from v3.8.1 on.
 */
export const blacklistRemoved = pairListMapping({
  type: 'im.blacklist.removed',
  key: 'blackUserID',
  example: { pairs: [{ ownerUserID: 'alice', blackUserID: 'mallory' }] },
  tencent: { command: 'Sns.CallbackBlackListDelete', schema: tencent.blackListDelete },
  openim: { command: 'callbackAfterRemoveBlackCommand', schema: openim.blackPair },
});
