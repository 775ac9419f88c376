import { expect } from 'chai';
import fc from 'fast-check';
import { PLATFORMS, type Platform } from '../../src/canonical/group.js';
import type { AnyEvent, Meta } from '../../src/canonical/types.js';
import { decodeDelivery } from '../../src/gateway/ingress/decode.js';
import { parseTencentQuery, tencentMeta } from '../../src/vendors/tencent/query.js';
import { fixture } from '../helpers/fixtures.js';
import { canonical, compact, encode, NOW, userID } from '../helpers/translate.js';
import { vendorProblems } from '../helpers/vendorShapes.js';

// Online status both ways (docs/mappings.md#presence), from Tencent's documented sample and the bytes
// OpenIM's gateway sends (docs/vendors/tencent.md#presence, docs/vendors/openim.md#presence).

const T_CMD = 'State.StateChange';
const O_ONLINE = 'callbackAfterUserOnlineCommand';
const O_OFFLINE = 'callbackAfterUserOfflineCommand';

/** A Tencent delivery as the ingress decodes it: the platform comes from the query's `OptPlatform`. */
function fromTencent(raw: string, optPlatform: string): AnyEvent {
  const body = JSON.parse(raw);
  const meta = tencentMeta(parseTencentQuery({ SdkAppid: '1400000000', OptPlatform: optPlatform }), body);
  return decodeDelivery({ vendor: 'tencent', command: T_CMD, meta, rawBody: raw, stamp: 's' }, body)!;
}

/** An OpenIM delivery as the ingress decodes it (operationID from the header, time of receipt). */
function fromOpenIM(command: string, raw: string, operationID = ''): AnyEvent {
  const meta: Meta = { clientIP: '10.0.0.9', eventTime: NOW, ...(operationID && { operationID }) };
  return decodeDelivery({ vendor: 'openim', command, meta, rawBody: raw, stamp: 's' }, JSON.parse(raw))!;
}

const stateChange = (action: string, reason: string, user = 'u1') =>
  JSON.stringify({
    CallbackCommand: T_CMD,
    EventTime: 1700000000000,
    Info: { Action: action, To_Account: user, Reason: reason },
  });

const withoutMeta = (e: AnyEvent) => {
  const { meta: _meta, ...data } = e.data as Record<string, unknown>;
  return data;
};

