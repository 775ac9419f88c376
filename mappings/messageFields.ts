import type { Element, MessageData } from '../src/canonical/message.js';
import type { Meta } from '../src/canonical/types.js';
import type { EncodeContext } from './mapping.js';
import { openimPlatformID, platformFromOpenIM, platformFromTencent, platformToTencent } from './platforms.js';
import {
  elementsFromOpenIM,
  elementsFromTencent,
  elementsToOpenIM,
  elementsToTencent,
} from '../src/vendors/elements.js';
import { c2cKey, groupKey, openimIDs, tencentMsgKey, tencentRandom, tencentSeq } from '../src/vendors/messageIds.js';
import type {
  GroupMessage,
  ModifyMessage,
  SingleMessage,
  StoredMessage,
} from '../src/vendors/openim/messageSchemas.js';
import {
  eventTimeOf,
  type C2CAfterSend,
  type C2CBeforeSend,
  type GroupAfterSend,
  type GroupBeforeSend,
  type GroupSendException,
} from '../src/vendors/tencent/messageSchemas.js';

/**
 * A message's fields across vendors (docs/mappings.md#messages): what each vendor's message callbacks
 * say, in canonical terms, and back. Identity a vendor lacks is made from what the callback carries
 * (docs/mappings.md#message-identity), so every retry yields the same ids.
 */

/** Tencent `OptPlatform` → OpenIM `senderPlatformID`, through the shared platform table. */
export function platformID(platform: string | undefined): number {
  return openimPlatformID(platformFromTencent(platform));
}

/** OpenIM `senderPlatformID` → Tencent `OptPlatform`; a system message without a platform came from the REST API. */
export function platformName(id: number, msgFrom: MessageData['msgFrom']): string {
  if (id === 0 && msgFrom === 'system') return 'RESTAPI';
  return platformToTencent(platformFromOpenIM(id));
}

const AT_ALL = 'AtAllTag';

/** What a Tencent message says, for every kind of Tencent message callback. */
type TencentMessage = C2CBeforeSend | C2CAfterSend | GroupBeforeSend | GroupAfterSend | GroupSendException;

/** Tencent's `GroupAtInfo` (group after-send only): the first text becomes an @ element. */
function withMentions(
  elements: Element[],
  b: TencentMessage,
): { elements: Element[]; atUserIDs: string[]; atAll: boolean } {
  const info = 'GroupAtInfo' in b ? (b.GroupAtInfo ?? []) : [];
  if (info.length === 0) return { elements, atUserIDs: [], atAll: false };
  const atUserIDs = info.filter((i) => i.GroupAtAllFlag !== 1 && i.GroupAt_Account).map((i) => i.GroupAt_Account!);
  const atAll = info.some((i) => i.GroupAtAllFlag === 1);
  const first = elements.findIndex((e) => e.type === 'text');
  const out = [...elements];
  if (first >= 0) {
    const text = (out[first] as { text: string }).text;
    out[first] = { type: 'at', text, atUserIDs, atAll, atUsersInfo: [] };
  }
  return { elements: out, atUserIDs, atAll };
}

/** A Tencent message callback → canonical message data. */
export function messageFromTencent(b: TencentMessage): MessageData {
  const group = 'GroupId' in b;
  const { elements, atUserIDs, atAll } = withMentions(elementsFromTencent(b.MsgBody as never), b);
  const seq = 'MsgSeq' in b ? b.MsgSeq : null;
  const timeMs = 'MsgTime' in b ? b.MsgTime * 1000 : (eventTimeOf(b.EventTime) ?? null);
  const key = group ? groupKey(b.GroupId, b.From_Account, b.Random) : c2cKey(b.From_Account, b.To_Account, b.MsgKey);
  const failed =
    'SendMsgResult' in b && b.SendMsgResult !== 0
      ? { code: b.SendMsgResult, message: b.ErrorInfo ?? '' }
      : 'ErrorCode' in b
        ? { code: b.ErrorCode, message: b.ErrorInfo ?? '' }
        : null;
  return {
    sessionType: group ? 'group' : 'single',
    senderUserID: b.From_Account,
    recvUserID: group ? null : b.To_Account,
    groupID: group ? b.GroupId : null,
    groupType: group ? b.Type : null,
    topicID: group ? (b.TopicId ?? null) : null,
    operatorUserID: group ? (b.Operator_Account ?? b.From_Account) : b.From_Account,
    ...openimIDs(key),
    seq,
    msgKey: group ? null : b.MsgKey,
    random: group ? b.Random : b.MsgRandom,
    tencentMsgId: b.MsgId ?? null,
    sendTime: timeMs,
    createTime: timeMs,
    msgFrom: 'user',
    onlineOnly: b.OnlineOnlyFlag === 1,
    sender: { nickname: '', faceURL: '', platformID: 0 },
    elements,
    atUserIDs,
    atAll,
    cloudCustomData: b.CloudCustomData ?? '',
    error: failed,
    unreadCount: 'UnreadMsgNum' in b ? (b.UnreadMsgNum ?? null) : null,
  };
}

