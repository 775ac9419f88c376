import type { DataByType, Verdict } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/messageSchemas.js';
import * as tencent from '../src/vendors/tencent/messageSchemas.js';
import { decoder, defineMapping } from './mapping.js';
import {
  isNotificationOnly,
  messageFromOpenIM,
  messageFromTencent,
  messageToOpenIM,
  messageToTencent,
  platformName,
} from './messageFields.js';

type Message = DataByType['im.message.send.before'];

const T_C2C = 'C2C.CallbackBeforeSendMsg';
const T_GROUP = 'Group.CallbackBeforeSendMsg';
const O_SINGLE = 'callbackBeforeSendSingleMsgCommand';
const O_GROUP = 'callbackBeforeSendGroupMsgCommand';
const O_MODIFY = 'callbackBeforeMsgModifyCommand';

export const EXAMPLE: Message = {
  sessionType: 'single',
  senderUserID: 'alice',
  recvUserID: 'bob',
  groupID: null,
  groupType: null,
  topicID: null,
  operatorUserID: 'alice',
  serverMsgID: '5f0c0b9a3c3e4b1d8e2a7c6d9b1e0f42',
  clientMsgID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  seq: null,
  msgKey: null,
  random: null,
  tencentMsgId: null,
  sendTime: 1719800000123,
  createTime: 1719800000001,
  msgFrom: 'user',
  onlineOnly: false,
  sender: { nickname: 'Alice', faceURL: '', platformID: 2 },
  elements: [{ type: 'text', text: 'hi' }],
  atUserIDs: [],
  atAll: false,
  cloudCustomData: '',
  error: null,
  unreadCount: null,
};

/**
 * Keeps what the caller can apply of a message patch: a replacement that changes nothing is no patch
 * (Tencent's `MsgBody: []` is no change, its `CloudCustomData` a patch only when it differs).
 */
export function settleMessagePatch(d: Message, verdict: Verdict): Verdict {
  const { elements, cloudCustomData } = verdict.patch;
  const patch: Verdict['patch'] = {};
  if (elements && elements.length > 0) patch.elements = elements;
  if (cloudCustomData !== undefined && cloudCustomData !== d.cloudCustomData) patch.cloudCustomData = cloudCustomData;
  return { ...verdict, patch };
}

/**
 * `im.message.send.before`: a message is about to be delivered (docs/mappings.md#messages). The
 * backend may allow it (with a replacement body and custom data), deny it, or drop it silently. To an
 * OpenIM-format backend that handles it, OpenIM's modify callback follows an allow, as OpenIM makes it.
 */
export const messageSendBefore = defineMapping({
  type: 'im.message.send.before',
  examples: [EXAMPLE, { ...EXAMPLE, sessionType: 'group', recvUserID: null, groupID: 'g1' }],
  decoders: [
    decoder({ vendor: 'tencent', command: T_C2C, schema: tencent.c2cBeforeSend, decode: messageFromTencent }),
    decoder({ vendor: 'tencent', command: T_GROUP, schema: tencent.groupBeforeSend, decode: messageFromTencent }),
    decoder({ vendor: 'openim', command: O_SINGLE, schema: openim.singleMessage, decode: messageFromOpenIM }),
    decoder({ vendor: 'openim', command: O_GROUP, schema: openim.groupMessage, decode: messageFromOpenIM }),
  ],
  encoders: {
    // A system notification's send is never asked of a Tencent backend: Tencent has no such message.
    tencent: (d, ctx) => {
      if (isNotificationOnly(d)) return [];
      const command = d.sessionType === 'single' ? T_C2C : T_GROUP;
      const platform = d.meta?.platform ? undefined : platformName(d.sender.platformID, d.msgFrom);
      return [
        { command, body: messageToTencent(command, d, d.meta, ctx.nowMs), targets: [], ...(platform && { platform }) },
      ];
    },
    openim: (d, ctx) => {
      const command = d.sessionType === 'single' ? O_SINGLE : O_GROUP;
      return [
        { command, body: messageToOpenIM(command, d, d.meta, ctx, { seq: 0, withTarget: 'one' }), targets: [] },
        {
          command: O_MODIFY,
          body: messageToOpenIM(O_MODIFY, d, d.meta, ctx, { seq: 0, withTarget: 'none' }),
          targets: [],
          synthesized: true,
        },
      ];
    },
  },
  settle: settleMessagePatch,
  losses: [
    {
      vendor: 'tencent',
      command: T_C2C,
      lost: 'to OpenIM: `OnlineOnlyFlag`, `MsgId`; several elements travel as one custom element (`tencent:MsgBody`); ids are made from the message (docs/mappings.md#message-identity)',
    },
    {
      vendor: 'tencent',
      command: T_GROUP,
      lost: 'to OpenIM: `OnlineOnlyFlag`, `TopicId`, group `Type`, `MsgId`; several elements travel as one custom element',
    },
    {
      vendor: 'openim',
      command: O_SINGLE,
      lost: 'to Tencent: `senderNickname`, `faceURL`, `createTime`, `status`, message ids; a notification is answered by imbridge',
    },
    {
      vendor: 'openim',
      command: O_GROUP,
      lost: 'to Tencent: `senderNickname`, `faceURL`, `createTime`, `status`, message ids; the group reads as `Public`',
    },
  ],
});
