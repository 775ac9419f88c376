import type { DataByType, Patch, Verdict } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import { decoder, defineMapping } from './mapping.js';
import { changesFromOpenIM, changesToOpenIMEx } from './profileFields.js';

type UpdateBefore = DataByType['im.user.profile.update.before'];

const O_EX = 'callbackBeforeUpdateUserInfoExCommand';
const O_OLD = 'callbackBeforeUpdateUserInfoCommand';
const PATCHABLE = ['nickname', 'faceURL', 'ex'] as const;

/**
 * Keeps only patch values for fields the request changes. OpenIM's Ex handler dereferences the
 * request's pointer for every non-null reply field, so a value for a field the client did not send
 * crashes that request (O§4.2); the same rule is applied to the deprecated command for one behaviour.
 */
export function settleProfilePatch(d: UpdateBefore, verdict: Verdict): Verdict {
  const patch: Patch = {};
  for (const key of PATCHABLE) {
    const value = verdict.patch[key];
    if (value !== undefined && d.changes[key] !== undefined) patch[key] = value;
  }
  return { ...verdict, patch };
}

/**
 * `im.user.profile.update.before`: a user is about to change nickname, avatar or `ex` (O§4.1–4.2).
 * OpenIM only; always sent onward as the current `…UpdateUserInfoExCommand`.
 */
export const profileUpdateBefore = defineMapping({
  type: 'im.user.profile.update.before',
  examples: [{ userID: 'alice', changes: { nickname: 'Alice', faceURL: 'https://example.com/alice.png' } }],
  decoders: [
    decoder({ vendor: 'openim', command: O_EX, schema: openim.updateUserInfo, decode: (b): UpdateBefore => ({ userID: b.userID, changes: changesFromOpenIM(b, false) }) }),
    decoder({ vendor: 'openim', command: O_OLD, schema: openim.updateUserInfo, decode: (b): UpdateBefore => ({ userID: b.userID, changes: changesFromOpenIM(b, true) }) }),
  ],
  encoders: {
    openim: (d) => [{ command: O_EX, body: changesToOpenIMEx(O_EX, d.userID, d.changes), targets: [d.userID] }],
  },
  settle: settleProfilePatch,
  losses: [{ vendor: 'openim', command: O_OLD, lost: '`""` reads as "not supplied"; forwarded as the Ex command' }],
});
