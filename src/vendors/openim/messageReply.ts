import type { Verdict } from '../../canonical/types.js';
import { elementsToOpenIM } from '../elements.js';
import { openimAllow, openimDeny, openimDrop, type OpenIMReply } from './envelope.js';

/**
 * OpenIM's message replies (docs/vendors/openim.md#messages): a before-send can only continue or
 * refuse; the modify callback is where a changed message goes back, as `CallbackMsgModifyCommandResp`.
 */

/** What OpenIM reads from a modify reply imbridge writes, in its Go struct's order. */
export interface OpenIMModifyReply extends OpenIMReply {
  content?: string;
  contentType?: number;
  atUserIDList?: string[];
}

/**
 * The reply to OpenIM's modify callback: the common fields, then only what changes — `content` (the
 * new elements' content), `contentType` when it differs from the request's, `atUserIDList` for an @
 * message, `ex` when it differs. Never anything else: OpenIM would apply any non-null field, and an
 * `offlinePushInfo` on a message without one crashes its send (docs/vendors/openim.md#messages).
 */
export function openimModifyReply(
  verdict: Verdict,
  denyCode: number,
  request: { contentType: number; ex: string },
): OpenIMModifyReply {
  if (verdict.decision === 'drop') return openimDrop(verdict, denyCode);
  if (verdict.decision === 'deny') return openimDeny(verdict, denyCode);
  const reply: OpenIMModifyReply = openimAllow();
  const { elements, cloudCustomData } = verdict.patch;
  if (elements && elements.length > 0) {
    const { contentType, content, atUserList } = elementsToOpenIM(elements);
    reply.content = content;
    if (contentType !== request.contentType) reply.contentType = contentType;
    if (atUserList) reply.atUserIDList = atUserList;
  }
  if (cloudCustomData !== undefined && cloudCustomData !== request.ex) reply.ex = cloudCustomData;
  return reply;
}
