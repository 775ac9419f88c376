import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { decoder, defineMapping, notify } from './mapping.js';
import { edgesFromTencent, FANNED_OUT, tencentPairCall } from './tencentPairs.js';

const T_CMD = 'Sns.CallbackBlackListDelete';
const O_CMD = 'callbackAfterRemoveBlackCommand';

/**
 * `im.blacklist.removed` (T§3.7, O§3.8): Tencent's batch of directed pairs ⇄ one OpenIM callback per pair.
 * OpenIM fires this only from v3.8.1 on (O§6).
 */
export const blacklistRemoved = defineMapping({
  type: 'im.blacklist.removed',
  examples: [{ pairs: [{ ownerUserID: 'alice', blackUserID: 'mallory' }] }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.blackListDelete,
      decode: (b) => ({ pairs: edgesFromTencent(b.PairList, 'blackUserID') }),
    }),
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.blackPair,
      decode: (b) => ({ pairs: [{ ownerUserID: b.ownerUserID, blackUserID: b.blackUserID }] }),
    }),
  ],
  encoders: {
    tencent: (d) => [tencentPairCall(T_CMD, d.pairs, 'blackUserID')],
    openim: (d) =>
      d.pairs.map((p) =>
        notify(O_CMD, { callbackCommand: O_CMD, ownerUserID: p.ownerUserID, blackUserID: p.blackUserID }),
      ),
  },
  losses: [{ vendor: 'tencent', command: T_CMD, lost: `to OpenIM: ${FANNED_OUT}` }],
});
