import { object, string } from 'yup';
import type { Outcome, Verdict } from '../../canonical/types.js';
import { allow, deny, failed, ok } from '../../canonical/verdict.js';
import { readReplyBody, replyProblem } from '../../replyBody.js';
import { elementsFromTencent, elementsToTencent, type TencentElement } from '../elements.js';
import { tencentAck, type TencentAck } from './envelope.js';
import { denyErrorCode, errorCodeSchema } from './errorCode.js';
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

const BEFORE_SEND = new Set(['C2C.CallbackBeforeSendMsg', 'Group.CallbackBeforeSendMsg']);

/** `ErrorCode` 2: the message is dropped, and the sender is told it was sent. */
const DROP = 2;

/** Whether Tencent reads a command's reply as a before-send verdict. */
export function isBeforeSendCommand(command: string): boolean {
  return BEFORE_SEND.has(command);
}

const replySchema = object({
  ErrorCode: errorCodeSchema.defined('ErrorCode is missing'),
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
  if (!read.ok) return failed(replyProblem(read, 'a Tencent envelope'));
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
  if (verdict.decision === 'deny')
    return {
      ActionStatus: 'OK',
      ErrorCode: denyErrorCode(command, verdict.code, denyCode),
      ErrorInfo: verdict.message,
    };
  const reply: TencentMessageReply = tencentAck();
  if (verdict.patch.elements) reply.MsgBody = elementsToTencent(verdict.patch.elements);
  if (verdict.patch.cloudCustomData !== undefined) reply.CloudCustomData = verdict.patch.cloudCustomData;
  return reply;
}
