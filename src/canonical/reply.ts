import { readReplyBody } from '../replyBody.js';
import type { WireReply } from '../wire.js';
import { verdictSchema } from './schemas.js';
import type { Outcome, Phase } from './types.js';
import { allow, failed, ok } from './verdict.js';

/**
 * Reads a canonical backend's reply (MAPPINGS §5): non-2xx is a failure; for after-events any 2xx is an
 * ack; for before-events the body must be a canonical verdict.
 */
export function readCanonicalReply(reply: WireReply, phase: Phase): Outcome {
  if (reply.status < 200 || reply.status >= 300) return failed(`backend answered HTTP ${reply.status}`);
  if (phase === 'after') return ok(allow());
  const read = readReplyBody(verdictSchema, reply.body, false);
  if (!read.ok) return failed(read.wrong === 'not-json' ? 'backend reply is not JSON' : `backend reply is not a canonical verdict: ${read.message}`);
  // The reading may be shared with other replies of the same text: the verdict must be this call's own.
  return ok(structuredClone(read.value));
}
