import * as openim from '../src/vendors/openim/schemas.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';
import { tencentPairCall } from './pairLists.js';

const O_CMD = 'callbackBeforeAddBlackCommand';
const T_CMD = 'Sns.CallbackBlackListAdd';

/**
 * `im.blacklist.add.before`: a user is about to blacklist another (docs/vendors/openim.md#blacklist). Tencent has no "before" for
 * this, only `Sns.CallbackBlackListAdd` after the fact. So to a Tencent-format backend the gateway
 * allows at once and then notifies it with that after-callback — which may reach the backend just
 * before OpenIM writes the blacklist entry (docs/mappings.md#timing-mismatches).
 */
export const blacklistAddBefore = defineMapping({
  type: 'im.blacklist.add.before',
  examples: [{ ownerUserID: 'alice', blackUserID: 'mallory' }],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.blackPair,
      decode: (b) => ({ ownerUserID: b.ownerUserID, blackUserID: b.blackUserID }),
    }),
  ],
  encoders: {
    openim: (d) => [
      {
        ...wholeCall(O_CMD, { callbackCommand: O_CMD, ownerUserID: d.ownerUserID, blackUserID: d.blackUserID }),
        targets: [d.blackUserID],
      },
    ],
    tencent: (d) => [tencentPairCall(T_CMD, [d], 'blackUserID')],
  },
  notifyOnly: { tencent: true },
  losses: [
    {
      vendor: 'openim',
      command: O_CMD,
      lost: 'to Tencent: becomes the after-the-fact `Sns.CallbackBlackListAdd`; the backend can no longer deny',
    },
  ],
});
