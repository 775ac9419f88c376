import { expect } from 'chai';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { Checkpointer } from '../../src/outbox/checkpointer.js';
import { backoffMs } from '../../src/outbox/dispatcher.js';
import { MIRROR_PREFIX, RedisStore } from '../../src/outbox/redisStore.js';
import { PAGE_CACHE_KIB, SqliteStore } from '../../src/outbox/sqliteStore.js';
import type { OutboxEntry, OutboxStore } from '../../src/outbox/store.js';
import { describeWithRedis } from '../helpers/redis.js';
import { canonical } from '../helpers/translate.js';
import { outboxFile, outboxEntry } from '../helpers/outbox.js';

const file = () => outboxFile('store');
const event = canonical('im.friend.deleted', { pairs: [{ ownerUserID: 'a', friendUserID: 'b' }] });
const entry = (key: string, nextAttemptAt = 0): OutboxEntry => outboxEntry(event, { key, nextAttemptAt });

/** What a store holds besides its entries: the events several parts share, and its size in bytes. */
interface Footprint {
  sharedEvents: number;
  bytes: number;
}

/** A Tencent batch of `n` pairs, and its `n` parts as an OpenIM-format fan-out stores them. */
function fanOut(n: number): OutboxEntry[] {
  const pairs = Array.from({ length: n }, (_, i) => ({ ownerUserID: `owner-${i}`, friendUserID: `friend-${i}` }));
  const batch = canonical('im.friend.deleted', { pairs });
  return pairs.map((_, i) => outboxEntry(batch, { key: `${batch.id}.${i}`, part: i }));
}

/**
 * What every outbox store must do, run against each of them: `open()` gives an empty store, `reopen()`
 * a second handle on the same data, `footprint()` what the store holds.
 */
