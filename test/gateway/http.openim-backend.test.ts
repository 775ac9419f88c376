import { expect } from 'chai';
import { fixture } from '../helpers/fixtures.js';
import { useBackend } from '../helpers/downstream.js';
import { backendAndGateway, startGateway } from '../helpers/gateway.js';
import { TENCENT_OK, OPENIM_CONTINUE } from '../helpers/answers.js';

const tencentPath = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS`;

describe('HTTP: callbacks to an OpenIM-format backend', () => {
  const env = backendAndGateway(
    (url) => ({ downstream: { url: `${url}/hooks`, format: 'openim', concurrency: 2 } }),
    () => ({ body: OPENIM_CONTINUE }),
  );

  it('turns a Tencent FriendDelete with 3 pairs into 3 OpenIM calls and answers Tencent OK', async () => {
    const res = await env.gateway.post(
      tencentPath('Sns.CallbackFriendDelete'),
      fixture('tencent', 'Sns.CallbackFriendDelete'),
    );
    expect(res.status).to.equal(200);
    expect(res.text).to.equal(TENCENT_OK);
    expect(await env.backend.waitFor(3)).to.have.length(3);
    const bodies = env.backend.received.map((r) => r.body).sort();
    expect(bodies).to.deep.equal(
      ['id1', 'id2', 'id3'].map(
        (f) => `{"callbackCommand":"callbackAfterDeleteFriendCommand","ownerUserID":"id","friendUserID":"${f}"}\n`,
      ),
    );
    for (const r of env.backend.received) {
      expect(r.method).to.equal('POST');
      expect(r.url).to.equal('/hooks/callbackAfterDeleteFriendCommand');
      expect(r.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(r.headers['operationid']).to.be.a('string').and.not.equal('');
      expect(r.headers['content-length']).to.equal(String(Buffer.byteLength(r.body)));
      // Only what OpenIM's own client sends and the HTTP/1.1 framing: no Accept or User-Agent of axios's.
      expect(Object.keys(r.headers).sort()).to.deep.equal([
        'connection',
        'content-length',
        'content-type',
        'host',
        'idempotency-key',
        'operationid',
      ]);
    }
    const ops = new Set(env.backend.received.map((r) => r.headers['operationid']));
    expect(ops.size, 'each fanned-out call has its own operationID').to.equal(3);
  });

  it('never has more fanned-out calls in flight than downstream.concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    env.backend.answer(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return { body: OPENIM_CONTINUE };
    });
    const pairs = Array.from({ length: 6 }, (_, i) => ({ From_Account: 'a', To_Account: `b${i}` }));
    const res = await env.gateway.post(
      tencentPath('Sns.CallbackBlackListDelete'),
      JSON.stringify({ CallbackCommand: 'Sns.CallbackBlackListDelete', PairList: pairs }),
    );
    expect(res.text).to.equal(TENCENT_OK);
    expect(await env.backend.waitFor(6)).to.have.length(6);
    expect(peak).to.equal(2);
  });

  it('passes an OpenIM import through and its "nextCode": "1" string reply still denies, in integers', async () => {
    env.backend.answer(() => ({
      body: '{"actionCode":0,"errCode":"5001","errMsg":"not today","errDlt":"quota","nextCode":"1"}',
    }));
    const raw = fixture('openim', 'callbackBeforeImportFriendsCommand');
    const res = await env.gateway.post('/openim/callbackBeforeImportFriendsCommand', raw, {
      Operationid: 'op-42',
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(res.text).to.equal('{"actionCode":0,"errCode":5001,"errMsg":"not today","errDlt":"quota","nextCode":1}');
    expect(env.backend.received).to.have.length(1);
    expect(env.backend.received[0]!.body).to.equal(raw);
    expect(env.backend.received[0]!.headers['operationid']).to.equal('op-42');
  });

  it("returns the backend's replacement friend list to OpenIM", async () => {
    env.backend.answer(() => ({
      body: { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0, friendUserIDs: ['u2'] },
    }));
    const res = await env.gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
    );
    expect(res.text).to.equal(
      '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"friendUserIDs":["u2"]}',
    );
  });

  it('replaces a deny code below 100 with the configured one', async () => {
    env.backend.answer(() => ({ body: { actionCode: 0, errCode: 7, errMsg: 'no', errDlt: '', nextCode: 1 } }));
    const res = await env.gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
    );
    expect(res.json).to.deep.equal({ actionCode: 0, errCode: 20001, errMsg: 'no', errDlt: '', nextCode: 1 });
  });

  it('forwards an OpenIM agree with its quirky field names intact', async () => {
    const res = await env.gateway.post(
      '/openim/callbackAfterAddFriendAgreeCommand',
      fixture('openim', 'callbackAfterAddFriendAgreeCommand'),
    );
    expect(res.text).to.equal(OPENIM_CONTINUE);
    expect((await env.backend.waitFor(1)).map((r) => r.body)).to.deep.equal([
      '{"callbackCommand":"callbackAfterAddFriendAgreeCommand","fromUserID":"u1","blackUserID":"u2","HandleResult":1,"HandleMsg":"ok"}\n',
    ]);
  });
});

describe('HTTP: before-callback deadline and failure rule', () => {
  const { backend, url } = useBackend();

  const importRaw = fixture('openim', 'callbackBeforeImportFriendsCommand');

  it('answers allow within the deadline when the backend hangs (failure rule allow)', async () => {
    backend.answer(() => ({ body: '{}', delayMs: 2_000 }));
    const gateway = await startGateway({
      failureRule: 'allow',
      openim: { deadlineMs: 200 },
      downstream: { url: url(), format: 'openim' },
    });
    try {
      const started = performance.now();
      const res = await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw);
      const elapsed = performance.now() - started;
      expect(res.text).to.equal(OPENIM_CONTINUE);
      expect(elapsed).to.be.lessThan(200 + 250);
    } finally {
      await gateway.close();
    }
  });

  it('denies with the configured code when the rule is deny and the backend refuses connections', async () => {
    const gateway = await startGateway({
      failureRule: 'deny',
      downstream: { url: 'http://127.0.0.1:1', format: 'openim' },
    });
    try {
      const res = await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw);
      expect(res.json).to.deep.equal({
        actionCode: 0,
        errCode: 20001,
        errMsg: 'backend unavailable',
        errDlt: '',
        nextCode: 1,
      });
    } finally {
      await gateway.close();
    }
  });

  it('treats a reply that is not the envelope as a failure', async () => {
    backend.answer(() => ({ body: '<html>502</html>' }));
    const gateway = await startGateway({ failureRule: 'deny', downstream: { url: url(), format: 'openim' } });
    try {
      const res = await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw);
      expect(res.json).to.include({ nextCode: 1, errCode: 20001 });
    } finally {
      await gateway.close();
    }
  });

  it('still answers Tencent OK for an after-event the backend refuses', async () => {
    const gateway = await startGateway({ downstream: { url: 'http://127.0.0.1:1', format: 'openim' } });
    try {
      const res = await gateway.post(
        tencentPath('Sns.CallbackFriendDelete'),
        fixture('tencent', 'Sns.CallbackFriendDelete'),
      );
      expect(res.status).to.equal(200);
      expect(res.text).to.equal(TENCENT_OK);
    } finally {
      await gateway.close();
    }
  });
});
