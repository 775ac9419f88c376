import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AnyEvent } from '../canonical/types.js';
import type { OutboxDepth, OutboxEntry, OutboxStore } from './store.js';

interface Row {
  key: string;
  event: string;
  part: number;
  attempts: number;
  next_at: number;
  last_error: string;
  created_at: number;
  dead: number;
}

const toEntry = (r: Row): OutboxEntry => ({
  key: r.key,
  event: JSON.parse(r.event) as AnyEvent,
  part: r.part,
  attempts: r.attempts,
  nextAttemptAt: r.next_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  dead: r.dead === 1,
});

/**
 * The embedded outbox: one SQLite file in WAL mode. A committed insert survives `kill -9` of the
 * process (WAL with `synchronous=NORMAL`); `sync: 'full'` also survives an OS crash or power loss, at
 * the cost of an fsync per commit.
 */
export class SqliteStore implements OutboxStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly claim: Database.Statement;

  constructor(file: string, sync: 'normal' | 'full' = 'normal') {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
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
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO outbox (key, event, part, attempts, next_at, last_error, created_at, dead) VALUES (?, ?, ?, ?, ?, ?, ?, 0)',
    );
    this.claim = this.db.prepare(
      `UPDATE outbox SET next_at = @leaseUntil
       WHERE key IN (SELECT key FROM outbox WHERE dead = 0 AND next_at <= @now ORDER BY next_at LIMIT @limit)
       RETURNING *`,
    );
  }

  async add(entries: OutboxEntry[]): Promise<void> {
    this.db.transaction(() => {
      for (const e of entries) this.insert.run(e.key, JSON.stringify(e.event), e.part, e.attempts, e.nextAttemptAt, e.lastError, e.createdAt);
    })();
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    return (this.claim.all({ now, limit, leaseUntil: now + leaseMs }) as Row[]).map(toEntry);
  }

  async delivered(key: string): Promise<void> {
    this.db.prepare('DELETE FROM outbox WHERE key = ?').run(key);
  }

  async retryLater(key: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    this.db.prepare('UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE key = ?').run(attempts, nextAttemptAt, error, key);
  }

  async deadLetter(key: string, attempts: number, error: string): Promise<void> {
    this.db.prepare('UPDATE outbox SET attempts = ?, last_error = ?, dead = 1 WHERE key = ?').run(attempts, error, key);
  }

  async listDead(limit: number): Promise<OutboxEntry[]> {
    return (this.db.prepare('SELECT * FROM outbox WHERE dead = 1 ORDER BY created_at LIMIT ?').all(limit) as Row[]).map(toEntry);
  }

  async revive(key: string | 'all', now: number): Promise<number> {
    const sql = 'UPDATE outbox SET dead = 0, attempts = 0, next_at = ? WHERE dead = 1';
    return (key === 'all' ? this.db.prepare(sql).run(now) : this.db.prepare(`${sql} AND key = ?`).run(now, key)).changes;
  }

  async purge(key: string | 'all'): Promise<number> {
    const sql = 'DELETE FROM outbox WHERE dead = 1';
    return (key === 'all' ? this.db.prepare(sql).run() : this.db.prepare(`${sql} AND key = ?`).run(key)).changes;
  }

  async depth(): Promise<OutboxDepth> {
    const row = this.db.prepare('SELECT SUM(dead = 0) AS pending, SUM(dead = 1) AS dead FROM outbox').get() as { pending: number | null; dead: number | null };
    return { pending: row.pending ?? 0, dead: row.dead ?? 0 };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
