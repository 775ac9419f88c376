import { expect } from 'chai';
import { useBackend, type Received } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';
import { OPENIM_CONTINUE as CONTINUE, TENCENT_OK } from '../helpers/answers.js';

// Group after-events through the real gateway to a real backend on 127.0.0.1 (docs/mappings.md#groups).

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

describe('HTTP: group before-events and their per-member verdicts', function () {
  this.timeout(20_000);
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));
  const tencentInvite = fixture('tencent', 'Group.CallbackBeforeInviteJoinGroup');
  const openimInvite = fixture('openim', 'callbackBeforeInviteJoinGroupCommand');

  it('carries an OpenIM-format backend’s refusedMembersAccount to a Tencent caller as RefusedMembers_Account', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      backend.answer(() => ({ body: '{"actionCode":0,"errCode":0,"nextCode":0,"refusedMembersAccount":["leckie"]}' }));
      const res = await gateway.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), tencentInvite);
      expect(res.json).to.deep.equal({
        ActionStatus: 'OK',
        ErrorCode: 0,
        ErrorInfo: '',
        RefusedMembers_Account: ['leckie'],
      });
      const [req] = backend.received;
      expect(commandOf(req!)).to.equal('callbackBeforeInviteJoinGroupCommand');
      expect(JSON.parse(req!.body).invitedUserIDs).to.deep.equal(['jared', 'leckie']);
    }));

  it('refuses the whole OpenIM invitation when a Tencent-format backend refuses one invitee, naming it', () =>
    withGateway({ tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'tencent' } }, async (gateway) => {
      const refuseU6 = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["u6","nobody"]}';
      backend.answer(() => ({ body: refuseU6 }));
      const res = await gateway.post('/openim/callbackBeforeInviteJoinGroupCommand', openimInvite);
      expect(res.json).to.deep.equal({
        actionCode: 0,
        errCode: 20001,
        errMsg: 'members refused: u6',
        errDlt: '',
        nextCode: 1,
      });
      const sentBody = JSON.parse(backend.received[0]!.body);
      expect(sentBody).to.include({ CallbackCommand: 'Group.CallbackBeforeInviteJoinGroup', Operator_Account: '' });
      backend.answer(() => ({ body: TENCENT_OK }));
      const allowed = await gateway.post('/openim/callbackBeforeInviteJoinGroupCommand', openimInvite);
      expect(allowed.text).to.equal(CONTINUE);
    }));

  it('passes a Tencent-range refusal of a create through an OpenIM-format backend, and maps others to 1', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const create = fixture('tencent', 'Group.CallbackBeforeCreateGroup');
      backend.answer(() => ({ body: '{"actionCode":0,"errCode":10150,"errMsg":"too many groups","nextCode":1}' }));
      const res = await gateway.post(tencentPath('Group.CallbackBeforeCreateGroup'), create);
      expect(res.json).to.deep.equal({ ActionStatus: 'OK', ErrorCode: 10150, ErrorInfo: 'too many groups' });
      backend.answer(() => ({ body: '{"actionCode":0,"errCode":5000,"errMsg":"no","nextCode":1}' }));
      const other = await gateway.post(tencentPath('Group.CallbackBeforeCreateGroup'), create);
      expect(other.json).to.deep.equal({ ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'no' });
      // A name the backend sets cannot reach Tencent: the create is allowed as asked.
      backend.answer(() => ({ body: '{"actionCode":0,"errCode":0,"nextCode":0,"groupName":"Renamed"}' }));
      const patched = await gateway.post(tencentPath('Group.CallbackBeforeCreateGroup'), create);
      expect(patched.text).to.equal(TENCENT_OK);
      const first = JSON.parse(backend.received[0]!.body);
      expect(first).to.include({
        callbackCommand: 'callbackBeforeCreateGroupCommand',
        groupType: 2,
        groupName: 'MyFirstGroup',
      });
    }));

  it('answers an OpenIM create with the values an OpenIM-format backend changed', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      backend.answer(() => ({
        body: '{"actionCode":0,"errCode":0,"nextCode":0,"groupID":"team-1","groupName":"Team","notification":null}',
      }));
      const res = await gateway.post(
        '/openim/callbackBeforeCreateGroupCommand',
        fixture('openim', 'callbackBeforeCreateGroupCommand'),
      );
      // The name is the requested one: only the id changes anything.
      expect(res.text).to.equal(CONTINUE.replace(/}$/, ',"groupID":"team-1"}'));
    }));

  it('puts a backend’s set-group-info change into the echo, and echoes when a Tencent-format backend is not asked', async () => {
    const before = fixture('openim', 'callbackBeforeSetGroupInfoCommand');
    await withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      // A backend that forgot the echo OpenIM needs, changing the avatar.
      backend.answer(() => ({ body: '{"actionCode":0,"errCode":0,"nextCode":0,"faceURL":"https://x/f.png"}' }));
      const res = await gateway.post('/openim/callbackBeforeSetGroupInfoCommand', before);
      expect(res.json).to.include({
        groupID: '3141592653',
        groupName: 'New name',
        faceURL: 'https://x/f.png',
        ex: null,
      });
      expect(backend.received[0]!.body).to.equal(before);
    });
    backend.received.length = 0;
    await withGateway(
      { tencent: { sdkAppId: '1' }, downstream: { url: url(), format: 'tencent' } },
      async (gateway) => {
        const res = await gateway.post('/openim/callbackBeforeSetGroupInfoCommand', before);
        expect(res.json).to.include({ groupID: '3141592653', groupName: 'New name', nextCode: 0 });
        expect(backend.received).to.have.length(0);
      },
    );
  });

  it('echoes set-group-info when the backend fails, under the allow failure rule', () =>
    withGateway(
      { openim: { failureRule: 'allow' }, downstream: { url: url(), format: 'openim', timeoutMs: 200 } },
      async (gateway) => {
        backend.answer(() => ({ status: 500, body: 'boom' }));
        const res = await gateway.post(
          '/openim/callbackBeforeSetGroupInfoExCommand',
          fixture('openim', 'callbackBeforeSetGroupInfoExCommand'),
        );
        expect(res.json).to.include({ groupID: '3141592653', groupName: 'New name', needVerification: 1, nextCode: 0 });
      },
    ));

  it('answers members-join with the member values a backend set, and fails safe on an item without userID', () =>
    withGateway({ downstream: { url: url(), format: 'openim' } }, async (gateway) => {
      const join = fixture('openim', 'callbackBeforeMembersJoinGroupCommand');
      backend.answer(() => ({
        body: '{"actionCode":0,"errCode":0,"nextCode":0,"memberCallbackList":[{"userID":"u3","nickname":"Three","roleLevel":100},{"userID":"zz","ex":"x"}]}',
      }));
      const res = await gateway.post('/openim/callbackBeforeMembersJoinGroupCommand', join);
      expect(res.json).to.deep.equal({
        ...JSON.parse(CONTINUE),
        memberCallbackList: [
          { userID: 'u3', nickname: 'Three', faceURL: null, roleLevel: null, muteEndTime: null, ex: null },
        ],
      });
      backend.answer(() => ({
        body: '{"actionCode":0,"errCode":0,"nextCode":0,"memberCallbackList":[{"nickname":"x"}]}',
      }));
      const broken = await gateway.post('/openim/callbackBeforeMembersJoinGroupCommand', join);
      // An OpenIM-format backend's failure rule is deny (docs/configuration.md): never a list OpenIM would crash on.
      expect(broken.json).to.include({ nextCode: 1 });
      expect(broken.json).to.not.have.property('memberCallbackList');
      // The ≤v3.7 single-member command is asked as the batched one and answered flat.
      backend.answer(() => ({
        body: '{"actionCode":0,"errCode":0,"nextCode":0,"memberCallbackList":[{"userID":"u4","faceURL":"f"}]}',
      }));
      const old = await gateway.post(
        '/openim/callbackBeforeMemberJoinGroupCommand',
        fixture('openim', 'v3.7.callbackBeforeMemberJoinGroupCommand'),
      );
      expect(old.text).to.equal(CONTINUE.replace(/}$/, ',"faceURL":"f"}'));
      expect(commandOf(backend.received.at(-1)!)).to.equal('callbackBeforeMembersJoinGroupCommand');
    }));

  it('sends a Tencent application to a canonical backend and reads its verdict', () =>
    withGateway({ downstream: { url: url(), format: 'canonical' } }, async (gateway) => {
      backend.answer(() => ({ body: '{"decision":"deny","code":10111,"message":"closed group"}' }));
      const res = await gateway.post(
        tencentPath('Group.CallbackBeforeApplyJoinGroup'),
        fixture('tencent', 'Group.CallbackBeforeApplyJoinGroup'),
      );
      expect(res.json).to.deep.equal({ ActionStatus: 'OK', ErrorCode: 10111, ErrorInfo: 'closed group' });
      const event = JSON.parse(backend.received[0]!.body);
      expect(event.type).to.equal('im.group.join.before');
      expect(event.data).to.include({ applicantUserID: 'jared', groupID: '@TGS#2J4SZEAEL' });
    }));
});
