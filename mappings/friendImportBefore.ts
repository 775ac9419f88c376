import type { DataByType, Verdict } from '../src/canonical/types.js';
import { deny } from '../src/canonical/verdict.js';
import * as openim from '../src/vendors/openim/schemas.js';
import { tencentPrevFriendAdd } from './friendApplyBefore.js';
import { decoder, defineMapping, eventTime } from './mapping.js';

type ImportBefore = DataByType['im.friend.import.before'];

const O_CMD = 'callbackBeforeImportFriendsCommand';

/**
 * Folds per-friend decisions into the one thing OpenIM can apply: a replacement list. Denied friends
 * leave the list (starting from the backend's own patch if it sent one); if nobody is left the whole
 * import is denied, because OpenIM ignores an empty list (docs/vendors/openim.md#import) and would import everyone.
 */
export function settleImport(d: ImportBefore, verdict: Verdict): Verdict {
  if (verdict.decision === 'deny') return { ...verdict, items: [] };
  const denied = verdict.items.filter((i) => i.decision === 'deny');
  const deniedIDs = new Set(denied.map((i) => i.userID));
  const base = verdict.patch.friendUserIDs ?? d.friendUserIDs;
  const kept = base.filter((id) => !deniedIDs.has(id));
  if (kept.length === 0 && base.length > 0) {
    const first = denied[0];
    return deny(first?.code ?? 0, first?.message ?? 'every friend in the import was denied');
  }
  const unchanged = kept.length === d.friendUserIDs.length && kept.every((id, i) => id === d.friendUserIDs[i]);
  return { ...verdict, items: [], patch: unchanged ? {} : { friendUserIDs: kept } };
}

/**
 * `im.friend.import.before`: an admin is about to import friends for an owner (docs/vendors/openim.md#import). OpenIM only.
 * To a Tencent-format backend it becomes the closest Tencent question, a forced
 * `Sns.CallbackPrevFriendAdd` with one `FriendItem` per friend (docs/mappings.md#timing-mismatches); its `ResultItem`
 * answers decide per friend.
 */
export const friendImportBefore = defineMapping({
  type: 'im.friend.import.before',
  examples: [{ ownerUserID: 'alice', friendUserIDs: ['bob', 'carol'] }],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.importFriends,
      decode: (b) => ({ ownerUserID: b.ownerUserID, friendUserIDs: b.friendUserIDs ?? [] }),
    }),
  ],
  encoders: {
    openim: (d) => [
      {
        command: O_CMD,
        // Go sends an empty (nil) slice as null.
        body: {
          callbackCommand: O_CMD,
          ownerUserID: d.ownerUserID,
          friendUserIDs: d.friendUserIDs.length ? d.friendUserIDs : null,
        },
        targets: d.friendUserIDs,
      },
    ],
    // The closest Tencent question: a forced two-way friend request from the owner to every friend.
    tencent: (d, ctx) => [
      tencentPrevFriendAdd(
        {
          fromUserID: d.ownerUserID,
          requesterUserID: d.ownerUserID,
          addType: 'both',
          force: true,
          targets: d.friendUserIDs.map((toUserID) => ({
            toUserID,
            message: '',
            remark: '',
            group: '',
            source: '',
            ex: '',
          })),
        },
        eventTime(d.meta, ctx),
      ),
    ],
  },
  targets: (d) => d.friendUserIDs,
  settle: settleImport,
  losses: [
    {
      vendor: 'openim',
      command: O_CMD,
      lost: 'to Tencent: asked as a forced two-way `Sns.CallbackPrevFriendAdd` from the owner to each friend (Tencent has no import callback)',
    },
  ],
});
