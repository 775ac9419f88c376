import { conversationID } from '../src/canonical/message.js';
import type { EventData } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/messageSchemas.js';
import * as tencent from '../src/vendors/tencent/messageSchemas.js';
import { groupOf, peerOf, seqOfMsgKey } from './conversations.js';
import { decoder, defineMapping, wholeCall, type OutboundCall } from './mapping.js';

type Recall = EventData<'im.message.recalled'>;

const T_C2C = 'C2C.CallbackAfterMsgWithDraw';
const T_GROUP = 'Group.CallbackAfterRecallMsg';
const O_CMD = 'callbackBeforeAfterMsgCommand';

function toTencent(d: Recall, nowMs: number): OutboundCall[] {
  if (d.sessionType === 'single') {
    return d.messages.map((m) =>
      wholeCall(T_C2C, {
        CallbackCommand: T_C2C,
        From_Account: d.senderUserID ?? d.operatorUserID,
        To_Account: d.recvUserID ?? '',
        // OpenIM names a recalled message by seq alone (docs/mappings.md#message-identity).
        MsgKey: m.msgKey ?? `${m.seq ?? 0}_0_0`,
        UnreadMsgNum: 0,
      }),
    );
  }
  return [
    wholeCall(T_GROUP, {
      CallbackCommand: T_GROUP,
      Operator_Account: d.operatorUserID,
      Type: 'Public',
      GroupId: d.groupID ?? '',
      MsgSeqList: d.messages.map((m) => ({ MsgSeq: m.seq ?? 0 })),
      ...(d.topicID && { TopicId: d.topicID }),
      EventTime: d.meta?.eventTime ?? nowMs,
    }),
  ];
}

/** `im.message.recalled`: messages were recalled (docs/mappings.md#messages). */
export const messageRecalled = defineMapping({
  type: 'im.message.recalled',
  examples: [
    {
      sessionType: 'group',
      operatorUserID: 'alice',
      senderUserID: null,
      recvUserID: null,
      groupID: 'g1',
      topicID: null,
      conversationID: 'sg_g1',
      messages: [{ seq: 57, msgKey: null }],
    },
    {
      sessionType: 'single',
      operatorUserID: 'alice',
      senderUserID: 'alice',
      recvUserID: 'bob',
      groupID: null,
      topicID: null,
      conversationID: 'si_alice_bob',
      messages: [{ seq: 48374, msgKey: '48374_2837546_1557481126' }],
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_C2C,
      schema: tencent.c2cWithdraw,
      // No operator in Tencent's C2C recall: the sender recalled it.
      decode: (b): Recall => ({
        sessionType: 'single',
        operatorUserID: b.From_Account,
        senderUserID: b.From_Account,
        recvUserID: b.To_Account,
        groupID: null,
        topicID: null,
        conversationID: conversationID('single', b.From_Account, b.To_Account),
        messages: [{ seq: seqOfMsgKey(b.MsgKey), msgKey: b.MsgKey }],
      }),
    }),
    decoder({
      vendor: 'tencent',
      command: T_GROUP,
      schema: tencent.groupRecall,
      decode: (b): Recall => ({
        sessionType: 'group',
        operatorUserID: b.Operator_Account,
        senderUserID: null,
        recvUserID: null,
        groupID: b.GroupId,
        topicID: b.TopicId ?? null,
        conversationID: conversationID('group', b.GroupId, null),
        messages: b.MsgSeqList.map((m) => ({ seq: m.MsgSeq, msgKey: null })),
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.revoke,
      decode: (b): Recall => {
        const group = groupOf(b.conversationID);
        const messages = [{ seq: b.seq, msgKey: null }];
        if (group !== undefined) {
          return {
            sessionType: 'group',
            operatorUserID: b.userID,
            senderUserID: null,
            recvUserID: null,
            groupID: group,
            topicID: null,
            conversationID: b.conversationID,
            messages,
          };
        }
        // One to one: only the sender may recall, so the revoker is taken as the sender.
        const { sender, recipient } = peerOf(b.conversationID, b.userID);
        return {
          sessionType: 'single',
          operatorUserID: b.userID,
          senderUserID: sender,
          recvUserID: recipient,
          groupID: null,
          topicID: null,
          conversationID: b.conversationID,
          messages,
        };
      },
    }),
  ],
  encoders: {
    tencent: (d, ctx) => toTencent(d, ctx.nowMs),
    openim: (d) =>
      d.messages.map((m) =>
        wholeCall(O_CMD, {
          callbackCommand: O_CMD,
          conversationID: d.conversationID,
          seq: m.seq ?? seqOfMsgKey(m.msgKey) ?? 0,
          userID: d.operatorUserID,
        }),
      ),
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_C2C,
      lost: '`UnreadMsgNum` (a Tencent backend gets 0); to OpenIM: `MsgKey` (as a seq: its first number)',
    },
    { vendor: 'tencent', command: T_GROUP, lost: 'to OpenIM: `TopicId`, group `Type`; one call per message' },
    { vendor: 'openim', command: O_CMD, lost: 'to Tencent: a one-to-one recall has no MsgKey, only `<seq>_0_0`' },
  ],
});
