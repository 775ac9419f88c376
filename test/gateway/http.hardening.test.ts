import { expect } from 'chai';
import { configSchema } from '../../src/config/schema.js';
import { Forwarder } from '../../src/downstream/forwarder.js';
import { Pipeline } from '../../src/gateway/pipeline.js';
import { policyFor } from '../../src/gateway/policy.js';
import { downstreamTarget } from '../../src/downstream/target.js';
import { createLogger } from '../../src/log.js';
import { useBackend } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';
import { metricSample } from '../helpers/metrics.js';
import { decode } from '../helpers/translate.js';
import { OPENIM_CONTINUE as CONTINUE } from '../helpers/answers.js';

const tencentPath = (command: string) => `/tencent?SdkAppid=1&CallbackCommand=${command}`;

describe('hardening: absurd integers are a 400 naming the field, never a 500', () => {
  const cases: { name: string; path: string; body: string; field: string }[] = [
    ...['18446744073709551616', '9007199254740993', '-10000000000000000', '1e300', '-1'].map((n) => ({
      name: `Tencent EventTime ${n}`,
      path: tencentPath('Sns.CallbackFriendDelete'),
      body: `{"CallbackCommand":"Sns.CallbackFriendDelete","PairList":[{"From_Account":"a","To_Account":"b"}],"EventTime":${n}}`,
      field: 'EventTime',
    })),
    {
      name: 'a Tencent profile value beyond uint32',
      path: tencentPath('Profile.CallbackPortraitSet'),
      body: '{"CallbackCommand":"Profile.CallbackPortraitSet","From_Account":"a","ProfileItem":[{"Tag":"Tag_Profile_IM_Level","Value":4294967296}]}',
      field: 'ProfileItem[0].Value',
    },
    {
      name: 'an OpenIM createTime beyond 2^53',
      path: '/openim/callbackAfterUserRegisterCommand',
      body: '{"callbackCommand":"callbackAfterUserRegisterCommand","users":[{"userID":"u","createTime":9007199254740993}]}',
      field: 'users[0].createTime',
    },
    {
      name: 'an OpenIM int32 beyond 2^31',
      path: '/openim/callbackAfterUserRegisterCommand',
      body: '{"callbackCommand":"callbackAfterUserRegisterCommand","users":[{"userID":"u","appMangerLevel":2147483648}]}',
      field: 'users[0].appMangerLevel',
    },
    {
      name: 'an OpenIM HandleResult of 1e10',
      path: '/openim/callbackAfterAddFriendAgreeCommand',
      body: '{"callbackCommand":"callbackAfterAddFriendAgreeCommand","fromUserID":"a","blackUserID":"b","HandleResult":10000000000,"HandleMsg":""}',
      field: 'HandleResult',
    },
  ];
  for (const c of cases) {
    it(c.name, () =>
      withGateway({}, async (g) => {
        const res = await g.post(c.path, c.body);
        expect(res.status, res.text).to.equal(400);
        expect(res.text).to.include(c.field).and.include('invalid_payload');
      }),
    );
  }

  it('keeps a canonical backend’s absurd deny code out of OpenIM’s int32 (the deny code instead)', async () => {
    const { openimDeny } = await import('../../src/vendors/openim/envelope.js');
    const { deny } = await import('../../src/canonical/verdict.js');
    expect(openimDeny(deny(1e12, 'x'), 20001)).to.include({ errCode: 20001, nextCode: 1 });
    expect(openimDeny(deny(2 ** 31 - 1, 'x'), 20001)).to.include({ errCode: 2 ** 31 - 1 });
  });
});

describe('hardening: a lone surrogate reaches an OpenIM-format backend as Go writes it', () => {
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));
  it('as U+FFFD, not as the escape \\ud800', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (g) => {
      await g.post(
        tencentPath('Sns.CallbackFriendDelete'),
        '{"CallbackCommand":"Sns.CallbackFriendDelete","PairList":[{"From_Account":"a\\ud800","To_Account":"b"}]}',
      );
      const [r] = await backend.waitFor(1);
      expect(r!.body).to.equal(
        '{"callbackCommand":"callbackAfterDeleteFriendCommand","ownerUserID":"a\ufffd","friendUserID":"b"}\n',
      );
    }));
});

