import type { Phase, Verdict } from '../../canonical/types.js';
import { isModifyCommand, openimReply } from './envelope.js';
import { isGroupAnswerCommand, openimGroupAnswer } from './groupAnswer.js';
import { openimModifyReply } from './messageReply.js';

/** What a modify reply is measured against: the message's content type and `ex` as OpenIM sent them. */
function modifyRequest(body: Record<string, unknown>): { contentType: number; ex: string } {
  const { contentType, ex } = body;
  return { contentType: typeof contentType === 'number' ? contentType : 0, ex: typeof ex === 'string' ? ex : '' };
}

/**
 * imbridge's answer to any OpenIM callback once the verdict is known, in the reply struct of the
 * command OpenIM called: the message-modify reply, a group reply with the values the command takes,
 * or the common envelope.
 */
export function openimAnswer(
  command: string,
  phase: Phase,
  request: Record<string, unknown>,
  verdict: Verdict,
  denyCode: number,
): object {
  if (isModifyCommand(command)) return openimModifyReply(verdict, denyCode, modifyRequest(request));
  if (phase === 'before' && isGroupAnswerCommand(command))
    return openimGroupAnswer(command, request, verdict, denyCode);
  return openimReply(phase, verdict, denyCode);
}