/** An OpenIM message callback → canonical message data. */
export function messageFromOpenIM(b: SingleMessage | GroupMessage | ModifyMessage | StoredMessage): MessageData {
  const group = b.sessionType === 3;
  const mentioned = b.atUserList ?? [];
  return {
    sessionType: group ? 'group' : 'single',
    senderUserID: b.sendID,
    recvUserID: 'recvID' in b && b.recvID ? b.recvID : null,
    groupID: 'groupID' in b && b.groupID ? b.groupID : null,
    groupType: null,
    topicID: null,
    operatorUserID: b.sendID,
    serverMsgID: b.serverMsgID,
    clientMsgID: b.clientMsgID,
    seq: b.seq ? b.seq : null,
    msgKey: null,
    random: null,
    tencentMsgId: null,
    // OpenIM before v3.8.1 sends no sendTime.
    sendTime: b.sendTime ?? b.createTime,
    createTime: b.createTime,
    msgFrom: b.msgFrom === 200 ? 'system' : 'user',
    onlineOnly: false,
    sender: { nickname: b.senderNickname ?? '', faceURL: b.faceURL ?? '', platformID: b.senderPlatformID },
    elements: elementsFromOpenIM({ contentType: b.contentType, content: b.content, atUserList: b.atUserList ?? null }),
    atUserIDs: mentioned.filter((id) => id !== AT_ALL),
    atAll: mentioned.includes(AT_ALL),
    cloudCustomData: b.ex ?? '',
    error: null,
    unreadCount: null,
    // The sender's operationID, also in the `Operationid` header (which OpenIM before v3.7 may leave out).
    ...(b.operationID ? { meta: { operationID: b.operationID } } : {}),
  };
}

/** Unix ms of a message, for a vendor that needs one: its send time, else its creation, else the event's. */
function timeOf(d: MessageData, meta: Meta | undefined, nowMs: number): number {
  return d.sendTime || d.createTime || meta?.eventTime || nowMs;
}

/**
 * The body of an OpenIM message callback (`CommonCallbackReq` in Go field order, then `recvID` or
 * `groupID`). `seq` is 0 on the send path, as OpenIM sends it; `withTarget` adds the recipient or
 * group (the modify callback has neither).
 */
export function messageToOpenIM(
  command: string,
  d: MessageData,
  meta: Meta | undefined,
  { nowMs, operationID }: EncodeContext,
  { seq, withTarget }: { seq: number; withTarget: 'one' | 'none' | 'both' },
): object {
  const { contentType, content, atUserList } = elementsToOpenIM(d.elements);
  const system = d.msgFrom === 'system' || meta?.platform === 'RESTAPI';
  const time = timeOf(d, meta, nowMs);
  const body: Record<string, unknown> = {
    sendID: d.senderUserID,
    callbackCommand: command,
    serverMsgID: d.serverMsgID ?? '',
    clientMsgID: d.clientMsgID ?? '',
    operationID: meta?.operationID || operationID || '',
    senderPlatformID: d.sender.platformID || platformID(meta?.platform),
    senderNickname: d.sender.nickname,
    sessionType: d.sessionType === 'group' ? 3 : 1,
    msgFrom: system ? 200 : 100,
    contentType,
    status: system ? 0 : 1,
    sendTime: d.sendTime ?? time,
    createTime: d.createTime ?? time,
    content,
    seq,
    atUserList: contentType === 106 ? atUserList : null,
    faceURL: d.sender.faceURL,
    ex: d.cloudCustomData,
  };
  if (withTarget === 'one') {
    if (d.sessionType === 'group') body['groupID'] = d.groupID ?? '';
    else body['recvID'] = d.recvUserID ?? '';
  } else if (withTarget === 'both') {
    body['recvID'] = d.sessionType === 'group' ? '' : (d.recvUserID ?? '');
    body['groupID'] = d.sessionType === 'group' ? (d.groupID ?? '') : '';
  }
  return body;
}

