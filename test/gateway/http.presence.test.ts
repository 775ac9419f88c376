import { expect } from 'chai';
import { useBackend, type Received } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';
import { OPENIM_CONTINUE as CONTINUE, TENCENT_OK } from '../helpers/answers.js';

// Online status through the real gateway to a real backend on 127.0.0.1 (docs/mappings.md#presence).

const statePath = (platform: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=State.StateChange&contenttype=json&ClientIP=10.0.0.1&OptPlatform=${platform}`;
const commandOf = (r: Received) => r.url.split('?')[0]!.split('/').pop()!;

describe('HTTP: presence', function () {
  this.timeout(20_000);
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));

  it('delivers a Tencent login that kicked two devices to an OpenIM backend as online + two offlines', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post(statePath('IOS'), fixture('tencent', 'State.StateChange'));
      expect(res.status).to.equal(200);
      expect(res.text).to.equal(TENCENT_OK);
      const received = await backend.waitFor(3);
      const byPlatform = Object.fromEntries(
        received.map((r) => {
          const b = JSON.parse(r.body);
          return [b.platform, { command: commandOf(r), userID: b.userID, seq: b.seq }];
        }),
      );
      expect(byPlatform).to.deep.equal({
        IOS: { command: 'callbackAfterUserOnlineCommand', userID: 'testuser316', seq: 1629883332497 },
        Windows: { command: 'callbackAfterUserOfflineCommand', userID: 'testuser316', seq: 1629883332497 },
        Android: { command: 'callbackAfterUserOfflineCommand', userID: 'testuser316', seq: 1629883332497 },
      });
    }));

  it('delivers OpenIM’s online bytes to a Tencent backend as State.StateChange on the right OptPlatform', () =>
    withGateway({ tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'tencent' } }, async (gateway) => {
      const res = await gateway.post(
        '/openim/callbackAfterUserOnlineCommand',
        fixture('openim', 'callbackAfterUserOnlineCommand'),
        { operationID: 'p_12345_678' },
      );
      expect(res.text).to.equal(CONTINUE);
      const [req] = await backend.waitFor(1);
      const query = new URL(req!.url, 'http://x').searchParams;
      expect(query.get('CallbackCommand')).to.equal('State.StateChange');
      expect(query.get('OptPlatform')).to.equal('Android');
      expect(req!.body).to.equal(
        '{"CallbackCommand":"State.StateChange","EventTime":1719800000456,"Info":{"Action":"Login","To_Account":"u1","Reason":"Register"}}',
      );
    }));

  it('sends a canonical backend im.user.offline, and forwards no action Tencent does not document', () =>
    withGateway({ downstream: { url: url(), format: 'canonical' } }, async (gateway) => {
      const custom = await gateway.post(
        statePath('Web'),
        '{"CallbackCommand":"State.StateChange","Info":{"Action":"CustomStatusChange","To_Account":"u1"}}',
      );
      expect(custom.text).to.equal(TENCENT_OK);
      const res = await gateway.post(
        statePath('Web'),
        '{"CallbackCommand":"State.StateChange","EventTime":"1700000000000","Info":{"Action":"Disconnect","To_Account":"u1","Reason":"TimeOut"}}',
      );
      expect(res.text).to.equal(TENCENT_OK);
      const [req] = await backend.waitFor(1);
      const event = JSON.parse(req!.body);
      expect(event.type).to.equal('im.user.offline');
      expect(event.time).to.equal(new Date(1700000000000).toISOString());
      expect(event.data).to.deep.include({ userID: 'u1', platform: 'web', reason: 'timeout', connID: '' });
      await new Promise((r) => setTimeout(r, 100));
      expect(backend.received).to.have.length(1);
    }));

  it('refuses a State.StateChange without Info in Tencent’s envelope, forwarding nothing', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post(statePath('iOS'), '{"CallbackCommand":"State.StateChange"}');
      expect(res.status).to.equal(400);
      expect(JSON.parse(res.text)).to.include({ ActionStatus: 'FAIL' });
      expect(JSON.parse(res.text).ErrorInfo).to.match(/^invalid_payload: Info must be defined/);
      await new Promise((r) => setTimeout(r, 100));
      expect(backend.received).to.have.length(0);
    }));
});
