import { expect } from 'chai';
import { useBackend, type Received } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';

// Group after-events through the real gateway to a real backend on 127.0.0.1 (docs/mappings.md#groups).

const CONTINUE = '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}';
const TENCENT_OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';
const tencentPath = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=RESTAPI`;
const commandOf = (r: Received) => r.url.split('?')[0]!.split('/').pop()!;

describe('HTTP: group after-events', function () {
  this.timeout(20_000);
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));

  it('fans a Tencent join of two out to two OpenIM after-joins, each with its own idempotency key', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post(
        tencentPath('Group.CallbackAfterNewMemberJoin'),
        fixture('tencent', 'Group.CallbackAfterNewMemberJoin'),
      );
      expect(res.text).to.equal(TENCENT_OK);
      const received = await backend.waitFor(2);
      expect(received.map(commandOf)).to.deep.equal(Array(2).fill('callbackAfterJoinGroupCommand'));
      expect(received.map((r) => JSON.parse(r.body).inviterUserID).sort()).to.deep.equal(['jared', 'tommy']);
      const keys = new Set(received.map((r) => r.headers['idempotency-key']));
      expect(keys.size).to.equal(2);
    }));

  it('carries OpenIM’s dismiss bytes (groupType "\\u0002", from the v3.6 name too) to a Tencent backend', () =>
    withGateway({ tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'tencent' } }, async (gateway) => {
      for (const name of ['callbackAfterDisMissGroupCommand', 'v3.6.callbackDisMissGroupCommand']) {
        const command = name.split('.').pop()!;
        const res = await gateway.post(`/openim/${command}`, fixture('openim', name));
        expect(res.text).to.equal(CONTINUE);
      }
      const received = await backend.waitFor(2);
      const bodies = received.map((r) => JSON.parse(r.body));
      expect(bodies.map((b) => [b.CallbackCommand, b.GroupId, b.Type, b.MemberList.length]).sort()).to.deep.equal([
        ['Group.CallbackAfterGroupDestroyed', '3141592653', 'Public', 0],
        ['Group.CallbackAfterGroupDestroyed', '3141592653', 'Public', 2],
      ]);
    }));

  it('sends an OpenIM kick to a canonical backend as im.group.members.left', () =>
    withGateway({ downstream: { url: url(), format: 'canonical' } }, async (gateway) => {
      const res = await gateway.post(
        '/openim/callbackAfterKickGroupCommand',
        fixture('openim', 'callbackAfterKickGroupCommand'),
      );
      expect(res.text).to.equal(CONTINUE);
      const [req] = await backend.waitFor(1);
      const event = JSON.parse(req!.body);
      expect(event.type).to.equal('im.group.members.left');
      expect(event.data).to.deep.include({ exitType: 'kicked', userIDs: ['u3'], reason: 'spam', operatorUserID: '' });
    }));

  it('answers group-full to a Tencent caller itself when the backend speaks OpenIM, calling nobody', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post(
        tencentPath('Group.CallbackAfterGroupFull'),
        fixture('tencent', 'Group.CallbackAfterGroupFull'),
      );
      expect(res.text).to.equal(TENCENT_OK);
      await new Promise((r) => setTimeout(r, 150));
      expect(backend.received).to.have.length(0);
    }));
});

describe('HTTP: OpenIM set-group-info before-callbacks (the echo trap)', function () {
  this.timeout(20_000);
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));
  const before =
    '{"callbackCommand":"callbackBeforeSetGroupInfoCommand","operationID":"","groupID":"3141592653","groupName":"New name","notification":"","introduction":"","faceURL":"","ex":"","needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0}\n';
  const beforeEx =
    '{"callbackCommand":"callbackBeforeSetGroupInfoExCommand","operationID":"","groupID":"3141592653","groupName":"New name","notification":null,"introduction":null,"faceURL":null,"ex":"","needVerification":1,"lookMemberInfo":null,"applyMemberFriend":null}\n';

  it('echoes groupID and the replaced fields in every allow, or OpenIM would update group ""', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const res = await gateway.post('/openim/callbackBeforeSetGroupInfoCommand', before);
      expect(JSON.parse(res.text)).to.deep.equal({
        ...JSON.parse(CONTINUE),
        groupID: '3141592653',
        groupName: 'New name',
        notification: '',
        introduction: '',
        faceURL: '',
        ex: null,
        needVerification: null,
        lookMemberInfo: null,
        applyMemberFriend: null,
      });
      const ex = await gateway.post('/openim/callbackBeforeSetGroupInfoExCommand', beforeEx);
      expect(JSON.parse(ex.text)).to.deep.equal({
        ...JSON.parse(CONTINUE),
        groupID: '3141592653',
        groupName: 'New name',
        notification: null,
        introduction: null,
        faceURL: null,
        ex: '',
        needVerification: 1,
        lookMemberInfo: null,
        applyMemberFriend: null,
      });
    }));

  it('echoes in shadow mode too (no backend configured)', () =>
    withGateway({}, async (gateway) => {
      const res = await gateway.post('/openim/callbackBeforeSetGroupInfoCommand', before);
      expect(JSON.parse(res.text)).to.include({ groupID: '3141592653', groupName: 'New name', nextCode: 0 });
      expect(backend.received).to.have.length(0);
    }));
});
