import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { MessageData } from '../../src/canonical/message.js';
import { goMarshal } from '../../src/vendors/openim/goJson.js';
import { fixture, requestFixtures } from '../helpers/fixtures.js';
import { decode, encode } from '../helpers/translate.js';
import { vendorProblems } from '../helpers/vendorShapes.js';

// The contract's identity formulas, computed here independently of src/vendors/messageIds.ts
// (docs/mappings.md#message-identity).
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const h32 = (s: string) => parseInt(md5(s).slice(0, 8), 16);

const commandOf = (name: string, vendor: 'tencent' | 'openim') =>
  name
    .split('.')
    .slice(vendor === 'tencent' ? -2 : -1)
    .join('.');
const decodeFixture = (vendor: 'tencent' | 'openim', name: string) =>
  decode(vendor, commandOf(name, vendor), fixture(vendor, name));
const bodies = (vendor: 'tencent' | 'openim', name: string, to: 'tencent' | 'openim') =>
  (encode(decodeFixture(vendor, name), to) ?? []).map((r) => r.body);

describe('mappings: messages from the vendors’ documented samples', () => {
  describe('decoding (docs/vendors/tencent.md#messages, docs/vendors/openim.md#messages)', () => {
    const cases: { name: string; vendor: 'tencent' | 'openim'; type: string; data: Record<string, unknown> }[] = [
      {
        name: 'C2C.CallbackBeforeSendMsg',
        vendor: 'tencent',
        type: 'im.message.send.before',
        data: {
          sessionType: 'single',
          senderUserID: 'jared',
          recvUserID: 'John',
          groupID: null,
          seq: 48374,
          msgKey: '48374_2837546_1557481126',
          random: 2837546,
          sendTime: 1557481126000,
          onlineOnly: true,
          elements: [{ type: 'text', text: 'red packet' }],
          cloudCustomData: 'your cloud custom data',
          serverMsgID: md5('server/c2c/jared/John/48374_2837546_1557481126'),
          clientMsgID: md5('client/c2c/jared/John/48374_2837546_1557481126'),
        },
      },
      {
        name: 'Group.CallbackBeforeSendMsg',
        vendor: 'tencent',
        type: 'im.message.send.before',
        data: {
          sessionType: 'group',
          senderUserID: 'jared',
          operatorUserID: 'admin',
          groupID: '@TGS#2J4SZEAEL',
          groupType: 'Community',
          topicID: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic',
          seq: null,
          random: 123456,
          // No MsgTime before a group send: the event time, a quoted number in the sample.
          sendTime: 1670574414123,
          serverMsgID: md5('server/group/@TGS#2J4SZEAEL/jared/123456'),
        },
      },
      {
        name: 'C2C.CallbackAfterSendMsg',
        vendor: 'tencent',
        type: 'im.message.sent',
        data: { recvUserID: 'Jonh', unreadCount: 7, error: null },
      },
      {
        name: 'Group.CallbackAfterSendMsg',
        vendor: 'tencent',
        type: 'im.message.sent',
        data: { seq: 123, sendTime: 1490686222000, groupType: 'Public', operatorUserID: 'admin' },
      },
      {
        name: 'callbackAfterSendSingleMsgCommand',
        vendor: 'openim',
        type: 'im.message.sent',
        data: { recvUserID: 'u2', seq: null, sendTime: 1719800000123 },
      },
      {
        name: 'callbackAfterSendGroupMsgCommand',
        vendor: 'openim',
        type: 'im.message.sent',
        data: { groupID: '3141592653', atUserIDs: ['u3'], atAll: false },
      },
      {
        name: 'failed.C2C.CallbackAfterSendMsg',
        vendor: 'tencent',
        type: 'im.message.send.failed',
        data: { error: { code: 80001, message: 'dirty word' }, unreadCount: -1 },
      },
      {
        name: 'Group.CallbackSendMsgException',
        vendor: 'tencent',
        type: 'im.message.send.failed',
        data: {
          error: { code: 10023, message: 'msg count exceeds limit,please retry later' },
          groupID: '@TGS#2J4SZEAEL',
        },
      },
      {
        name: 'at.Group.CallbackAfterSendMsg',
        vendor: 'tencent',
        type: 'im.message.sent',
        data: {
          atUserIDs: ['Jonh'],
          atAll: true,
          elements: [{ type: 'at', text: '@all @Jonh lunch?', atUserIDs: ['Jonh'], atAll: true, atUsersInfo: [] }],
        },
      },
      {
        name: 'C2C.CallbackAfterMsgReport',
        vendor: 'tencent',
        type: 'im.message.read',
        data: {
          readerUserID: 'jared',
          peerUserID: 'Jonh',
          conversationID: 'si_Jonh_jared',
          readTime: 1614754606000,
          unreadCount: 7,
        },
      },
      {
        name: 'Group.CallbackAfterReadReceipt',
        vendor: 'tencent',
        type: 'im.message.read',
        data: { groupID: '@TGS#2TTV7VSII', conversationID: 'sg_@TGS#2TTV7VSII', seqs: [1, 2] },
      },
      {
        name: 'C2C.CallbackAfterMsgWithDraw',
        vendor: 'tencent',
        type: 'im.message.recalled',
        data: {
          operatorUserID: 'jared',
          senderUserID: 'jared',
          conversationID: 'si_Jonh_jared',
          messages: [{ seq: 48374, msgKey: '48374_2837546_1557481126' }],
        },
      },
      {
        name: 'Group.CallbackAfterRecallMsg',
        vendor: 'tencent',
        type: 'im.message.recalled',
        data: { operatorUserID: 'admin', groupID: '1213456', messages: [{ seq: 130, msgKey: null }] },
      },
      {
        name: 'callbackBeforeSendSingleMsgCommand',
        vendor: 'openim',
        type: 'im.message.send.before',
        data: {
          senderUserID: 'u1',
          recvUserID: 'u2',
          serverMsgID: '5f0c0b9a3c3e4b1d8e2a7c6d9b1e0f42',
          seq: null,
          elements: [{ type: 'text', text: 'hi <b> & 中文' }],
          sender: { nickname: 'Alice', faceURL: 'https://x/a.png?s=1&t=2', platformID: 2 },
          meta: { operationID: '1719800000000123' },
        },
      },
      {
        name: 'v3.7.callbackBeforeSendSingleMsgCommand',
        vendor: 'openim',
        type: 'im.message.send.before',
        // Before v3.8.1 there is no sendTime: the creation time stands in.
        data: { sendTime: 1719800000001, createTime: 1719800000001 },
      },
      {
        name: 'callbackBeforeSendGroupMsgCommand',
        vendor: 'openim',
        type: 'im.message.send.before',
        data: {
          groupID: '3141592653',
          recvUserID: null,
          atUserIDs: ['u3'],
          elements: [
            {
              type: 'at',
              text: '@Bob hi',
              atUserIDs: ['u3'],
              atAll: false,
              atUsersInfo: [{ userID: 'u3', groupNickname: 'Bob' }],
            },
          ],
        },
      },
      {
        name: 'callbackBeforeMsgModifyCommand',
        vendor: 'openim',
        type: 'im.message.modify.before',
        data: { recvUserID: null, groupID: null, sessionType: 'single' },
      },
      {
        name: 'v3.5.callbackMsgModifyCommand',
        vendor: 'openim',
        type: 'im.message.modify.before',
        data: { serverMsgID: '5f0c0b9a3c3e4b1d8e2a7c6d9b1e0f42' },
      },
      { name: 'callbackAfterMsgSaveDBCommand', vendor: 'openim', type: 'im.message.stored', data: { seq: 42 } },
      {
        name: 'callbackAfterSingleMsgReadCommand',
        vendor: 'openim',
        type: 'im.message.read',
        data: { readerUserID: 'u2', peerUserID: 'u1', seqs: [41, 42] },
      },
      {
        name: 'v3.5.callbackSingleMsgRead',
        vendor: 'openim',
        type: 'im.message.read',
        data: { readerUserID: 'u2', peerUserID: 'u1', seqs: [41, 42] },
      },
      {
        name: 'callbackAfterGroupMsgReadCommand',
        vendor: 'openim',
        type: 'im.message.read',
        // unreadMsgNum is the has-read seq, and the group is not named.
        data: { readerUserID: 'u2', groupID: null, hasReadSeq: 57 },
      },
      {
        name: 'v3.5.callbackGroupMsgReadCommand',
        vendor: 'openim',
        type: 'im.message.read',
        data: { readerUserID: 'u2', hasReadSeq: 57 },
      },
      {
        name: 'callbackBeforeAfterMsgCommand',
        vendor: 'openim',
        type: 'im.message.recalled',
        data: {
          sessionType: 'group',
          groupID: '3141592653',
          operatorUserID: 'u1',
          messages: [{ seq: 57, msgKey: null }],
        },
      },
      {
        name: 'single.callbackBeforeAfterMsgCommand',
        vendor: 'openim',
        type: 'im.message.recalled',
        data: { sessionType: 'single', senderUserID: 'u1', recvUserID: 'u2', messages: [{ seq: 41, msgKey: null }] },
      },
    ];
    for (const c of cases) {
      it(`${c.vendor} ${c.name} → ${c.type}`, () => {
        const event = decodeFixture(c.vendor, c.name);
        expect(event.type).to.equal(c.type);
        expect(event.data).to.deep.include(c.data);
      });
    }

    it('covers every message fixture', () => {
      const named = new Set(cases.map((c) => `${c.vendor}/${c.name}`));
      const all = (['tencent', 'openim'] as const).flatMap((v) =>
        requestFixtures(v)
          .filter((f) => /Msg|Read|Recall|WithDraw|Exception/.test(f.command))
          .map((f) => `${v}/${f.name}`),
      );
      expect(all.filter((n) => !named.has(n))).to.deep.equal([]);
    });
  });

  describe('to an OpenIM-format backend: the bytes OpenIM itself sends', () => {
    for (const f of requestFixtures('openim').filter(
      (x) => x.name === x.command && /Msg|Read/.test(x.command) && x.command !== 'callbackBeforeMsgModifyCommand',
    )) {
      it(`re-encodes OpenIM's ${f.command} byte for byte`, () => {
        expect(bodies('openim', f.name, 'openim')).to.deep.equal([f.raw]);
      });
    }
    it('re-encodes the modify callback byte for byte (to a canonical or OpenIM backend asked directly)', () => {
      const raw = fixture('openim', 'callbackBeforeMsgModifyCommand');
      expect(bodies('openim', 'callbackBeforeMsgModifyCommand', 'openim')).to.deep.equal([raw]);
    });

    it('turns Tencent’s C2C before-send sample into the Go bytes of OpenIM’s single before-send', () => {
      const k = 'c2c/jared/John/48374_2837546_1557481126';
      const [body] = bodies('tencent', 'C2C.CallbackBeforeSendMsg', 'openim');
      expect(body).to.equal(
        `{"sendID":"jared","callbackCommand":"callbackBeforeSendSingleMsgCommand","serverMsgID":"${md5(`server/${k}`)}",` +
          `"clientMsgID":"${md5(`client/${k}`)}","operationID":"${JSON.parse(body!).operationID}","senderPlatformID":0,` +
          `"senderNickname":"","sessionType":1,"msgFrom":100,"contentType":101,"status":1,"sendTime":1557481126000,` +
          `"createTime":1557481126000,"content":"{\\"content\\":\\"red packet\\"}","seq":0,"atUserList":null,` +
          `"faceURL":"","ex":"your cloud custom data","recvID":"John"}\n`,
      );
    });

    it('escapes text as Go does, twice: inside the content and in the body', () => {
      const event = decodeFixture('tencent', 'C2C.CallbackBeforeSendMsg');
      (event.data as MessageData).elements = [{ type: 'text', text: 'a<b>&c\u2028"d"' }];
      const body = encode(event, 'openim')![0]!.body;
      expect(body).to.include(String.raw`"content":"{\"content\":\"a\\u003cb\\u003e\\u0026c\\u2028\\\"d\\\"\"}"`);
      expect(JSON.parse(JSON.parse(body).content)).to.deep.equal({ content: 'a<b>&c\u2028"d"' });
    });

    it('sends a Tencent group before-send with the event time as send time and seq 0', () => {
      const body = JSON.parse(bodies('tencent', 'Group.CallbackBeforeSendMsg', 'openim')[0]!);
      expect(body).to.include({
        sendTime: 1670574414123,
        createTime: 1670574414123,
        seq: 0,
        sessionType: 3,
        groupID: '@TGS#2J4SZEAEL',
        sendID: 'jared',
        ex: 'your cloud custom data',
      });
      expect(vendorProblems('openim', 'callbackBeforeSendGroupMsgCommand', body)).to.deep.equal([]);
    });

    it('writes Tencent mentions as OpenIM’s @ message, with AtAllTag for @all', () => {
      const body = JSON.parse(bodies('tencent', 'at.Group.CallbackAfterSendMsg', 'openim')[0]!);
      expect(body.contentType).to.equal(106);
      expect(body.atUserList).to.deep.equal(['Jonh', 'AtAllTag']);
      expect(JSON.parse(body.content)).to.deep.equal({
        text: '@all @Jonh lunch?',
        atUserList: ['Jonh', 'AtAllTag'],
        isAtSelf: false,
      });
      expect(body.seq).to.equal(124);
    });

    it('does not tell an OpenIM backend about a failed send (OpenIM has no such callback)', () => {
      expect(bodies('tencent', 'failed.C2C.CallbackAfterSendMsg', 'openim')).to.deep.equal([]);
      expect(bodies('tencent', 'Group.CallbackSendMsgException', 'openim')).to.deep.equal([]);
    });

    it('turns Tencent recalls into OpenIM revoke notifications by conversation and seq', () => {
      expect(bodies('tencent', 'C2C.CallbackAfterMsgWithDraw', 'openim').map((b) => JSON.parse(b))).to.deep.equal([
        {
          callbackCommand: 'callbackBeforeAfterMsgCommand',
          conversationID: 'si_Jonh_jared',
          seq: 48374,
          userID: 'jared',
        },
      ]);
      expect(bodies('tencent', 'Group.CallbackAfterRecallMsg', 'openim').map((b) => JSON.parse(b))).to.deep.equal([
        { callbackCommand: 'callbackBeforeAfterMsgCommand', conversationID: 'sg_1213456', seq: 130, userID: 'admin' },
      ]);
    });

    it('turns Tencent read reports into OpenIM read callbacks (a group receipt: one per reader)', () => {
      expect(bodies('tencent', 'C2C.CallbackAfterMsgReport', 'openim').map((b) => JSON.parse(b))).to.deep.equal([
        {
          callbackCommand: 'callbackAfterSingleMsgReadCommand',
          conversationID: 'si_Jonh_jared',
          userID: 'jared',
          Seqs: null,
          contentType: 1,
        },
      ]);
      expect(bodies('tencent', 'Group.CallbackAfterReadReceipt', 'openim').map((b) => JSON.parse(b))).to.deep.equal([
        {
          callbackCommand: 'callbackAfterSingleMsgReadCommand',
          conversationID: 'sg_@TGS#2TTV7VSII',
          userID: 'user0',
          Seqs: [1, 2],
          contentType: 3,
        },
      ]);
    });
  });

  describe('to a Tencent-format backend: the keys of Tencent’s samples', () => {
    it('turns OpenIM’s single before-send into Tencent’s C2C before-send with synthesized identity', () => {
      const serverMsgID = '5f0c0b9a3c3e4b1d8e2a7c6d9b1e0f42';
      const clientMsgID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
      const seq = h32(`seq/${serverMsgID}`);
      const random = h32(`random/${clientMsgID}`);
      expect(bodies('openim', 'callbackBeforeSendSingleMsgCommand', 'tencent')).to.deep.equal([
        JSON.stringify({
          CallbackCommand: 'C2C.CallbackBeforeSendMsg',
          From_Account: 'u1',
          To_Account: 'u2',
          MsgSeq: seq,
          MsgRandom: random,
          MsgTime: 1719800000,
          MsgKey: `${seq}_${random}_1719800000`,
          OnlineOnlyFlag: 0,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi <b> & 中文' } }],
          CloudCustomData: '',
        }),
      ]);
    });

    it('turns OpenIM’s group before-send into Tencent’s, as a Public group, the @ as plain text', () => {
      const body = JSON.parse(bodies('openim', 'callbackBeforeSendGroupMsgCommand', 'tencent')[0]!);
      expect(body).to.deep.equal({
        CallbackCommand: 'Group.CallbackBeforeSendMsg',
        GroupId: '3141592653',
        Type: 'Public',
        From_Account: 'u1',
        Operator_Account: 'u1',
        Random: h32('random/a1b2c3d4e5f60718293a4b5c6d7e8f90'),
        OnlineOnlyFlag: 0,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '@Bob hi' } }],
        CloudCustomData: '',
        EventTime: 1719800000123,
      });
    });

    it('writes mentions only where Tencent has them: the group after-send’s GroupAtInfo', () => {
      const body = JSON.parse(bodies('openim', 'callbackAfterSendGroupMsgCommand', 'tencent')[0]!);
      expect(body.GroupAtInfo).to.deep.equal([{ GroupAtAllFlag: 0, GroupAt_Account: 'u3' }]);
      expect(
        vendorProblems('tencent', 'Group.CallbackAfterSendMsg', { ...body, GroupAtInfo: undefined }),
      ).to.have.length(1);
    });

    it('names an OpenIM recall by seq alone: MsgKey <seq>_0_0 (the known identity gap)', () => {
      expect(
        bodies('openim', 'single.callbackBeforeAfterMsgCommand', 'tencent').map((b) => JSON.parse(b)),
      ).to.deep.equal([
        {
          CallbackCommand: 'C2C.CallbackAfterMsgWithDraw',
          From_Account: 'u1',
          To_Account: 'u2',
          MsgKey: '41_0_0',
          UnreadMsgNum: 0,
        },
      ]);
      const group = JSON.parse(bodies('openim', 'callbackBeforeAfterMsgCommand', 'tencent')[0]!);
      expect(group).to.include({ CallbackCommand: 'Group.CallbackAfterRecallMsg', GroupId: '3141592653' });
      expect(group.MsgSeqList).to.deep.equal([{ MsgSeq: 57 }]);
    });

    it('sends no Tencent call for what Tencent cannot say: a stored message, a group read without its group', () => {
      expect(bodies('openim', 'callbackAfterMsgSaveDBCommand', 'tencent')).to.deep.equal([]);
      expect(bodies('openim', 'callbackAfterGroupMsgReadCommand', 'tencent')).to.deep.equal([]);
    });

    it('turns OpenIM’s single read into Tencent’s read report, timed when imbridge accepted it', () => {
      const event = decodeFixture('openim', 'callbackAfterSingleMsgReadCommand');
      event.data.meta = { eventTime: 1719800000999 };
      expect(encode(event, 'tencent')!.map((r) => JSON.parse(r.body))).to.deep.equal([
        {
          CallbackCommand: 'C2C.CallbackAfterMsgReport',
          Report_Account: 'u2',
          Peer_Account: 'u1',
          LastReadTime: 1719800000,
          UnreadMsgNum: 0,
        },
      ]);
    });

    it('re-encodes Tencent’s one-to-one samples to the same JSON (Tencent to Tencent)', () => {
      // (A recall's UnreadMsgNum is not kept: a declared loss.)
      for (const name of ['C2C.CallbackBeforeSendMsg', 'C2C.CallbackAfterSendMsg', 'C2C.CallbackAfterMsgReport']) {
        const raw = JSON.parse(fixture('tencent', name));
        const back = JSON.parse(bodies('tencent', name, 'tencent')[0]!);
        expect(back, name).to.deep.equal(raw);
      }
    });
  });

  describe('identity (docs/mappings.md#message-identity)', () => {
    const account = fc.string({ minLength: 1, maxLength: 10 });
    const uint32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });

    it('gives a Tencent message the same OpenIM ids on every retry, and different messages different ids', () => {
      fc.assert(
        fc.property(account, account, uint32, uint32, fc.integer({ min: 0, max: 2 ** 31 }), (from, to, s, r, t) => {
          const raw = JSON.stringify({
            ...JSON.parse(fixture('tencent', 'C2C.CallbackBeforeSendMsg')),
            From_Account: from,
            To_Account: to,
            MsgKey: `${s}_${r}_${t}`,
          });
          const a = decode('tencent', 'C2C.CallbackBeforeSendMsg', raw).data as MessageData;
          const b = decode('tencent', 'C2C.CallbackBeforeSendMsg', raw).data as MessageData;
          expect([a.serverMsgID, a.clientMsgID]).to.deep.equal([b.serverMsgID, b.clientMsgID]);
          expect(a.serverMsgID).to.equal(md5(`server/c2c/${from}/${to}/${s}_${r}_${t}`));
          expect(a.serverMsgID).to.not.equal(a.clientMsgID);
        }),
        { numRuns: 100 },
      );
    });

    it('round-trips any OpenIM message body through imbridge unchanged, byte for byte', () => {
      const text = fc.string({ unit: 'grapheme', maxLength: 20 });
      fc.assert(
        fc.property(account, account, text, text, uint32, (sendID, recvID, words, nickname, createTime) => {
          const raw =
            goMarshal({
              ...JSON.parse(fixture('openim', 'callbackBeforeSendSingleMsgCommand')),
              sendID,
              recvID,
              senderNickname: nickname,
              createTime,
              content: goMarshal({ content: words }).trimEnd(),
            }) + '\n';
          const [out] = encode(decode('openim', 'callbackBeforeSendSingleMsgCommand', raw), 'openim')!;
          expect(out!.body).to.equal(raw);
        }),
        { numRuns: 100 },
      );
    });
  });
});
