import { expect } from 'chai';
import { tencentSign } from '../../src/vendors/tencent/request.js';
import { fixture } from '../helpers/fixtures.js';
import { backendAndGateway, startGateway } from '../helpers/gateway.js';
import { OPENIM_CONTINUE } from '../helpers/answers.js';

const TENCENT_OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
const prevReply = (items: [string, number, string][]) => ({
  ...TENCENT_OK,
  ResultItem: items.map(([To_Account, ResultCode, ResultInfo]) => ({ To_Account, ResultCode, ResultInfo })),
});

describe('HTTP: callbacks to a Tencent-format backend', () => {
  const env = backendAndGateway(
    (url) => ({ tencent: { sdkAppId: '1400000000' }, downstream: { url: `${url}/im/callback`, format: 'tencent' } }),
    () => ({ body: TENCENT_OK }),
  );

  it('sends an OpenIM friend deletion with the query and body Tencent itself would send, ClientIP the OpenIM server', async () => {
    const res = await env.gateway.post(
      '/openim/callbackAfterDeleteFriendCommand',
      fixture('openim', 'callbackAfterDeleteFriendCommand'),
      { Operationid: 'op1' },
    );
    expect(res.text).to.equal(OPENIM_CONTINUE);
    expect(await env.backend.waitFor(1)).to.have.length(1);
    const r = env.backend.received[0]!;
    expect(r.url).to.equal(
      '/im/callback?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendDelete&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Unknown',
    );
    expect(r.headers['content-type']).to.equal('application/json');
    expect(r.body).to.equal(
      '{"CallbackCommand":"Sns.CallbackFriendDelete","PairList":[{"From_Account":"u1","To_Account":"u2"}]}',
    );
  });

  it('asks about an import per friend and returns the allowed friends to OpenIM', async () => {
    env.backend.answer(() => ({
      body: prevReply([
        ['u2', 0, ''],
        ['u3', 38001, 'u3 blocked you'],
      ]),
    }));
    const res = await env.gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
    );
    expect(res.text).to.equal(
      '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"friendUserIDs":["u2"]}',
    );
    const r = env.backend.received[0]!;
    expect(new URL(r.url, 'http://x').searchParams.get('CallbackCommand')).to.equal('Sns.CallbackPrevFriendAdd');
    const body = JSON.parse(r.body);
    expect(body).to.include({
      Requester_Account: 'u1',
      From_Account: 'u1',
      ForceAddFlags: 1,
      AddType: 'Add_Type_Both',
    });
    expect(body.FriendItem.map((i: { To_Account: string }) => i.To_Account)).to.deep.equal(['u2', 'u3']);
  });

  it('denies the import when the backend denies every friend, with its code and reason', async () => {
    env.backend.answer(() => ({
      body: prevReply([
        ['u2', 38002, 'no u2'],
        ['u3', 38003, 'no u3'],
      ]),
    }));
    const res = await env.gateway.post(
      '/openim/callbackBeforeImportFriendsCommand',
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
    );
    expect(res.text).to.equal('{"actionCode":0,"errCode":38002,"errMsg":"no u2","errDlt":"","nextCode":1}');
  });

  it('does not call the backend for a stored friend request (no Tencent counterpart) and acks OpenIM', async () => {
    const res = await env.gateway.post(
      '/openim/callbackAfterAddFriendCommand',
      fixture('openim', 'callbackAfterAddFriendCommand'),
    );
    expect(res.text).to.equal(OPENIM_CONTINUE);
    expect(env.backend.received).to.have.length(0);
  });

  it('signs deliveries with Sign/RequestTime when a downstream token is set', async () => {
    await env.gateway.close();
    env.gateway = await startGateway({
      tencent: { sdkAppId: '1400000000' },
      downstream: { url: `${env.backendURL}/im/callback`, format: 'tencent', token: 'backend-token' },
    });
    await env.gateway.post(
      '/openim/callbackAfterRemoveBlackCommand',
      fixture('openim', 'callbackAfterRemoveBlackCommand'),
    );
    await env.backend.waitFor(1);
    const q = new URL(env.backend.received[0]!.url, 'http://x').searchParams;
    const requestTime = q.get('RequestTime')!;
    expect(Math.abs(Number(requestTime) - Date.now() / 1000)).to.be.lessThan(5);
    expect(q.get('Sign')).to.equal(tencentSign('backend-token', requestTime));
  });

  it('keeps ClientIP and OptPlatform from a Tencent caller when passing through to a Tencent backend', async () => {
    await env.gateway.post(
      '/tencent?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendAdd&contenttype=json&ClientIP=10.1.2.3&OptPlatform=IOS',
      fixture('tencent', 'Sns.CallbackFriendAdd'),
    );
    const [r] = await env.backend.waitFor(1);
    if (!r) throw new Error('nothing delivered');
    expect(r.url).to.equal(
      '/im/callback?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendAdd&contenttype=json&ClientIP=10.1.2.3&OptPlatform=iOS',
    );
    expect(r.body).to.equal(JSON.stringify(JSON.parse(fixture('tencent', 'Sns.CallbackFriendAdd'))));
  });
});
