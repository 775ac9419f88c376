import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { decoder, defineMapping, notify } from './mapping.js';
import { edgesFromTencent, FANNED_OUT, tencentPairCall } from './tencentPairs.js';

const T_CMD = 'Sns.CallbackFriendDelete';
const O_CMD = 'callbackAfterDeleteFriendCommand';

/**
 * `im.friend.deleted` (T§3.5, O§3.5). Tencent batches directed pairs in one callback; OpenIM sends one
 * callback per deleted pair, so a Tencent batch fans out and an OpenIM call is a batch of one.
 */
export const friendDeleted = defineMapping({
  type: 'im.friend.deleted',
  examples: [{ pairs: [{ ownerUserID: 'alice', friendUserID: 'bob' }] }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.friendDelete,
      decode: (b) => ({ pairs: edgesFromTencent(b.PairList, 'friendUserID') }),
    }),
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.afterDeleteFriend,
      decode: (b) => ({ pairs: [{ ownerUserID: b.ownerUserID, friendUserID: b.friendUserID }] }),
    }),
  ],
  encoders: {
    tencent: (d) => [tencentPairCall(T_CMD, d.pairs, 'friendUserID')],
    openim: (d) =>
      d.pairs.map((p) =>
        notify(O_CMD, { callbackCommand: O_CMD, ownerUserID: p.ownerUserID, friendUserID: p.friendUserID }),
      ),
  },
  losses: [{ vendor: 'tencent', command: T_CMD, lost: `to OpenIM: ${FANNED_OUT}` }],
});
