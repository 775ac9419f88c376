import * as openim from '../src/vendors/openim/schemas.js';
import { decoder, defineMapping } from './mapping.js';
import { usersFromOpenIM, usersToOpenIM } from '../src/vendors/openim/users.js';

const O_CMD = 'callbackBeforeUserRegisterCommand';

/**
 * `im.user.register.before`: users are about to be registered (docs/vendors/openim.md#register). OpenIM only. The backend may
 * replace the list (patch `users`); OpenIM applies only a non-empty one.
 */
export const userRegisterBefore = defineMapping({
  type: 'im.user.register.before',
  examples: [
    {
      users: [
        {
          userID: 'alice',
          nickname: 'Alice',
          faceURL: '',
          ex: '',
          createTime: 0,
          appManagerLevel: 0,
          globalRecvMsgOpt: 0,
        },
      ],
    },
  ],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.userRegister,
      decode: (b) => ({ users: usersFromOpenIM(b.users) }),
    }),
  ],
  encoders: {
    openim: (d) => [
      {
        command: O_CMD,
        body: { callbackCommand: O_CMD, users: usersToOpenIM(d.users) },
        targets: d.users.map((u) => u.userID),
      },
    ],
  },
  losses: [{ vendor: 'openim', command: O_CMD, lost: 'the v3.5–v3.6 `secret` field is dropped' }],
  settle: (_d, verdict) => {
    const { users } = verdict.patch;
    return { ...verdict, patch: users && users.length > 0 ? { users } : {} };
  },
});
