import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { fixture } from '../helpers/fixtures.js';
import { Downstream, useBackend } from '../helpers/downstream.js';
import { withGateway } from '../helpers/gateway.js';
import { metricSample } from '../helpers/metrics.js';
import { TENCENT_OK, OPENIM_CONTINUE as CONTINUE } from '../helpers/answers.js';

const DELETE = 'Sns.CallbackFriendDelete';
const deleteBody = fixture('tencent', DELETE);
const signed = (sign: string, time: string | number) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${DELETE}&contenttype=json&ClientIP=&OptPlatform=Web&Sign=${sign}&RequestTime=${time}`;

describe('security: Tencent callback authentication (docs/vendors/tencent.md#signature)', () => {
  // Tencent's documented example, a public SDK's fixture, and a public gateway's test.
  const vectors: [string, number, string][] = [
    ['xxxxyyyy', 1669872112, '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061'],
    [
      'e10adc3949ba59abbe56e057f20f883e',
      1676091353,
      'a5d271b35bd72858cdf1ad0b9dfbf037d19146062c0ecb712a0a3235489d6021',
    ],
    ['my_token', 1773643904, 'c187855d0c55a14ae4ea6fd5c5313eed3bbd9a5621bcb0d1a57a4680871f8681'],
  ];
  for (const [token, time, sign] of vectors) {
    it(`accepts the published vector for token ${token}, in either hex case`, () =>
      withGateway(
        { tencent: { callbackToken: token } },
        async (g) => {
          expect((await g.post(signed(sign, time), deleteBody)).text).to.equal(TENCENT_OK);
          expect((await g.post(signed(sign.toUpperCase(), time), deleteBody)).text).to.equal(TENCENT_OK);
        },
        { now: () => time * 1000 + 5_000 },
      ));
  }

  const [token, time, sign] = vectors[0]!;
  const refusals: [string, string, number, string][] = [
    ['a wrong Sign', signed(sign.replace('1', '2'), time), 401, 'bad_signature: Sign does not match'],
    ['a Sign of the wrong length', signed('abc', time), 401, 'bad_signature: '],
    [
      'no Sign at all',
      `/tencent?SdkAppid=1400000000&CallbackCommand=${DELETE}`,
      401,
      'bad_signature: Sign and RequestTime are required',
    ],
    [
      'a RequestTime that is not a number',
      signed(sign, 'soon'),
      401,
      'bad_signature: RequestTime must be Unix seconds',
    ],
  ];
  for (const [name, path, status, info] of refusals) {
    it(`refuses ${name} (${status}), never forwarding it`, async () => {
      const backend = new Downstream(() => ({ body: CONTINUE }));
      const url = await backend.start();
      try {
        await withGateway(
          { tencent: { callbackToken: token }, downstream: { url, format: 'openim' } },
          async (g) => {
            const res = await g.post(path, deleteBody);
            expect(res.status).to.equal(status);
            const json = res.json as { ActionStatus: string; ErrorInfo: string };
            expect(json.ActionStatus).to.equal('FAIL');
            expect(json.ErrorInfo.startsWith(info), json.ErrorInfo).to.equal(true);
          },
          { now: () => time * 1000 },
        );
        expect(backend.received).to.have.length(0);
      } finally {
        await backend.close();
      }
    });
  }

  it('refuses a replay outside the window (default ±60 s) and accepts one inside a configured wider window', async () => {
    await withGateway(
      { tencent: { callbackToken: token } },
      async (g) => {
        const res = await g.post(signed(sign, time), deleteBody);
        expect(res.status).to.equal(401);
        expect((res.json as { ErrorInfo: string }).ErrorInfo).to.match(
          /^stale_request: RequestTime 1669872112 is 61 s from now, outside the ±60 s window/,
        );
      },
      { now: () => (time + 61) * 1000 },
    );
    await withGateway(
      { tencent: { callbackToken: token, signatureWindowSec: 120 } },
      async (g) => {
        expect((await g.post(signed(sign, time), deleteBody)).status).to.equal(200);
      },
      { now: () => (time + 61) * 1000 },
    );
  });

  it('never logs the token', async () => {
    const lines: string[] = [];
    await withGateway(
      { tencent: { callbackToken: token } },
      async (g) => {
        await g.post(signed('0'.repeat(64), time), deleteBody);
      },
      { now: () => time * 1000, logLines: lines },
    );
    expect(lines.join('')).to.include('bad_signature').and.not.include(token);
  });
});

describe('security: OpenIM secret path', () => {
  const secret = 'k9-Jd2_Qx7.vLm4~Zp0';
  const raw = fixture('openim', 'callbackAfterDeleteFriendCommand');

  it('accepts callbacks on /openim/<secret>/<command> and refuses any other path, without logging the secret', async () => {
    const lines: string[] = [];
    await withGateway(
      { openim: { pathSecret: secret } },
      async (g) => {
        expect((await g.post(`/openim/${secret}/callbackAfterDeleteFriendCommand`, raw)).text).to.equal(CONTINUE);
        for (const path of [
          '/openim/callbackAfterDeleteFriendCommand',
          `/openim/${secret}x/callbackAfterDeleteFriendCommand`,
          '/openim/guess/callbackAfterDeleteFriendCommand',
        ]) {
          const res = await g.post(path, raw);
          expect(res.status, path).to.equal(403);
          expect(res.json).to.include({ actionCode: 0, errCode: 403, errDlt: 'forbidden_origin', nextCode: 0 });
        }
      },
      { logLines: lines },
    );
    expect(lines.join('')).to.include('forbidden_origin').and.not.include(secret);
  });

  it('has no secret-path route when no secret is configured', () =>
    withGateway({}, async (g) => {
      const res = await g.post('/openim/anything/callbackAfterDeleteFriendCommand', raw);
      expect(res.status).to.equal(404);
      expect(res.json).to.include({ errDlt: 'not_found' });
    }));
});

describe('security: caller address allow lists', () => {
  const raw = fixture('openim', 'callbackAfterDeleteFriendCommand');
  const cases: [string, Record<string, unknown>, Record<string, string>, number][] = [
    ['a caller outside the list', { openim: { allowedIPs: ['10.0.0.0/8'] } }, {}, 403],
    ['a caller inside the list (IPv4 on a dual-stack socket)', { openim: { allowedIPs: ['127.0.0.0/8'] } }, {}, 200],
    [
      'a forged X-Forwarded-For from an untrusted peer',
      { openim: { allowedIPs: ['10.0.0.0/8'] } },
      { 'X-Forwarded-For': '10.1.2.3' },
      403,
    ],
    [
      'X-Forwarded-For from a trusted proxy',
      { server: { trustedProxies: ['127.0.0.1'] }, openim: { allowedIPs: ['10.0.0.0/8'] } },
      { 'X-Forwarded-For': '10.1.2.3' },
      200,
    ],
    [
      'a trusted proxy forwarding an outsider',
      { server: { trustedProxies: ['127.0.0.1'] }, openim: { allowedIPs: ['10.0.0.0/8'] } },
      { 'X-Forwarded-For': '198.51.100.7' },
      403,
    ],
    ['a single allowed address', { openim: { allowedIPs: ['127.0.0.1'] } }, {}, 200],
  ];
  for (const [name, overrides, headers, status] of cases) {
    it(`${name} → ${status}`, () =>
      withGateway(overrides, async (g) => {
        const res = await g.post('/openim/callbackAfterDeleteFriendCommand', raw, headers);
        expect(res.status).to.equal(status);
        if (status === 403)
          expect(String((res.json as { errMsg: string }).errMsg)).to.match(/is not in the allowed addresses/);
      }));
  }

  it('applies the Tencent list to Tencent callbacks only', () =>
    withGateway({ tencent: { allowedIPs: ['10.0.0.0/8'] } }, async (g) => {
      expect((await g.post(`/tencent?SdkAppid=1&CallbackCommand=${DELETE}`, deleteBody)).status).to.equal(403);
      expect((await g.post('/openim/callbackAfterDeleteFriendCommand', raw)).status).to.equal(200);
    }));
});

describe('security: downstream authenticity', () => {
  const { backend, url: backendURL } = useBackend(() => ({ status: 204, body: '' }));

  it('signs canonical deliveries with Standard Webhooks headers a backend verifies with the standardwebhooks library', async () => {
    const secret = `whsec_${Buffer.from('a 32-byte secret for imbridge ok').toString('base64')}`;
    await withGateway({ downstream: { url: backendURL(), format: 'canonical', secret } }, async (g) => {
      await g.post(`/tencent?SdkAppid=1&CallbackCommand=${DELETE}&RequestTime=1700000000`, deleteBody);
      await backend.waitFor(1);
    });
    const r = backend.received[0]!;
    const headers = r.headers as Record<string, string>;
    const event = new Webhook(secret).verify(r.body, headers) as { id: string; type: string };
    expect(event.type).to.equal('im.friend.deleted');
    expect(headers['webhook-id']).to.equal(event.id);
    expect(() => new Webhook(secret).verify(r.body.replace('id1', 'idX'), headers)).to.throw();
  });

  for (const format of ['openim', 'tencent', 'canonical'] as const) {
    it(`adds static headers to ${format} deliveries without overriding the format's own`, async () => {
      await withGateway(
        {
          tencent: { sdkAppId: '1400000000' },
          downstream: {
            url: backendURL(),
            format,
            headers: { Authorization: 'Bearer s3cret', 'content-type': 'text/evil' },
          },
        },
        async (g) => {
          await g.post(
            '/openim/callbackAfterDeleteFriendCommand',
            fixture('openim', 'callbackAfterDeleteFriendCommand'),
          );
          await backend.waitFor(1);
        },
      );
      expect(backend.received[0]!.headers['authorization']).to.equal('Bearer s3cret');
      expect(backend.received[0]!.headers['content-type']).to.not.equal('text/evil');
    });
  }
});

