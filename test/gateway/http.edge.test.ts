import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { fixture } from '../helpers/fixtures.js';
import { backendAndGatewayForSuite, startGateway, type TestGateway } from '../helpers/gateway.js';
import { TENCENT_OK, OPENIM_CONTINUE } from '../helpers/answers.js';

const DELETE = 'Sns.CallbackFriendDelete';

/** One OpenIM-format backend that always continues, and one gateway before it, for a whole suite. */
const suite = (overrides: Record<string, unknown>) =>
  backendAndGatewayForSuite(
    (url) => ({ ...overrides, downstream: { url, format: 'openim' } }),
    () => ({ body: OPENIM_CONTINUE }),
  );

describe('HTTP: what real IM servers send is accepted', () => {
  const env = suite({ tencent: { sdkAppId: '1400000000' } });
  beforeEach(() => {
    env.backend.received.length = 0;
  });

  const tencentVariants: [string, string, Record<string, string>][] = [
    ['SdkAppId spelled the TRTC way', `/tencent?SdkAppId=1400000000&CallbackCommand=${DELETE}&contenttype=json`, {}],
    ['contenttype=JSON in capitals', `/tencent?SdkAppid=1400000000&CallbackCommand=${DELETE}&contenttype=JSON`, {}],
    [
      'a text/plain Content-Type',
      `/tencent?SdkAppid=1400000000&CallbackCommand=${DELETE}`,
      { 'content-type': 'text/plain' },
    ],
    ['no query command (taken from the body)', '/tencent?SdkAppid=1400000000', {}],
    ['a trailing slash on the URL', `/tencent/?SdkAppid=1400000000&CallbackCommand=${DELETE}`, {}],
  ];
  for (const [name, path, headers] of tencentVariants) {
    it(`Tencent: ${name}`, async () => {
      const res = await env.gateway.post(path, fixture('tencent', DELETE) + '\n', headers);
      expect(res.status).to.equal(200);
      expect(res.text).to.equal(TENCENT_OK);
      expect(await env.backend.waitFor(3)).to.have.length(3);
    });
  }

  it('Tencent: a gzip-compressed body, forwarded decompressed', async () => {
    const raw = fixture('tencent', DELETE);
    const res = await env.gateway.post(`/tencent?SdkAppid=1400000000&CallbackCommand=${DELETE}`, gzipSync(raw), {
      'content-encoding': 'gzip',
    });
    expect(res.text).to.equal(TENCENT_OK);
    expect(await env.backend.waitFor(3)).to.have.length(3);
  });

  const openimVariants: [string, string, Record<string, string>][] = [
    [
      'the Go server bytes with Operationid',
      '/openim/callbackAfterDeleteFriendCommand',
      { Operationid: '1700000000000' },
    ],
    ['a doubled slash from a base URL ending in /', '/openim//callbackAfterDeleteFriendCommand', {}],
    ['the docs-era ?contenttype=json', '/openim/callbackAfterDeleteFriendCommand?contenttype=json', {}],
  ];
  for (const [name, path, headers] of openimVariants) {
    it(`OpenIM: ${name}`, async () => {
      const raw = fixture('openim', 'callbackAfterDeleteFriendCommand');
      const res = await env.gateway.post(path, raw, { 'content-type': 'application/json; charset=utf-8', ...headers });
      expect(res.status).to.equal(200);
      expect(res.text).to.equal(OPENIM_CONTINUE);
      expect((await env.backend.waitFor(1)).map((r) => r.body)).to.deep.equal([raw]);
      if (headers['Operationid'])
        expect(env.backend.received[0]!.headers['operationid']).to.equal(headers['Operationid']);
    });
  }

  it('answers a known but unmapped command itself (allow/ack) without calling the backend', async () => {
    const t = await env.gateway.post(
      '/tencent?SdkAppid=1400000000&CallbackCommand=Group.CallbackOnMemberStateChange',
      '{"CallbackCommand":"Group.CallbackOnMemberStateChange"}',
    );
    const o = await env.gateway.post('/openim/callbackBeforeOfflinePushCommand', '{"operationID":"o1"}');
    expect(t.text).to.equal(TENCENT_OK);
    expect(o.text).to.equal(OPENIM_CONTINUE);
    expect(env.backend.received).to.have.length(0);
  });
});

