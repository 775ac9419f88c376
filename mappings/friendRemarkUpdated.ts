import { remarkCall, remarkDecoders } from './friendRemark.js';
import { defineMapping } from './mapping.js';

const O_CMD = 'callbackAfterSetFriendRemarkCommand';

/** `im.friend.remark.updated`: a friend's remark was set (docs/vendors/openim.md#remark). OpenIM only. */
export const friendRemarkUpdated = defineMapping({
  type: 'im.friend.remark.updated',
  examples: [{ ownerUserID: 'alice', friendUserID: 'bob', remark: 'Bob from work' }],
  decoders: remarkDecoders(O_CMD, 'callbackAfterSetFriendRemark'),
  encoders: { openim: (d) => [remarkCall(O_CMD, d)] },
  losses: [
    {
      vendor: 'openim',
      command: 'callbackAfterSetFriendRemark',
      lost: 'the v3.5–v3.6 name: forwarded under the current `…Command` name',
    },
  ],
});
