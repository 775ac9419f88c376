import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fixture } from './helpers/fixtures.js';

/** Runs the real CLI as a user would, stdin in, stdout/stderr out. */
function imbridge(args: string[], input = '', env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `imbridge translate` of the Tencent sample of `command` to an OpenIM-format backend, with more options. */
const tencentToOpenIM = (command: string, ...options: string[]) =>
  imbridge(
    [
      'translate',
      '--from',
      'tencent',
      '--to',
      'openim',
      '--query',
      `SdkAppid=1400000000&CallbackCommand=${command}`,
      ...options,
    ],
    fixture('tencent', command),
  );

describe('cli', function () {
  this.timeout(30_000);

  it('translate: a Tencent FriendDelete becomes three OpenIM requests', () => {
    const r = tencentToOpenIM('Sns.CallbackFriendDelete', '--url', 'http://backend/hooks');
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out.event.type).to.equal('im.friend.deleted');
    expect(out.requests.map((q: { url: string }) => q.url)).to.deep.equal(
      Array(3).fill('http://backend/hooks/callbackAfterDeleteFriendCommand'),
    );
    expect(out.requests[0].body).to.equal(
      '{"callbackCommand":"callbackAfterDeleteFriendCommand","ownerUserID":"id","friendUserID":"id1"}\n',
    );
  });

  it('translate: an OpenIM import to a Tencent backend, app id from the environment', () => {
    const r = imbridge(
      ['translate', '--from', 'openim', '--to', 'tencent'],
      fixture('openim', 'callbackBeforeImportFriendsCommand'),
      { TENCENT_SDKAPPID: '1400000000' },
    );
    expect(r.code, r.stderr).to.equal(0);
    const [req] = JSON.parse(r.stdout).requests;
    expect(req.url).to.match(/\?SdkAppid=1400000000&CallbackCommand=Sns.CallbackPrevFriendAdd&/);
  });

  it('translate: --commands decides which calls are made, and the modify call is shown apart', () => {
    const c2c = (commands: string) => tencentToOpenIM('C2C.CallbackBeforeSendMsg', '--commands', commands);
    const both = c2c('callbackBeforeSendSingleMsgCommand, callbackBeforeMsgModifyCommand');
    expect(both.code, both.stderr).to.equal(0);
    const out = JSON.parse(both.stdout);
    expect(out.requests).to.have.length(1);
    expect(out.afterAllow.map((q: { url: string }) => q.url)).to.deep.equal([
      'http://backend.invalid/callback/callbackBeforeMsgModifyCommand',
    ]);
    const none = c2c('callbackAfterSendSingleMsgCommand');
    expect(none.code).to.equal(0);
    expect(JSON.parse(none.stdout).requests).to.deep.equal([]);
    expect(none.stderr).to.match(/no call the backend implements/);
  });

  it('translate: says so when the target has no counterpart', () => {
    const r = imbridge(
      ['translate', '--from', 'openim', '--to', 'tencent', '--sdkappid', '1'],
      fixture('openim', 'callbackAfterAddFriendCommand'),
    );
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.stdout).requests).to.equal(null);
    expect(r.stderr).to.match(/no counterpart/);
  });

  it('translate: bad input exits non-zero with a one-line reason', () => {
    const r = imbridge(
      ['translate', '--from', 'openim', '--to', 'canonical', '--command', 'callbackAfterDeleteFriendCommand'],
      '{"ownerUserID":1}',
    );
    expect(r.code).to.equal(2);
    expect(r.stderr.trim()).to.match(/^imbridge: invalid_payload: /);
  });

  it('check-config: prints the config with secrets masked, or the problems by key', () => {
    const ok = imbridge(['check-config'], '', { TENCENT_CALLBACK_TOKEN: 'hush', TENCENT_SDKAPPID: '1400000000' });
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.include('config OK').and.not.include('hush');
    const bad = imbridge(['check-config'], '', { DOWNSTREAM_URL: 'http://b' });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('downstream.format is required');
  });
});
