import { remarkCall, remarkDecoders } from './friendRemark.js';
import { defineMapping } from './mapping.js';

const O_CMD = 'callbackAfterSetFriendRemarkCommand';

/** `im.friend.remark.updated`: a friend's remark was set (O§3.9). OpenIM only. */
export const friendRemarkUpdated = defineMapping({
  type: 'im.friend.remark.updated',
  decoders: remarkDecoders(O_CMD, 'callbackAfterSetFriendRemark'),
  encoders: { openim: (d) => [remarkCall(O_CMD, d)] },
});
