import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AnyEvent } from '../canonical/types.js';
import { Checkpointer, LOG_LIMIT_BYTES } from './checkpointer.js';
import { DiskWatch, isDiskFull } from './diskWatch.js';
import {
  OutboxRefusal,
  storedEvents,
  type OutboxDepth,
  type OutboxEntry,
  type OutboxStore,
  type Readiness,
  type MirrorCount,
  type MirrorDisagreement,
  type MirrorHistory,
} from './store.js';

interface Row {
  key: string;
  /** The event, or '' when it is stored once for all its parts in `outbox_events` under `event_id`. */
  event: string;
  event_id: string | null;
  part: number;
  attempts: number;
  next_at: number;
  last_error: string;
  created_at: number;
  dead: number;
}

const toEntry = (r: Row, event: AnyEvent): OutboxEntry => ({
  key: r.key,
  event,
  part: r.part,
  attempts: r.attempts,
  nextAttemptAt: r.next_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  dead: r.dead === 1,
});

/** How an SQLite outbox is opened. */
export interface SqliteOptions {
  /** `full` also survives an OS crash or power loss, at the cost of an fsync per commit. */
  sync?: 'normal' | 'full';
  /**
   * Checkpoint from a worker thread instead of inside commits (see `Checkpointer`), reporting trouble
   * here. For the long-running gateway; a short command is better off with SQLite's own checkpoints.
   */
  checkpointer?: (message: string) => void;
  /**
   * Below this much free space on the file's disk, new entries are refused and the write-ahead log is
   * cut back at every checkpoint (`outbox.minFreeBytes`; see `DiskWatch`). Unset: not watched.
   */
  minFreeBytes?: number;
}

/** The page cache of each store connection, in KiB (see the constructor). */
export const PAGE_CACHE_KIB = 2_000;

/** How long forgetting a delivered entry may wait for a commit to share (see `write`). */
const LAZY_COMMIT_MS = 10;

/**
 * Runs a step of opening the file, trying again for up to 5 s while another connection holds the lock
 * it needs. SQLite answers SQLITE_BUSY at once, without waiting, where waiting could deadlock — as when
 * several connections switch a new file to WAL together — so the connection's own timeout is not enough.
 * Blocking is fine here: a store is opened once, before the gateway serves.
 */
