import { readReplyBody, replyProblem } from '../replyBody.js';
import { verdictSchema } from './schemas.js';
import type { Outcome, Phase } from './types.js';
import { allow, failed, ok } from './verdict.js';

/**
 * Reads a canonical backend's reply body (docs/mappings.md#reading-backend-replies): for after-events any body is an ack; for
 * before-events the body must be a canonical verdict. The HTTP status is judged by the caller
 * (`exchange`): non-2xx is a failure unless the body is a verdict that denies.
 */
export function readCanonicalReply(body: string, phase: Phase): Outcome {
  if (phase === 'after') return ok(allow());
  const read = readReplyBody(verdictSchema, body, false);
  if (!read.ok) return failed(replyProblem(read, 'a canonical verdict'));
  // The reading may be shared with other replies of the same text: the verdict must be this call's own.
  return ok(structuredClone(read.value));
}