describe('security: hostile bodies', () => {
  const path = `/tencent?SdkAppid=1&CallbackCommand=${DELETE}`;
  const nested = (depth: number) =>
    `{"CallbackCommand":"${DELETE}","PairList":[],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;

  it('with unknownFields: reject, refuses unknown fields, naming where they are', () =>
    withGateway({ server: { unknownFields: 'reject' } }, async (g) => {
      const top = await g.post(path, JSON.stringify({ CallbackCommand: DELETE, PairList: [], Extra: 1 }));
      expect((top.json as { ErrorInfo: string }).ErrorInfo).to.equal(
        'invalid_payload: body has unknown field(s): Extra',
      );
      const inner = await g.post(
        path,
        JSON.stringify({
          CallbackCommand: DELETE,
          PairList: [{ From_Account: 'a', To_Account: 'b', constructor: 'x' }],
        }),
      );
      expect((inner.json as { ErrorInfo: string }).ErrorInfo).to.equal(
        'invalid_payload: PairList[0] has unknown field(s): constructor',
      );
    }));

  it('accepts Tencent EventTime on any relationship callback', () =>
    withGateway({}, async (g) => {
      expect(
        (await g.post(path, JSON.stringify({ CallbackCommand: DELETE, PairList: [], EventTime: 1700000000000 })))
          .status,
      ).to.equal(200);
    }));

  it('by default accepts unknown fields, forwards only what it knows, counts them and logs each new one once', async () => {
    const backend = new Downstream(() => ({ body: CONTINUE }));
    const url = await backend.start();
    const lines: string[] = [];
    try {
      await withGateway(
        { downstream: { url, format: 'openim' } },
        async (g) => {
          const withNew = JSON.stringify({
            CallbackCommand: DELETE,
            PairList: [
              { From_Account: 'a', To_Account: 'b', New: 1 },
              { From_Account: 'a', To_Account: 'c', New: 2 },
            ],
            Extra: 1,
          });
          expect((await g.post(path, withNew)).text).to.equal(TENCENT_OK);
          expect((await g.post(path, withNew)).text).to.equal(TENCENT_OK);
          // still refuses real type errors
          expect(
            (await g.post(path, JSON.stringify({ CallbackCommand: DELETE, PairList: 'x', Extra: 1 }))).status,
          ).to.equal(400);
          await backend.waitFor(4);
          const metrics = await (await fetch(`${g.url}/metrics`)).text();
          expect(
            metricSample(metrics, 'imbridge_unknown_fields_total', { vendor: 'tencent', command: DELETE }),
          ).to.equal(4);
        },
        { logLines: lines },
      );
      expect(backend.received.map((r) => r.body).sort()).to.deep.equal(
        ['b', 'b', 'c', 'c'].map(
          (f) => `{"callbackCommand":"callbackAfterDeleteFriendCommand","ownerUserID":"a","friendUserID":"${f}"}\n`,
        ),
      );
      const logged = lines
        .map((l) => JSON.parse(l) as { msg: string; fields?: string[] })
        .filter((l) => l.msg.startsWith('callback has fields'));
      expect(logged.map((l) => l.fields)).to.deep.equal([['PairList[].New', 'Extra']]);
    } finally {
      await backend.close();
    }
  });

  it('refuses JSON nested deeper than server.maxJsonDepth, and absurd nesting without a 5xx', () =>
    withGateway({}, async (g) => {
      const deep = await g.post(path, nested(40));
      expect(deep.status).to.equal(400);
      expect((deep.json as { ErrorInfo: string }).ErrorInfo).to.equal(
        'too_deep: request body nests deeper than 32 levels',
      );
      const absurd = await g.post(path, nested(200_000));
      expect(absurd.status).to.be.within(400, 499);
    }));
});
