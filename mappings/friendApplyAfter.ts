import * as openim from '../src/vendors/openim/schemas.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';

const O_CMD = 'callbackAfterAddFriendCommand';

/**
 * `im.friend.apply.after`: a friend request was stored, not yet answered (docs/vendors/openim.md#friend-apply). Tencent has no such
 * callback, so to a Tencent-format backend it is unmapped. A body carrying `handleResult` is the
 * docs-era "agreed" event and is claimed by `im.friend.added` instead.
 */
export const friendApplyAfter = defineMapping({
  type: 'im.friend.apply.after',
  examples: [{ fromUserID: 'alice', toUserID: 'bob', message: 'hi, I am Alice' }],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.afterAddFriend,
      when: (body) => !openim.hasHandleResult(body),
      decode: (b) => ({ fromUserID: b.fromUserID, toUserID: b.toUserID, message: b.reqMsg ?? '' }),
    }),
  ],
  encoders: {
    openim: (d) => [
      wholeCall(O_CMD, { callbackCommand: O_CMD, fromUserID: d.fromUserID, toUserID: d.toUserID, reqMsg: d.message }),
    ],
  },
});
