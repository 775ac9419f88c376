import { createHash } from 'node:crypto';

/**
 * The message identity one vendor needs and the other does not send, made from what the callback
 * carries (docs/mappings.md#message-identity), so every retry of one callback yields the same ids and
 * imbridge keeps no index of messages.
 */

/** Lower-case hex MD5 of the UTF-8 text. */
export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The first 8 hex digits of `md5(text)`, as an unsigned 32-bit integer. */
export function h32(text: string): number {
  return Number.parseInt(md5(text).slice(0, 8), 16);
}

/** OpenIM's `serverMsgID` and `clientMsgID` for a Tencent message known by `key`. */
export function openimIDs(key: string): { serverMsgID: string; clientMsgID: string } {
  return { serverMsgID: md5(`server/${key}`), clientMsgID: md5(`client/${key}`) };
}

/** The key of a Tencent one-to-one message: its sender, recipient and `MsgKey`. */
export function c2cKey(from: string, to: string, msgKey: string): string {
  return `c2c/${from}/${to}/${msgKey}`;
}

/** The key of a Tencent group message: its group, sender and `Random` (the one number every group callback has). */
export function groupKey(groupID: string, from: string, random: number): string {
  return `group/${groupID}/${from}/${random}`;
}

/** Tencent's `MsgSeq` for an OpenIM message: its `seq` when non-zero, else made from `serverMsgID`. */
export function tencentSeq(seq: number | null, serverMsgID: string | null): number {
  return seq ? seq : h32(`seq/${serverMsgID ?? ''}`);
}

/** Tencent's `MsgRandom` / `Random` for an OpenIM message, made from `clientMsgID`. */
export function tencentRandom(clientMsgID: string | null): number {
  return h32(`random/${clientMsgID ?? ''}`);
}

/** Tencent's `MsgKey` (`MsgSeq_MsgRandom_MsgTime`). */
export function tencentMsgKey(seq: number, random: number, timeSec: number): string {
  return `${seq}_${random}_${timeSec}`;
}
