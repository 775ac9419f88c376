import { defineMapping } from './mapping.js';
import { REGISTER_EXAMPLE, registerBody, registerDecoder } from './registerUsers.js';

const O_CMD = 'callbackBeforeUserRegisterCommand';

/**
 * `im.user.register.before`: users are about to be registered (docs/vendors/openim.md#register).
 * OpenIM only. The backend may replace the list (patch `users`); OpenIM applies only a non-empty one.
 */
export const userRegisterBefore = defineMapping({
  type: 'im.user.register.before',
  examples: [REGISTER_EXAMPLE],
  decoders: [registerDecoder(O_CMD)],
  encoders: {
    openim: (d) => [{ command: O_CMD, body: registerBody(O_CMD, d.users), targets: d.users.map((u) => u.userID) }],
  },
  losses: [{ vendor: 'openim', command: O_CMD, lost: 'the v3.5–v3.6 `secret` field is dropped' }],
  settle: (_d, verdict) => {
    const { users } = verdict.patch;
    return { ...verdict, patch: users && users.length > 0 ? { users } : {} };
  },
});