function storeContract(
  open: () => Promise<OutboxStore>,
  reopen: () => OutboxStore,
  footprint: () => Promise<Footprint>,
): void {
  it('stores an entry once per key and gives it back whole', async () => {
    const store = await open();
    expect(await store.add([entry('k1'), entry('k1'), entry('k2')]), 'stored by this call').to.deep.equal(['k1', 'k2']);
    expect(await store.add([entry('k2'), entry('k3')]), 'k2 was already stored').to.deep.equal(['k3']);
    expect(await store.depth()).to.deep.equal({ pending: 3, dead: 0 });
    const [first] = await store.claimDue(1, 1, 1000);
    expect(first).to.deep.equal(entry('k1', 1001));
    await store.close();
  });

  it('remembers a message patch for one asker until it expires, bounded, and counts the never-asked', async () => {
    const store = await open();
    const now = Date.now();
    expect(await store.remember('m1', '{"elements":[]}', now + 60_000, 2)).to.equal(true);
    expect(await store.remember('m2', 'two', now + 60_000, 2)).to.equal(true);
    expect(await store.remember('m3', 'three', now + 60_000, 2), 'over the bound').to.equal(false);
    expect(await store.recall('m1', now)).to.equal('{"elements":[]}');
    expect(await store.recall('m1', now), 'taken: it answers once').to.equal(undefined);
    expect(await store.recall('nothing', now)).to.equal(undefined);
    expect(await store.remember('m3', 'three', now + 60_000, 2), 'room again').to.equal(true);
    await store.recall('m3', now);
    expect(await store.forgetExpired(now + 60_001), 'm2 expired without being asked for').to.equal(1);
    expect(await store.recall('m2', now + 60_001)).to.equal(undefined);
    expect(await store.forgetExpired(now + 120_000), 'counted once').to.equal(0);
    await store.close();
  });

  it('keeps mirror counts per minute and the newest disagreements, within the retention', async () => {
    const store = await open();
    const now = Date.now();
    const minute = Math.floor(now / 60_000);
    const day = 86_400_000;
    await store.addMirrorCounts(
      [
        { minute, command: 'A', result: 'same', n: 3 },
        { minute, command: 'A', result: 'differ', n: 1 },
      ],
      now,
      day,
    );
    await store.addMirrorCounts([{ minute, command: 'A', result: 'same', n: 2 }], now, day);
    for (let i = 0; i < 4; i++)
      await store.addDisagreement({ at: now + i, command: 'A', detail: `{"i":${i}}` }, 3, day);
    const history = await store.mirrorHistory(now - 60_000);
    const counts = history.counts.map((c) => `${c.command} ${c.result} ${c.n}`).sort();
    expect(counts).to.deep.equal(['A differ 1', 'A same 5']);
    expect(
      history.disagreements.map((d) => d.detail),
      'the newest three, oldest first',
    ).to.deep.equal(['{"i":1}', '{"i":2}', '{"i":3}']);
    expect((await store.mirrorHistory(now + 2)).disagreements, 'since a time').to.have.length(2);
    // One past the retention pushes the old ones out.
    await store.addDisagreement({ at: now + 2 * day, command: 'B', detail: '{}' }, 3, day);
    expect((await store.mirrorHistory(0)).disagreements.map((d) => d.command)).to.deep.equal(['B']);
    await store.close();
  });

  it('leases what it hands out until the lease ends', async () => {
    const store = await open();
    await store.add([entry('k')]);
    expect(await store.claimDue(100, 10, 500)).to.have.length(1);
    expect(await store.claimDue(200, 10, 500), 'leased').to.have.length(0);
    expect(await store.claimDue(600, 10, 500), 'lease over').to.have.length(1);
    await store.close();
  });

  it('reschedules, dead-letters, revives and purges', async () => {
    const store = await open();
    await store.add([entry('a'), entry('b'), entry('c')]);
    await store.retryLater('a', 1, 5_000, 'HTTP 500');
    await store.deadLetter('b', 15, 'HTTP 500');
    await store.deadLetter('c', 15, 'refused');
    expect((await store.claimDue(4_999, 10, 1)).map((e) => e.key)).to.deep.equal([]);
    expect(await store.depth()).to.deep.equal({ pending: 1, dead: 2 });
    expect((await store.listDead(10)).map((e) => [e.key, e.attempts, e.lastError])).to.deep.equal([
      ['b', 15, 'HTTP 500'],
      ['c', 15, 'refused'],
    ]);
    expect(await store.revive('b', 7_000)).to.equal(1);
    expect(await store.purge('all')).to.equal(1);
    expect((await store.claimDue(7_000, 10, 1)).map((e) => [e.key, e.attempts])).to.deep.equal([
      ['a', 1],
      ['b', 0],
    ]);
    await store.delivered('a');
    expect(await store.depth()).to.deep.equal({ pending: 1, dead: 0 });
    await store.close();
  });

  it('stores the event of a fan-out once for all its parts, not once per part', async () => {
    const store = await open();
    const before = await footprint();
    const parts = fanOut(1_000);
    expect(await store.add(parts)).to.have.length(1_000);
    const after = await footprint();
    expect(after.sharedEvents - before.sharedEvents).to.equal(1);
    // One copy of the ~60 KB event, and a small row per part; a copy per part would be ~60 MB.
    expect(after.bytes - before.bytes).to.be.below(4_000_000);
    await store.close();
  });

  it('gives every part its event back, one object per event, and lets the event go with its last part', async () => {
    const store = await open();
    const parts = fanOut(5);
    const [first, second, third, fourth, fifth] = parts.map((p) => p.key) as [string, string, string, string, string];
    await store.add(parts);
    expect(await store.add(parts.slice(0, 2)), 'the IM server sent it again').to.deep.equal([]);
    const claimed = await store.claimDue(1, 100, 1_000);
    expect(claimed.map((e) => [e.key, e.part])).to.deep.equal(parts.map((p) => [p.key, p.part]));
    expect(claimed[0]!.event).to.deep.equal(parts[0]!.event);
    expect(
      claimed.every((e) => e.event === claimed[0]!.event),
      'parts read together share one event object',
    ).to.equal(true);
    await store.delivered(first);
    await store.delivered(second);
    await store.deadLetter(third, 15, 'HTTP 500');
    await store.deadLetter(fourth, 15, 'HTTP 500');
    const [dead] = await store.listDead(1);
    expect(dead).to.include({ key: third, part: 2 });
    expect(dead!.event).to.deep.equal(parts[0]!.event);
    expect(await store.purge(third)).to.equal(1);
    expect(await store.revive(fourth, 5_000)).to.equal(1);
    // The revived part, and the last one, whose lease has ended.
    expect((await store.claimDue(5_000, 100, 1_000)).map((e) => [e.key, e.event.id])).to.have.deep.members([
      [fourth, parts[0]!.event.id],
      [fifth, parts[0]!.event.id],
    ]);
    expect((await footprint()).sharedEvents, 'two parts still refer to it').to.equal(1);
    await store.delivered(fourth);
    await store.delivered(fifth);
    // SQLite forgets lazily, at the next commit.
    await new Promise((r) => setTimeout(r, 50));
    expect(await store.depth()).to.deep.equal({ pending: 0, dead: 0 });
    expect((await footprint()).sharedEvents, 'gone with its last part').to.equal(0);
    await store.close();
  });

  it('keeps everything across a reopen of the same file', async () => {
    const first = await open();
    await first.add([entry('x'), entry('y')]);
    await first.deadLetter('y', 3, 'gone');
    await first.close();
    const second = reopen();
    expect(await second.depth()).to.deep.equal({ pending: 1, dead: 1 });
    await second.close();
  });
}

