import { mixed, object, string } from 'yup';
import type { Outcome, Verdict } from '../../canonical/types.js';
import { allow, deny, failed, ok } from '../../canonical/verdict.js';
import { readReplyBody } from '../../replyBody.js';
import { elementsFromTencent, elementsToTencent, type TencentElement } from '../elements.js';
import { tencentAck, type TencentAck } from './envelope.js';
import { msgBody } from './messageSchemas.js';

/**
 * Tencent's before-send replies (docs/vendors/tencent.md#messages): `ErrorCode` alone decides, whatever
 * `ActionStatus` says — 0 sends (with the reply's `MsgBody` and `CloudCustomData` in place of the
 * message's), 1 refuses, 2 drops silently, a code in the command's range refuses with that code.
 */

/** A before-send reply: the ack, and the replacement body and custom data when allowed with a patch. */
export interface TencentMessageReply extends TencentAck {
  MsgBody?: TencentElement[];
  CloudCustomData?: string;
}

/** The deny codes each before-send command passes on to the sender (docs/vendors/tencent.md#messages). */
const DENY_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  'C2C.CallbackBeforeSendMsg': [120001, 130000],
  'Group.CallbackBeforeSendMsg': [10100, 10200],
};

/** `ErrorCode` 2: the message is dropped, and the sender is told it was sent. */
const DROP = 2;

/** Whether Tencent reads a command's reply as a before-send verdict. */
export function isBeforeSendCommand(command: string): boolean {
  return command in DENY_RANGES;
}

/** An integer, or a string of one: Tencent's server reads `"1"` as 1 (docs/vendors/tencent.md#replies). */
const code = mixed<number | string>().test(
  'code',
  '${path} must be an integer or a numeric string',
  (v) => v === undefined || Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d{1,15}$/.test(v)),
);

const replySchema = object({
  ErrorCode: code.defined('ErrorCode is missing'),
  ErrorInfo: string().optional(),
  MsgBody: msgBody.optional(),
  CloudCustomData: string().optional(),
});

/**
 * Reads a Tencent-format backend's before-send reply into a verdict. The patch is what the backend
 * sent: a settle step later drops what changes nothing (an empty `MsgBody`, the same custom data).
 */
export function readTencentMessageReply(body: string): Outcome {
  const read = readReplyBody(replySchema, body, true);
  if (!read.ok) {
    return failed(
      read.wrong === 'not-json'
        ? 'backend reply is not JSON'
        : `backend reply is not a Tencent envelope: ${read.message}`,
    );
  }
  const r = read.value;
  const errorCode = Number(r.ErrorCode);
  const info = r.ErrorInfo ?? '';
  if (errorCode === DROP) return ok({ ...deny(DROP, info), decision: 'drop' });
  if (errorCode !== 0) return ok(deny(errorCode, info));
  const verdict = allow();
  if (r.MsgBody && r.MsgBody.length > 0) verdict.patch.elements = elementsFromTencent(r.MsgBody as TencentElement[]);
  if (r.CloudCustomData !== undefined) verdict.patch.cloudCustomData = r.CloudCustomData;
  return ok(verdict);
}

/**
 * The reply to a Tencent before-send once the verdict is known: allow with the patch, a deny code the
 * command passes on (else 1, or `denyCode` when it is in range), drop as 2. Codes are JSON integers
 * and `ActionStatus` is `OK` whatever the decision (docs/vendors/tencent.md#replies).
 */
export function tencentMessageReply(command: string, verdict: Verdict, denyCode: number): TencentMessageReply {
  if (verdict.decision === 'drop') return { ActionStatus: 'OK', ErrorCode: DROP, ErrorInfo: verdict.message };
  if (verdict.decision === 'deny') {
    const [low, high] = DENY_RANGES[command] ?? [1, 1];
    const inRange = (c: number) => c >= low && c <= high;
    const errorCode = inRange(verdict.code) ? verdict.code : inRange(denyCode) ? denyCode : 1;
    return { ActionStatus: 'OK', ErrorCode: errorCode, ErrorInfo: verdict.message };
  }
  const reply: TencentMessageReply = tencentAck();
  if (verdict.patch.elements) reply.MsgBody = elementsToTencent(verdict.patch.elements);
  if (verdict.patch.cloudCustomData !== undefined) reply.CloudCustomData = verdict.patch.cloudCustomData;
  return reply;
}
