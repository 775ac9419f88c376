import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/log.js';
import { listDead, purgeDead, retryDead } from '../../src/commands/outbox.js';
import { SqliteStore } from '../../src/outbox/sqliteStore.js';
import { useBackend } from '../helpers/downstream.js';
import { canonical } from '../helpers/translate.js';
import { outboxFile, outboxEntry } from '../helpers/outbox.js';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };

/** An outbox file holding `dead` dead letters (FriendDelete events of one pair each). */
async function outboxWithDeadLetters(dead: number): Promise<string> {
  const file = outboxFile('cli');
  const store = new SqliteStore(file);
  for (let i = 0; i < dead; i++) {
    const event = canonical('im.friend.deleted', { pairs: [{ ownerUserID: `o${i}`, friendUserID: 'f' }] });
    event.id = `event-${i}`;
    await store.add([outboxEntry(event, { createdAt: i })]);
    await store.deadLetter(event.id, 15, 'backend answered HTTP 500');
  }
  await store.close();
  return file;
}

function collect() {
  const lines: string[] = [];
  return { out: { write: (t: string) => void lines.push(t), isTTY: false }, text: () => lines.join('') };
}

describe('imbridge outbox', () => {
  const { backend, url } = useBackend();
  const configFor = (file: string) =>
    configSchema.validateSync({ outbox: { url: `sqlite:${file}` }, downstream: { url: url(), format: 'openim' } });

  it('list: counts and every dead letter with its last error', async () => {
    const file = await outboxWithDeadLetters(2);
    const { out, text } = collect();
    await listDead(configFor(file), 10, out);
    expect(text())
      .to.match(/^pending 0, dead 2\n/)
      .and.include('event-0\tim.friend.deleted\t15\t')
      .and.include('backend answered HTTP 500');
  });

  it('retry --all: replays every dead letter now; what still fails is left pending for the gateway', async () => {
    const file = await outboxWithDeadLetters(3);
    backend.answer((_, i) => (i === 1 ? { status: 500, body: '' } : { body: CONTINUE }));
    const { out, text } = collect();
    expect(await retryDead(configFor(file), 'all', createLogger('silent'), out)).to.deep.equal({
      delivered: 2,
      failed: 1,
    });
    expect(text()).to.include('delivered 2, still failing 1');
    expect(backend.received.map((r) => r.headers['idempotency-key'])).to.deep.equal(['event-0', 'event-1', 'event-2']);
    const store = new SqliteStore(file);
    expect(await store.depth()).to.deep.equal({ pending: 1, dead: 0 });
    await store.close();
  });

  it('retry: a replayed letter is leased while it is attempted, so a gateway running beside it does not send it too', async () => {
    const file = await outboxWithDeadLetters(1);
    const gateway = new SqliteStore(file);
    const claimedMeanwhile: string[] = [];
    backend.answer(() => {
      // What a gateway's pass finds due while the command's attempt is at the backend.
      void gateway.claimDue(Date.now(), 10, 60_000).then((got) => claimedMeanwhile.push(...got.map((e) => e.key)));
      return { body: CONTINUE };
    });
    expect(await retryDead(configFor(file), 'all', createLogger('silent'), collect().out)).to.deep.equal({
      delivered: 1,
      failed: 0,
    });
    await gateway.close();
    expect(claimedMeanwhile).to.deep.equal([]);
    expect(backend.received).to.have.length(1);
  });

  it('retry reaches pending entries parked for later (a Retry-After of a day), one key or all, and leaves leased ones alone', async () => {
    const file = outboxFile('cli-pending');
    const store = new SqliteStore(file);
    const day = Date.now() + 86_400_000;
    for (const [i, nextAttemptAt] of [
      [0, day],
      [1, day],
      [2, Date.now() + 1_000],
    ] as const) {
      const event = canonical('im.friend.deleted', { pairs: [{ ownerUserID: `p${i}`, friendUserID: 'f' }] });
      event.id = `pending-${i}`;
      await store.add([outboxEntry(event, { nextAttemptAt, attempts: 3 })]);
    }
    await store.close();
    backend.answer(() => ({ body: CONTINUE }));
    expect(await retryDead(configFor(file), 'pending-1', createLogger('silent'), collect().out)).to.deep.equal({
      delivered: 1,
      failed: 0,
    });
    expect(backend.received.map((r) => JSON.parse(r.body).ownerUserID)).to.deep.equal(['p1']);
    // pending-2 is due within a lease: a gateway may be attempting it right now, so it is left to the gateway.
    expect(await retryDead(configFor(file), 'all', createLogger('silent'), collect().out)).to.deep.equal({
      delivered: 1,
      failed: 0,
    });
    expect(backend.received.map((r) => JSON.parse(r.body).ownerUserID)).to.deep.equal(['p1', 'p0']);
  });

  it('retry <key>: replays just that one, and says when there is no such key', async () => {
    const file = await outboxWithDeadLetters(2);
    backend.answer(() => ({ body: CONTINUE }));
    expect(await retryDead(configFor(file), 'event-1', createLogger('silent'), collect().out)).to.deep.equal({
      delivered: 1,
      failed: 0,
    });
    let error: unknown;
    await retryDead(configFor(file), 'nope', createLogger('silent'), collect().out).catch((e) => (error = e));
    expect(String(error)).to.include('no dead letter or waiting entry with key nope');
  });

  it('purge: deletes one or all dead letters', async () => {
    const file = await outboxWithDeadLetters(3);
    expect(await purgeDead(configFor(file), 'event-0', collect().out)).to.equal(1);
    const { out, text } = collect();
    expect(await purgeDead(configFor(file), 'all', out)).to.equal(2);
    expect(text()).to.equal('purged 2 dead letters\n');
  });

  it('works from the command line', async function () {
    this.timeout(20_000);
    const file = await outboxWithDeadLetters(1);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'outbox', 'list'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', OUTBOX_URL: `sqlite:${file}` },
    });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^pending 0, dead 1\n/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'outbox', 'purge'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', OUTBOX_URL: `sqlite:${file}` },
    });
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.include('name a key or pass --all');
  });
});
