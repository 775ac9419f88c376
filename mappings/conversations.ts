/**
 * OpenIM conversation ids (docs/vendors/openim.md#messages): `si_<a>_<b>` (both users, sorted) for one
 * to one, `sg_<group>` for a group. Read and recall callbacks name only the conversation and one user.
 */

/** The group of an `sg_` conversation, or undefined. */
export function groupOf(conversationID: string): string | undefined {
  return conversationID.startsWith('sg_') ? conversationID.slice(3) : undefined;
}

/**
 * The other user of `si_<a>_<b>` for `userID`: strip `si_`, then a leading `userID_` or a trailing
 * `_userID`; failing both (ids with `_` in them), split at the first `_`.
 */
export function peerOf(conversationID: string, userID: string): { sender: string; recipient: string } {
  const pair = conversationID.replace(/^si_/, '');
  if (pair.startsWith(`${userID}_`)) return { sender: userID, recipient: pair.slice(userID.length + 1) };
  if (pair.endsWith(`_${userID}`)) return { sender: userID, recipient: pair.slice(0, -userID.length - 1) };
  const at = pair.indexOf('_');
  return at < 0 ? { sender: pair, recipient: '' } : { sender: pair.slice(0, at), recipient: pair.slice(at + 1) };
}

/** OpenIM's `seq` for a Tencent C2C message known by `MsgKey`: its first number, when the key is `seq_random_time`. */
export function seqOfMsgKey(msgKey: string | null): number | null {
  const m = msgKey ? /^(\d+)_\d+_\d+$/.exec(msgKey) : null;
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n <= 4294967295 ? n : null;
}
