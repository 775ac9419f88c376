import { array, boolean, mixed, number, object, string, type ObjectSchema, type Schema } from 'yup';
import { CATALOG } from './catalog.js';
import { unixMs } from './ints.js';
import {
  groupCreateSchema,
  groupCreatedSchema,
  groupDismissedSchema,
  groupFullSchema,
  groupInfoUpdateSchema,
  groupInfoUpdatedSchema,
  groupInviteSchema,
  groupJoinSchema,
  groupOwnerChangedSchema,
  groupPatchShape,
  membersJoinSchema,
  membersJoinedSchema,
  membersLeftSchema,
  memberUpdateSchema,
  memberUpdatedSchema,
  offlineDataSchema,
  onlineDataSchema,
} from './groupSchemas.js';
import { messageDataSchema, messagePatchShape, readDataSchema, recallDataSchema } from './messageSchemas.js';
import type { CanonicalType, DataByType, Meta, ProfileChanges, RegisterUser, Verdict } from './types.js';

/**
 * yup schemas for every canonical type's `data`, whole events and the canonical verdict. They are the
 * source of the JSON Schemas published in `schemas/`, and what imbridge validates a canonical
 * backend's reply with. Validate data with `strict` (no coercion).
 */

const id = string().defined();
const text = string().defined();
const int = number().integer().defined();

/** `meta`: every key optional (docs/mappings.md#canonical-events). */
export const metaSchema: ObjectSchema<Meta> = object({
  clientIP: string().optional(),
  platform: string().optional(),
  sdkAppId: string().optional(),
  operationID: string().optional(),
  eventTime: unixMs().optional(),
});

const withMeta = <T extends object>(shape: ObjectSchema<T>) =>
  shape.shape({ meta: metaSchema.default(undefined).optional() });

const friendPair = object({ ownerUserID: id, friendUserID: id });
const blackPair = object({ ownerUserID: id, blackUserID: id });
const remark = object({ ownerUserID: id, friendUserID: id, remark: text });

/** A map of raw profile tags to their string or number values. */
const customTags = mixed<Record<string, string | number>>()
  .test(
    'custom-tags',
    '${path} must map tags to strings or numbers',
    (v) =>
      v === undefined ||
      (typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        Object.values(v).every((x) => typeof x === 'string' || typeof x === 'number')),
  )
  .optional()
  .meta({ jsonSchema: { type: 'object', additionalProperties: { type: ['string', 'number'] } } });

/** Profile changes: absent keys did not change. */
export const profileChangesSchema: ObjectSchema<ProfileChanges> = object({
  nickname: string().optional(),
  faceURL: string().optional(),
  ex: string().optional(),
  gender: string<'unknown' | 'female' | 'male'>().oneOf(['unknown', 'female', 'male']).optional(),
  birthday: number().integer().optional(),
  signature: string().optional(),
  location: string().optional(),
  language: number().integer().optional(),
  level: number().integer().optional(),
  role: number().integer().optional(),
  allowType: string<'need_confirm' | 'allow_any' | 'deny_any'>()
    .oneOf(['need_confirm', 'allow_any', 'deny_any'])
    .optional(),
  custom: customTags,
})
  .noUnknown()
  .meta({ jsonSchema: { additionalProperties: false } }) as ObjectSchema<ProfileChanges>;

export const registerUserSchema: ObjectSchema<RegisterUser> = object({
  userID: id,
  nickname: text,
  faceURL: text,
  ex: text,
  createTime: int,
  appManagerLevel: int,
  globalRecvMsgOpt: int,
});

const users = object({ users: array(registerUserSchema.defined()).defined() });

