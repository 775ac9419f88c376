import * as tencent from '../src/vendors/tencent/messageSchemas.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';
import { messageFromTencent, messageToTencent } from './messageFields.js';
import { EXAMPLE } from './messageSendBefore.js';
import { delivered } from './messageSent.js';

const T_C2C = 'C2C.CallbackAfterSendMsg';
const T_EXCEPTION = 'Group.CallbackSendMsgException';

/**
 * `im.message.send.failed`: a message could not be delivered (docs/mappings.md#messages). Tencent only;
 * OpenIM has no such callback, so an OpenIM-format backend is not told.
 */
export const messageSendFailed = defineMapping({
  type: 'im.message.send.failed',
  examples: [
    { ...EXAMPLE, error: { code: 20006, message: 'blocked' } },
    {
      ...EXAMPLE,
      sessionType: 'group',
      recvUserID: null,
      groupID: 'g1',
      error: { code: 10023, message: 'msg count exceeds limit,please retry later' },
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_C2C,
      schema: tencent.c2cAfterSend,
      when: (b) => !delivered(b),
      decode: messageFromTencent,
    }),
    decoder({
      vendor: 'tencent',
      command: T_EXCEPTION,
      schema: tencent.groupSendException,
      decode: messageFromTencent,
    }),
  ],
  encoders: {
    tencent: (d, ctx) => {
      const command = d.sessionType === 'single' ? T_C2C : T_EXCEPTION;
      return [wholeCall(command, messageToTencent(command, d, d.meta, ctx.nowMs, { after: true, failed: true }))];
    },
  },
});
