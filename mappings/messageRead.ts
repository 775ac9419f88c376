import { conversationID } from '../src/canonical/message.js';
import type { EventData } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/messageSchemas.js';
import * as tencent from '../src/vendors/tencent/messageSchemas.js';
import { groupOf, peerOf } from './conversations.js';
import { decoder, defineMapping, wholeCall, type OutboundCall } from './mapping.js';

type Read = EventData<'im.message.read'>;

const T_C2C = 'C2C.CallbackAfterMsgReport';
const T_GROUP = 'Group.CallbackAfterReadReceipt';
const O_SINGLE = 'callbackAfterSingleMsgReadCommand';
const O_GROUP = 'callbackAfterGroupMsgReadCommand';
/** Their names before OpenIM v3.7 (docs/vendors/openim.md#versions). */
const O_SINGLE_OLD = 'callbackSingleMsgRead';
const O_GROUP_OLD = 'callbackGroupMsgReadCommand';

const base = { seqs: [], hasReadSeq: null, readTime: null, unreadCount: null, receipts: null };

function fromOpenIMSingle(b: openim.SingleRead): Read {
  const group = groupOf(b.conversationID);
  if (group !== undefined) {
    return {
      ...base,
      sessionType: 'group',
      readerUserID: b.userID,
      peerUserID: null,
      groupID: group,
      conversationID: b.conversationID,
      seqs: b.Seqs ?? [],
    };
  }
  const { sender, recipient } = peerOf(b.conversationID, b.userID);
  const peer = sender === b.userID ? recipient : sender;
  return {
    ...base,
    sessionType: 'single',
    readerUserID: b.userID,
    peerUserID: peer,
    groupID: null,
    conversationID: b.conversationID,
    seqs: b.Seqs ?? [],
  };
}

function toTencent(d: Read, nowMs: number): OutboundCall[] {
  if (d.sessionType === 'single') {
    const time = d.readTime ?? d.meta?.eventTime ?? nowMs;
    return [
      wholeCall(T_C2C, {
        CallbackCommand: T_C2C,
        Report_Account: d.readerUserID,
        Peer_Account: d.peerUserID ?? '',
        LastReadTime: Math.floor(time / 1000),
        UnreadMsgNum: d.unreadCount ?? 0,
      }),
    ];
  }
  // A group read without its group (OpenIM's conversation-level one) or without messages has no Tencent form.
  if (d.groupID === null || (d.seqs.length === 0 && !d.receipts)) return [];
  const receipts =
    d.receipts ?? d.seqs.map((seq) => ({ seq, readCount: 0, unreadCount: 0, readerUserIDs: [d.readerUserID] }));
  return [
    wholeCall(T_GROUP, {
      CallbackCommand: T_GROUP,
      GroupId: d.groupID,
      Type: 'Public',
      GroupMsgReceiptList: receipts.map((r) => ({
        MsgSeq: r.seq,
        ReadNum: r.readCount,
        UnreadNum: r.unreadCount,
        ReadReceiptMembers: r.readerUserIDs.map((Member_Account) => ({ Member_Account })),
      })),
      EventTime: d.meta?.eventTime ?? nowMs,
    }),
  ];
}

function toOpenIM(d: Read): OutboundCall[] {
  if (d.sessionType === 'single') {
    return [
      wholeCall(O_SINGLE, {
        callbackCommand: O_SINGLE,
        conversationID: d.conversationID,
        userID: d.readerUserID,
        Seqs: d.seqs.length > 0 ? d.seqs : null,
        contentType: 1,
      }),
    ];
  }
  if (d.groupID === null) {
    return [
      wholeCall(O_GROUP, {
        callbackCommand: O_GROUP,
        sendID: d.readerUserID,
        receiveID: d.readerUserID,
        unreadMsgNum: d.hasReadSeq ?? 0,
        contentType: 3,
      }),
    ];
  }
  // OpenIM's MarkMsgsAsRead form, one call per reader with that reader's seqs in order.
  const byReader = new Map<string, number[]>();
  for (const r of d.receipts ?? [{ seq: 0, readCount: 0, unreadCount: 0, readerUserIDs: [d.readerUserID] }]) {
    for (const reader of r.readerUserIDs) byReader.set(reader, [...(byReader.get(reader) ?? []), r.seq]);
  }
  if (!d.receipts) byReader.set(d.readerUserID, [...d.seqs]);
  return [...byReader].map(([reader, seqs]) =>
    wholeCall(O_SINGLE, {
      callbackCommand: O_SINGLE,
      conversationID: d.conversationID,
      userID: reader,
      Seqs: [...seqs].sort((a, b) => a - b),
      contentType: 3,
    }),
  );
}