describe("HTTP: bad input is refused in the caller's envelope and never forwarded", () => {
  const env = suite({ server: { bodyLimitBytes: 2048 }, tencent: { sdkAppId: '1400000000' } });
  after(() => {
    expect(env.backend.received, 'nothing bad was forwarded').to.have.length(0);
  });

  const tq = (command = DELETE, appid = '1400000000') =>
    `/tencent?SdkAppid=${appid}&CallbackCommand=${command}&contenttype=json`;
  const tencentCases: [string, string, string, number, string][] = [
    ['malformed JSON', tq(), '{"PairList": [', 400, 'malformed_json: '],
    ['a JSON array', tq(), '[1,2]', 400, 'invalid_payload: request body must be a JSON object'],
    [
      'a missing field',
      tq(),
      '{"CallbackCommand":"Sns.CallbackFriendDelete","PairList":[{"From_Account":"a"}]}',
      400,
      'invalid_payload: PairList[0].To_Account must be defined',
    ],
    [
      'a wrong type',
      tq(),
      '{"CallbackCommand":"Sns.CallbackFriendDelete","PairList":[{"From_Account":"a","To_Account":7}]}',
      400,
      'invalid_payload: PairList[0].To_Account must be a `string` type',
    ],
    [
      'an unknown command',
      tq('Sns.CallbackNope'),
      '{"CallbackCommand":"Sns.CallbackNope"}',
      400,
      'unknown_command: unknown Tencent callback command "Sns.CallbackNope"',
    ],
    [
      'a body command that disagrees with the query',
      tq(),
      '{"CallbackCommand":"Sns.CallbackBlackListDelete","PairList":[]}',
      400,
      'command_mismatch: ',
    ],
    ["another app's SdkAppid", tq(DELETE, '1400000001'), fixture('tencent', DELETE), 403, 'sdkappid_mismatch: '],
    [
      'a command given twice with different values',
      `${tq()}&CallbackCommand=Sns.CallbackFriendAdd`,
      fixture('tencent', DELETE),
      400,
      'invalid_payload: query parameter CallbackCommand is given twice with different values',
    ],
    [
      'a __proto__ key',
      tq(),
      '{"CallbackCommand":"Sns.CallbackFriendDelete","__proto__":{"x":1},"PairList":[]}',
      400,
      'malformed_json: ',
    ],
    [
      'a body over the limit',
      tq(),
      JSON.stringify({ CallbackCommand: DELETE, PairList: [], pad: 'x'.repeat(4096) }),
      413,
      'body_too_large: ',
    ],
  ];
  for (const [name, path, body, status, message] of tencentCases) {
    it(`Tencent: ${name} → ${status}`, async () => {
      const res = await env.gateway.post(path, body);
      expect(res.status).to.equal(status);
      const json = res.json as { ActionStatus: string; ErrorCode: number; ErrorInfo: string };
      expect(json).to.have.all.keys('ActionStatus', 'ErrorCode', 'ErrorInfo');
      expect(json.ActionStatus).to.equal('FAIL');
      expect(json.ErrorCode).to.equal(1);
      expect(json.ErrorInfo.startsWith(message), json.ErrorInfo).to.equal(true);
    });
  }

  // A body whose bytes do not decode is the caller's mistake: a 4xx naming it, not a 500.
  const encodedCases: [string, Uint8Array<ArrayBuffer>, Record<string, string>, number, string][] = [
    [
      'a body that is not the gzip its Content-Encoding says',
      new TextEncoder().encode(fixture('tencent', DELETE)),
      { 'content-encoding': 'gzip' },
      400,
      'bad_encoding: request body does not decode as its Content-Encoding says: incorrect header check',
    ],
    [
      'a truncated gzip body',
      gzipSync(fixture('tencent', DELETE)).subarray(0, 20),
      { 'content-encoding': 'gzip' },
      400,
      'bad_encoding: request body does not decode as its Content-Encoding says: unexpected end of file',
    ],
    [
      'a small gzip body that inflates past the limit',
      gzipSync(`{"CallbackCommand":"${DELETE}","PairList":[],"pad":"${' '.repeat(100_000)}"}`),
      { 'content-encoding': 'gzip' },
      413,
      'body_too_large: ',
    ],
    [
      'an unknown Content-Encoding',
      new TextEncoder().encode('{}'),
      { 'content-encoding': 'compress' },
      415,
      'bad_encoding: request body cannot be decoded: Unsupported Content-Encoding: compress',
    ],
  ];
  for (const [name, body, headers, status, message] of encodedCases) {
    it(`Tencent: ${name} → ${status}`, async () => {
      const res = await env.gateway.post(tq(), body, headers);
      expect(res.status).to.equal(status);
      expect(res.json).to.include({ ActionStatus: 'FAIL', ErrorCode: 1 });
      expect(
        (res.json as { ErrorInfo: string }).ErrorInfo.startsWith(message),
        (res.json as { ErrorInfo: string }).ErrorInfo,
      ).to.equal(true);
    });
  }

  it("OpenIM: a body that is not the gzip its Content-Encoding says → 400 in OpenIM's envelope", async () => {
    const res = await env.gateway.post('/openim/callbackAfterDeleteFriendCommand', '{}', {
      'content-encoding': 'gzip',
    });
    expect(res.status).to.equal(400);
    expect(res.json).to.include({ actionCode: 0, errCode: 400, errDlt: 'bad_encoding', nextCode: 0 });
  });

  const openimCases: [string, string, string, number, string, string][] = [
    ['malformed JSON', '/openim/callbackAfterDeleteFriendCommand', '{', 400, 'malformed_json', ''],
    [
      'a missing field',
      '/openim/callbackAfterDeleteFriendCommand',
      '{"ownerUserID":"u1"}',
      400,
      'invalid_payload',
      'friendUserID must be defined',
    ],
    [
      'an unknown command',
      '/openim/callbackWhatever',
      '{}',
      400,
      'unknown_command',
      'unknown OpenIM callback command "callbackWhatever"',
    ],
    [
      'an unknown command as long as a URL, shown cut short',
      `/openim/${'x'.repeat(4000)}`,
      '{}',
      400,
      'unknown_command',
      `unknown OpenIM callback command "${'x'.repeat(100)}…"`,
    ],
    [
      'a body command that disagrees with the URL',
      '/openim/callbackAfterDeleteFriendCommand',
      fixture('openim', 'callbackAfterRemoveBlackCommand'),
      400,
      'command_mismatch',
      '',
    ],
    [
      'a null where a list belongs is fine, a number is not',
      '/openim/callbackBeforeImportFriendsCommand',
      '{"ownerUserID":"u1","friendUserIDs":5}',
      400,
      'invalid_payload',
      'friendUserIDs must be a `array` type',
    ],
  ];
  for (const [name, path, body, status, code, message] of openimCases) {
    it(`OpenIM: ${name} → ${status}`, async () => {
      const res = await env.gateway.post(path, body);
      expect(res.status).to.equal(status);
      const json = res.json as Record<string, unknown>;
      expect(json).to.have.all.keys('actionCode', 'errCode', 'errMsg', 'errDlt', 'nextCode');
      expect(json).to.include({ actionCode: 0, errCode: status, errDlt: code, nextCode: 0 });
      expect(String(json['errMsg'])).to.include(message);
    });
  }

  it('refuses GET on a callback route with 405 in the vendor envelope', async () => {
    const t = await fetch(`${env.gateway.url}/tencent`);
    const o = await fetch(`${env.gateway.url}/openim/callbackAfterDeleteFriendCommand`, { method: 'PUT', body: '{}' });
    expect(t.status).to.equal(405);
    expect(t.headers.get('allow')).to.equal('POST');
    expect(await t.json()).to.include({ ActionStatus: 'FAIL' });
    expect(o.status).to.equal(405);
    expect(await o.json()).to.include({ errDlt: 'method_not_allowed' });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await fetch(`${env.gateway.url}/nope`);
    expect(res.status).to.equal(404);
    expect(await res.json()).to.deep.equal({ error: { code: 'not_found', message: 'no route for GET /nope' } });
  });
});

describe('HTTP: shadow mode and health', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startGateway();
  });
  after(() => gateway.close());

  it('answers allow/OK itself when no downstream is configured', async () => {
    const t = await gateway.post(`/tencent?SdkAppid=1&CallbackCommand=${DELETE}`, fixture('tencent', DELETE));
    const o = await gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
    );
    expect(t.text).to.equal(TENCENT_OK);
    expect(o.text).to.equal(OPENIM_CONTINUE);
  });

  it('still validates in shadow mode', async () => {
    const res = await gateway.post(`/tencent?SdkAppid=1&CallbackCommand=${DELETE}`, '{"PairList":"x"}');
    expect(res.status).to.equal(400);
  });

  it('serves /healthz and /readyz', async () => {
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).to.deep.equal({ status: 'ok' });
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).to.deep.equal({ status: 'ready', shadow: true });
  });
});