function waitingOutBusy<T>(step: () => T): T {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += 10) {
    try {
      return step();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || waited >= 5_000) throw err;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

/**
 * The embedded outbox: one SQLite file in WAL mode. A committed insert survives `kill -9` of the
 * process (WAL with `synchronous=NORMAL`); `sync: 'full'` also survives an OS crash or power loss, at
 * the cost of an fsync per commit.
 */
export class SqliteStore implements OutboxStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly sharedEvent: Database.Statement;
  private readonly claim: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly reschedule: Database.Statement;
  private readonly bury: Database.Statement;
  private readonly count: Database.Statement;
  /** Runs a batch of writes as one transaction (built once: better-sqlite3 builds four wrappers each time). */
  private readonly commit: (batch: { run: () => void }[]) => void;
  private readonly checkpointer?: Checkpointer;
  /** Free space and the file's identity, for a file on disk with `minFreeBytes` set. */
  private readonly watch?: DiskWatch;
  private readonly probe: Database.Statement;
  /** Writes waiting for the next group commit, and their callers. */
  private batch: { run: () => void; done: () => void; failed: (err: unknown) => void }[] = [];
  /** Whether a commit is due at the end of this event-loop turn. */
  private flushNow = false;
  /** The commit that lazy writes wait for when nothing urgent comes along. */
  private flushLater?: NodeJS.Timeout;

  constructor(file: string, options: SqliteOptions = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    // Cluster workers open the file at the same moment. Waiting for a lock is set before anything
    // takes one, and each step below that writes is made to wait its turn (see `waitingOutBusy`).
    this.db = new Database(file, { timeout: 5_000 });
    waitingOutBusy(() => this.db.pragma('journal_mode = WAL'));
    this.db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection, and a backlog fills it: the
    // gateway grew by 16 MB while a backend fell behind. An outbox is a queue whose working set is its
    // newest pages and the due index; SQLite's stock 2 MB holds those, and the OS caches the rest.
    this.db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    // The whole schema under one write lock: two workers must not both see the column missing.
    waitingOutBusy(() => this.db.transaction(() => this.createSchema()).immediate());
    if (file !== ':memory:' && options.minFreeBytes !== undefined)
      this.watch = new DiskWatch(file, options.minFreeBytes);
    if (options.checkpointer && file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${LOG_LIMIT_BYTES}`);
      this.checkpointer = new Checkpointer(file, options.checkpointer, { minFreeBytes: options.minFreeBytes });
    }
    this.probe = this.db.prepare('INSERT OR REPLACE INTO outbox_probe (id, at) VALUES (1, ?)');
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO outbox (key, event, event_id, part, attempts, next_at, last_error, created_at, dead) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)',
    );
    this.insertEvent = this.db.prepare('INSERT OR IGNORE INTO outbox_events (id, event) VALUES (?, ?)');
    this.sharedEvent = this.db.prepare('SELECT event FROM outbox_events WHERE id = ?').pluck();
    this.remove = this.db.prepare('DELETE FROM outbox WHERE key = ?');
    // Retries and dead letters come in floods when a backend is down; depth is read at every scrape.
    this.reschedule = this.db.prepare('UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE key = ?');
    this.bury = this.db.prepare('UPDATE outbox SET attempts = ?, last_error = ?, dead = 1 WHERE key = ?');
    this.count = this.db.prepare('SELECT SUM(dead = 0) AS pending, SUM(dead = 1) AS dead FROM outbox');
    this.commit = this.db.transaction((batch: { run: () => void }[]) => {
      for (const w of batch) w.run();
    });
    this.claim = this.db.prepare(
      `UPDATE outbox SET next_at = @leaseUntil
       WHERE key IN (SELECT key FROM outbox WHERE dead = 0 AND next_at <= @now ORDER BY next_at LIMIT @limit)
       RETURNING *`,
    );
  }

  /**
   * The outbox table and its due index; and, since fan-outs store their event once, the shared events,
   * the column that refers to them, and the trigger that deletes one with its last part. Files written
   * before kept every event inline; their rows are read as they are.
   */
  private createSchema(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      key TEXT PRIMARY KEY,
      event TEXT NOT NULL,
      part INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL,
      last_error TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      dead INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS outbox_due ON outbox (dead, next_at);`);
    if (!(this.db.pragma('table_info(outbox)') as { name: string }[]).some((c) => c.name === 'event_id')) {
      this.db.exec('ALTER TABLE outbox ADD COLUMN event_id TEXT');
    }
    this.db.exec(`CREATE TABLE IF NOT EXISTS outbox_events (id TEXT PRIMARY KEY, event TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS outbox_event ON outbox (event_id) WHERE event_id IS NOT NULL;
    CREATE TRIGGER IF NOT EXISTS outbox_event_last_part AFTER DELETE ON outbox
      WHEN old.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox WHERE event_id = old.event_id)
      BEGIN DELETE FROM outbox_events WHERE id = old.event_id; END;
    CREATE TABLE IF NOT EXISTS outbox_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS remembered (
      key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL, asked INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS remembered_expiry ON remembered (expires_at);
    CREATE TABLE IF NOT EXISTS mirror_counts (
      minute INTEGER NOT NULL, command TEXT NOT NULL, result TEXT NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (minute, command, result)
    );
    CREATE TABLE IF NOT EXISTS mirror_disagreements (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, command TEXT NOT NULL, detail TEXT NOT NULL
    );`);
  }

  /**
   * Group commit: writes asked for in the same event-loop turn share one transaction, because a
   * commit, not a row, is what costs. A lazy write — forgetting a delivered entry, which only ever
   * costs a duplicate delivery if it is lost — waits up to LAZY_COMMIT_MS to ride along with the next
   * urgent one, so a steady stream of after-events costs one commit per event, not two. Each caller's
   * promise settles only after its own commit, so "resolved" still means "durable".
   */
  private write(run: () => void, lazy = false): Promise<void> {
    return new Promise((done, failed) => {
      this.batch.push({ run, done, failed });
      if (!lazy && !this.flushNow) {
        this.flushNow = true;
        setImmediate(() => this.flush());
      } else if (lazy && !this.flushLater) {
        this.flushLater = setTimeout(() => this.flush(), LAZY_COMMIT_MS);
      }
    });
  }

  private flush(): void {
    this.flushNow = false;
    clearTimeout(this.flushLater);
    this.flushLater = undefined;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    try {
      this.commit(batch);
    } catch (err) {
      if (isDiskFull(err)) this.watch?.sawFull();
      // One bad write must not fail the others: retry them one by one.
      for (const w of batch) {
        try {
          this.db.transaction(w.run)();
          w.done();
        } catch (e) {
          if (isDiskFull(e)) this.watch?.sawFull();
          w.failed(e);
        }
      }
      return;
    }
    for (const w of batch) w.done();
  }

  async add(entries: OutboxEntry[]): Promise<string[]> {
    // An OK for an entry written into a removed file, or onto a disk about to refuse the writes that
    // deliver it, would be an event lost: refused here, the IM server hears 503 instead.
    const problem = this.watch?.problem();
    if (problem) throw new OutboxRefusal(problem);
    const { shared, rows: events } = storedEvents(entries);
    const rows = entries.map(
      (e, i) =>
        [
          e.key,
          events[i]!.text,
          events[i]!.eventId ?? null,
          e.part,
          e.attempts,
          e.nextAttemptAt,
          e.lastError,
          e.createdAt,
        ] as const,
    );
    let stored: string[] = [];
    // A retried batch runs its writes again: count only the last run's.
    await this.write(() => {
      for (const [id, text] of shared) this.insertEvent.run(id, text);
      stored = rows.filter((r) => this.insert.run(...r).changes === 1).map((r) => r[0]);
    });
    return stored;
  }

  /** Entries from rows, each shared event read and parsed once, so the parts read together share one object. */
  private entries(rows: Row[]): OutboxEntry[] {
    const shared = new Map<string, AnyEvent>();
    return rows.map((r) => {
      if (r.event_id === null) return toEntry(r, JSON.parse(r.event) as AnyEvent);
      let event = shared.get(r.event_id);
      if (!event) shared.set(r.event_id, (event = JSON.parse(this.sharedEvent.get(r.event_id) as string) as AnyEvent));
      return toEntry(r, event);
    });
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    try {
      return this.entries(this.claim.all({ now, limit, leaseUntil: now + leaseMs }) as Row[]);
    } catch (err) {
      if (isDiskFull(err)) this.watch?.sawFull();
      throw err;
    }
  }

  async claimWaiting(key: string | 'all', now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const leaseUntil = now + leaseMs;
    const which = key === 'all' ? '' : 'AND key = @key';
    const sql = `UPDATE outbox SET next_at = @leaseUntil
      WHERE key IN (SELECT key FROM outbox WHERE dead = 0 AND next_at > @leaseUntil ${which} ORDER BY next_at LIMIT @limit)
      RETURNING *`;
    return this.entries(this.db.prepare(sql).all({ leaseUntil, limit, ...(key !== 'all' && { key }) }) as Row[]);
  }

  async delivered(key: string): Promise<void> {
    await this.write(() => this.remove.run(key), true);
  }

  /**
   * Bookkeeping of a failed attempt. On a disk short of space it is not written: the entry stays leased
   * and is attempted again when the lease ends, so a backend that stays down cannot grow the log into
   * space that the writes which deliver (claims, forgetting) need — the way events were stranded after
   * a full disk.
   */
  async retryLater(key: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    if (this.watch?.shortOfSpace()) return;
    await this.write(() => this.reschedule.run(attempts, nextAttemptAt, error, key));
  }

  /** Like `retryLater`: not written on a disk short of space (the entry is attempted again after its lease). */
  async deadLetter(key: string, attempts: number, error: string): Promise<void> {
    if (this.watch?.shortOfSpace()) return;
    await this.write(() => this.bury.run(attempts, error, key));
  }

  /** Ready when a new entry would be accepted and a write commits now (a probe row, through the group commit). */
  async ready(): Promise<Readiness> {
    const problem = this.watch?.problem();
    if (problem) return { ready: false, reason: problem };
    try {
      await this.write(() => this.probe.run(Date.now()));
      return { ready: true };
    } catch (err) {
      return { ready: false, reason: `the outbox cannot write: ${(err as Error).message}` };
    }
  }

  async listDead(limit: number): Promise<OutboxEntry[]> {
    return this.entries(
      this.db.prepare('SELECT * FROM outbox WHERE dead = 1 ORDER BY created_at LIMIT ?').all(limit) as Row[],
    );
  }

  async revive(key: string | 'all', dueAt: number): Promise<number> {
    const sql = 'UPDATE outbox SET dead = 0, attempts = 0, next_at = ? WHERE dead = 1';
    return (key === 'all' ? this.db.prepare(sql).run(dueAt) : this.db.prepare(`${sql} AND key = ?`).run(dueAt, key))
      .changes;
  }

  async purge(key: string | 'all'): Promise<number> {
    const sql = 'DELETE FROM outbox WHERE dead = 1';
    return (key === 'all' ? this.db.prepare(sql).run() : this.db.prepare(`${sql} AND key = ?`).run(key)).changes;
  }

  // Remembered values are few (a patch is rare) and short-lived, so they are written at once, outside
  // the group commit: losing one in a crash costs one message its patch, which is logged when it expires.
  async remember(key: string, value: string, expiresAt: number, max: number): Promise<boolean> {
    const live = this.db.prepare('SELECT COUNT(*) FROM remembered').pluck().get() as number;
    if (live >= max) return false;
    this.db
      .prepare('INSERT OR REPLACE INTO remembered (key, value, expires_at, asked) VALUES (?, ?, ?, 0)')
      .run(key, value, expiresAt);
    return true;
  }

  async recall(key: string, now: number): Promise<string | undefined> {
    const row = this.db
      .prepare('DELETE FROM remembered WHERE key = ? AND expires_at > ? RETURNING value')
      .get(key, now) as { value: string } | undefined;
    return row?.value;
  }

  async forgetExpired(now: number): Promise<number> {
    const rows = this.db.prepare('DELETE FROM remembered WHERE expires_at <= ? RETURNING asked').all(now) as {
      asked: number;
    }[];
    return rows.filter((r) => r.asked === 0).length;
  }

  // Mirror counts arrive batched (about once a second) and disagreements are rare: written at once,
  // outside the group commit, as remembered values are.
  async addMirrorCounts(counts: MirrorCount[], now: number, maxAgeMs: number): Promise<void> {
    const add = this.db.prepare(
      'INSERT INTO mirror_counts (minute, command, result, n) VALUES (?, ?, ?, ?) ON CONFLICT (minute, command, result) DO UPDATE SET n = n + excluded.n',
    );
    this.db.transaction(() => {
      for (const c of counts) add.run(c.minute, c.command, c.result, c.n);
      this.db.prepare('DELETE FROM mirror_counts WHERE minute < ?').run(Math.floor((now - maxAgeMs) / 60_000));
    })();
  }

  async addDisagreement(d: MirrorDisagreement, keep: number, maxAgeMs: number): Promise<void> {
    this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO mirror_disagreements (at, command, detail) VALUES (?, ?, ?)')
        .run(d.at, d.command, d.detail);
      this.db
        .prepare('DELETE FROM mirror_disagreements WHERE id <= ? OR at < ?')
        .run(Number(lastInsertRowid) - keep, d.at - maxAgeMs);
    })();
  }

  async mirrorHistory(since: number): Promise<MirrorHistory> {
    const counts = this.db
      .prepare('SELECT minute, command, result, n FROM mirror_counts WHERE minute >= ? ORDER BY minute')
      .all(Math.floor(since / 60_000)) as MirrorCount[];
    const disagreements = this.db
      .prepare('SELECT at, command, detail FROM mirror_disagreements WHERE at >= ? ORDER BY id')
      .all(since) as MirrorDisagreement[];
    return { counts, disagreements };
  }

  async depth(): Promise<OutboxDepth> {
    const row = this.count.get() as { pending: number | null; dead: number | null };
    return { pending: row.pending ?? 0, dead: row.dead ?? 0 };
  }

  async close(): Promise<void> {
    this.flush();
    await this.checkpointer?.close();
    this.db.close();
  }
}