describe('hardening: overload is answered fast', function () {
  this.timeout(20_000);
  const { backend, url } = useBackend(async () => {
    await new Promise((r) => setTimeout(r, 300));
    return { body: CONTINUE };
  });
  const importRaw = fixture('openim', 'callbackBeforeImportFriendsCommand');

  it('sheds callbacks past server.maxInFlight at once, in the caller’s envelope with the failure rule, and counts them', () =>
    withGateway(
      { server: { maxInFlight: 4 }, tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'openim' } },
      async (g) => {
        const started = performance.now();
        const answers = await Promise.all(
          Array.from({ length: 20 }, async () => {
            const res = await g.post('/openim/callbackBeforeImportFriendsCommand', importRaw);
            return { ...res, ms: performance.now() - started };
          }),
        );
        const shed = answers.filter((a) => a.status === 503);
        expect(answers.filter((a) => a.status === 200)).to.have.length(4);
        expect(shed).to.have.length(16);
        expect(backend.received, 'shed callbacks never reach the backend').to.have.length(4);
        // The OpenIM-format backend's failure rule is deny, so that is the shed answer.
        for (const a of shed)
          expect(a.json).to.deep.equal({
            actionCode: 0,
            errCode: 20001,
            errMsg: 'imbridge is overloaded: 4 callbacks already in flight',
            errDlt: '',
            nextCode: 1,
          });
        expect(Math.max(...shed.map((a) => a.ms)), 'shed answers do not wait for the backend').to.be.lessThan(250);
        const tencent = await g.post(
          tencentPath('Sns.CallbackFriendDelete'),
          fixture('tencent', 'Sns.CallbackFriendDelete'),
        );
        expect(tencent.status, 'nothing in flight any more').to.equal(200);
        const metrics = await (await fetch(`${g.url}/metrics`)).text();
        expect(metricSample(metrics, 'imbridge_shed_total', { vendor: 'openim' })).to.equal(16);
      },
    ));

  it('never sheds OpenIM set-group-info, whose only safe answer echoes its body', () =>
    withGateway({ server: { maxInFlight: 2 }, downstream: { url: url(), format: 'openim' } }, async (g) => {
      const before = fixture('openim', 'callbackBeforeSetGroupInfoCommand');
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => g.post('/openim/callbackBeforeSetGroupInfoCommand', before)),
      );
      for (const a of answers) {
        expect(a.status).to.equal(200);
        expect(a.json).to.include({ groupID: '3141592653', groupName: 'New name', nextCode: 0 });
      }
      expect(backend.received).to.have.length(6);
    }));

  it('answers a before-callback that has already used up its deadline with the failure rule, without asking the backend', async () => {
    const config = configSchema.validateSync({
      openim: { deadlineMs: 500 },
      downstream: { url: url(), format: 'openim' },
    });
    const forwarder = new Forwarder();
    const pipeline = new Pipeline({
      config,
      logger: createLogger('silent'),
      target: downstreamTarget(config),
      forwarder,
    });
    try {
      const event = decode('openim', 'callbackBeforeImportFriendsCommand', importRaw);
      const policy = policyFor(config, 'openim', 'callbackBeforeImportFriendsCommand');
      // It queued behind other work for 600 ms before imbridge got to it.
      const trace = { requestId: 'r', vendor: 'openim' as const, downstream: [], startedAt: performance.now() - 600 };
      const started = performance.now();
      const verdict = await pipeline.deliver(event, 'before', policy, trace);
      expect(performance.now() - started).to.be.lessThan(50);
      expect(verdict).to.include({ decision: 'deny', code: 20001 });
      expect(backend.received).to.have.length(0);
      // With time left, the backend is asked, within what is left of the deadline.
      const late = { ...trace, startedAt: performance.now() - 300 };
      const begun = performance.now();
      expect(await pipeline.deliver(event, 'before', policy, late)).to.include({ decision: 'deny' });
      expect(performance.now() - begun, 'the 300 ms backend did not fit the 200 ms left').to.be.within(150, 290);
    } finally {
      await forwarder.close();
    }
  });
});
