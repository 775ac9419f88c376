import { expect } from 'chai';
import { fixture } from '../helpers/fixtures.js';
import { backendAndGateway } from '../helpers/gateway.js';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };
const TENCENT_OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
const tq = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=Android`;
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('HTTP: per-target verdicts, Tencent caller → OpenIM-format backend', () => {
  const env = backendAndGateway(
    (url) => ({
      failureRule: 'allow',
      tencent: { deadlineMs: 300 },
      downstream: { url, format: 'openim', concurrency: 4 },
    }),
    (req) => {
      const body = JSON.parse(req.body);
      if (body.toUserID === 'b')
        return { body: { actionCode: 0, errCode: 5001, errMsg: 'b is busy', errDlt: '', nextCode: 1 } };
      if (body.toUserID === 'c')
        return { body: { actionCode: 0, errCode: 38123, errMsg: 'c blocked you', errDlt: '', nextCode: '1' } };
      if (body.toUserID === 'slow') return { body: CONTINUE, delayMs: 2_000 };
      if (body.fromUserID === 'applicant-denied')
        return { body: { actionCode: 0, errCode: 38050, errMsg: 'not now', errDlt: '', nextCode: 1 } };
      return { body: CONTINUE };
    },
  );

  it('fans a PrevFriendAdd out per target and answers one ResultItem each, deny codes in [38000, 39000]', async () => {
    const body = {
      CallbackCommand: 'Sns.CallbackPrevFriendAdd',
      Requester_Account: 'me',
      From_Account: 'me',
      FriendItem: ['a', 'b', 'c', 'slow'].map((To_Account) => ({
        To_Account,
        Remark: '',
        GroupName: '',
        AddSource: 'AddSource_Type_Web',
        AddWording: `hi ${To_Account}`,
      })),
      AddType: 'Add_Type_Both',
      ForceAddFlags: 0,
      EventTime: 1700000000000,
    };
    const started = performance.now();
    const res = await env.gateway.post(tq('Sns.CallbackPrevFriendAdd'), JSON.stringify(body));
    expect(performance.now() - started, 'answered within the deadline').to.be.lessThan(300 + 250);
    expect(res.json).to.deep.equal({
      ...TENCENT_OK,
      ResultItem: [
        { To_Account: 'a', ResultCode: 0, ResultInfo: '' },
        { To_Account: 'b', ResultCode: 38000, ResultInfo: 'b is busy' },
        { To_Account: 'c', ResultCode: 38123, ResultInfo: 'c blocked you' },
        // the slow target missed the deadline: failure rule allow, for that target only
        { To_Account: 'slow', ResultCode: 0, ResultInfo: '' },
      ],
    });
    expect(env.backend.received.map((r) => JSON.parse(r.body).reqMsg).sort()).to.deep.equal([
      'hi a',
      'hi b',
      'hi c',
      'hi slow',
    ]);
  });

  it('asks only about accepted items of a PrevFriendResponse; refusals are allowed without a call', async () => {
    const body = {
      CallbackCommand: 'Sns.CallbackPrevFriendResponse',
      Requester_Account: 'me',
      From_Account: 'me',
      ResponseFriendItem: [
        { To_Account: 'applicant-denied', Remark: '', TagName: '', ResponseAction: 'Response_Action_AgreeAndAdd' },
        { To_Account: 'refused', Remark: '', TagName: '', ResponseAction: 'Response_Action_Reject' },
        { To_Account: 'fine', Remark: '', TagName: '', ResponseAction: 'Response_Action_Agree' },
      ],
    };
    const res = await env.gateway.post(tq('Sns.CallbackPrevFriendResponse'), JSON.stringify(body));
    expect(res.json).to.deep.equal({
      ...TENCENT_OK,
      ResultItem: [
        { To_Account: 'applicant-denied', ResultCode: 38050, ResultInfo: 'not now' },
        { To_Account: 'refused', ResultCode: 0, ResultInfo: '' },
        { To_Account: 'fine', ResultCode: 0, ResultInfo: '' },
      ],
    });
    expect(env.backend.received.map((r) => JSON.parse(r.body).fromUserID).sort()).to.deep.equal([
      'applicant-denied',
      'fine',
    ]);
  });

  it('sends a Tencent BlackListAdd as OpenIM before-callbacks and still answers OK when the backend denies', async () => {
    env.backend.answer(() => ({ body: { actionCode: 0, errCode: 5000, errMsg: 'no', errDlt: '', nextCode: 1 } }));
    const res = await env.gateway.post(tq('Sns.CallbackBlackListAdd'), fixture('tencent', 'Sns.CallbackBlackListAdd'));
    expect(res.json).to.deep.equal(TENCENT_OK);
    expect((await env.backend.waitFor(3)).map((r) => r.url)).to.deep.equal(
      Array(3).fill('/callbackBeforeAddBlackCommand'),
    );
  });
});

describe('HTTP: OpenIM caller → Tencent-format backend', () => {
  const env = backendAndGateway(
    (url) => ({ tencent: { sdkAppId: '1400000000' }, downstream: { url, format: 'tencent' } }),
    (req) => {
      const body = JSON.parse(req.body);
      if (body.CallbackCommand === 'Sns.CallbackPrevFriendAdd') {
        return {
          body: {
            ...TENCENT_OK,
            ResultItem: [{ To_Account: 'u2', ResultCode: 38001, ResultInfo: 'u2 accepts no requests' }],
          },
        };
      }
      if (body.CallbackCommand === 'Sns.CallbackPrevFriendResponse')
        return { body: { ...TENCENT_OK, ResultItem: [{ To_Account: 'u1', ResultCode: 0, ResultInfo: '' }] } };
      return { body: TENCENT_OK };
    },
  );

  it("turns the backend's ResultItem deny into OpenIM's deny with errCode ≥ 100", async () => {
    const res = await env.gateway.post(
      '/openim/callbackBeforeAddFriendCommand',
      fixture('openim', 'callbackBeforeAddFriendCommand'),
    );
    expect(res.text).to.equal(
      '{"actionCode":0,"errCode":38001,"errMsg":"u2 accepts no requests","errDlt":"","nextCode":1}',
    );
  });

  it('allows an agree the backend allows', async () => {
    const res = await env.gateway.post(
      '/openim/callbackBeforeAddFriendAgreeCommand',
      fixture('openim', 'callbackBeforeAddFriendAgreeCommand'),
    );
    expect(res.json).to.deep.equal(CONTINUE);
    expect(new URL(env.backend.received[0]!.url, 'http://x').searchParams.get('CallbackCommand')).to.equal(
      'Sns.CallbackPrevFriendResponse',
    );
  });

  it('allows a blacklisting at once and then notifies the backend with Sns.CallbackBlackListAdd', async () => {
    env.backend.answer(() => ({ body: TENCENT_OK, delayMs: 300 }));
    const started = performance.now();
    const res = await env.gateway.post(
      '/openim/callbackBeforeAddBlackCommand',
      fixture('openim', 'callbackBeforeAddBlackCommand'),
    );
    expect(performance.now() - started, 'not waiting for the backend').to.be.lessThan(250);
    expect(res.json).to.deep.equal(CONTINUE);
    await until(() => env.backend.received.length === 1);
    expect(env.backend.received[0]!.body).to.equal(
      '{"CallbackCommand":"Sns.CallbackBlackListAdd","PairList":[{"From_Account":"u1","To_Account":"u2"}]}',
    );
  });
});

describe('HTTP: modification patches back to OpenIM', () => {
  const env = backendAndGateway(
    (url) => ({ downstream: { url, format: 'openim' } }),
    (req) => {
      if (req.url.endsWith('SetFriendRemarkCommand')) return { body: { ...CONTINUE, remark: 'Best friend' } };
      if (req.url.endsWith('UpdateUserInfoExCommand'))
        return { body: { ...CONTINUE, nickName: 'Clean Name', faceURL: 'http://x/face.png', ex: '{"vip":true}' } };
      if (req.url.endsWith('UserRegisterCommand')) {
        return {
          body: {
            ...CONTINUE,
            users: [
              {
                userID: 'u1',
                nickname: 'Renamed',
                faceURL: '',
                ex: '',
                createTime: 0,
                appMangerLevel: 0,
                globalRecvMsgOpt: 0,
              },
            ],
          },
        };
      }
      return { body: CONTINUE };
    },
  );

  it('returns a replacement remark', async () => {
    const res = await env.gateway.post(
      '/openim/callbackBeforeSetFriendRemarkCommand',
      fixture('openim', 'callbackBeforeSetFriendRemarkCommand'),
    );
    expect(res.text).to.equal(
      '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"remark":"Best friend"}',
    );
  });

  it('returns profile patches only for fields the request changes (OpenIM crashes on others)', async () => {
    const res = await env.gateway.post(
      '/openim/callbackBeforeUpdateUserInfoExCommand',
      fixture('openim', 'callbackBeforeUpdateUserInfoExCommand'),
    );
    expect(res.text).to.equal(
      '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"nickName":"Clean Name"}',
    );
  });

  it('returns a replacement user list in OpenIM field names', async () => {
    const res = await env.gateway.post(
      '/openim/callbackBeforeUserRegisterCommand',
      fixture('openim', 'callbackBeforeUserRegisterCommand'),
    );
    expect(res.json).to.deep.equal({
      ...CONTINUE,
      users: [
        {
          userID: 'u1',
          nickname: 'Renamed',
          faceURL: '',
          ex: '',
          createTime: 0,
          appMangerLevel: 0,
          globalRecvMsgOpt: 0,
        },
      ],
    });
  });
});

describe('HTTP: canonical backend deciding per target', () => {
  const env = backendAndGateway(
    (url) => ({ downstream: { url, format: 'canonical' } }),
    () => ({
      body: { decision: 'allow', items: [{ userID: 'id2', decision: 'deny', code: 38777, message: 'id2 is closed' }] },
    }),
  );

  it('answers Tencent per target from the verdict items', async () => {
    const res = await env.gateway.post(
      tq('Sns.CallbackPrevFriendAdd'),
      fixture('tencent', 'Sns.CallbackPrevFriendAdd'),
    );
    expect(res.json).to.deep.equal({
      ...TENCENT_OK,
      ResultItem: [
        { To_Account: 'id1', ResultCode: 0, ResultInfo: '' },
        { To_Account: 'id2', ResultCode: 38777, ResultInfo: 'id2 is closed' },
      ],
    });
    const ce = JSON.parse(env.backend.received[0]!.body);
    expect(ce.type).to.equal('im.friend.apply.before');
    expect(ce.data.targets.map((t: { toUserID: string }) => t.toUserID)).to.deep.equal(['id1', 'id2']);
  });
});
