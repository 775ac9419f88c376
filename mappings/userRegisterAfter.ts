import * as openim from '../src/vendors/openim/schemas.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';
import { usersFromOpenIM, usersToOpenIM } from '../src/vendors/openim/users.js';

const O_CMD = 'callbackAfterUserRegisterCommand';

/** `im.user.register.after`: users were registered (docs/vendors/openim.md#register). OpenIM only. */
export const userRegisterAfter = defineMapping({
  type: 'im.user.register.after',
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
  encoders: { openim: (d) => [wholeCall(O_CMD, { callbackCommand: O_CMD, users: usersToOpenIM(d.users) })] },
});
