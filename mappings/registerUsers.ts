import type { RegisterUser } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import { usersFromOpenIM, usersToOpenIM } from '../src/vendors/openim/users.js';
import { decoder } from './mapping.js';

/**
 * What the two register mappings share (docs/vendors/openim.md#register): the same body before and
 * after, `{callbackCommand, users}`, with OpenIM's `sdkws.UserInfo` items.
 */

/** A typical registration, for the mapping table. */
export const REGISTER_EXAMPLE: { users: RegisterUser[] } = {
  users: [
    { userID: 'alice', nickname: 'Alice', faceURL: '', ex: '', createTime: 0, appManagerLevel: 0, globalRecvMsgOpt: 0 },
  ],
};

/** The decoder of one register command. */
export function registerDecoder(command: string) {
  return decoder({
    vendor: 'openim',
    command,
    schema: openim.userRegister,
    decode: (b) => ({ users: usersFromOpenIM(b.users) }),
  });
}

/** The body OpenIM sends for one register command. */
export function registerBody(command: string, users: RegisterUser[]): object {
  return { callbackCommand: command, users: usersToOpenIM(users) };
}
