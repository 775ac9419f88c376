import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envOverride, loadConfig, redactConfig, redactURL } from '../../src/config/load.js';
import { downstreamTarget } from '../../src/downstream/target.js';
import { ImbridgeError } from '../../src/errors.js';
import { tempDir } from '../helpers/tempDir.js';

const dir = tempDir('config');
function yamlFile(text: string): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}
const problems = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ImbridgeError);
    expect((err as ImbridgeError).code).to.equal('invalid_config');
    return (err as Error).message;
  }
  throw new Error('expected invalid_config');
};

describe('config/load', () => {
  it('defaults to shadow mode on port 8080 with nothing configured', () => {
    const c = loadConfig({ env: {} });
    expect(c.server).to.deep.equal({
      host: '0.0.0.0',
      port: 8080,
      requestTimeoutMs: 30000,
      bodyLimitBytes: 1048576,
      maxJsonDepth: 32,
      unknownFields: 'ignore',
      trustedProxies: [],
      maxInFlight: 1024,
      workers: 1,
      metricsPort: 9464,
      record: { sample: 1, redact: [], maxBytes: 104857600, keep: 5 },
    });
    expect(c.mirror.url, 'no mirror').to.equal(undefined);
    expect(c.tencent).to.include({ deadlineMs: 1500, denyCode: 38000 });
    expect(c.openim).to.include({ deadlineMs: 1500, denyCode: 20001 });
    expect(c.failureRule, 'the backend format decides (policyFor)').to.equal(undefined);
    expect(downstreamTarget(c), 'shadow mode').to.equal(undefined);
  });

  it('reads the YAML file named by IMBRIDGE_CONFIG and lets env vars override it', () => {
    const file = yamlFile(
      'server:\n  port: 9000\ndownstream:\n  url: http://backend:1/x\n  format: canonical\nlogLevel: debug\n',
    );
    const c = loadConfig({
      env: {
        IMBRIDGE_CONFIG: file,
        PORT: '9100',
        DOWNSTREAM_FORMAT: 'openim',
        LOG_LEVEL: 'warn',
        TENCENT_SDKAPPID: '1400000000',
      },
    });
    expect(c.server.port).to.equal(9100);
    expect(c.downstream).to.include({ url: 'http://backend:1/x', format: 'openim' });
    expect(c.logLevel).to.equal('warn');
    expect(c.tencent.sdkAppId).to.equal('1400000000');
    expect(downstreamTarget(c), 'not shadow mode').to.not.equal(undefined);
  });

  it('counts an empty env var as unset, over the file and on its own', () => {
    const file = yamlFile('server:\n  port: 9000\n');
    expect(loadConfig({ env: { IMBRIDGE_CONFIG: file, PORT: '' } }).server.port).to.equal(9000);
    expect(envOverride('TENCENT_SDKAPPID', { TENCENT_SDKAPPID: '' })).to.equal(undefined);
    expect(envOverride('TENCENT_SDKAPPID', { TENCENT_SDKAPPID: '1400000000' })).to.equal('1400000000');
  });

  const invalid: [string, Record<string, string>, string | undefined, RegExp][] = [
    ['a port that is not a number', { PORT: 'eighty' }, undefined, /server\.port must be a `number` type/],
    [
      'an unknown downstream format',
      { DOWNSTREAM_URL: 'http://b', DOWNSTREAM_FORMAT: 'xml' },
      undefined,
      /downstream\.format must be one of the following values: tencent, openim, canonical/,
    ],
    [
      'a URL without a format',
      { DOWNSTREAM_URL: 'http://b' },
      undefined,
      /downstream\.format is required when downstream\.url is set/,
    ],
    [
      'a Tencent backend without an app id',
      { DOWNSTREAM_URL: 'http://b', DOWNSTREAM_FORMAT: 'tencent' },
      undefined,
      /tencent\.sdkAppId is required when downstream\.format is tencent/,
    ],
    ['a misspelt key in the YAML', {}, 'tencent:\n  sdkAppID: "1"\n', /tencent field has unspecified keys: sdkAppID/],
    [
      'a Tencent deadline past its 2 s wait',
      {},
      'tencent:\n  deadlineMs: 2500\n',
      /tencent\.deadlineMs must be less than or equal to 1900/,
    ],
    [
      'a non-numeric SDKAppID',
      { TENCENT_SDKAPPID: 'abc' },
      undefined,
      /tencent\.sdkAppId must be the decimal SDKAppID/,
    ],
  ];
  for (const [name, env, yaml, message] of invalid) {
    it(`names the key for ${name}`, () => {
      const e = yaml ? { ...env, IMBRIDGE_CONFIG: yamlFile(yaml) } : env;
      expect(problems(() => loadConfig({ env: e }))).to.match(message);
    });
  }

  it('lists every problem at once', () => {
    const msg = problems(() => loadConfig({ env: { PORT: 'x', LOG_LEVEL: 'loud' } }));
    expect(msg)
      .to.match(/server\.port/)
      .and.to.match(/logLevel/);
  });

  it('says which file cannot be read or parsed', () => {
    expect(problems(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {} }))).to.match(
      /cannot read config file .*missing\.yaml/,
    );
    expect(problems(() => loadConfig({ file: yamlFile('server: [1,'), env: {} }))).to.match(/is not valid YAML/);
    expect(problems(() => loadConfig({ file: yamlFile('- a\n- b\n'), env: {} }))).to.match(/must hold a mapping/);
  });

  it('masks query values in every printed URL, where credentials hide too (?key=…)', () => {
    const c = loadConfig({
      env: {
        DOWNSTREAM_URL: 'http://b.example/hooks?key=k3y-s3cret&x=1',
        DOWNSTREAM_FORMAT: 'canonical',
        OUTBOX_URL: 'redis://:r3dis-pw@redis:6379/0?password=qs-pw',
      },
    });
    const printed = JSON.stringify(redactConfig(c));
    for (const secret of ['k3y-s3cret', 'r3dis-pw', 'qs-pw']) expect(printed).not.to.include(secret);
    expect(printed).to.include('http://b.example/hooks?key=***&x=***');
    expect(redactURL('redis://:pw@redis:6379/0')).to.equal('redis://:***@redis:6379/0');
    expect(redactURL('sqlite:.imbridge-data/outbox.sqlite')).to.equal('sqlite:.imbridge-data/outbox.sqlite');
  });

  it('bounds a Tencent command’s deadlineMs as it bounds tencent.deadlineMs (Tencent waits 2 s)', () => {
    const file = yamlFile(
      'commands:\n  Sns.CallbackPrevFriendAdd: { deadlineMs: 5000 }\n  callbackBeforeAddFriendCommand: { deadlineMs: 5000 }\n',
    );
    expect(problems(() => loadConfig({ env: { IMBRIDGE_CONFIG: file } }))).to.include(
      'commands.Sns.CallbackPrevFriendAdd.deadlineMs must be at most 1900',
    );
    const ok = yamlFile(
      'commands:\n  Sns.CallbackPrevFriendAdd: { deadlineMs: 1900 }\n  callbackBeforeAddFriendCommand: { deadlineMs: 5000 }\n',
    );
    expect(loadConfig({ env: { IMBRIDGE_CONFIG: ok } }).commands).to.deep.include({
      'Sns.CallbackPrevFriendAdd': { deadlineMs: 1900 },
    });
  });

  it('checks downstream.commands against the downstream vendor', () => {
    const ok = yamlFile(
      'downstream:\n  url: http://b\n  format: openim\n  commands: [callbackAfterDeleteFriendCommand]\n',
    );
    expect(loadConfig({ env: { IMBRIDGE_CONFIG: ok } }).downstream.commands).to.deep.equal([
      'callbackAfterDeleteFriendCommand',
    ]);
    const wrong = yamlFile('downstream:\n  url: http://b\n  format: openim\n  commands: [Sns.CallbackFriendDelete]\n');
    expect(problems(() => loadConfig({ env: { IMBRIDGE_CONFIG: wrong } }))).to.include(
      'downstream.commands: Sns.CallbackFriendDelete is not an OpenIM callback command',
    );
    const canonical = yamlFile('downstream:\n  url: http://b\n  format: canonical\n  commands: [x]\n');
    expect(problems(() => loadConfig({ env: { IMBRIDGE_CONFIG: canonical } }))).to.include(
      'set downstream.format to tencent or openim',
    );
  });

  it('masks secrets when the config is printed', () => {
    const c = loadConfig({
      env: { TENCENT_CALLBACK_TOKEN: 's3cret', DOWNSTREAM_URL: 'http://b', DOWNSTREAM_FORMAT: 'canonical' },
    });
    const printed = JSON.stringify(redactConfig(c));
    expect(printed).not.to.include('s3cret');
    expect(printed).to.include('"callbackToken":"***"');
  });
});

