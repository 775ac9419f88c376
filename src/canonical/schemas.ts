import { array, boolean, number, object, string, type ObjectSchema, type Schema } from 'yup';
import type { CanonicalType, DataByType, Meta, Verdict } from './types.js';

/**
 * yup schemas for every canonical type's `data` and for the canonical verdict. They are the source the
 * published JSON Schemas are checked against, and what imbridge validates a canonical backend's reply
 * with. Validate with `strict` (no coercion).
 */

const id = string().defined();

/** `meta`: every key optional (MAPPINGS §2). */
export const metaSchema: ObjectSchema<Meta> = object({
  clientIP: string().optional(),
  platform: string().optional(),
  sdkAppId: string().optional(),
  operationID: string().optional(),
  eventTime: number().integer().optional(),
});

const withMeta = <T extends object>(shape: ObjectSchema<T>) => shape.shape({ meta: metaSchema.default(undefined).optional() });

const friendPair = object({ ownerUserID: id, friendUserID: id });
const blackPair = object({ ownerUserID: id, blackUserID: id });

/** `data` schema per canonical type. */
export const dataSchemas: { [T in CanonicalType]: Schema<DataByType[T]> } = {
  'im.friend.apply.after': withMeta(object({ fromUserID: id, toUserID: id, message: string().defined() })),
  'im.friend.added': withMeta(
    object({
      pairs: array(object({ ownerUserID: id, friendUserID: id, initiatorUserID: id }).defined()).defined(),
      cause: string<DataByType['im.friend.added']['cause']>().oneOf(['apply', 'respond', 'import', 'unknown']).defined(),
      clientCmd: string().defined(),
      adminUserID: string().defined(),
      force: boolean().defined(),
    }),
  ),
  'im.friend.deleted': withMeta(object({ pairs: array(friendPair.defined()).defined() })),
  'im.friend.import.before': withMeta(object({ ownerUserID: id, friendUserIDs: array(id).defined() })),
  'im.blacklist.removed': withMeta(object({ pairs: array(blackPair.defined()).defined() })),
};

const decision = string<'allow' | 'deny'>().oneOf(['allow', 'deny']).defined();

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
  patch: object({ friendUserIDs: array(id).optional() }).default({}),
}) as ObjectSchema<Verdict>;
