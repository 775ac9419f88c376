import { convertSchema } from '@sodaru/yup-to-json-schema';
import {
  array,
  boolean,
  mixed,
  number,
  object,
  string,
  ValidationError,
  type AnySchema,
  type ObjectSchema,
  type Schema,
} from 'yup';
import type { Element, ElementType, MessageData, ReadData, RecallData } from './message.js';

/** yup schemas of the message model (src/canonical/message.ts), the source of their JSON Schemas. */

const text = string().defined();
const int = number().integer().defined();
const nullableText = string().nullable().defined();
const nullableInt = number().integer().nullable().defined();

const picture = object({ url: text, size: int, width: int, height: int }).nullable().defined();

/** Each element type's own schema; an element is checked against the one its `type` names. */
const ELEMENT_SHAPES: { [T in ElementType]: ObjectSchema<object> } = {
  text: object({ type: string().oneOf(['text']).defined(), text }),
  at: object({
    type: string().oneOf(['at']).defined(),
    text,
    atUserIDs: array(text).defined(),
    atAll: boolean().defined(),
    atUsersInfo: array(object({ userID: text, groupNickname: text }).defined()).defined(),
  }),
  image: object({
    type: string().oneOf(['image']).defined(),
    uuid: text,
    format: string().oneOf(['jpg', 'gif', 'png', 'bmp', 'other']).defined(),
    original: picture,
    large: picture,
    thumb: picture,
  }),
  sound: object({ type: string().oneOf(['sound']).defined(), uuid: text, url: text, size: int, seconds: int }),
  video: object({
    type: string().oneOf(['video']).defined(),
    uuid: text,
    url: text,
    size: int,
    seconds: int,
    format: text,
    thumbUUID: text,
    thumbURL: text,
    thumbSize: int,
    thumbWidth: int,
    thumbHeight: int,
    thumbFormat: text,
  }),
  file: object({ type: string().oneOf(['file']).defined(), uuid: text, url: text, size: int, name: text }),
  location: object({
    type: string().oneOf(['location']).defined(),
    description: text,
    latitude: number().defined(),
    longitude: number().defined(),
  }),
  face: object({ type: string().oneOf(['face']).defined(), index: int, data: text }),
  custom: object({
    type: string().oneOf(['custom']).defined(),
    data: text,
    description: text,
    extension: text,
    sound: text,
  }),
  merged: object({
    type: string().oneOf(['merged']).defined(),
    title: text,
    abstracts: array(text).defined(),
    compatibleText: text,
    jsonMsgKey: text,
    // Nested messages hold elements again; their shape is described once, here without recursion.
    messages: array(
      object({
        senderUserID: text,
        recvUserID: nullableText,
        groupID: nullableText,
        seq: int,
        random: int,
        time: int,
        elements: array(
          mixed()
            .defined()
            .meta({ jsonSchema: { type: 'object' } }),
        ).defined(),
        cloudCustomData: text,
      }).defined(),
    ).defined(),
  }),
  quote: object({
    type: string().oneOf(['quote']).defined(),
    text,
    quoted: object({
      serverMsgID: text,
      clientMsgID: text,
      senderUserID: text,
      seq: int,
      contentType: int,
      content: text,
    }).defined(),
  }),
  notification: object({ type: string().oneOf(['notification']).defined(), contentType: int }),
  raw: object({
    type: string().oneOf(['raw']).defined(),
    vendor: string().oneOf(['tencent', 'openim']).defined(),
    kind: text,
    content: text,
  }),
};

/** Every element type's name. */
export const ELEMENT_TYPES = Object.keys(ELEMENT_SHAPES) as ElementType[];

/** One element: checked against the schema of the type it names (a JSON Schema `oneOf` when published). */
export const elementSchema = mixed<Element>()
  .test('element', (value, ctx) => {
    const type = (value as { type?: unknown } | undefined)?.type;
    const shape = typeof type === 'string' ? ELEMENT_SHAPES[type as ElementType] : undefined;
    if (!shape)
      return ctx.createError({
        message: `${ctx.path} must be an element whose type is one of ${ELEMENT_TYPES.join(', ')}`,
      });
    try {
      shape.noUnknown().validateSync(value, { strict: true });
      return true;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return ctx.createError({ message: `${ctx.path}: ${err.message}` });
    }
  })
  .defined()
  .meta({
    jsonSchema: { type: 'object', oneOf: ELEMENT_TYPES.map((t) => convertSchema(ELEMENT_SHAPES[t] as AnySchema)) },
  });

const elements = array(elementSchema).defined();

export const messageDataSchema: ObjectSchema<MessageData> = object({
  sessionType: string<'single' | 'group'>().oneOf(['single', 'group']).defined(),
  senderUserID: text,
  recvUserID: nullableText,
  groupID: nullableText,
  groupType: nullableText,
  topicID: nullableText,
  operatorUserID: text,
  serverMsgID: nullableText,
  clientMsgID: nullableText,
  seq: nullableInt,
  msgKey: nullableText,
  random: nullableInt,
  tencentMsgId: nullableText,
  sendTime: nullableInt,
  createTime: nullableInt,
  msgFrom: string<'user' | 'system'>().oneOf(['user', 'system']).defined(),
  onlineOnly: boolean().defined(),
  sender: object({ nickname: text, faceURL: text, platformID: int }).defined(),
  elements,
  atUserIDs: array(text).defined(),
  atAll: boolean().defined(),
  cloudCustomData: text,
  error: object({ code: int, message: text }).nullable().defined(),
  unreadCount: nullableInt,
}) as ObjectSchema<MessageData>;

export const readDataSchema: ObjectSchema<ReadData> = object({
  sessionType: string<'single' | 'group'>().oneOf(['single', 'group']).defined(),
  readerUserID: text,
  peerUserID: nullableText,
  groupID: nullableText,
  conversationID: text,
  seqs: array(int).defined(),
  hasReadSeq: nullableInt,
  readTime: nullableInt,
  unreadCount: nullableInt,
  receipts: array(
    object({ seq: int, readCount: int, unreadCount: int, readerUserIDs: array(text).defined() }).defined(),
  )
    .nullable()
    .defined(),
}) as ObjectSchema<ReadData>;

export const recallDataSchema: ObjectSchema<RecallData> = object({
  sessionType: string<'single' | 'group'>().oneOf(['single', 'group']).defined(),
  operatorUserID: text,
  senderUserID: nullableText,
  recvUserID: nullableText,
  groupID: nullableText,
  topicID: nullableText,
  conversationID: text,
  messages: array(object({ seq: nullableInt, msgKey: nullableText }).defined()).defined(),
}) as ObjectSchema<RecallData>;

/** A patch's message fields (the verdict schema adds them). */
export const messagePatchShape = {
  elements: array(elementSchema).optional() as Schema<Element[] | undefined>,
  cloudCustomData: string().optional(),
};