describe('outbox/SqliteStore', () => {
  let path = '';
  storeContract(
    async () => new SqliteStore((path = file())),
    () => new SqliteStore(path, { sync: 'full' }),
    async () => {
      const db = new Database(path, { readonly: true });
      try {
        const sharedEvents = db.prepare('SELECT COUNT(*) FROM outbox_events').pluck().get() as number;
        const pages = db.pragma('page_count', { simple: true }) as number;
        return { sharedEvents, bytes: pages * (db.pragma('page_size', { simple: true }) as number) };
      } finally {
        db.close();
      }
    },
  );

  it('brings a file written before shared events up to date when several processes open it at once', async () => {
    const path = file();
    const old = new Database(path);
    old.exec(`CREATE TABLE outbox (key TEXT PRIMARY KEY, event TEXT NOT NULL, part INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, dead INTEGER NOT NULL DEFAULT 0)`);
    old.close();
    // As cluster workers do at start: each opens the store, stores an entry and closes it, all of them
    // at the same moment (they wait for a common start time, so their load times do not matter).
    const script = `import { SqliteStore } from './src/outbox/sqliteStore.ts';
      while (Date.now() < Number(process.argv[3]));
      const store = new SqliteStore(process.argv[1]);
      await store.add([{ key: 'w' + process.argv[2], event: { id: 'e' }, part: 0, attempts: 0, nextAttemptAt: 0, lastError: '', createdAt: 0, dead: false }]);
      await store.close();`;
    const startAt = Date.now() + 3_000;
    const workers = Array.from({ length: 6 }, (_, i) =>
      spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script, path, String(i), String(startAt)],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      ),
    );
    const results = await Promise.all(
      workers.map(async (w) => {
        let stderr = '';
        w.stderr!.on('data', (c: Buffer) => (stderr += c));
        const [code] = (await once(w, 'exit')) as [number];
        return { code, stderr };
      }),
    );
    expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).to.deep.equal([]);
    const store = new SqliteStore(path);
    expect(await store.depth()).to.deep.equal({ pending: 6, dead: 0 });
    await store.close();
  });

  it('reads a file written before shared events, whose rows hold their event inline', async () => {
    const path = file();
    const old = new Database(path);
    old.exec(`CREATE TABLE outbox (key TEXT PRIMARY KEY, event TEXT NOT NULL, part INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, dead INTEGER NOT NULL DEFAULT 0)`);
    old
      .prepare('INSERT INTO outbox (key, event, part, next_at, created_at) VALUES (?, ?, 0, 0, 0)')
      .run('old', JSON.stringify(event));
    old.close();
    const store = new SqliteStore(path);
    await store.add(fanOut(2));
    const claimed = await store.claimDue(1, 10, 1_000);
    expect(claimed.map((e) => e.key))
      .to.include('old')
      .and.to.have.length(3);
    expect(claimed.find((e) => e.key === 'old')!.event).to.deep.equal(event);
    await store.close();
  });

  it('with a background checkpointer, committed rows reach the database file without any commit stalling for it', async () => {
    const path = file();
    const problems: string[] = [];
    const store = new SqliteStore(path, { checkpointer: (m) => problems.push(m) });
    await store.add([entry('marker-checkpointed')]);
    // SQLite's own checkpoint would wait for 1 000 pages of log; this one comes within a few hundred ms.
    let inFile = false;
    for (let i = 0; i < 250 && !inFile; i++) {
      await new Promise((r) => setTimeout(r, 20));
      inFile = readFileSync(path).includes('marker-checkpointed');
    }
    await store.close();
    expect(inFile, 'the row was copied from the log into the database file').to.equal(true);
    expect(problems).to.deep.equal([]);
  });

  it("keeps its page cache at SQLite's stock 2 MB, not better-sqlite3's 16 MB, so a backlog does not grow the gateway", async () => {
    const store = new SqliteStore(file());
    // The connection is private; the setting is the point of the test.
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('cache_size', { simple: true })).to.equal(-PAGE_CACHE_KIB);
    expect(PAGE_CACHE_KIB).to.be.at.most(2_000);
    await store.close();
  });

  it('without one, a short-lived store leaves checkpoints to SQLite (the row stays in the log)', async () => {
    const path = file();
    const store = new SqliteStore(path);
    await store.add([entry('marker-in-log')]);
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(path).includes('marker-in-log')).to.equal(false);
    expect(readFileSync(`${path}-wal`).includes('marker-in-log')).to.equal(true);
    await store.close();
  });
});