describe('config/load: downstream.url', () => {
  for (const url of ['http://backend:8080', 'https://hooks.example.com/im', 'http://127.0.0.1:9/x?y=1']) {
    it(`accepts ${url}`, () =>
      expect(loadConfig({ env: { DOWNSTREAM_URL: url, DOWNSTREAM_FORMAT: 'canonical' } }).downstream.url).to.equal(
        url,
      ));
  }
  for (const url of ['backend:8080', 'ftp://x/y', 'not a url']) {
    it(`refuses ${url}`, () =>
      expect(() => loadConfig({ env: { DOWNSTREAM_URL: url, DOWNSTREAM_FORMAT: 'canonical' } })).to.throw(
        /downstream\.url must be an http\(s\) URL/,
      ));
  }
});

describe('config/load: secrets and edge settings', () => {
  const secret = `whsec_${Buffer.from('another 32-byte secret for tests').toString('base64')}`;

  it('masks every secret: tokens, webhook secret, path secret, header values, URL passwords', () => {
    const c = loadConfig({
      env: {
        TENCENT_CALLBACK_TOKEN: 'tok-1',
        DOWNSTREAM_URL: 'https://user:pa55word@backend.example/hooks',
        DOWNSTREAM_FORMAT: 'canonical',
        DOWNSTREAM_TOKEN: 'tok-2',
        DOWNSTREAM_SECRET: secret,
        OPENIM_PATH_SECRET: 'path-secret-0123456789',
        IMBRIDGE_CONFIG: yamlFile('downstream:\n  headers:\n    Authorization: Bearer hunter2\n'),
      },
    });
    const printed = JSON.stringify(redactConfig(c));
    for (const s of ['tok-1', 'tok-2', secret, 'path-secret-0123456789', 'hunter2', 'pa55word'])
      expect(printed).not.to.include(s);
    expect(printed).to.include('"Authorization":"***"').and.include('user:***@backend.example');
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    [
      'a short path secret',
      { OPENIM_PATH_SECRET: 'short' },
      /openim\.pathSecret must be at least 16 URL-safe characters/,
    ],
    [
      'a webhook secret without whsec_',
      { DOWNSTREAM_SECRET: 'plain' },
      /downstream\.secret must be a Standard Webhooks secret/,
    ],
  ];
  for (const [name, env, message] of invalid) {
    it(`names the key for ${name}`, () => expect(problems(() => loadConfig({ env }))).to.match(message));
  }

  it('validates allow lists and trusted proxies as IPs or CIDRs', () => {
    const file = yamlFile(
      'server:\n  trustedProxies: ["10.0.0.1", "nonsense"]\ntencent:\n  allowedIPs: ["203.0.113.0/24", "::1", "300.1.1.1"]\n',
    );
    const msg = problems(() => loadConfig({ env: { IMBRIDGE_CONFIG: file } }));
    expect(msg)
      .to.match(/server\.trustedProxies entries must be IPs or CIDRs/)
      .and.match(/tencent\.allowedIPs entries must be IPs or CIDRs/);
    const ok = loadConfig({
      env: { IMBRIDGE_CONFIG: yamlFile('tencent:\n  allowedIPs: ["203.0.113.0/24", "::1"]\n') },
    });
    expect(ok.tencent.allowedIPs).to.deep.equal(['203.0.113.0/24', '::1']);
  });
});