/** `im.message.read`: a user read messages (docs/mappings.md#messages). */
export const messageRead = defineMapping({
  type: 'im.message.read',
  examples: [
    {
      ...base,
      sessionType: 'single',
      readerUserID: 'bob',
      peerUserID: 'alice',
      groupID: null,
      conversationID: 'si_alice_bob',
      readTime: 1719800000000,
    },
    {
      ...base,
      sessionType: 'group',
      readerUserID: 'bob',
      peerUserID: null,
      groupID: 'g1',
      conversationID: 'sg_g1',
      seqs: [1, 2],
      receipts: [
        { seq: 1, readCount: 1, unreadCount: 6, readerUserIDs: ['bob'] },
        { seq: 2, readCount: 2, unreadCount: 5, readerUserIDs: ['bob', 'carol'] },
      ],
    },
    {
      ...base,
      sessionType: 'group',
      readerUserID: 'bob',
      peerUserID: null,
      groupID: null,
      conversationID: '',
      hasReadSeq: 57,
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_C2C,
      schema: tencent.c2cMsgReport,
      decode: (b): Read => ({
        ...base,
        sessionType: 'single',
        readerUserID: b.Report_Account,
        peerUserID: b.Peer_Account,
        groupID: null,
        conversationID: conversationID('single', b.Report_Account, b.Peer_Account),
        readTime: b.LastReadTime * 1000,
        unreadCount: b.UnreadMsgNum ?? null,
      }),
    }),
    decoder({
      vendor: 'tencent',
      command: T_GROUP,
      schema: tencent.groupReadReceipt,
      decode: (b): Read => {
        const receipts = b.GroupMsgReceiptList.map((r) => ({
          seq: r.MsgSeq,
          readCount: r.ReadNum,
          unreadCount: r.UnreadNum,
          readerUserIDs: r.ReadReceiptMembers.map((m) => m.Member_Account),
        }));
        return {
          ...base,
          sessionType: 'group',
          readerUserID: receipts[0]?.readerUserIDs[0] ?? '',
          peerUserID: null,
          groupID: b.GroupId,
          conversationID: conversationID('group', b.GroupId, null),
          seqs: receipts.map((r) => r.seq),
          receipts,
        };
      },
    }),
    ...[O_SINGLE, O_SINGLE_OLD].map((command) =>
      decoder({ vendor: 'openim', command, schema: openim.singleRead, decode: fromOpenIMSingle }),
    ),
    ...[O_GROUP, O_GROUP_OLD].map((command) =>
      decoder({
        vendor: 'openim',
        command,
        schema: openim.groupRead,
        // The group is not in the body, and cannot be found from it (docs/vendors/openim.md#messages).
        decode: (b): Read => ({
          ...base,
          sessionType: 'group',
          readerUserID: b.sendID,
          peerUserID: null,
          groupID: null,
          conversationID: '',
          hasReadSeq: b.unreadMsgNum,
        }),
      }),
    ),
  ],
  encoders: { tencent: (d, ctx) => toTencent(d, ctx.nowMs), openim: toOpenIM },
  losses: [
    {
      vendor: 'tencent',
      command: T_C2C,
      lost: 'to OpenIM: `LastReadTime`, `UnreadMsgNum` (OpenIM names no time and no count)',
    },
    { vendor: 'tencent', command: T_GROUP, lost: 'to OpenIM: `ReadNum`, `UnreadNum`; one call per reader' },
    {
      vendor: 'openim',
      command: O_SINGLE,
      lost: 'to Tencent: `Seqs` (a one-to-one read is a time there: the time imbridge accepted it)',
    },
    { vendor: 'openim', command: O_GROUP, lost: 'to Tencent: not sent (no group id in the body)' },
  ],
});
