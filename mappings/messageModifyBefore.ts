import * as openim from '../src/vendors/openim/messageSchemas.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';
import { messageFromOpenIM, messageToOpenIM } from './messageFields.js';
import { messageSendBefore, settleMessagePatch } from './messageSendBefore.js';

const O_CMD = 'callbackBeforeMsgModifyCommand';
/** Its name before OpenIM v3.7 (docs/vendors/openim.md#versions). */
const O_CMD_OLD = 'callbackMsgModifyCommand';

/**
 * `im.message.modify.before`: OpenIM's last chance to rewrite a message it already allowed
 * (docs/mappings.md#message-modification). The body names neither recipient nor group, so a
 * Tencent-format backend is not asked: what it wanted changed it said in its before-send reply, which
 * imbridge remembered and answers here without a call.
 */
export const messageModifyBefore = defineMapping({
  type: 'im.message.modify.before',
  examples: [{ ...messageSendBefore.examples[0], recvUserID: null }],
  decoders: [O_CMD, O_CMD_OLD].map((command) =>
    decoder({ vendor: 'openim', command, schema: openim.modifyMessage, decode: messageFromOpenIM }),
  ),
  encoders: {
    openim: (d, ctx) => [wholeCall(O_CMD, messageToOpenIM(O_CMD, d, d.meta, ctx, { seq: 0, withTarget: 'none' }))],
  },
  settle: settleMessagePatch,
  losses: [{ vendor: 'openim', command: O_CMD, lost: 'to Tencent: not sent (no recipient or group in the body)' }],
});
