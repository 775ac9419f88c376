import { expect } from 'chai';
import { mappingOf } from '../../mappings/index.js';
import { translatePayload } from '../../src/commands/translate.js';
import { fixture, requestFixtures } from '../helpers/fixtures.js';

describe('imbridge translate, every command to every format', () => {
  for (const vendor of ['tencent', 'openim'] as const) {
    for (const { name, command } of requestFixtures(vendor)) {
      for (const to of ['tencent', 'openim', 'canonical'] as const) {
        it(`${vendor} ${name} → ${to}`, () => {
          const body = fixture(vendor, name);
          const result = translatePayload({
            from: vendor,
            to,
            body,
            query: vendor === 'tencent' ? `SdkAppid=1400000000&CallbackCommand=${command}` : undefined,
            command: vendor === 'openim' ? command : undefined,
            sdkAppId: '1400000000',
            nowMs: 0,
          });
          expect(result.event, 'mapped').to.not.equal(null);
          const hasCounterpart = to === 'canonical' || mappingOf(result.event!.type).encoders[to] !== undefined;
          if (!hasCounterpart) expect(result.requests).to.equal(null);
          else for (const r of result.requests!) expect(r.url).to.match(/^http:\/\/backend\.invalid\/callback/);
        });
      }
    }
  }
});

describe('imbridge translate, the commands the backend implements (--commands)', () => {
  const c2c = (commands?: string[]) =>
    translatePayload({
      from: 'tencent',
      to: 'openim',
      body: fixture('tencent', 'C2C.CallbackBeforeSendMsg'),
      query: 'SdkAppid=1400000000&CallbackCommand=C2C.CallbackBeforeSendMsg',
      commands,
      nowMs: 0,
    });
  const commandOf = (r: { url: string }) => new URL(r.url).pathname.split('/').pop();

  it("shows OpenIM's modify call after a before-send, apart, only when the backend implements it", () => {
    const both = c2c(['callbackBeforeSendSingleMsgCommand', 'callbackBeforeMsgModifyCommand']);
    expect(both.requests!.map(commandOf)).to.deep.equal(['callbackBeforeSendSingleMsgCommand']);
    expect(both.afterAllow!.map(commandOf)).to.deep.equal(['callbackBeforeMsgModifyCommand']);
    expect(JSON.parse(both.afterAllow![0]!.body)).to.include({ callbackCommand: 'callbackBeforeMsgModifyCommand' });
    for (const result of [c2c(), c2c(['callbackBeforeSendSingleMsgCommand'])]) {
      expect(result.requests!.map(commandOf)).to.deep.equal(['callbackBeforeSendSingleMsgCommand']);
      expect(result).to.not.have.property('afterAllow');
    }
  });

  it('shows no call at all for a command the backend does not implement', () => {
    expect(c2c(['callbackAfterSendSingleMsgCommand']).requests).to.deep.equal([]);
  });
});

describe('imbridge translate, edge cases', () => {
  it('asks for an app id only when it has a Tencent request to build', () => {
    const body = fixture('openim', 'callbackAfterAddFriendCommand');
    expect(translatePayload({ from: 'openim', to: 'tencent', body }).requests).to.equal(null);
    expect(() =>
      translatePayload({ from: 'openim', to: 'tencent', body: fixture('openim', 'callbackAfterDeleteFriendCommand') }),
    ).to.throw(/--sdkappid is required/);
  });
});
