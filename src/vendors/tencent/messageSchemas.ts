import { array, mixed, number, string, type InferType } from 'yup';
import { uint32, unixMs } from '../../canonical/ints.js';
import { exactObject } from '../exact.js';

/**
 * yup schemas for Tencent's message callbacks (docs/vendors/tencent.md#messages). Optional wherever
 * Tencent's samples leave a field out on some paths (`MsgId`, `TopicId`, `EventTime`, `GroupAtInfo`,
 * `OnlineOnlyFlag`, `Operator_Account`, `CloudCustomData`, `UnreadMsgNum`); an element's `MsgContent`
 * is never refused for keys it has (Tencent adds element types and fields over time).
 */

const account = string().defined();
const command = <C extends string>(name: C) => string<C>().oneOf([name]).defined();

/**
 * `EventTime`: Unix ms, a JSON number — or, in every group sample Tencent publishes, a numeric string.
 * Both are read; anything else is refused naming the field.
 */
export const looseEventTime = () =>
  mixed<number | string>()
    .test('event-time', '${path} must be Unix milliseconds, a number or a numeric string', (v) => {
      if (v === undefined) return true;
      const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
      return unixMs().isValidSync(n, { strict: true });
    })
    .optional();

/** `EventTime` as a number, whichever way it came. */
export function eventTimeOf(v: number | string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

type Kind = 'string' | 'number' | { list: Record<string, Kind> } | 'list';

/**
 * The keys of each documented element's content and their JSON types (docs/vendors/tencent.md#message-elements).
 * A known key of the wrong type is refused — read as empty, it would change the message — while
 * unknown keys and unknown element types are kept as they came.
 */
const CONTENT_KEYS: Record<string, Record<string, Kind>> = {
  TIMTextElem: { Text: 'string' },
  TIMLocationElem: { Desc: 'string', Latitude: 'number', Longitude: 'number' },
  TIMFaceElem: { Index: 'number', Data: 'string' },
  TIMCustomElem: { Data: 'string', Desc: 'string', Ext: 'string', Sound: 'string' },
  TIMSoundElem: { Url: 'string', URL: 'string', UUID: 'string', Size: 'number', Second: 'number' },
  TIMImageElem: {
    UUID: 'string',
    ImageFormat: 'number',
    ImageInfoArray: { list: { Type: 'number', Size: 'number', Width: 'number', Height: 'number', URL: 'string' } },
  },
  TIMFileElem: { Url: 'string', UUID: 'string', FileSize: 'number', FileName: 'string' },
  TIMVideoFileElem: {
    VideoUrl: 'string',
    VideoUUID: 'string',
    VideoSize: 'number',
    VideoSecond: 'number',
    VideoFormat: 'string',
    ThumbUrl: 'string',
    ThumbUUID: 'string',
    ThumbSize: 'number',
    ThumbWidth: 'number',
    ThumbHeight: 'number',
    ThumbFormat: 'string',
  },
  TIMRelayElem: {
    Title: 'string',
    MsgNum: 'number',
    CompatibleText: 'string',
    AbstractList: 'list',
    MsgList: 'list',
    JsonMsgKey: 'string',
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The first known key of `content` whose value has the wrong JSON type, as `<key> must be …`. */
function wrongKey(content: Record<string, unknown>, keys: Record<string, Kind>, at: string): string | undefined {
  for (const [key, kind] of Object.entries(keys)) {
    const v = content[key];
    if (v === undefined) continue;
    const where = `${at}.${key}`;
    if (kind === 'string' || kind === 'number') {
      if (typeof v !== kind) return `${where} must be a ${kind}`;
    } else if (!Array.isArray(v)) {
      return `${where} must be a list`;
    } else if (kind !== 'list') {
      for (const [i, item] of v.entries()) {
        if (!isObject(item)) return `${where}[${i}] must be an object`;
        const wrong = wrongKey(item, kind.list, `${where}[${i}]`);
        if (wrong) return wrong;
      }
    }
  }
  return undefined;
}

/** One element of a `MsgBody`: any `MsgType`, its content an object; known keys of known types checked. */
const element = exactObject({
  MsgType: string().defined(),
  MsgContent: mixed<Record<string, unknown>>().test('content', '${path} must be an object', isObject).defined(),
}).test('content keys', (e, ctx) => {
  const keys = e && isObject(e.MsgContent) ? CONTENT_KEYS[e.MsgType] : undefined;
  const wrong = keys && wrongKey(e!.MsgContent, keys, `${ctx.path}.MsgContent`);
  return wrong ? ctx.createError({ message: wrong }) : true;
});
export const msgBody = array(element.defined()).defined();

const c2cBase = {
  From_Account: account,
  To_Account: account,
  MsgSeq: uint32().defined(),
  MsgRandom: uint32().defined(),
  MsgTime: number().integer().min(0).max(8.64e12).defined(),
  MsgKey: string().defined(),
  MsgId: string().optional(),
  OnlineOnlyFlag: number().integer().oneOf([0, 1]).optional(),
  MsgBody: msgBody,
  CloudCustomData: string().optional(),
  EventTime: looseEventTime(),
};

export const c2cBeforeSend = exactObject({ CallbackCommand: command('C2C.CallbackBeforeSendMsg'), ...c2cBase });
export type C2CBeforeSend = InferType<typeof c2cBeforeSend>;

export const c2cAfterSend = exactObject({
  CallbackCommand: command('C2C.CallbackAfterSendMsg'),
  ...c2cBase,
  SendMsgResult: number().integer().defined(),
  ErrorInfo: string().optional(),
  UnreadMsgNum: number().integer().optional(),
});
export type C2CAfterSend = InferType<typeof c2cAfterSend>;

const groupAtInfo = array(
  exactObject({
    GroupAtAllFlag: number().integer().oneOf([0, 1]).defined(),
    GroupAt_Account: string().optional(),
  }).defined(),
).optional();

const groupBase = {
  GroupId: account,
  Type: string().defined(),
  From_Account: account,
  Operator_Account: string().optional(),
  Random: uint32().defined(),
  OnlineOnlyFlag: number().integer().oneOf([0, 1]).optional(),
  MsgBody: msgBody,
  CloudCustomData: string().optional(),
  TopicId: string().optional(),
  MsgId: string().optional(),
  EventTime: looseEventTime(),
};

export const groupBeforeSend = exactObject({ CallbackCommand: command('Group.CallbackBeforeSendMsg'), ...groupBase });
export type GroupBeforeSend = InferType<typeof groupBeforeSend>;

export const groupAfterSend = exactObject({
  CallbackCommand: command('Group.CallbackAfterSendMsg'),
  ...groupBase,
  MsgSeq: uint32().defined(),
  MsgTime: number().integer().min(0).max(8.64e12).defined(),
  GroupAtInfo: groupAtInfo,
});
export type GroupAfterSend = InferType<typeof groupAfterSend>;

export const groupSendException = exactObject({
  CallbackCommand: command('Group.CallbackSendMsgException'),
  ...groupBase,
  ErrorCode: number().integer().defined(),
  ErrorInfo: string().optional(),
});
export type GroupSendException = InferType<typeof groupSendException>;

export const c2cMsgReport = exactObject({
  CallbackCommand: command('C2C.CallbackAfterMsgReport'),
  Report_Account: account,
  Peer_Account: account,
  LastReadTime: number().integer().min(0).max(8.64e12).defined(),
  UnreadMsgNum: number().integer().optional(),
  EventTime: looseEventTime(),
});
export type C2CMsgReport = InferType<typeof c2cMsgReport>;

export const c2cWithdraw = exactObject({
  CallbackCommand: command('C2C.CallbackAfterMsgWithDraw'),
  From_Account: account,
  To_Account: account,
  MsgKey: string().defined(),
  UnreadMsgNum: number().integer().optional(),
  EventTime: looseEventTime(),
});
export type C2CWithdraw = InferType<typeof c2cWithdraw>;

export const groupRecall = exactObject({
  CallbackCommand: command('Group.CallbackAfterRecallMsg'),
  Operator_Account: account,
  Type: string().defined(),
  GroupId: account,
  MsgSeqList: array(exactObject({ MsgSeq: uint32().defined() }).defined()).defined(),
  TopicId: string().optional(),
  EventTime: looseEventTime(),
});
export type GroupRecall = InferType<typeof groupRecall>;

export const groupReadReceipt = exactObject({
  CallbackCommand: command('Group.CallbackAfterReadReceipt'),
  GroupId: account,
  Type: string().defined(),
  GroupMsgReceiptList: array(
    exactObject({
      MsgSeq: uint32().defined(),
      ReadNum: number().integer().min(0).defined(),
      UnreadNum: number().integer().min(0).defined(),
      ReadReceiptMembers: array(exactObject({ Member_Account: account }).defined()).defined(),
    }).defined(),
  ).defined(),
  EventTime: looseEventTime(),
});
export type GroupReadReceipt = InferType<typeof groupReadReceipt>;