/** `data` schema per canonical type. */
export const dataSchemas: { [T in CanonicalType]: Schema<DataByType[T]> } = {
  'im.friend.apply.before': withMeta(
    object({
      fromUserID: id,
      requesterUserID: id,
      addType: string<'both' | 'single'>().oneOf(['both', 'single']).defined(),
      force: boolean().defined(),
      targets: array(
        object({ toUserID: id, message: text, remark: text, group: text, source: text, ex: text }).defined(),
      ).defined(),
    }),
  ),
  'im.friend.apply.after': withMeta(object({ fromUserID: id, toUserID: id, message: text })),
  'im.friend.respond.before': withMeta(
    object({
      responderUserID: id,
      items: array(
        object({
          applicantUserID: id,
          action: string<'agree' | 'agree_and_add' | 'reject'>().oneOf(['agree', 'agree_and_add', 'reject']).defined(),
          remark: text,
          group: text,
          message: text,
        }).defined(),
      ).defined(),
    }),
  ),
  'im.friend.added': withMeta(
    object({
      pairs: array(object({ ownerUserID: id, friendUserID: id, initiatorUserID: id }).defined()).defined(),
      cause: string<DataByType['im.friend.added']['cause']>()
        .oneOf(['apply', 'respond', 'import', 'unknown'])
        .defined(),
      clientCmd: text,
      adminUserID: text,
      force: boolean().defined(),
      message: text,
    }),
  ),
  'im.friend.deleted': withMeta(object({ pairs: array(friendPair.defined()).defined() })),
  'im.friend.import.before': withMeta(object({ ownerUserID: id, friendUserIDs: array(id).defined() })),
  'im.friend.remark.before': withMeta(remark),
  'im.friend.remark.updated': withMeta(remark),
  'im.blacklist.add.before': withMeta(blackPair),
  'im.blacklist.added': withMeta(object({ pairs: array(blackPair.defined()).defined() })),
  'im.blacklist.removed': withMeta(object({ pairs: array(blackPair.defined()).defined() })),
  'im.user.profile.update.before': withMeta(object({ userID: id, changes: profileChangesSchema.defined() })),
  'im.user.profile.updated': withMeta(
    object({
      userID: id,
      operatorUserID: text,
      changes: profileChangesSchema.defined(),
      eventTime: unixMs().nullable().defined(),
    }),
  ),
  'im.user.register.before': withMeta(users),
  'im.user.register.after': withMeta(users),
  'im.message.send.before': withMeta(messageDataSchema),
  'im.message.modify.before': withMeta(messageDataSchema),
  'im.message.sent': withMeta(messageDataSchema),
  'im.message.send.failed': withMeta(messageDataSchema),
  'im.message.stored': withMeta(messageDataSchema),
  'im.message.read': withMeta(readDataSchema),
  'im.message.recalled': withMeta(recallDataSchema),
  'im.user.online': withMeta(onlineDataSchema),
  'im.user.offline': withMeta(offlineDataSchema),
  'im.group.create.before': withMeta(groupCreateSchema),
  'im.group.created': withMeta(groupCreatedSchema),
  'im.group.dismissed': withMeta(groupDismissedSchema),
  'im.group.info.update.before': withMeta(groupInfoUpdateSchema),
  'im.group.info.updated': withMeta(groupInfoUpdatedSchema),
  'im.group.owner.changed': withMeta(groupOwnerChangedSchema),
  'im.group.full': withMeta(groupFullSchema),
  'im.group.join.before': withMeta(groupJoinSchema),
  'im.group.invite.before': withMeta(groupInviteSchema),
  'im.group.members.join.before': withMeta(membersJoinSchema),
  'im.group.members.joined': withMeta(membersJoinedSchema),
  'im.group.members.left': withMeta(membersLeftSchema),
  'im.group.member.update.before': withMeta(memberUpdateSchema),
  'im.group.member.updated': withMeta(memberUpdatedSchema),
};

/** A whole canonical event of one type: the CloudEvents envelope around its `data`. */
export function eventSchema(type: CanonicalType): Schema<unknown> {
  return object({
    specversion: string().oneOf(['1.0']).defined(),
    id: string().min(1).defined(),
    source: string().min(1).defined(),
    type: string().oneOf([type]).defined(),
    time: string().defined(),
    datacontenttype: string().oneOf(['application/json']).defined(),
    imvendor: string().oneOf(['tencent', 'openim']).defined(),
    imcommand: string().defined(),
    data: (dataSchemas[type] as unknown as ObjectSchema<object>).defined(),
  }).meta({
    jsonSchema: { title: type, description: `imbridge canonical event ${type} (${CATALOG[type].phase})` },
  }) as Schema<unknown>;
}

/** `drop` (a message sent to nobody, its sender told it went) means something for `im.message.send.before` only. */
const decision = string<'allow' | 'deny' | 'drop'>().oneOf(['allow', 'deny', 'drop']).defined();

/**
 * A canonical backend's reply to a before-event. Only `decision` is required; the rest default, so a
 * backend may answer just `{"decision":"allow"}`.
 */
export const verdictSchema: ObjectSchema<Verdict> = object({
  decision,
  code: number().integer().default(0),
  message: string().default(''),
  detail: string().default(''),
  items: array(
    object({
      userID: id,
      decision,
      code: number().integer().default(0),
      message: string().default(''),
    }).defined(),
  ).default([]),
  patch: object({
    friendUserIDs: array(id).optional(),
    remark: string().optional(),
    nickname: string().optional(),
    faceURL: string().optional(),
    ex: string().optional(),
    users: array(registerUserSchema.defined()).optional(),
    ...messagePatchShape,
    ...groupPatchShape,
  }).default({}),
}).meta({
  jsonSchema: {
    title: 'verdict',
    description: "imbridge canonical verdict: a canonical backend's reply to a before-event",
  },
}) as ObjectSchema<Verdict>;
