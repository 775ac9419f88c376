import { expect } from 'chai';
import { HTTP } from 'cloudevents';
import { fixture } from '../helpers/fixtures.js';
import { backendAndGateway } from '../helpers/gateway.js';
import { TENCENT_OK } from '../helpers/answers.js';

/** The gateway's clock: an event whose vendor gives no time happened when it was accepted. */
const NOW = 1_796_000_000_000;

describe('HTTP: callbacks to a canonical (CloudEvents) backend', () => {
  const env = backendAndGateway(
    (url) => ({ downstream: { url: `${url}/events`, format: 'canonical' } }),
    () => ({ status: 204, body: '' }),
    { now: () => NOW },
  );

  it('delivers a Tencent FriendAdd as one structured CloudEvent', async () => {
    const res = await env.gateway.post(
      '/tencent?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendAdd&contenttype=json&ClientIP=10.0.0.9&OptPlatform=Android&RequestTime=1700000000',
      fixture('tencent', 'Sns.CallbackFriendAdd'),
    );
    expect(res.text).to.equal(TENCENT_OK);
    expect(await env.backend.waitFor(1)).to.have.length(1);
    const r = env.backend.received[0]!;
    expect(r.url).to.equal('/events');
    expect(r.headers['content-type']).to.match(/^application\/cloudevents\+json/);
    const ce = HTTP.toEvent({ headers: r.headers, body: r.body }) as { [k: string]: unknown };
    expect(ce).to.include({
      specversion: '1.0',
      type: 'im.friend.added',
      source: 'tencent/1400000000',
      imvendor: 'tencent',
      imcommand: 'Sns.CallbackFriendAdd',
    });
    expect(ce['data']).to.deep.equal({
      pairs: ['id1', 'id2', 'id3'].map((f) => ({ ownerUserID: 'id', friendUserID: f, initiatorUserID: 'id' })),
      cause: 'apply',
      clientCmd: 'friend_add',
      adminUserID: '',
      force: true,
      message: '',
      meta: { sdkAppId: '1400000000', clientIP: '10.0.0.9', platform: 'Android', eventTime: NOW },
    });
  });

  it('gives the same delivery the same id (stable across retries) and a different delivery another', async () => {
    const path = '/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete&RequestTime=1700000000';
    const raw = fixture('tencent', 'Sns.CallbackFriendDelete');
    await env.gateway.post(path, raw);
    await env.backend.waitFor(1);
    // The IM server sends it again once the first copy is delivered and forgotten (a repeat that
    // arrives while the first is still held is not sent twice: see the dispatcher's tests).
    for (let i = 0; i < 100 && (await env.gateway.outbox!.store.depth()).pending > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    await env.gateway.post(path, raw);
    await env.gateway.post(path.replace('1700000000', '1700000001'), raw);
    await env.backend.waitFor(3);
    const ids = env.backend.received.map((r) => JSON.parse(r.body).id);
    expect(ids[0]).to.equal(ids[1]);
    expect(ids[2]).not.to.equal(ids[0]);
  });

  it("applies a canonical verdict's per-item denials to an OpenIM import", async () => {
    env.backend.answer(() => ({
      body: { decision: 'allow', items: [{ userID: 'u3', decision: 'deny', code: 38001, message: 'blocked' }] },
    }));
    const res = await env.gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
      { Operationid: 'op9' },
    );
    expect(res.text).to.equal(
      '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"friendUserIDs":["u2"]}',
    );
    const ce = JSON.parse(env.backend.received[0]!.body);
    expect(ce).to.include({
      type: 'im.friend.import.before',
      source: 'openim',
      imcommand: 'callbackBeforeImportFriendsCommand',
    });
    // OpenIM names no time and no client: the time of acceptance, and the OpenIM server's address.
    expect(ce.data).to.deep.equal({
      ownerUserID: 'u1',
      friendUserIDs: ['u2', 'u3'],
      meta: { operationID: 'op9', clientIP: '127.0.0.1', eventTime: NOW },
    });
    expect(ce.time).to.equal(new Date(NOW).toISOString());
  });

  it('passes a canonical deny through to OpenIM', async () => {
    env.backend.answer(() => ({
      body: { decision: 'deny', code: 20100, message: 'imports closed', detail: 'maintenance' },
    }));
    const res = await env.gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
    );
    expect(res.text).to.equal(
      '{"actionCode":0,"errCode":20100,"errMsg":"imports closed","errDlt":"maintenance","nextCode":1}',
    );
  });

  it('forwards an event with no vendor counterpart (apply.after) in canonical format', async () => {
    await env.gateway.post('/openim/callbackAfterAddFriendCommand', fixture('openim', 'callbackAfterAddFriendCommand'));
    await env.backend.waitFor(1);
    expect(JSON.parse(env.backend.received[0]!.body).data).to.deep.include({
      fromUserID: 'u1',
      toUserID: 'u2',
      message: 'hello',
    });
  });

  it('treats a reply that is not a verdict as a failure (failure rule allow)', async () => {
    env.backend.answer(() => ({ body: { verdict: 'yes' } }));
    const res = await env.gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
    );
    expect(res.text).to.equal('{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}');
  });
});
