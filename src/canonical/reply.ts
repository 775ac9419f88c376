import { ValidationError } from 'yup';
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
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    return failed('backend reply is not JSON');
  }
  try {
    return ok(verdictSchema.validateSync(body));
  } catch (err) {
    return failed(`backend reply is not a canonical verdict: ${err instanceof ValidationError ? err.message : err}`);
  }
}
