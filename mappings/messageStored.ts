import * as openim from '../src/vendors/openim/messageSchemas.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';
import { messageFromOpenIM, messageToOpenIM } from './messageFields.js';
import { messageSendBefore } from './messageSendBefore.js';

const O_CMD = 'callbackAfterMsgSaveDBCommand';

/**
 * `im.message.stored`: OpenIM persisted a message, with its real `seq` (docs/vendors/openim.md#messages;
 * OpenIM `main` only). Tencent has no such callback.
 */
export const messageStored = defineMapping({
  type: 'im.message.stored',
  examples: [{ ...messageSendBefore.examples[0], seq: 42 }],
  decoders: [decoder({ vendor: 'openim', command: O_CMD, schema: openim.storedMessage, decode: messageFromOpenIM })],
  encoders: {
    openim: (d, ctx) => [
      wholeCall(O_CMD, messageToOpenIM(O_CMD, d, d.meta, ctx, { seq: d.seq ?? 0, withTarget: 'both' })),
    ],
  },
});
