import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mirrorReportCommand } from '../../src/commands/mirror.js';
import { configSchema } from '../../src/config/schema.js';
import { mirrorReport, mirrorReportHtml, mirrorReportText } from '../../src/migration/mirrorReport.js';
import { SqliteStore } from '../../src/outbox/sqliteStore.js';
import type { MirrorHistory } from '../../src/outbox/store.js';
import { tempDir } from '../helpers/tempDir.js';

// The mirror report (docs/migration.md#mirror-and-diff): text, and one self-contained HTML page that a
// real headless Chromium renders.

const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
const minute = (i: number) => Math.floor(T0 / 60_000) + i;
const INVITE = 'Group.CallbackBeforeInviteJoinGroup';
const DELETE = 'Sns.CallbackFriendDelete';

function disagreement(i: number, userID: string) {
  return {
    at: T0 + i * 60_000,
    command: INVITE,
    detail: JSON.stringify({
      event: {
        id: `ev-${i}`,
        type: 'im.group.invite.before',
        imvendor: 'tencent',
        imcommand: INVITE,
        data: { userIDs: [userID] },
      },
      primary: { verdict: { decision: 'allow' } },
      candidate: { verdict: { decision: 'allow' } },
      differences: [{ kind: 'item.decision', at: userID, before: 'allow', after: 'deny' }],
    }),
  };
}

const history: MirrorHistory = {
  counts: [
    ...Array.from({ length: 30 }, (_, i) => ({ minute: minute(i), command: INVITE, result: 'same', n: 9 })),
    ...Array.from({ length: 30 }, (_, i) => ({
      minute: minute(i),
      command: INVITE,
      result: 'differ',
      n: i % 3 === 0 ? 1 : 0,
    })),
    { minute: minute(3), command: INVITE, result: 'candidate_failed', n: 2 },
    ...Array.from({ length: 30 }, (_, i) => ({ minute: minute(i), command: DELETE, result: 'same', n: 20 })),
    { minute: minute(4), command: DELETE, result: 'dropped', n: 5 },
  ],
  disagreements: [disagreement(0, '<script>alert(1)</script>'), disagreement(3, 'jared')],
};

describe('mirror report', function () {
  this.timeout(60_000);

  it('sums per command: compared, agreement, failures, drops, kinds of difference with an example', () => {
    const rows = mirrorReport(history);
    expect(rows.map((r) => r.command)).to.deep.equal([DELETE, INVITE]);
    const invite = rows[1]!;
    expect(invite).to.include({ same: 270, differ: 10, failed: 2, dropped: 0 });
    expect(invite.kinds).to.have.length(1);
    expect(invite.kinds[0]).to.include({ kind: 'item.decision', count: 2 });
    expect(invite.series.length).to.be.within(15, 30);
    const text = mirrorReportText(rows);
    expect(text).to.include(`${INVITE}: 280 compared, 270 same (96.4%), 10 differ, 2 candidate failed, 0 dropped`);
    expect(text).to.include(
      'item.decision: 2 — e.g. im.group.invite.before ev-0 <script>alert(1)</script>: "allow" → "deny"',
    );
    expect(text).to.include(`${DELETE}: 600 compared, 600 same (100.0%), 0 differ, 0 candidate failed, 5 dropped`);
    expect(mirrorReport(history, DELETE).map((r) => r.command)).to.deep.equal([DELETE]);
  });

  it('writes one self-contained page (no external assets, values escaped) from a real store', async () => {
    const dir = tempDir('mirror');
    const file = join(dir, 'outbox.sqlite');
    const store = new SqliteStore(file);
    await store.addMirrorCounts(history.counts, T0, 7 * 86_400_000);
    for (const d of history.disagreements) await store.addDisagreement(d, 100, 7 * 86_400_000);
    await store.close();
    const html = join(dir, 'report.html');
    let out = '';
    const config = configSchema.validateSync({ outbox: { url: `sqlite:${file}` } });
    await mirrorReportCommand(config, { since: '2h', html }, (t) => (out += t), T0 + 3_600_000);
    expect(out).to.include(`${INVITE}: 280 compared`);
    const page = readFileSync(html, 'utf8');
    expect(page).to.match(/^<!doctype html>/);
    expect(page).to.not.match(/<(script|link|img)\b/i);
    expect(page).to.not.match(/(src|href)="(https?:)?\/\//);
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.match(/<svg class="chart"/g)).to.have.length(2);
  });

  it('renders in headless Chromium: the table, a chart per command and the examples', function () {
    const chromium = ['chromium', 'chromium-browser'].find(
      (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0,
    );
    if (!chromium) {
      console.warn('      (skipped: no Chromium on this machine; .ci/run installs Debian’s chromium)');
      this.skip();
    }
    const dir = tempDir('mirror');
    const html = join(dir, 'report.html');
    writeFileSync(html, mirrorReportHtml(mirrorReport(history), 'imbridge mirror report'));
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'];
    const dom = execFileSync(chromium!, [...flags, '--dump-dom', `file://${html}`], {
      encoding: 'utf8',
      timeout: 45_000,
    });
    expect(dom).to.include('<table id="summary">');
    expect(dom).to.include(`<a href="#${INVITE}">${INVITE}</a>`);
    expect(dom.match(/<polyline points="[^"]+"/g)).to.have.length(2);
    expect(dom).to.include('item.decision');
    const png = join(dir, 'report.png');
    execFileSync(chromium!, [...flags, `--screenshot=${png}`, '--window-size=1000,1400', `file://${html}`], {
      timeout: 45_000,
      stdio: 'ignore',
    });
    expect(existsSync(png)).to.equal(true);
    expect(statSync(png).size, 'a real rendering, not a blank page').to.be.greaterThan(20_000);
    if (process.env['MIRROR_REPORT_SCREENSHOT']) execFileSync('cp', [png, process.env['MIRROR_REPORT_SCREENSHOT']]);
  });
});
