import { defineMapping, wholeCall } from './mapping.js';
import { REGISTER_EXAMPLE, registerBody, registerDecoder } from './registerUsers.js';

const O_CMD = 'callbackAfterUserRegisterCommand';

/** `im.user.register.after`: users were registered (docs/vendors/openim.md#register). OpenIM only. */
export const userRegisterAfter = defineMapping({
  type: 'im.user.register.after',
  examples: [REGISTER_EXAMPLE],
  decoders: [registerDecoder(O_CMD)],
  encoders: { openim: (d) => [wholeCall(O_CMD, registerBody(O_CMD, d.users))] },
});
