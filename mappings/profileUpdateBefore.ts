import type { DataByType, Patch, Verdict } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import { decoder, defineMapping } from './mapping.js';
import { changesFromOpenIM, changesToOpenIMEx } from './profileFields.js';

type UpdateBefore = DataByType['im.user.profile.update.before'];

const O_EX = 'callbackBeforeUpdateUserInfoExCommand';
const O_OLD = 'callbackBeforeUpdateUserInfoCommand';
const PATCHABLE = ['nickname', 'faceURL', 'ex'] as const;

/**
 * Keeps the patch values OpenIM can apply for the command it called. Its Ex handler dereferences the
 * request's pointer for every non-null reply field, so a value for a field the client did not send
 * crashes that request (docs/vendors/openim.md#user-info): only fields the request changes are kept.
 * The deprecated command's request fields are plain strings, so OpenIM applies every non-null reply
 * field there, `ex` included (it never sends `ex`), and so does imbridge.
 */
export function settleProfilePatch(d: UpdateBefore, verdict: Verdict, command: string): Verdict {
  const patch: Patch = {};
  for (const key of PATCHABLE) {
    const value = verdict.patch[key];
    if (value !== undefined && (command === O_OLD || d.changes[key] !== undefined)) patch[key] = value;
  }
  return { ...verdict, patch };
}

/**
 * `im.user.profile.update.before`: a user is about to change nickname, avatar or `ex` (docs/vendors/openim.md#user-info).
 * OpenIM only; always sent onward as the current `…UpdateUserInfoExCommand`.
 */
export const profileUpdateBefore = defineMapping({
  type: 'im.user.profile.update.before',
  examples: [{ userID: 'alice', changes: { nickname: 'Alice', faceURL: 'https://example.com/alice.png' } }],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_EX,
      schema: openim.updateUserInfo,
      decode: (b): UpdateBefore => ({ userID: b.userID, changes: changesFromOpenIM(b, false) }),
    }),
    decoder({
      vendor: 'openim',
      command: O_OLD,
      schema: openim.updateUserInfo,
      decode: (b): UpdateBefore => ({ userID: b.userID, changes: changesFromOpenIM(b, true) }),
    }),
  ],
  encoders: {
    openim: (d) => [{ command: O_EX, body: changesToOpenIMEx(O_EX, d.userID, d.changes), targets: [d.userID] }],
  },
  settle: settleProfilePatch,
  losses: [{ vendor: 'openim', command: O_OLD, lost: '`""` reads as "not supplied"; forwarded as the Ex command' }],
});