describeWithRedis('outbox/RedisStore', (url) => {
  storeContract(
    async () => {
      const store = new RedisStore(url());
      const { Redis } = await import('ioredis');
      const admin = new Redis(url());
      await admin.flushall();
      await admin.quit();
      return store;
    },
    () => new RedisStore(url()),
    async () => {
      const { Redis } = await import('ioredis');
      const admin = new Redis(url());
      try {
        const sharedEvents = (await admin.keys('{imbridge:outbox}:ev:*')).length;
        const bytes = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
        return { sharedEvents, bytes };
      } finally {
        await admin.quit();
      }
    },
  );

  it('keeps the mirror queue apart from the outbox under its own prefix', async () => {
    const { Redis } = await import('ioredis');
    const admin = new Redis(url());
    await admin.flushall();
    await admin.quit();
    const outbox = new RedisStore(url());
    const queue = new RedisStore(url(), undefined, MIRROR_PREFIX);
    try {
      await outbox.add([entry('k1'), entry('k2')]);
      await queue.add([entry('k1')]);
      expect(await outbox.depth()).to.deep.equal({ pending: 2, dead: 0 });
      expect(await queue.depth()).to.deep.equal({ pending: 1, dead: 0 });
      await queue.delivered('k1');
      expect(await outbox.depth(), 'the outbox entry of the same key is untouched').to.deep.equal({
        pending: 2,
        dead: 0,
      });
    } finally {
      await outbox.close();
      await queue.close();
    }
  });
});

describe('outbox/backoff', () => {
  const cases: [number, number, number][] = [
    [1, 250, 500],
    [2, 500, 1_000],
    [5, 4_000, 8_000],
    [30, 300_000, 600_000],
  ];
  for (const [attempt, low, high] of cases) {
    it(`attempt ${attempt} waits between ${low} and ${high} ms (base 500, cap 600000)`, () => {
      expect(backoffMs(attempt, 500, 600_000, () => 0)).to.equal(low);
      expect(backoffMs(attempt, 500, 600_000, () => 1)).to.equal(high);
    });
  }
});

describe('outbox/Checkpointer', () => {
  it('keeps the write-ahead log bounded while commits keep coming', async () => {
    const path = file();
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${256 * 1024}`);
    db.exec('CREATE TABLE t (v TEXT)');
    const problems: string[] = [];
    const checkpointer = new Checkpointer(path, (m) => problems.push(m), {
      everyMs: 20,
      restartFrames: 64,
      logLimitBytes: 256 * 1024,
    });
    await checkpointer.started;
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const row = 'x'.repeat(2_000);
    let written = 0;
    let largestLog = 0;
    for (const end = Date.now() + 1_000; Date.now() < end;) {
      db.transaction(() => {
        for (let i = 0; i < 8; i++) insert.run(row);
      })();
      written += 8 * row.length;
      largestLog = Math.max(largestLog, statSync(`${path}-wal`).size);
      // A commit every few hundred microseconds, as a busy gateway makes them.
      await new Promise((r) => setTimeout(r, 0));
    }
    await checkpointer.close();
    db.close();
    expect(written, 'far more was written than the log may hold').to.be.above(8 * 1024 * 1024);
    expect(largestLog, 'the log started over again and again').to.be.below(4 * 1024 * 1024);
    expect(problems).to.deep.equal([]);
  });
});
