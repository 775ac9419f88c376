/**
 * The canonical message model (docs/mappings.md#messages): one shape for a message whichever IM server
 * sent it, its elements, and the read and recall events. Vendor-free: no Tencent or OpenIM field name.
 */

/** A picture of an image in one size; absent sizes are `null`. */
export interface Picture {
  url: string;
  size: number;
  width: number;
  height: number;
}

/** An image's encoding, as both vendors can name it. */
export type ImageFormat = 'jpg' | 'gif' | 'png' | 'bmp' | 'other';

/** One message of a merged (forwarded-together) message. */
export interface MergedMessage {
  senderUserID: string;
  /** One-to-one originals name the recipient, group ones the group; the other is `null`. */
  recvUserID: string | null;
  groupID: string | null;
  seq: number;
  random: number;
  /** Unix ms. */
  time: number;
  elements: Element[];
  cloudCustomData: string;
}

/** The message a quote refers to. */
export interface QuotedMessage {
  serverMsgID: string;
  clientMsgID: string;
  senderUserID: string;
  seq: number;
  /** The vendor's content type of the quoted message, and its content text, kept as they came. */
  contentType: number;
  content: string;
}

/** One part of a message. A Tencent message is a list of them; an OpenIM message is one. */
export type Element =
  | { type: 'text'; text: string }
  | {
      type: 'at';
      text: string;
      atUserIDs: string[];
      atAll: boolean;
      atUsersInfo: { userID: string; groupNickname: string }[];
    }
  | {
      type: 'image';
      uuid: string;
      format: ImageFormat;
      original: Picture | null;
      large: Picture | null;
      thumb: Picture | null;
    }
  | { type: 'sound'; uuid: string; url: string; size: number; seconds: number }
  | {
      type: 'video';
      uuid: string;
      url: string;
      size: number;
      seconds: number;
      format: string;
      thumbUUID: string;
      thumbURL: string;
      thumbSize: number;
      thumbWidth: number;
      thumbHeight: number;
      thumbFormat: string;
    }
  | { type: 'file'; uuid: string; url: string; size: number; name: string }
  | { type: 'location'; description: string; latitude: number; longitude: number }
  | { type: 'face'; index: number; data: string }
  | { type: 'custom'; data: string; description: string; extension: string; sound: string }
  | {
      type: 'merged';
      title: string;
      abstracts: string[];
      compatibleText: string;
      /** Set when the forwarded messages are stored apart (then `messages` is empty). */
      jsonMsgKey: string;
      messages: MergedMessage[];
    }
  | { type: 'quote'; text: string; quoted: QuotedMessage }
  /** A system notification; its content is not carried. */
  | { type: 'notification'; contentType: number }
  /** An element imbridge has no canonical shape for, kept as it came so it survives a round trip. */
  | { type: 'raw'; vendor: 'tencent' | 'openim'; kind: string; content: string };

/** Every element type. */
export type ElementType = Element['type'];

/** `data` of the message events: send.before, modify.before, sent, send.failed, stored. */
export interface MessageData {
  sessionType: 'single' | 'group';
  senderUserID: string;
  /** The recipient of a one-to-one message; `null` for a group message or when the vendor does not say. */
  recvUserID: string | null;
  groupID: string | null;
  /** The group's type as its vendor names it (Tencent `Type`); `null` when unknown. */
  groupType: string | null;
  topicID: string | null;
  /** Who asked for the send (an admin sending for a user), else the sender. */
  operatorUserID: string;
  serverMsgID: string | null;
  clientMsgID: string | null;
  seq: number | null;
  msgKey: string | null;
  random: number | null;
  tencentMsgId: string | null;
  /** Unix ms; `null` when the vendor does not say. */
  sendTime: number | null;
  createTime: number | null;
  msgFrom: 'user' | 'system';
  onlineOnly: boolean;
  sender: { nickname: string; faceURL: string; platformID: number };
  elements: Element[];
  atUserIDs: string[];
  atAll: boolean;
  cloudCustomData: string;
  /** Why the send failed (`im.message.send.failed` only). */
  error: { code: number; message: string } | null;
  unreadCount: number | null;
}

/** `data` of `im.message.read`. */
export interface ReadData {
  sessionType: 'single' | 'group';
  readerUserID: string;
  /** The other user of a one-to-one conversation. */
  peerUserID: string | null;
  groupID: string | null;
  conversationID: string;
  seqs: number[];
  hasReadSeq: number | null;
  /** Unix ms. */
  readTime: number | null;
  unreadCount: number | null;
  /** Per-message receipts (Tencent group read receipts). */
  receipts: { seq: number; readCount: number; unreadCount: number; readerUserIDs: string[] }[] | null;
}

/** `data` of `im.message.recalled`. */
export interface RecallData {
  sessionType: 'single' | 'group';
  operatorUserID: string;
  senderUserID: string | null;
  recvUserID: string | null;
  groupID: string | null;
  topicID: string | null;
  conversationID: string;
  messages: { seq: number | null; msgKey: string | null }[];
}

/** OpenIM's conversation id: `si_` and both users sorted, joined by `_`; `sg_` and the group. */
export function conversationID(sessionType: 'single' | 'group', a: string, b: string | null): string {
  if (sessionType === 'group') return `sg_${a}`;
  return `si_${[a, b ?? ''].sort().join('_')}`;
}
