import { expect } from 'chai';
import { Downstream, useBackend, type Answer, type Received } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { startGateway, withGateway, type TestGateway } from '../helpers/gateway.js';
import { metricSample } from '../helpers/metrics.js';
import { outboxFile } from '../helpers/outbox.js';
import { redisURL } from '../helpers/redis.js';
import { freePort } from '../helpers/wait.js';
import { OPENIM_CONTINUE as CONTINUE, TENCENT_OK } from '../helpers/answers.js';

// Message callbacks through the real gateway to a real backend on 127.0.0.1, with the vendors'
// documented samples and the bytes OpenIM's Go code sends (docs/mappings.md#messages).

const tencentPath = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS`;
const T_C2C = 'C2C.CallbackBeforeSendMsg';
const T_GROUP = 'Group.CallbackBeforeSendMsg';
const O_SINGLE = 'callbackBeforeSendSingleMsgCommand';
const O_MODIFY = 'callbackBeforeMsgModifyCommand';
const commandOf = (r: Received) => r.url.split('?')[0]!.split('/').pop()!;

/** A backend answering each OpenIM command with the reply given for it, else continue. */
const byCommand =
  (replies: Record<string, string | object>) =>
  (req: Received): Answer => ({ body: replies[commandOf(req)] ?? CONTINUE });

describe('HTTP: a Tencent before-send to an OpenIM-format backend', () => {
  const { backend, url } = useBackend();
  const openim = (commands?: string[]) => ({ downstream: { url: url(), format: 'openim', commands } });

  it('sends the Go bytes of OpenIM’s before-send, and allows on continue', () =>
    withGateway(openim(), async (gateway) => {
      backend.answer(() => ({ body: CONTINUE }));
      const res = await gateway.post(tencentPath(T_C2C), fixture('tencent', T_C2C));
      expect(res.status).to.equal(200);
      expect(res.text).to.equal(TENCENT_OK);
      // No modify call: the backend did not say it handles one.
      expect(backend.received.map(commandOf)).to.deep.equal([O_SINGLE]);
      const [req] = backend.received;
      expect(req!.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(req!.body.endsWith('}\n')).to.equal(true);
      const body = JSON.parse(req!.body);
      expect(req!.headers['operationid']).to.equal(body.operationID).and.not.equal('');
      expect(body).to.include({
        sendID: 'jared',
        recvID: 'John',
        content: '{"content":"red packet"}',
        ex: 'your cloud custom data',
        senderPlatformID: 1,
        seq: 0,
      });
    }));

  it('makes OpenIM’s modify call after an allow when the backend handles it, and answers its change to Tencent', () =>
    withGateway(openim([O_SINGLE, O_MODIFY]), async (gateway) => {
      backend.answer(byCommand({ [O_MODIFY]: { content: '{"content":"red ******"}', ex: 'checked' } }));
      const res = await gateway.post(tencentPath(T_C2C), fixture('tencent', T_C2C));
      expect(res.text).to.equal(
        '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"",' +
          '"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red ******"}}],"CloudCustomData":"checked"}',
      );
      expect(backend.received.map(commandOf)).to.deep.equal([O_SINGLE, O_MODIFY]);
      const [send, modify] = backend.received.map((r) => JSON.parse(r.body));
      // OpenIM's modify body is the message without its recipient, under the same operation.
      expect(modify).to.deep.equal(
        Object.fromEntries(
          Object.entries({ ...send, callbackCommand: O_MODIFY }).filter(([k]) => k !== 'recvID' && k !== 'groupID'),
        ),
      );
      expect(backend.received[1]!.headers['operationid']).to.equal(backend.received[0]!.headers['operationid']);
    }));

  it('does not make the modify call when the before-send is denied', () =>
    withGateway(openim([O_SINGLE, O_MODIFY]), async (gateway) => {
      backend.answer(byCommand({ [O_SINGLE]: '{"actionCode":0,"errCode":120005,"errMsg":"spam","nextCode":1}' }));
      const res = await gateway.post(tencentPath(T_C2C), fixture('tencent', T_C2C));
      expect(res.json).to.deep.equal({ ActionStatus: 'OK', ErrorCode: 120005, ErrorInfo: 'spam' });
      expect(backend.received.map(commandOf)).to.deep.equal([O_SINGLE]);
    }));

  const denials: { name: string; command: string; errCode: number; expected: number }[] = [
    { name: 'a C2C deny code in 120001–130000 is passed on', command: T_C2C, errCode: 130000, expected: 130000 },
    { name: 'a C2C deny code outside it becomes 1', command: T_C2C, errCode: 10150, expected: 1 },
    { name: 'a group deny code in 10100–10200 is passed on', command: T_GROUP, errCode: 10150, expected: 10150 },
    { name: 'a group deny code outside it becomes 1', command: T_GROUP, errCode: 120005, expected: 1 },
  ];
  for (const d of denials) {
    it(`denies: ${d.name}`, () =>
      withGateway(openim(), async (gateway) => {
        backend.answer(() => ({ body: { errCode: d.errCode, errMsg: 'no', nextCode: 1 } }));
        const res = await gateway.post(tencentPath(d.command), fixture('tencent', d.command));
        expect(res.json).to.deep.equal({ ActionStatus: 'OK', ErrorCode: d.expected, ErrorInfo: 'no' });
      }));
  }

  it('allows without the modify fields Tencent has no place for, and counts them', () =>
    withGateway(openim([O_SINGLE, O_MODIFY]), async (gateway) => {
      backend.answer(byCommand({ [O_MODIFY]: { Content: '{"content":"x"}', recvID: 'mallory', options: {} } }));
      const res = await gateway.post(tencentPath(T_C2C), fixture('tencent', T_C2C));
      expect(res.json).to.deep.equal({
        ActionStatus: 'OK',
        ErrorCode: 0,
        ErrorInfo: '',
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }],
      });
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metricSample(metrics, 'imbridge_message_patches_lost_total', { reason: 'fields_ignored' })).to.equal(1);
    }));

  it('takes a modify reply whose content is not a JSON object as a failed call (failure rule: deny)', () =>
    withGateway(openim([O_SINGLE, O_MODIFY]), async (gateway) => {
      backend.answer(byCommand({ [O_MODIFY]: { content: 'Modified content' } }));
      const res = await gateway.post(tencentPath(T_C2C), fixture('tencent', T_C2C));
      expect((res.json as { ErrorCode: number }).ErrorCode).to.equal(1);
    }));

  it('refuses a malformed before-send in Tencent’s envelope, denying it, and forwards nothing', () =>
    withGateway(openim(), async (gateway) => {
      const body = JSON.parse(fixture('tencent', T_C2C));
      delete body.MsgBody;
      const res = await gateway.post(tencentPath(T_C2C), JSON.stringify(body));
      expect(res.status).to.equal(400);
      expect(res.json).to.deep.equal({
        ActionStatus: 'FAIL',
        ErrorCode: 1,
        ErrorInfo: 'invalid_payload: MsgBody must be defined',
      });
      const wrong = { ...JSON.parse(fixture('tencent', T_C2C)) };
      wrong.MsgBody[0].MsgContent.Text = 7;
      const typed = await gateway.post(tencentPath(T_C2C), JSON.stringify(wrong));
      expect(typed.status).to.equal(400);
      expect((typed.json as { ErrorInfo: string }).ErrorInfo).to.equal(
        'invalid_payload: MsgBody[0].MsgContent.Text must be a string',
      );
      expect(backend.received).to.have.length(0);
    }));
});

describe('HTTP: an OpenIM before-send to a Tencent-format backend', () => {
  const { backend, url } = useBackend();
  const tencent = { tencent: { sdkAppId: '1400000000' }, downstream: { url: () => url(), format: 'tencent' } };
  const config = () => ({ ...tencent, downstream: { url: url(), format: 'tencent' } });
  const send = (gateway: TestGateway) => gateway.post(`/openim/${O_SINGLE}`, fixture('openim', O_SINGLE));
  const modify = (gateway: TestGateway) => gateway.post(`/openim/${O_MODIFY}`, fixture('openim', O_MODIFY));

  it('remembers the backend’s MsgBody patch and answers it at OpenIM’s modify call, without asking again', () =>
    withGateway(config(), async (gateway) => {
      backend.answer(() => ({
        body: {
          ActionStatus: 'OK',
          ErrorCode: 0,
          ErrorInfo: '',
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi <b> & ***' } }],
          CloudCustomData: 'checked',
        },
      }));
      expect((await send(gateway)).text).to.equal(CONTINUE);
      expect(backend.received.map((r) => new URL(r.url, 'http://x').searchParams.get('CallbackCommand'))).to.deep.equal(
        [T_C2C],
      );
      const res = await modify(gateway);
      // Go bytes: the new content as a JSON string, HTML-escaped; ex changed; the content type did not.
      expect(res.text).to.equal(
        CONTINUE.slice(0, -1) +
          String.raw`,"content":"{\"content\":\"hi \\u003cb\\u003e \\u0026 ***\"}","ex":"checked"}`,
      );
      expect(backend.received).to.have.length(1);
      // A patch is answered once.
      expect((await modify(gateway)).text).to.equal(CONTINUE);
    }));

  it('answers Tencent’s documented patch reply (two elements) as one custom element of type 110', () =>
    withGateway(config(), async (gateway) => {
      backend.answer(() => ({ body: fixture('tencent', `${T_C2C}.reply`) }));
      await send(gateway);
      const reply = JSON.parse((await modify(gateway)).text);
      expect(reply.contentType).to.equal(110);
      expect(JSON.parse(reply.content)).to.deep.include({ description: 'tencent:MsgBody' });
      // The custom element gains the keys Tencent's sample of it has (Ext, Sound), empty.
      expect(JSON.parse(JSON.parse(reply.content).data)).to.deep.equal([
        { MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } },
        {
          MsgType: 'TIMCustomElem',
          MsgContent: { Data: ' LV1', Desc: ' CustomElement.MemberLevel ', Ext: '', Sound: '' },
        },
      ]);
      expect(reply.ex).to.equal('your new cloud custom data');
    }));

  const verdicts: { name: string; reply: object; expected: string }[] = [
    {
      name: 'ErrorCode 2 (silent drop) is a deny OpenIM can express, marked silent_drop',
      reply: { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' },
      expected: '{"actionCode":0,"errCode":20001,"errMsg":"","errDlt":"silent_drop","nextCode":1}',
    },
    {
      name: 'a custom code in range reaches OpenIM as the code',
      reply: { ActionStatus: 'OK', ErrorCode: 120003, ErrorInfo: 'nope' },
      expected: '{"actionCode":0,"errCode":120003,"errMsg":"nope","errDlt":"","nextCode":1}',
    },
    {
      name: 'ErrorCode 1 denies with OpenIM’s deny code',
      reply: { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'forbidden' },
      expected: '{"actionCode":0,"errCode":20001,"errMsg":"forbidden","errDlt":"","nextCode":1}',
    },
    {
      name: 'a numeric-string ErrorCode "0" allows',
      reply: { ActionStatus: 'OK', ErrorCode: '0', ErrorInfo: '' },
      expected: CONTINUE,
    },
    {
      name: 'ErrorCode decides whatever ActionStatus says',
      reply: { ActionStatus: 'FAIL', ErrorCode: 0, ErrorInfo: '' },
      expected: CONTINUE,
    },
  ];
  for (const v of verdicts) {
    it(`reads the backend’s verdict: ${v.name}`, () =>
      withGateway(config(), async (gateway) => {
        backend.answer(() => ({ body: v.reply }));
        expect((await send(gateway)).text).to.equal(v.expected);
      }));
  }

  it('sends the message Tencent’s way: ClientIP the OpenIM server, OptPlatform from the sender', () =>
    withGateway(config(), async (gateway) => {
      backend.answer(() => ({ body: TENCENT_OK }));
      await send(gateway);
      const query = new URL(backend.received[0]!.url, 'http://x').searchParams;
      expect(query.get('ClientIP')).to.equal('127.0.0.1');
      expect(query.get('OptPlatform')).to.equal('Android');
      expect(JSON.parse(backend.received[0]!.body).MsgBody).to.deep.equal([
        { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi <b> & 中文' } },
      ]);
    }));

  it('forgets a patch after 60 s: a late modify call gets the message unchanged, and the loss is counted', async () => {
    let now = Date.UTC(2026, 11, 4);
    await withGateway(
      config(),
      async (gateway) => {
        backend.answer(() => ({
          body: { ErrorCode: 0, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'late' } }] },
        }));
        await send(gateway);
        now += 61_000;
        expect((await modify(gateway)).text).to.equal(CONTINUE);
        const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
        expect(metricSample(metrics, 'imbridge_message_patches_lost_total', { reason: 'never_asked' })).to.equal(1);
      },
      { now: () => now },
    );
  });

  it('answers a modify call with nothing remembered as continue, without calling a Tencent backend', () =>
    withGateway(config(), async (gateway) => {
      expect((await modify(gateway)).text).to.equal(CONTINUE);
      expect(backend.received).to.have.length(0);
    }));

  it('allows an OpenIM notification without asking a Tencent backend (Tencent has no such messages)', () =>
    withGateway(config(), async (gateway) => {
      const body = fixture('openim', O_SINGLE).replace('"contentType":101', '"contentType":1501');
      expect((await gateway.post(`/openim/${O_SINGLE}`, body)).text).to.equal(CONTINUE);
      expect(backend.received).to.have.length(0);
    }));
});

describe('HTTP: message patches shared by replicas on one Redis outbox', function () {
  this.timeout(20_000);
  const { backend, url } = useBackend(() => ({
    body: { ErrorCode: 0, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from replica A' } }] },
  }));

  it('answers OpenIM’s modify call on replica B with the patch replica A remembered', async function () {
    const redis = await redisURL();
    if (!redis) this.skip();
    const config = {
      tencent: { sdkAppId: '1400000000' },
      downstream: { url: url(), format: 'tencent' },
      outbox: { url: redis },
    };
    const a = await startGateway(config);
    const b = await startGateway(config);
    try {
      expect((await a.post(`/openim/${O_SINGLE}`, fixture('openim', O_SINGLE))).text).to.equal(CONTINUE);
      const res = await b.post(`/openim/${O_MODIFY}`, fixture('openim', O_MODIFY));
      expect(JSON.parse(res.text).content).to.equal('{"content":"from replica A"}');
      expect(backend.received).to.have.length(1);
      // Asked once, answered once: replica A has nothing left to give.
      expect((await a.post(`/openim/${O_MODIFY}`, fixture('openim', O_MODIFY))).text).to.equal(CONTINUE);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('HTTP: messages to a canonical backend', () => {
  const { backend, url } = useBackend();
  const config = () => ({ downstream: { url: `${url()}/events`, format: 'canonical' } });

  it('sends im.message.send.before and answers a drop verdict to Tencent as ErrorCode 2', () =>
    withGateway(config(), async (gateway) => {
      backend.answer(() => ({ body: { decision: 'drop', message: 'spam' } }));
      const res = await gateway.post(tencentPath(T_C2C), fixture('tencent', T_C2C));
      expect(res.json).to.deep.equal({ ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: 'spam' });
      const ce = JSON.parse(backend.received[0]!.body);
      expect(ce).to.include({ type: 'im.message.send.before', imcommand: T_C2C });
      expect(ce.data.elements).to.deep.equal([{ type: 'text', text: 'red packet' }]);
      expect(ce.data.conversationID).to.equal(undefined);
    }));

  it('carries a canonical patch back to Tencent as MsgBody and CloudCustomData', () =>
    withGateway(config(), async (gateway) => {
      backend.answer(() => ({
        body: {
          decision: 'allow',
          patch: { elements: [{ type: 'face', index: 3, data: 'smile' }], cloudCustomData: 'x' },
        },
      }));
      const res = await gateway.post(tencentPath(T_GROUP), fixture('tencent', T_GROUP));
      expect(res.json).to.deep.equal({
        ActionStatus: 'OK',
        ErrorCode: 0,
        ErrorInfo: '',
        MsgBody: [{ MsgType: 'TIMFaceElem', MsgContent: { Index: 3, Data: 'smile' } }],
        CloudCustomData: 'x',
      });
    }));

  it('sends OpenIM’s modify call with nothing remembered as im.message.modify.before', () =>
    withGateway(config(), async (gateway) => {
      backend.answer(() => ({ body: { decision: 'allow', patch: { elements: [{ type: 'text', text: 'new' }] } } }));
      const res = await gateway.post(`/openim/${O_MODIFY}`, fixture('openim', O_MODIFY));
      expect(JSON.parse(res.text).content).to.equal('{"content":"new"}');
      expect(JSON.parse(backend.received[0]!.body).type).to.equal('im.message.modify.before');
    }));

  it('reads drop as deny where a message is not being sent (a modify call)', () =>
    withGateway(config(), async (gateway) => {
      backend.answer(() => ({ body: { decision: 'drop', code: 20100, message: 'gone' } }));
      const res = await gateway.post(`/openim/${O_MODIFY}`, fixture('openim', O_MODIFY));
      expect(res.text).to.equal('{"actionCode":0,"errCode":20100,"errMsg":"gone","errDlt":"","nextCode":1}');
    }));
});

describe('HTTP: message after-events go through the outbox', function () {
  this.timeout(20_000);
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));

  it('delivers a Tencent group after-send to an OpenIM backend after answering OK', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post(
        tencentPath('Group.CallbackAfterSendMsg'),
        fixture('tencent', 'Group.CallbackAfterSendMsg'),
      );
      expect(res.text).to.equal(TENCENT_OK);
      const [req] = await backend.waitFor(1);
      expect(req!.url).to.equal('/callbackAfterSendGroupMsgCommand');
      expect(JSON.parse(req!.body)).to.include({ groupID: '@TGS#2J4SZEAEL', seq: 123, sendTime: 1490686222000 });
    }));

  it('answers what the other vendor cannot say itself: a failed send to OpenIM, a stored message to Tencent', async () => {
    await withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post(
        tencentPath('Group.CallbackSendMsgException'),
        fixture('tencent', 'Group.CallbackSendMsgException'),
      );
      expect(res.text).to.equal(TENCENT_OK);
    });
    await withGateway(
      { tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'tencent' } },
      async (gateway) => {
        const res = await gateway.post(
          '/openim/callbackAfterMsgSaveDBCommand',
          fixture('openim', 'callbackAfterMsgSaveDBCommand'),
        );
        expect(res.text).to.equal(CONTINUE);
      },
    );
    await new Promise((r) => setTimeout(r, 150));
    expect(backend.received).to.have.length(0);
  });

  it('takes OpenIM’s v3.5/v3.6 read names and sends them to a Tencent backend as read reports', () =>
    withGateway({ tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'tencent' } }, async (gateway) => {
      const res = await gateway.post('/openim/callbackSingleMsgRead', fixture('openim', 'v3.5.callbackSingleMsgRead'));
      expect(res.text).to.equal(CONTINUE);
      const [req] = await backend.waitFor(1);
      expect(JSON.parse(req!.body)).to.include({
        CallbackCommand: 'C2C.CallbackAfterMsgReport',
        Report_Account: 'u2',
        Peer_Account: 'u1',
      });
    }));

  it('keeps an after-send through a dead backend and a restart, and delivers it once the backend is back', async () => {
    const port = await freePort();
    const file = outboxFile('messages-restart');
    const config = {
      downstream: { url: `http://127.0.0.1:${port}`, format: 'openim', timeoutMs: 200 },
      outbox: { url: `sqlite:${file}`, pollMs: 20, baseDelayMs: 20, maxDelayMs: 100 },
    };
    const first = await startGateway(config);
    const res = await first.post(
      tencentPath('C2C.CallbackAfterSendMsg'),
      fixture('tencent', 'C2C.CallbackAfterSendMsg'),
    );
    expect(res.text).to.equal(TENCENT_OK);
    await new Promise((r) => setTimeout(r, 200));
    await first.close();

    const revived = new Downstream(() => ({ body: CONTINUE }));
    await revived.start(port);
    const second = await startGateway(config);
    try {
      const [req] = await revived.waitFor(1, 5_000);
      expect(req!.url).to.equal('/callbackAfterSendSingleMsgCommand');
      expect(JSON.parse(req!.body)).to.include({ sendID: 'jared', recvID: 'Jonh', seq: 48374 });
      await new Promise((r) => setTimeout(r, 200));
      expect(revived.received).to.have.length(1);
    } finally {
      await second.close();
      await revived.close();
    }
  });
});