/** The numbers Tencent identifies a message by, made from OpenIM's ids where Tencent's are missing. */
export function tencentIdentity(d: MessageData, meta: Meta | undefined, nowMs: number) {
  const seq = d.seq ?? tencentSeq(null, d.serverMsgID);
  const random = d.random ?? tencentRandom(d.clientMsgID);
  const timeSec = Math.floor(timeOf(d, meta, nowMs) / 1000);
  return { seq, random, timeSec, msgKey: d.msgKey ?? tencentMsgKey(seq, random, timeSec) };
}

/** Tencent's `GroupAtInfo` for a message's mentions (Tencent has mentions only in group after-send). */
export function groupAtInfo(d: MessageData): object[] {
  return [
    ...(d.atAll ? [{ GroupAtAllFlag: 1 }] : []),
    ...d.atUserIDs.map((id) => ({ GroupAtAllFlag: 0, GroupAt_Account: id })),
  ];
}

/** A Tencent message callback body, with the keys of Tencent's samples in their order. */
export function messageToTencent(
  command: string,
  d: MessageData,
  meta: Meta | undefined,
  nowMs: number,
  extra: { after?: boolean; failed?: boolean } = {},
): object {
  const { seq, random, timeSec, msgKey } = tencentIdentity(d, meta, nowMs);
  const MsgBody = elementsToTencent(d.elements);
  const eventTime = d.sendTime || meta?.eventTime || nowMs;
  if (d.sessionType === 'single') {
    return {
      CallbackCommand: command,
      From_Account: d.senderUserID,
      To_Account: d.recvUserID ?? '',
      MsgSeq: seq,
      MsgRandom: random,
      MsgTime: timeSec,
      MsgKey: msgKey,
      OnlineOnlyFlag: d.onlineOnly ? 1 : 0,
      ...(extra.after && {
        SendMsgResult: extra.failed ? (d.error?.code ?? 1) : 0,
        ErrorInfo: extra.failed ? (d.error?.message ?? '') : 'send msg succeed',
        UnreadMsgNum: extra.failed ? -1 : (d.unreadCount ?? 0),
      }),
      MsgBody,
      CloudCustomData: d.cloudCustomData,
    };
  }
  const mentions = extra.after && !extra.failed ? groupAtInfo(d) : [];
  return {
    CallbackCommand: command,
    GroupId: d.groupID ?? '',
    // Every OpenIM group reads as Tencent's Public group (docs/mappings.md#messages).
    Type: d.groupType ?? 'Public',
    From_Account: d.senderUserID,
    Operator_Account: d.operatorUserID,
    Random: random,
    ...(extra.after && !extra.failed && { MsgSeq: seq, MsgTime: timeSec }),
    OnlineOnlyFlag: d.onlineOnly ? 1 : 0,
    MsgBody,
    CloudCustomData: d.cloudCustomData,
    ...(mentions.length > 0 && { GroupAtInfo: mentions }),
    ...(extra.failed && { ErrorCode: d.error?.code ?? 1, ErrorInfo: d.error?.message ?? '' }),
    EventTime: eventTime,
  };
}

/** Whether every element is a system notification (not asked of a Tencent-format backend). */
export function isNotificationOnly(d: MessageData): boolean {
  return d.elements.length > 0 && d.elements.every((e) => e.type === 'notification');
}
