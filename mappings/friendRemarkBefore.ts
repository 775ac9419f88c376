import { remarkCall, remarkDecoders } from './friendRemark.js';
import { defineMapping } from './mapping.js';

const O_CMD = 'callbackBeforeSetFriendRemarkCommand';

/**
 * `im.friend.remark.before`: a user is about to set a friend's remark (docs/vendors/openim.md#remark). OpenIM only. The backend
 * may replace the remark (patch `remark`); OpenIM applies only a non-empty one, so an empty patch is
 * dropped rather than sent.
 */
export const friendRemarkBefore = defineMapping({
  type: 'im.friend.remark.before',
  examples: [{ ownerUserID: 'alice', friendUserID: 'bob', remark: 'Bob from work' }],
  decoders: remarkDecoders(O_CMD, 'callbackBeforeSetFriendRemark'),
  encoders: { openim: (d) => [remarkCall(O_CMD, d)] },
  losses: [
    {
      vendor: 'openim',
      command: 'callbackBeforeSetFriendRemark',
      lost: 'the v3.5–v3.6 name: forwarded under the current `…Command` name',
    },
  ],
  settle: (_d, verdict) => {
    const { remark } = verdict.patch;
    return { ...verdict, patch: remark ? { remark } : {} };
  },
});
