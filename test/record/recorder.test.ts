import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecording } from '../../src/record/recording.js';
import { useBackend } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';
import { metricSample } from '../helpers/metrics.js';
import { tempDir } from '../helpers/tempDir.js';
import { OPENIM_CONTINUE as CONTINUE } from '../helpers/answers.js';

// Recording accepted callbacks (docs/migration.md#record-and-replay), through the real gateway.

const SIGNED =
  '/tencent?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendDelete&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS&RequestTime=1700000000&Sign=abc';

describe('recording: server.record', function () {
  this.timeout(20_000);
  const { url } = useBackend(() => ({ body: CONTINUE }));

  it('appends each accepted callback as one JSON line: query without Sign, the operationID header, raw body, verdict of a before', async () => {
    const path = join(tempDir('rec'), 'calls.jsonl');
    await withGateway({ server: { record: { path } }, downstream: { url: url(), format: 'openim' } }, async (g) => {
      await g.post(SIGNED, fixture('tencent', 'Sns.CallbackFriendDelete'));
      const importRaw = fixture('openim', 'callbackBeforeImportFriendsCommand');
      await g.post('/openim/callbackBeforeImportFriendsCommand', importRaw, { operationID: 'op-1' });
      const bad = await g.post('/openim/callbackBeforeImportFriendsCommand', '{"ownerUserID":5}');
      expect(bad.status, 'refused callbacks are not recorded').to.equal(400);
    });
    const lines = parseRecording(readFileSync(path, 'utf8'));
    expect(lines).to.have.length(2);
    const [tencent, openim] = lines;
    expect(tencent).to.deep.include({
      v: 1,
      vendor: 'tencent',
      command: 'Sns.CallbackFriendDelete',
      body: fixture('tencent', 'Sns.CallbackFriendDelete'),
      type: 'im.friend.deleted',
      verdict: null,
    });
    expect(tencent!.query).to.deep.equal({
      SdkAppid: '1400000000',
      CallbackCommand: 'Sns.CallbackFriendDelete',
      contenttype: 'json',
      ClientIP: '10.0.0.1',
      OptPlatform: 'iOS',
      RequestTime: '1700000000',
    });
    expect(openim).to.deep.include({
      vendor: 'openim',
      command: 'callbackBeforeImportFriendsCommand',
      headers: { operationID: 'op-1' },
      type: 'im.friend.import.before',
    });
    expect(openim!.verdict).to.include({ decision: 'allow' });
    expect(Date.parse(openim!.at)).to.be.greaterThan(0);
  });

  it('blanks the redacted keys and records only the sampled share', async () => {
    const dir = tempDir('rec');
    const path = join(dir, 'calls.jsonl');
    await withGateway({ server: { record: { path, redact: ['To_Account'] } } }, async (g) => {
      await g.post(SIGNED, fixture('tencent', 'Sns.CallbackFriendDelete'));
    });
    const [line] = parseRecording(readFileSync(path, 'utf8'));
    const body = JSON.parse(line!.body);
    expect(body.PairList.map((p: { To_Account: string }) => p.To_Account)).to.deep.equal(
      body.PairList.map(() => '[redacted]'),
    );
    expect(body.PairList[0].From_Account).to.not.equal('[redacted]');
    const none = join(dir, 'none.jsonl');
    await withGateway({ server: { record: { path: none, sample: 0 } } }, async (g) => {
      await g.post(SIGNED, fixture('tencent', 'Sns.CallbackFriendDelete'));
    });
    expect(existsSync(none) ? readFileSync(none, 'utf8') : '').to.equal('');
  });

  it('rotates by size, keeping the configured number of files', async () => {
    const dir = tempDir('rec');
    const path = join(dir, 'calls.jsonl');
    await withGateway({ server: { record: { path, maxBytes: 2048, keep: 2 } } }, async (g) => {
      for (let i = 0; i < 30; i++) await g.post(SIGNED, fixture('tencent', 'Sns.CallbackFriendDelete'));
    });
    const files = readdirSync(dir).sort();
    expect(files).to.include('calls.jsonl.1');
    expect(files.length).to.be.within(2, 3);
  });

  it('never holds a callback up when the file cannot be written: answered, logged, counted', async () => {
    const dir = tempDir('rec');
    // A directory where the file should be: every write fails.
    const path = join(dir, 'calls.jsonl');
    mkdirSync(path);
    const logLines: string[] = [];
    await withGateway(
      { server: { record: { path } } },
      async (g) => {
        for (let i = 0; i < 3; i++) {
          const res = await g.post(SIGNED, fixture('tencent', 'Sns.CallbackFriendDelete'));
          expect(res.status).to.equal(200);
        }
        const metrics = await (await fetch(`${g.url}/metrics`)).text();
        expect(metricSample(metrics, 'imbridge_recorded_total', { result: 'dropped' })).to.be.greaterThan(0);
      },
      { logLines },
    );
    expect(logLines.some((l) => l.includes('recording failed'))).to.equal(true);
  });
});
