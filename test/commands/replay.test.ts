import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asMirrorHistory, replay } from '../../src/commands/replay.js';
import { mirrorReport } from '../../src/migration/mirrorReport.js';
import { useBackend, type Received } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';
import { tempDir } from '../helpers/tempDir.js';
import { OPENIM_CONTINUE as CONTINUE } from '../helpers/answers.js';

// `imbridge replay` (docs/migration.md#record-and-replay): a recorded run, sent again through this
// version to a real backend on 127.0.0.1, compared decision by decision.

const DENY = '{"actionCode":0,"errCode":5001,"errMsg":"no","errDlt":"","nextCode":1}';
const TENCENT = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS&RequestTime=1700000000`;
const commandOf = (r: Received) => r.url.split('?')[0]!.split('/').pop()!;

describe('imbridge replay', function () {
  this.timeout(60_000);
  // The backend's mood: whether it now refuses invitations.
  let refuseInvites = false;
  const { backend, url } = useBackend((r) => ({
    body: commandOf(r) === 'callbackBeforeInviteJoinGroupCommand' && refuseInvites ? DENY : CONTINUE,
  }));

  /** Records a small mixed run against the backend and returns the recording's path. */
  async function record(): Promise<string> {
    const path = join(tempDir('replay'), 'run.jsonl');
    await withGateway({ server: { record: { path } }, downstream: { url: url(), format: 'openim' } }, async (g) => {
      await g.post(TENCENT('Sns.CallbackFriendDelete'), fixture('tencent', 'Sns.CallbackFriendDelete'));
      await g.post(
        '/openim/callbackBeforeImportFriendsCommand',
        fixture('openim', 'callbackBeforeImportFriendsCommand'),
      );
      for (let i = 0; i < 3; i++)
        await g.post(
          TENCENT('Group.CallbackBeforeInviteJoinGroup'),
          fixture('tencent', 'Group.CallbackBeforeInviteJoinGroup'),
        );
      await g.post(TENCENT('Group.CallbackAfterGroupFull'), fixture('tencent', 'Group.CallbackAfterGroupFull'));
      // Three deletion pairs, one import, three invitations; group-full has no OpenIM counterpart.
      await backend.waitFor(7);
    });
    return path;
  }

  it('reports no difference replaying a run against the same backend, and delivers the after-events again', async () => {
    refuseInvites = false;
    const file = await record();
    backend.received.length = 0;
    const result = await replay({ file, to: url(), format: 'openim', rate: 200 });
    expect(result).to.include({ sent: 6, refused: 0, undelivered: 0 });
    expect(result.compared.filter((c) => c.differences.length > 0)).to.deep.equal([]);
    await backend.waitFor(7);
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.received.length, 'every call made again, once').to.equal(7);
  });

  it('reports exactly the events of the one command whose decisions changed', async () => {
    refuseInvites = false;
    const file = await record();
    refuseInvites = true;
    const result = await replay({ file, to: url(), format: 'openim', rate: 200 });
    const differing = result.compared.filter((c) => c.differences.length > 0);
    expect(differing.map((c) => c.recorded.command)).to.deep.equal(
      Array(3).fill('Group.CallbackBeforeInviteJoinGroup'),
    );
    const rows = mirrorReport(asMirrorHistory(result.compared));
    const invite = rows.find((r) => r.command === 'Group.CallbackBeforeInviteJoinGroup')!;
    expect(invite).to.include({ same: 0, differ: 3 });
    expect(invite.kinds.map((k) => k.kind)).to.include('decision');
    expect(rows.find((r) => r.command === 'Sns.CallbackFriendDelete')).to.include({ same: 1, differ: 0 });
    const ignored = await replay({ file, to: url(), format: 'openim', rate: 200, only: 'Sns.CallbackFriendDelete' });
    expect(ignored.sent).to.equal(1);
  });

  it('exits 1 from the command line when --compare finds a difference, 0 when none', async () => {
    refuseInvites = false;
    const file = await record();
    const cli = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'replay', file, ...args]);
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('close', (status) => resolve({ status, stdout }));
      });
    const same = await cli(['--to', url(), '--format', 'openim', '--rate', '200', '--compare']);
    expect(same.status, same.stdout).to.equal(0);
    expect(same.stdout).to.include('Group.CallbackBeforeInviteJoinGroup: 3 compared, 3 same (100.0%), 0 differ');
    expect(same.stdout).to.include('Sns.CallbackFriendDelete: 1 compared, 1 same (100.0%), 0 differ');
    refuseInvites = true;
    const html = join(tempDir('replay'), 'replay.html');
    const changed = await cli(['--to', url(), '--format', 'openim', '--rate', '200', '--compare', '--html', html]);
    expect(changed.status).to.equal(1);
    expect(changed.stdout).to.include('Group.CallbackBeforeInviteJoinGroup: 3 compared, 0 same (0.0%), 3 differ');
    expect(changed.stdout).to.match(/decision: 3 — e\.g\. im\.group\.invite\.before line \d+: "allow" → "deny"/);
    expect(readFileSync(html, 'utf8')).to.include('<table id="summary">');
  });
});
