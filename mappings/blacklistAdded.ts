import * as tencent from '../src/vendors/tencent/schemas.js';
import { decoder, defineMapping, notify } from './mapping.js';
import { edgesFromTencent, FANNED_OUT, tencentPairCall } from './tencentPairs.js';

const T_CMD = 'Sns.CallbackBlackListAdd';
const O_CMD = 'callbackBeforeAddBlackCommand';

/**
 * `im.blacklist.added`: users were blacklisted (T§3.6). OpenIM has no after-callback for this, only
 * `callbackBeforeAddBlackCommand`; an OpenIM-format backend gets that, one call per pair, as a
 * notification. The blacklisting already happened, so a deny it answers cannot be honoured: imbridge
 * logs it.
 */
export const blacklistAdded = defineMapping({
  type: 'im.blacklist.added',
  examples: [{ pairs: [{ ownerUserID: 'alice', blackUserID: 'mallory' }] }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.blackListAdd,
      decode: (b) => ({ pairs: edgesFromTencent(b.PairList, 'blackUserID') }),
    }),
  ],
  encoders: {
    tencent: (d) => [tencentPairCall(T_CMD, d.pairs, 'blackUserID')],
    openim: (d) =>
      d.pairs.map((p) =>
        notify(O_CMD, { callbackCommand: O_CMD, ownerUserID: p.ownerUserID, blackUserID: p.blackUserID }),
      ),
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: `to OpenIM: sent as the before-callback after the fact; a deny is logged and counted, not honoured; ${FANNED_OUT}`,
    },
  ],
});
