import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { casesFromRecording, loadCases, runCases, type GoldenCase } from '../../src/commands/golden.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';
import { tempDir } from '../helpers/tempDir.js';

// `imbridge test` (docs/migration.md#golden-tests): the shipped examples pass, a changed expectation
// fails with a readable diff, and cases written from a recording pass against the version that wrote them.

const EXAMPLES = new URL('../../examples/golden/', import.meta.url).pathname;

describe('imbridge test: golden cases', function () {
  this.timeout(60_000);

  it('passes every shipped example (examples/golden)', async () => {
    const results = await runCases(loadCases(EXAMPLES));
    expect(results.length).to.be.at.least(5);
    for (const r of results) expect(r.ok, `${r.file}\n${r.diff}`).to.equal(true);
  });

  it('fails a case whose expectation no longer holds, with a unified diff naming the line', async () => {
    const dir = tempDir('golden');
    const file = 'tencent-invite-to-openim.yaml';
    const c = parse(readFileSync(join(EXAMPLES, file), 'utf8')) as GoldenCase;
    (c.expect.answer as { RefusedMembers_Account: string[] }).RefusedMembers_Account = ['jared'];
    writeFileSync(join(dir, file), stringify(c));
    const [result] = await runCases(loadCases(dir));
    expect(result!.ok).to.equal(false);
    expect(result!.diff).to.include('--- tencent-invite-to-openim.yaml (expected)');
    expect(result!.diff).to.include('-    - jared');
    expect(result!.diff).to.include('+    - tommy');
  });

  it('compares JSON bodies as JSON (key order aside) and bytes as bytes', async () => {
    const dir = tempDir('golden');
    const c = parse(readFileSync(join(EXAMPLES, 'tencent-friend-delete-to-openim.yaml'), 'utf8')) as GoldenCase;
    const reversed = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    c.expect.requests = c.expect.requests!.map((r) => ({ ...r, method: 'POST', body: reversed(r.body as object) }));
    writeFileSync(join(dir, 'json.yaml'), stringify(c));
    const bytes = structuredClone(c);
    bytes.expect.requests = bytes.expect.requests!.map(({ body, ...r }) => ({ ...r, bytes: JSON.stringify(body) }));
    writeFileSync(join(dir, 'bytes.yaml'), stringify(bytes));
    const results = await runCases(loadCases(dir));
    expect(results.find((r) => r.file === 'json.yaml')!.ok).to.equal(true);
    const exact = results.find((r) => r.file === 'bytes.yaml')!;
    expect(exact.ok, 'reordered keys and no trailing newline are not the bytes sent').to.equal(false);
    expect(exact.diff).to.include('bytes:');
  });

  it('writes cases from a recording that pass against the version that wrote them', async () => {
    const dir = tempDir('golden');
    const path = join(dir, 'calls.jsonl');
    await withGateway({ server: { record: { path } } }, async (g) => {
      await g.post(
        '/tencent?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendDelete&contenttype=json&RequestTime=1700000000',
        fixture('tencent', 'Sns.CallbackFriendDelete'),
      );
      await g.post(
        '/openim/callbackBeforeImportFriendsCommand',
        fixture('openim', 'callbackBeforeImportFriendsCommand'),
        {
          operationID: 'op-7',
        },
      );
    });
    const out = join(dir, 'cases');
    expect(await casesFromRecording(path, 'openim', out)).to.equal(2);
    expect(readdirSync(out)).to.deep.equal([
      '0001-Sns.CallbackFriendDelete.yaml',
      '0002-callbackBeforeImportFriendsCommand.yaml',
    ]);
    const written = parse(
      readFileSync(join(out, '0002-callbackBeforeImportFriendsCommand.yaml'), 'utf8'),
    ) as GoldenCase;
    expect(written.expect.requests).to.have.length(1);
    expect(written.expect.requests![0]!.headers).to.include({ operationid: 'op-7' });
    const results = await runCases(loadCases(out));
    for (const r of results) expect(r.ok, r.diff).to.equal(true);
  });

  it('exits non-zero from the command line when a case fails, zero when all pass', () => {
    const cli = (dir: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'test', dir], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    const ok = cli(EXAMPLES);
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/\d+ passed, 0 failed/);
    const dir = tempDir('golden');
    const c = parse(readFileSync(join(EXAMPLES, 'tencent-friend-delete-to-openim.yaml'), 'utf8')) as GoldenCase;
    c.expect.requests = c.expect.requests!.slice(1);
    writeFileSync(join(dir, 'one.yaml'), stringify(c));
    const bad = cli(dir);
    expect(bad.status).to.equal(1);
    expect(bad.stdout).to.include('✘');
    expect(bad.stdout).to.include('0 passed, 1 failed');
  });
});
