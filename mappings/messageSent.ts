import * as openim from '../src/vendors/openim/messageSchemas.js';
import * as tencent from '../src/vendors/tencent/messageSchemas.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';
import {
  isNotificationOnly,
  messageFromOpenIM,
  messageFromTencent,
  messageToOpenIM,
  messageToTencent,
} from './messageFields.js';
import { messageSendBefore } from './messageSendBefore.js';

const T_C2C = 'C2C.CallbackAfterSendMsg';
const T_GROUP = 'Group.CallbackAfterSendMsg';
const O_SINGLE = 'callbackAfterSendSingleMsgCommand';
const O_GROUP = 'callbackAfterSendGroupMsgCommand';

/** Whether a Tencent C2C after-send reports a delivered message (`SendMsgResult` 0) rather than a failed one. */
export function delivered(body: unknown): boolean {
  return (body as { SendMsgResult?: unknown }).SendMsgResult === 0;
}

/**
 * `im.message.sent`: a message was delivered (docs/mappings.md#messages). Tencent's C2C after-send
 * reports failures too; those are `im.message.send.failed`.
 */
export const messageSent = defineMapping({
  type: 'im.message.sent',
  examples: messageSendBefore.examples,
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_C2C,
      schema: tencent.c2cAfterSend,
      when: delivered,
      decode: messageFromTencent,
    }),
    decoder({ vendor: 'tencent', command: T_GROUP, schema: tencent.groupAfterSend, decode: messageFromTencent }),
    decoder({ vendor: 'openim', command: O_SINGLE, schema: openim.singleMessage, decode: messageFromOpenIM }),
    decoder({ vendor: 'openim', command: O_GROUP, schema: openim.groupMessage, decode: messageFromOpenIM }),
  ],
  encoders: {
    tencent: (d, ctx) => {
      if (isNotificationOnly(d)) return [];
      const command = d.sessionType === 'single' ? T_C2C : T_GROUP;
      return [wholeCall(command, messageToTencent(command, d, d.meta, ctx.nowMs, { after: true }))];
    },
    openim: (d, ctx) => {
      const command = d.sessionType === 'single' ? O_SINGLE : O_GROUP;
      return [wholeCall(command, messageToOpenIM(command, d, d.meta, ctx, { seq: d.seq ?? 0, withTarget: 'one' }))];
    },
  },
  losses: [
    { vendor: 'tencent', command: T_C2C, lost: 'to OpenIM: `OnlineOnlyFlag`, `MsgId`, `UnreadMsgNum`' },
    { vendor: 'tencent', command: T_GROUP, lost: 'to OpenIM: `OnlineOnlyFlag`, `TopicId`, group `Type`, `MsgId`' },
    {
      vendor: 'openim',
      command: O_SINGLE,
      lost: 'to Tencent: `senderNickname`, `faceURL`, `createTime`, `status`, message ids',
    },
    {
      vendor: 'openim',
      command: O_GROUP,
      lost: 'to Tencent: `senderNickname`, `faceURL`, `createTime`, `status`, message ids',
    },
  ],
});
