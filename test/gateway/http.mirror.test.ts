import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Downstream } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';
import { metricSample } from '../helpers/metrics.js';
import { tempDir } from '../helpers/tempDir.js';
import { freePort } from '../helpers/wait.js';
import { mirrorReport, mirrorReportText } from '../../src/migration/mirrorReport.js';
import { OPENIM_CONTINUE as CONTINUE, TENCENT_OK } from '../helpers/answers.js';

// The mirror (docs/migration.md#mirror-and-diff) through the real gateway: a primary and a candidate
// backend on 127.0.0.1, in different formats.

const tencentPath = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS&RequestTime=1700000000`;
const INVITE = fixture('tencent', 'Group.CallbackBeforeInviteJoinGroup');

async function until(check: () => Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('HTTP: mirror to a candidate backend', function () {
  this.timeout(30_000);
  const primary = new Downstream(() => ({ body: CONTINUE }));
  const candidate = new Downstream(() => ({ body: TENCENT_OK }));
  let primaryURL = '';
  let candidateURL = '';
  before(async () => {
    primaryURL = await primary.start();
    candidateURL = await candidate.start();
  });
  after(async () => {
    await primary.close();
    await candidate.close();
  });
  beforeEach(() => {
    primary.received.length = 0;
    candidate.received.length = 0;
    candidate.answer(() => ({ body: TENCENT_OK }));
  });
  const config = (mirrorURL: string, extra: object = {}) => ({
    tencent: { sdkAppId: '1400000000' },
    downstream: { url: primaryURL, format: 'openim' },
    mirror: { url: mirrorURL, format: 'tencent', ...extra },
  });

  it('finds a planted disagreement (the candidate refuses an invitee the primary allows): metrics, store, report', () =>
    withGateway(config(candidateURL), async (g) => {
      candidate.answer(() => ({
        body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["jared"]}',
      }));
      const res = await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
      // The primary's answer stands.
      expect(res.text).to.equal(TENCENT_OK);
      await g.post(tencentPath('Sns.CallbackFriendDelete'), fixture('tencent', 'Sns.CallbackFriendDelete'));
      const metrics = async () => (await fetch(`${g.url}/metrics`)).text();
      await until(async () => metricSample(await metrics(), 'imbridge_mirror_total', { result: 'same' }) === 1);
      const text = await metrics();
      expect(
        metricSample(text, 'imbridge_mirror_total', {
          command: 'Group.CallbackBeforeInviteJoinGroup',
          result: 'differ',
        }),
      ).to.equal(1);
      expect(
        metricSample(text, 'imbridge_mirror_total', { command: 'Sns.CallbackFriendDelete', result: 'same' }),
      ).to.equal(1);
      const invite = JSON.parse(
        candidate.received.find((r) => r.body.includes('Group.CallbackBeforeInviteJoinGroup'))!.body,
      );
      expect(invite.DestinationMembers).to.deep.equal([{ Member_Account: 'jared' }, { Member_Account: 'leckie' }]);
      const history = await g.outbox!.store.mirrorHistory(0);
      expect(history.disagreements).to.have.length(1);
      const stored = JSON.parse(history.disagreements[0]!.detail);
      expect(stored.differences).to.deep.equal([
        { kind: 'item.decision', at: 'jared', before: 'allow', after: 'deny' },
      ]);
      expect(stored.event.type).to.equal('im.group.invite.before');
      await until(async () => (await g.outbox!.store.mirrorHistory(0)).counts.length >= 2);
      const report = mirrorReportText(mirrorReport(await g.outbox!.store.mirrorHistory(0)));
      expect(report).to.include('Group.CallbackBeforeInviteJoinGroup: 1 compared, 0 same (0.0%), 1 differ');
      expect(report).to.include('item.decision: 1 — e.g. im.group.invite.before');
    }));

  it('changes neither answers nor their latency when the candidate is dead or never answers', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/hooks`;
    await withGateway(config(dead), async (g) => {
      const res = await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
      expect(res.text).to.equal(TENCENT_OK);
      await until(async () => {
        const m = await (await fetch(`${g.url}/metrics`)).text();
        return metricSample(m, 'imbridge_mirror_total', { result: 'candidate_failed' }) === 1;
      });
    });
    candidate.answer(() => new Promise(() => {}));
    primary.received.length = 0;
    await withGateway(config(candidateURL, { timeoutMs: 3_000 }), async (g) => {
      const started = performance.now();
      const res = await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
      const ms = performance.now() - started;
      expect(res.text).to.equal(TENCENT_OK);
      expect(ms, 'answered without waiting for the candidate').to.be.lessThan(1_000);
      expect(primary.received).to.have.length(1);
    });
  });

  it('pauses a candidate that keeps failing, then probes it with one callback', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/hooks`;
    let clock = Date.now();
    await withGateway(
      config(dead),
      async (g) => {
        const metric = async (result: string) =>
          metricSample(await (await fetch(`${g.url}/metrics`)).text(), 'imbridge_mirror_total', { result }) ?? 0;
        for (let i = 0; i < 10; i++) {
          await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
          await until(async () => (await metric('candidate_failed')) === i + 1);
        }
        for (let i = 0; i < 5; i++) await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
        expect(await metric('dropped'), 'paused: not mirrored').to.equal(5);
        expect(await metric('candidate_failed')).to.equal(10);
        clock += 6_000;
        await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
        await until(async () => (await metric('candidate_failed')) === 11);
        await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
        expect(await metric('dropped'), 'the failed probe paused it again').to.equal(6);
      },
      { now: () => clock },
    );
  });

  it('mirrors after-events with their own attempts, apart from primary delivery', () =>
    withGateway(config(candidateURL, { attempts: 2, timeoutMs: 500 }), async (g) => {
      // A candidate that fails every attempt: the primary still gets the event, the mirror counts a failure.
      candidate.answer(() => ({ status: 503, body: 'down' }));
      const res = await g.post(tencentPath('Sns.CallbackFriendDelete'), fixture('tencent', 'Sns.CallbackFriendDelete'));
      expect(res.text).to.equal(TENCENT_OK);
      await primary.waitFor(3);
      await until(async () => {
        const m = await (await fetch(`${g.url}/metrics`)).text();
        return metricSample(m, 'imbridge_mirror_total', { result: 'candidate_failed' }) === 1;
      });
      expect(candidate.received.length, 'two attempts at the one Tencent call').to.equal(2);
      // A candidate that refuses outright (a status no retry changes) did not accept it: a difference.
      candidate.answer(() => ({ status: 400, body: 'no' }));
      await g.post(tencentPath('Sns.CallbackFriendDelete'), fixture('tencent', 'Sns.CallbackFriendDelete'));
      await until(async () => (await g.outbox!.store.mirrorHistory(0)).disagreements.length === 1);
      const stored = JSON.parse((await g.outbox!.store.mirrorHistory(0)).disagreements[0]!.detail);
      expect(stored.differences).to.deep.equal([{ kind: 'accepted', at: '', before: true, after: false }]);
    }));

  it('keeps after-events for the candidate in its own durable queue across a restart', async () => {
    const port = await freePort();
    const later = new Downstream(() => ({ body: TENCENT_OK }));
    const outbox = { url: `sqlite:${join(tempDir('mirror'), 'outbox.sqlite')}` };
    const settings = { ...config(`http://127.0.0.1:${port}/hooks`, { attempts: 5 }), outbox };
    // The candidate is down: the first attempt fails and the gateway stops with the part still queued.
    await withGateway(settings, async (g) => {
      await g.post(tencentPath('Sns.CallbackFriendDelete'), fixture('tencent', 'Sns.CallbackFriendDelete'));
      await primary.waitFor(3);
    });
    expect(existsSync(`${outbox.url.slice('sqlite:'.length)}.mirror`), 'the mirror queue beside the outbox').to.equal(
      true,
    );
    await later.start(port);
    try {
      await withGateway(settings, async (g) => {
        await later.waitFor(1);
        await until(async () => {
          const m = await (await fetch(`${g.url}/metrics`)).text();
          return metricSample(m, 'imbridge_mirror_total', { result: 'same' }) === 1;
        });
        expect(JSON.parse(later.received[0]!.body).CallbackCommand).to.equal('Sns.CallbackFriendDelete');
      });
    } finally {
      await later.close();
    }
  });

  it('drops and counts what is beyond maxPending, and mirrors only the sampled share', () =>
    withGateway(config(candidateURL, { maxPending: 1, timeoutMs: 1_000 }), async (g) => {
      candidate.answer(() => new Promise((r) => setTimeout(() => r({ body: TENCENT_OK }), 300)));
      await Promise.all([1, 2, 3].map(() => g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE)));
      const m = await (await fetch(`${g.url}/metrics`)).text();
      expect(metricSample(m, 'imbridge_mirror_total', { result: 'dropped' })).to.equal(2);
    }).then(() =>
      withGateway(config(candidateURL, { sample: 0 }), async (g) => {
        candidate.received.length = 0;
        await g.post(tencentPath('Group.CallbackBeforeInviteJoinGroup'), INVITE);
        await new Promise((r) => setTimeout(r, 200));
        expect(candidate.received, 'sample 0 mirrors nothing').to.have.length(0);
      }),
    ));
});
