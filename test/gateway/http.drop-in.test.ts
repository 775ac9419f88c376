import { expect } from 'chai';
import { fixture } from '../helpers/fixtures.js';
import { useBackend, type Answer } from '../helpers/downstream.js';
import { withGateway, type TestGateway } from '../helpers/gateway.js';
import { metricSample } from '../helpers/metrics.js';
import { OPENIM_CONTINUE as CONTINUE, TENCENT_OK } from '../helpers/answers.js';

// A backend behaves through imbridge as it did behind the IM server it was written for
// (docs/mappings.md#reading-backend-replies). Every test runs the real gateway against a real backend.

const tencentPath = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS`;

describe('drop-in: OpenIM-format replies are read as OpenIM’s Go code reads them', () => {
  const { backend, url } = useBackend();
  const cases: { name: string; command: string; reply: string; expected: object }[] = [
    {
      name: 'PascalCase keys (untagged Go structs, C#/Java serialisers) deny',
      command: 'callbackBeforeAddFriendCommand',
      reply: '{"ActionCode":0,"ErrCode":38003,"ErrMsg":"spam","NextCode":1}',
      expected: { actionCode: 0, errCode: 38003, errMsg: 'spam', errDlt: '', nextCode: 1 },
    },
    {
      name: 'of two keys folding to nextCode the last wins',
      command: 'callbackBeforeAddFriendCommand',
      reply: '{"nextCode":0,"errCode":38004,"NextCode":1}',
      expected: { actionCode: 0, errCode: 38004, errMsg: '', errDlt: '', nextCode: 1 },
    },
    {
      name: 'friendUserIds replaces the import list',
      command: 'callbackBeforeImportFriendsCommand',
      reply: '{"actionCode":0,"nextCode":0,"friendUserIds":["u2"]}',
      expected: { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0, friendUserIDs: ['u2'] },
    },
    {
      name: 'Remark replaces the remark',
      command: 'callbackBeforeSetFriendRemarkCommand',
      reply: '{"Remark":"best friend"}',
      expected: { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0, remark: 'best friend' },
    },
    {
      name: 'nickname (sdkws.UserInfo spelling) replaces the nickname',
      command: 'callbackBeforeUpdateUserInfoExCommand',
      reply: '{"nickname":"Nick"}',
      expected: { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0, nickName: 'Nick' },
    },
    {
      name: 'the deprecated user-info command takes faceURL and ex patches too, as OpenIM applies them there',
      command: 'callbackBeforeUpdateUserInfoCommand',
      reply: '{"FaceURL":"https://x/new.png","ex":"{\\"vip\\":1}"}',
      expected: {
        actionCode: 0,
        errCode: 0,
        errMsg: '',
        errDlt: '',
        nextCode: 0,
        faceURL: 'https://x/new.png',
        ex: '{"vip":1}',
      },
    },
    {
      name: 'a float code fails, as OpenIM aborts on it (fail-closed by default)',
      command: 'callbackBeforeAddFriendCommand',
      reply: '{"nextCode":0.0}',
      expected: { actionCode: 0, errCode: 20001, errMsg: 'backend unavailable', errDlt: '', nextCode: 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      backend.answer(() => ({ body: c.reply }));
      await withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
        const res = await gateway.post(`/openim/${c.command}`, fixture('openim', c.command));
        expect(res.json).to.deep.equal(c.expected);
        expect(backend.received).to.have.length(1);
      });
    });
  }
});

describe('drop-in: an explicit deny is a deny whatever the HTTP status', () => {
  const { backend, url } = useBackend();
  const importRaw = fixture('openim', 'callbackBeforeImportFriendsCommand');

  it('OpenIM-format backend: HTTP 500 with nextCode 1 denies, even under failure rule allow', async () => {
    backend.answer(() => ({
      status: 500,
      body: '{"actionCode":0,"errCode":38100,"errMsg":"no","errDlt":"","nextCode":1}',
    }));
    await withGateway({ failureRule: 'allow', downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw);
      expect(res.json).to.deep.equal({ actionCode: 0, errCode: 38100, errMsg: 'no', errDlt: '', nextCode: 1 });
    });
  });

  it('OpenIM-format backend: HTTP 503 with a continue body is still a failure (the rule decides)', async () => {
    backend.answer(() => ({ status: 503, body: CONTINUE }));
    await withGateway({ failureRule: 'allow', downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      expect((await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw)).text).to.equal(CONTINUE);
    });
    await withGateway({ failureRule: 'deny', downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      expect((await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw)).json).to.include({
        nextCode: 1,
        errCode: 20001,
      });
    });
  });

  it('Tencent-format backend: HTTP 500 with a ResultItem deny denies that target', async () => {
    backend.answer(() => ({
      status: 500,
      body: {
        ActionStatus: 'OK',
        ErrorCode: 0,
        ErrorInfo: '',
        ResultItem: [{ To_Account: 'u2', ResultCode: 38001, ResultInfo: 'blocked' }],
      },
    }));
    await withGateway(
      { failureRule: 'allow', tencent: { sdkAppId: '1400000000' }, downstream: { url: url(), format: 'tencent' } },
      async (gateway) => {
        const res = await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw);
        // u2 denied, u3 left: OpenIM is told the list to import instead.
        expect(res.json).to.deep.equal({
          actionCode: 0,
          errCode: 0,
          errMsg: '',
          errDlt: '',
          nextCode: 0,
          friendUserIDs: ['u3'],
        });
      },
    );
  });

  it('Tencent-format backend: HTTP 500 with an allow-all ResultItem is a failure', async () => {
    backend.answer(() => ({
      status: 500,
      body: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ResultItem: [{ To_Account: 'u2', ResultCode: 0 }] },
    }));
    await withGateway(
      { failureRule: 'deny', tencent: { sdkAppId: '1400000000' }, downstream: { url: url(), format: 'tencent' } },
      async (gateway) => {
        expect((await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw)).json).to.include({
          nextCode: 1,
          errCode: 20001,
        });
      },
    );
  });

  it('canonical backend: HTTP 500 with a deny verdict denies', async () => {
    backend.answer(() => ({
      status: 500,
      body: { decision: 'deny', code: 38200, message: 'policy', detail: '', items: [], patch: {} },
    }));
    await withGateway({ failureRule: 'allow', downstream: { url: url(), format: 'canonical' } }, async (gateway) => {
      expect((await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw)).json).to.include({
        nextCode: 1,
        errCode: 38200,
        errMsg: 'policy',
      });
    });
  });
});

describe('drop-in: the default failure rule follows the backend format', () => {
  const importRaw = fixture('openim', 'callbackBeforeImportFriendsCommand');
  const dead = 'http://127.0.0.1:1';
  const cases: { name: string; overrides: Record<string, unknown>; denies: boolean }[] = [
    {
      name: 'OpenIM-format backend: deny (OpenIM aborts on every failure)',
      overrides: { downstream: { url: dead, format: 'openim' } },
      denies: true,
    },
    {
      name: 'Tencent-format backend: allow (Tencent fails open)',
      overrides: { tencent: { sdkAppId: '1' }, downstream: { url: dead, format: 'tencent' } },
      denies: false,
    },
    { name: 'canonical backend: allow', overrides: { downstream: { url: dead, format: 'canonical' } }, denies: false },
    {
      name: 'OpenIM-format, overridden globally',
      overrides: { failureRule: 'allow', downstream: { url: dead, format: 'openim' } },
      denies: false,
    },
    {
      name: 'OpenIM-format, overridden for OpenIM callers',
      overrides: { openim: { failureRule: 'allow' }, downstream: { url: dead, format: 'openim' } },
      denies: false,
    },
    {
      name: 'OpenIM-format, overridden for the command',
      overrides: {
        commands: { callbackBeforeImportFriendsCommand: { failureRule: 'allow' } },
        downstream: { url: dead, format: 'openim' },
      },
      denies: false,
    },
    {
      name: 'canonical, overridden to deny for the command',
      overrides: {
        commands: { callbackBeforeImportFriendsCommand: { failureRule: 'deny' } },
        downstream: { url: dead, format: 'canonical' },
      },
      denies: true,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await withGateway(c.overrides, async (gateway) => {
        const res = await gateway.post('/openim/callbackBeforeImportFriendsCommand', importRaw);
        expect(res.json).to.include(c.denies ? { nextCode: 1, errCode: 20001 } : { nextCode: 0 });
      });
    });
  }
});

describe('drop-in: after-event replies neither IM server reads are not retried', () => {
  const { backend, url } = useBackend();
  const deletion = () => fixture('tencent', 'Sns.CallbackFriendDelete');

  /** Posts a Tencent FriendDelete (3 pairs) and waits until the outbox has settled every part. */
  async function deliverDeletion(gateway: TestGateway): Promise<void> {
    const res = await gateway.post(tencentPath('Sns.CallbackFriendDelete'), deletion());
    expect(res.text).to.equal(TENCENT_OK);
    for (let i = 0; i < 200 && (await gateway.outbox!.store.depth()).pending > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect((await gateway.outbox!.store.depth()).pending).to.equal(0);
  }

  const clean: [string, string, Answer][] = [
    ['an empty 200 (common behind OpenIM)', 'openim', { body: '' }],
    ['a 200 with an HTML page', 'openim', { body: '<html>ok</html>' }],
    ['a 204', 'openim', { status: 204, body: '' }],
  ];
  for (const [name, format, answer] of clean) {
    it(`${name} is delivered once, counted as rejected and logged once per command`, async () => {
      backend.answer(() => answer);
      const lines: string[] = [];
      await withGateway(
        { downstream: { url: url(), format, timeoutMs: 500 }, outbox: { baseDelayMs: 10, maxDelayMs: 20 } },
        async (gateway) => {
          await deliverDeletion(gateway);
          await new Promise((r) => setTimeout(r, 100));
          expect(backend.received, 'no redelivery').to.have.length(3);
          const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
          expect(metricSample(metrics, 'imbridge_outbox_deliveries_total', { result: 'rejected' })).to.equal(3);
          expect(metricSample(metrics, 'imbridge_outbox_deliveries_total', { result: 'retry' })).to.equal(undefined);
          expect((await gateway.outbox!.store.depth()).dead).to.equal(0);
          expect(lines.filter((l) => l.includes('unexpected reply'))).to.have.length(1);
        },
        { logLines: lines },
      );
    });
  }

  it('a Tencent handler library’s "not handled" FAIL with 200 is delivered once', async () => {
    backend.answer(() => ({ body: '{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"unsupported command"}' }));
    await withGateway(
      {
        tencent: { sdkAppId: '1' },
        downstream: { url: url(), format: 'tencent' },
        outbox: { baseDelayMs: 10, maxDelayMs: 20 },
      },
      async (gateway) => {
        const res = await gateway.post(
          '/openim/callbackAfterDeleteFriendCommand',
          fixture('openim', 'callbackAfterDeleteFriendCommand'),
        );
        expect(res.text).to.equal(CONTINUE);
        await backend.waitFor(1);
        await new Promise((r) => setTimeout(r, 150));
        expect(backend.received).to.have.length(1);
        expect(await gateway.outbox!.store.depth()).to.include({ pending: 0, dead: 0 });
      },
    );
  });

  it('a 404 goes to the dead letters at once, without burning the retry schedule', async () => {
    backend.answer(() => ({ status: 404, body: 'not found' }));
    await withGateway(
      { downstream: { url: url(), format: 'openim' }, outbox: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 15 } },
      async (gateway) => {
        await deliverDeletion(gateway);
        expect(backend.received).to.have.length(3);
        const dead = await gateway.outbox!.store.listDead(10);
        expect(dead.map((d) => [d.attempts, d.lastError])).to.deep.equal(
          [1, 1, 1].map((n) => [n, 'backend answered HTTP 404']),
        );
      },
    );
  });

  for (const status of [408, 429, 503]) {
    it(`an HTTP ${status} is retried until the backend accepts`, async () => {
      backend.answer((_, i) => (i < 3 ? { status, body: '' } : { body: CONTINUE }));
      await withGateway(
        { downstream: { url: url(), format: 'openim' }, outbox: { baseDelayMs: 10, maxDelayMs: 20 } },
        async (gateway) => {
          await deliverDeletion(gateway);
          expect(backend.received).to.have.length(6);
          expect((await gateway.outbox!.store.depth()).dead).to.equal(0);
        },
      );
    });
  }
});

describe('drop-in: what the vendor’s own server keeps is kept', () => {
  const { backend, url } = useBackend();

  it('an OpenIM-originated event has one EventTime for a Tencent backend, the same on every retry', async () => {
    backend.answer((_, i) => (i === 0 ? { status: 503, body: '' } : { body: TENCENT_OK }));
    await withGateway(
      {
        tencent: { sdkAppId: '1' },
        downstream: { url: url(), format: 'tencent' },
        outbox: { baseDelayMs: 30, maxDelayMs: 40 },
      },
      async (gateway) => {
        const before = Date.now();
        await gateway.post(
          '/openim/callbackAfterUpdateUserInfoExCommand',
          fixture('openim', 'callbackAfterUpdateUserInfoExCommand'),
        );
        const [first, second] = await backend.waitFor(2);
        const times = [first!, second!].map((r) => JSON.parse(r.body).EventTime as number);
        expect(times[1], 'the retry carries the time of the event').to.equal(times[0]);
        expect(times[0]).to.be.within(before, before + 1_000);
        // Tencent always names the operator, and never sends an empty ClientIP.
        expect(JSON.parse(second!.body)).to.include({ Operator_Account: 'u1', From_Account: 'u1' });
        expect(new URL(second!.url, 'http://x').searchParams.get('ClientIP')).to.equal('127.0.0.1');
      },
    );
  });

  it('an OpenIM import reaches a Tencent backend as Tencent reports an admin force-add', async () => {
    backend.answer(() => ({ body: TENCENT_OK }));
    await withGateway(
      { tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'tencent' } },
      async (gateway) => {
        await gateway.post(
          '/openim/callbackAfterImportFriendsCommand',
          fixture('openim', 'callbackAfterImportFriendsCommand'),
        );
        const [r] = await backend.waitFor(1);
        expect(new URL(r!.url, 'http://x').searchParams.get('CallbackCommand')).to.equal('Sns.CallbackFriendAdd');
        expect(JSON.parse(r!.body)).to.include({ ClientCmd: 'friend_add', Admin_Account: '', ForceFlag: 1 });
      },
    );
  });

  it('an OpenIM agree keeps its HandleMsg for an OpenIM-format backend and a canonical one', async () => {
    backend.answer(() => ({ body: CONTINUE }));
    for (const format of ['openim', 'canonical']) {
      backend.received.length = 0;
      await withGateway({ downstream: { url: url(), format } }, async (gateway) => {
        await gateway.post(
          '/openim/callbackAfterAddFriendAgreeCommand',
          fixture('openim', 'callbackAfterAddFriendAgreeCommand'),
        );
        const [r] = await backend.waitFor(1);
        const body = JSON.parse(r!.body);
        expect(format === 'openim' ? body.HandleMsg : body.data.message, format).to.equal('ok');
      });
    }
  });

  it('a Tencent BlackListAdd that an OpenIM-format backend denies after the fact is logged and counted', async () => {
    backend.answer(() => ({ body: '{"actionCode":0,"errCode":38001,"errMsg":"no","errDlt":"","nextCode":1}' }));
    const lines: string[] = [];
    await withGateway(
      { downstream: { url: url(), format: 'openim' } },
      async (gateway) => {
        const res = await gateway.post(
          tencentPath('Sns.CallbackBlackListAdd'),
          fixture('tencent', 'Sns.CallbackBlackListAdd'),
        );
        expect(res.text).to.equal(TENCENT_OK);
        const received = await backend.waitFor(1);
        for (let i = 0; i < 100 && (await gateway.outbox!.store.depth()).pending > 0; i++)
          await new Promise((r) => setTimeout(r, 10));
        const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
        expect(
          metricSample(metrics, 'imbridge_ignored_denials_total', { command: 'callbackBeforeAddBlackCommand' }),
        ).to.equal(received.length);
        expect(lines.filter((l) => l.includes('not honoured'))).to.have.length(received.length);
      },
      { logLines: lines },
    );
  });
});

describe('drop-in: OpenIM refusals and older OpenIM versions never block a user', () => {
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));

  it('an edge refusal keeps its 4xx status but continues on v3.5/v3.6 too (actionCode 0, nextCode 0)', async () => {
    await withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post('/openim/callbackInventedCommand', '{}');
      expect(res.status).to.equal(400);
      expect(res.json).to.deep.equal({
        actionCode: 0,
        errCode: 400,
        errMsg: 'unknown OpenIM callback command "callbackInventedCommand"',
        errDlt: 'unknown_command',
        nextCode: 0,
      });
      const bad = await gateway.post('/openim/callbackBeforeImportFriendsCommand', '{"ownerUserID":5}');
      expect(bad.status).to.equal(400);
      expect(bad.json).to.include({ actionCode: 0, nextCode: 0, errDlt: 'invalid_payload' });
      expect(backend.received).to.have.length(0);
    });
  });

  // The old message and member-join names are mapped, and tested with real bodies in
  // http.messages.test.ts and http.groups.test.ts.
  const oldNames = ['callbackOfflinePushCommand', 'callbackOnlinePushCommand', 'callbackSuperGroupOnlinePushCommand'];
  it('recognises the v3.5/v3.6 names of unmapped commands and answers them as known commands, not as unknown ones', async () => {
    await withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      for (const command of oldNames) {
        const res = await gateway.post(`/openim/${command}`, JSON.stringify({ callbackCommand: command }));
        expect(res.status, command).to.equal(200);
        expect(res.text, command).to.equal(CONTINUE);
      }
    });
  });
});

describe('downstream.commands: only the commands the backend implements are sent', () => {
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));

  it('answers a callback whose calls the backend does not handle itself, and sends the ones it does', () =>
    withGateway(
      { downstream: { url: url(), format: 'openim', commands: ['callbackAfterRemoveBlackCommand'] } },
      async (gateway) => {
        const deletion = await gateway.post(
          tencentPath('Sns.CallbackFriendDelete'),
          fixture('tencent', 'Sns.CallbackFriendDelete'),
        );
        expect(deletion.text).to.equal(TENCENT_OK);
        const unblock = await gateway.post(
          tencentPath('Sns.CallbackBlackListDelete'),
          fixture('tencent', 'Sns.CallbackBlackListDelete'),
        );
        expect(unblock.text).to.equal(TENCENT_OK);
        await backend.waitFor(3);
        await new Promise((r) => setTimeout(r, 100));
        expect(backend.received.map((r) => r.url)).to.deep.equal(Array(3).fill('/callbackAfterRemoveBlackCommand'));
        const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
        expect(
          metricSample(metrics, 'imbridge_unmapped_total', { vendor: 'tencent', command: 'Sns.CallbackFriendDelete' }),
        ).to.equal(1);
      },
    ));

  it('allows a before-callback the backend does not handle without asking it', () =>
    withGateway(
      {
        tencent: { sdkAppId: '1' },
        downstream: { url: url(), format: 'tencent', commands: ['Sns.CallbackFriendAdd'] },
      },
      async (gateway) => {
        const res = await gateway.post(
          '/openim/callbackBeforeImportFriendsCommand',
          fixture('openim', 'callbackBeforeImportFriendsCommand'),
        );
        expect(res.text).to.equal(CONTINUE);
        expect(backend.received).to.have.length(0);
      },
    ));
});