describe('mappings/presence (im.user.online, im.user.offline)', () => {
  it('decodes Tencent’s sample: a Login on the query’s upper-case IOS that kicked two devices', () => {
    const event = fromTencent(fixture('tencent', T_CMD), 'IOS');
    expect(event.type).to.equal('im.user.online');
    expect(withoutMeta(event)).to.deep.equal({
      userID: 'testuser316',
      platform: 'ios',
      background: null,
      kickedPlatforms: ['windows', 'android'],
      connID: '',
    });
    expect(event.data.meta?.eventTime).to.equal(1629883332497);
  });

  const offlineCases: [action: string, reason: string, canonical: string][] = [
    ['Logout', 'Unregister', 'logout'],
    ['Disconnect', 'TimeOut', 'timeout'],
    ['Disconnect', 'LinkClose', 'disconnect'],
    ['Disconnect', '', 'disconnect'],
  ];
  for (const [action, reason, expected] of offlineCases) {
    it(`decodes Tencent ${action}/${reason || '(none)'} as offline ${expected}`, () => {
      const event = fromTencent(stateChange(action, reason), 'Web');
      expect(event.type).to.equal('im.user.offline');
      expect(withoutMeta(event)).to.deep.equal({ userID: 'u1', platform: 'web', reason: expected, connID: '' });
    });
  }

  it('leaves an action it does not know (CustomStatusChange) unmapped, and refuses a body without one', () => {
    const raw = stateChange('CustomStatusChange', '');
    const body = JSON.parse(raw);
    expect(decodeDelivery({ vendor: 'tencent', command: T_CMD, meta: {}, rawBody: raw }, body)).to.equal(undefined);
    expect(() =>
      decodeDelivery({ vendor: 'tencent', command: T_CMD, meta: {}, rawBody: '{}' }, { CallbackCommand: T_CMD }),
    ).to.throw(/Info must be defined/);
  });

  it('decodes OpenIM’s online and offline bytes, taking a millisecond seq as the event time', () => {
    const online = fromOpenIM(O_ONLINE, fixture('openim', O_ONLINE));
    expect(online.type).to.equal('im.user.online');
    expect(withoutMeta(online)).to.deep.equal({
      userID: 'u1',
      platform: 'android',
      background: false,
      kickedPlatforms: [],
      connID: '',
    });
    expect(online.data.meta?.eventTime).to.equal(1719800000456);
    const offline = fromOpenIM(O_OFFLINE, fixture('openim', O_OFFLINE));
    expect(withoutMeta(offline)).to.deep.equal({ userID: 'u1', platform: 'web', reason: 'unknown', connID: '' });
  });

  it('reads the v3.5 name with a counter seq: the time is when imbridge received it, connID kept', () => {
    const event = fromOpenIM('callbackUserOnlineCommand', fixture('openim', 'v3.5.callbackUserOnlineCommand'));
    expect(withoutMeta(event)).to.deep.equal({
      userID: 'u2',
      platform: 'ios',
      background: true,
      kickedPlatforms: [],
      connID: 'conn-7',
    });
    expect(event.data.meta?.eventTime).to.equal(NOW);
  });

  it('reads kick-off as kicked, and a platform by name when its id is unknown', () => {
    const raw =
      '{"callbackCommand":"callbackAfterUserKickOffCommand","operationID":"","platformID":0,"platform":"harmonyos","userID":"u3","seq":1719800000000}';
    const event = fromOpenIM('callbackAfterUserKickOffCommand', raw);
    expect(withoutMeta(event)).to.deep.equal({ userID: 'u3', platform: 'harmonyos', reason: 'kicked', connID: '' });
  });

  it('sends Tencent’s login to OpenIM as online plus one offline per kicked platform, in OpenIM’s own bytes', () => {
    const event = fromTencent(fixture('tencent', T_CMD), 'IOS');
    const requests = encode(event, 'openim')!;
    expect(requests.map((r) => r.url.split('/').pop())).to.deep.equal([O_ONLINE, O_OFFLINE, O_OFFLINE]);
    const op = event.id;
    expect(requests.map((r) => r.body)).to.deep.equal([
      `{"callbackCommand":"${O_ONLINE}","operationID":"${op}","platformID":1,"platform":"IOS","userID":"testuser316","seq":1629883332497,"isAppBackground":false,"connID":""}\n`,
      `{"callbackCommand":"${O_OFFLINE}","operationID":"${op}","platformID":3,"platform":"Windows","userID":"testuser316","seq":1629883332497,"connID":""}\n`,
      `{"callbackCommand":"${O_OFFLINE}","operationID":"${op}","platformID":2,"platform":"Android","userID":"testuser316","seq":1629883332497,"connID":""}\n`,
    ]);
    for (const r of requests)
      expect(vendorProblems('openim', r.url.split('/').pop()!, JSON.parse(r.body))).to.deep.equal([]);
  });

  it('does not report a device kicked on the login’s own platform as offline (OpenIM replaces it silently)', () => {
    const raw = JSON.stringify({
      CallbackCommand: T_CMD,
      EventTime: 1,
      Info: { Action: 'Login', To_Account: 'u1', Reason: 'Register' },
      KickedDevice: [{ Platform: 'iOS' }, { Platform: 'IOS' }],
    });
    const event = fromTencent(raw, 'iOS');
    expect((event.data as { kickedPlatforms: Platform[] }).kickedPlatforms).to.deep.equal(['ios']);
    expect(encode(event, 'openim')!.map((r) => r.url.split('/').pop())).to.deep.equal([O_ONLINE]);
  });

  it('re-encodes OpenIM’s online and offline bytes to the same bytes when the operationID header came along', () => {
    for (const [command, op] of [
      [O_ONLINE, 'p_12345_678'],
      [O_OFFLINE, 'p_12345_679'],
    ] as const) {
      const raw = fixture('openim', command);
      expect(encode(fromOpenIM(command, raw, op), 'openim')!.map((r) => r.body)).to.deep.equal([raw]);
    }
  });

  it('sends the Tencent sample to a Tencent backend as the same JSON, OptPlatform IOS as Tencent writes it', () => {
    const raw = fixture('tencent', T_CMD);
    const [req] = encode(fromTencent(raw, 'iOS'), 'tencent')!;
    expect(req!.body).to.equal(compact(raw));
    expect(new URL(req!.url).searchParams.get('OptPlatform')).to.equal('IOS');
  });

  it('sends OpenIM online to Tencent as Login/Register, without KickedDevice, on the platform’s Tencent name', () => {
    const [req] = encode(fromOpenIM(O_ONLINE, fixture('openim', O_ONLINE)), 'tencent')!;
    expect(req!.body).to.equal(
      `{"CallbackCommand":"${T_CMD}","EventTime":1719800000456,"Info":{"Action":"Login","To_Account":"u1","Reason":"Register"}}`,
    );
    expect(new URL(req!.url).searchParams.get('OptPlatform')).to.equal('Android');
    expect(vendorProblems('tencent', T_CMD, JSON.parse(req!.body))).to.deep.equal([]);
  });

  const toTencent: [reason: string, action: string, tReason: string][] = [
    ['logout', 'Logout', 'Unregister'],
    ['kicked', 'Logout', 'Unregister'],
    ['timeout', 'Disconnect', 'TimeOut'],
    ['disconnect', 'Disconnect', 'LinkClose'],
    ['unknown', 'Disconnect', 'LinkClose'],
  ];
  for (const [reason, action, tReason] of toTencent) {
    it(`sends offline ${reason} to Tencent as ${action}/${tReason}`, () => {
      const event = canonical('im.user.offline', { userID: 'u', platform: 'miniweb', reason, connID: 'c' } as never);
      const [req] = encode(event, 'tencent')!;
      expect(JSON.parse(req!.body).Info).to.deep.equal({ Action: action, To_Account: 'u', Reason: tReason });
      expect(new URL(req!.url).searchParams.get('OptPlatform')).to.equal('Web');
    });
  }

  // What Tencent can say about a platform: everything but OpenIM's MiniWeb, APad and HarmonyOS.
  const tencentPlatform = fc.constantFrom<Platform>(
    'ios',
    'android',
    'windows',
    'web',
    'linux',
    'mac',
    'ipad',
    'admin',
    'unknown',
  );
  const anyPlatform = fc.constantFrom<Platform>(...PLATFORMS);
  const tencentBack = (e: AnyEvent) => {
    const [req] = encode(e, 'tencent')!;
    return fromTencent(req!.body, new URL(req!.url).searchParams.get('OptPlatform')!);
  };
  const openimBack = (e: AnyEvent) => {
    const requests = encode(e, 'openim')!;
    const command = requests[0]!.url.split('/').pop()!;
    for (const r of requests)
      expect(vendorProblems('openim', r.url.split('/').pop()!, JSON.parse(r.body))).to.deep.equal([]);
    return fromOpenIM(command, requests[0]!.body);
  };

  it('round-trips anything Tencent can say through a Tencent backend', () => {
    fc.assert(
      fc.property(userID, tencentPlatform, fc.uniqueArray(tencentPlatform, { maxLength: 4 }), (u, platform, kicked) => {
        const data = { userID: u, platform, background: null, kickedPlatforms: kicked, connID: '' };
        expect(withoutMeta(tencentBack(canonical('im.user.online', data)))).to.deep.equal(data);
      }),
      { numRuns: 80 },
    );
    fc.assert(
      fc.property(
        userID,
        tencentPlatform,
        fc.constantFrom('logout', 'timeout', 'disconnect'),
        (u, platform, reason) => {
          const data = { userID: u, platform, reason, connID: '' } as const;
          expect(withoutMeta(tencentBack(canonical('im.user.offline', data)))).to.deep.equal(data);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round-trips anything OpenIM can say through an OpenIM backend; output is what OpenIM sends', () => {
    fc.assert(
      fc.property(userID, anyPlatform, fc.boolean(), fc.string({ maxLength: 8 }), (u, platform, background, connID) => {
        const data = { userID: u, platform, background, kickedPlatforms: [], connID };
        expect(withoutMeta(openimBack(canonical('im.user.online', data, 'openim')))).to.deep.equal(data);
        const off = { userID: u, platform, reason: 'unknown', connID } as const;
        expect(withoutMeta(openimBack(canonical('im.user.offline', off, 'openim')))).to.deep.equal(off);
      }),
      { numRuns: 80 },
    );
  });
});
