import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { AnyEvent } from '../canonical/types.js';
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

/**
 * Keys share one hash tag, so the whole outbox lives in one Redis Cluster slot and every script is
 * atomic over it. `due` is a sorted set of pending keys by next attempt (a claimed key is pushed to its
 * lease end), `dead` one of dead letters by creation, and each entry is a hash `e:<key>`. An event
 * that several parts share (see storedEvents) is stored once, as a hash `ev:<event id>` holding its text
 * and how many parts still refer to it; those parts hold `eventId` instead of `event`.
 */
/** The outbox's key prefix; another (the mirror's own queue) keeps a second outbox apart in one Redis. */
export const OUTBOX_PREFIX = '{imbridge:outbox}:';
export const MIRROR_PREFIX = '{imbridge:mirror}:';

/**
 * The keys of one outbox under `prefix`. Remembered values (see `remember`): `r:<key>` strings, and a
 * sorted set of the unasked ones by expiry. Mirror comparisons: a hash of counts per minute
 * `mc:<minute>` (`command\tresult` → n), the minutes that have counts, and the kept disagreements, a
 * sorted set by time of `<id>\t<json>` members.
 */
function keysOf(prefix: string) {
  return {
    PREFIX: prefix,
    DUE: `${prefix}due`,
    DEAD: `${prefix}dead`,
    UNASKED: `${prefix}unasked`,
    MIRROR_DISAGREEMENTS: `${prefix}md`,
    MIRROR_MINUTES: `${prefix}mm`,
    mirrorMinute: (minute: number) => `${prefix}mc:${minute}`,
  };
}

/** Lua: deletes entry hash `e` and lets go of its shared event, deleting that with its last part. */
const FORGET = `
  local function forget(prefix, e)
    local id = redis.call('HGET', e, 'eventId')
    redis.call('DEL', e)
    if id and redis.call('HINCRBY', prefix .. 'ev:' .. id, 'parts', -1) <= 0 then redis.call('DEL', prefix .. 'ev:' .. id) end
  end`;

/**
 * Lua: the entries under `keys` as {[key, HGETALL fields…] per entry, [id, text…] per shared event they
 * refer to}, each shared event's text once.
 */
const READ_ENTRIES = `
  local function readEntries(prefix, keys)
    local out, seen, texts = {}, {}, {}
    for _, k in ipairs(keys) do
      local h = redis.call('HGETALL', prefix .. 'e:' .. k)
      table.insert(out, k)
      table.insert(out, h)
      for j = 1, #h, 2 do
        if h[j] == 'eventId' and not seen[h[j+1]] then
          seen[h[j+1]] = true
          table.insert(texts, h[j+1])
          table.insert(texts, redis.call('HGET', prefix .. 'ev:' .. h[j+1], 'event') or '')
        end
      end
    end
    return { out, texts }
  end`;

const SCRIPTS = {
  // KEYS: due. ARGV: prefix, the number of shared events, then [id, text] per shared event, then per
  // entry: key, event ('' when shared), eventId ('' when not), part, nextAt, createdAt. Returns the keys stored.
  outboxAdd: `
    local shared = tonumber(ARGV[2])
    for i = 3, 2 + 2 * shared, 2 do redis.call('HSETNX', ARGV[1] .. 'ev:' .. ARGV[i], 'event', ARGV[i+1]) end
    local stored = {}
    for i = 3 + 2 * shared, #ARGV, 6 do
      local e = ARGV[1] .. 'e:' .. ARGV[i]
      if redis.call('EXISTS', e) == 0 then
        local field, value = 'event', ARGV[i+1]
        if ARGV[i+2] ~= '' then
          field, value = 'eventId', ARGV[i+2]
          redis.call('HINCRBY', ARGV[1] .. 'ev:' .. value, 'parts', 1)
        end
        redis.call('HSET', e, field, value, 'part', ARGV[i+3], 'attempts', 0, 'lastError', '', 'createdAt', ARGV[i+5], 'dead', 0)
        redis.call('ZADD', KEYS[1], ARGV[i+4], ARGV[i])
        table.insert(stored, ARGV[i])
      end
    end
    -- A shared event none of whose parts was new here (all were stored before, or this is all there was).
    for i = 3, 2 + 2 * shared, 2 do
      if not redis.call('HGET', ARGV[1] .. 'ev:' .. ARGV[i], 'parts') then redis.call('DEL', ARGV[1] .. 'ev:' .. ARGV[i]) end
    end
    return stored`,
  // KEYS: due. ARGV: prefix, now, limit, leaseUntil. Returns {[key, fields…] per claimed entry, shared texts}.
  outboxClaim: `${READ_ENTRIES}
    local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
    for _, k in ipairs(keys) do redis.call('ZADD', KEYS[1], ARGV[4], k) end
    return readEntries(ARGV[1], keys)`,
  // KEYS: due. ARGV: prefix, key or '*all*', limit, leaseUntil. Leases pending keys due after
  // leaseUntil (nobody holds them); returns {[key, fields…] per entry, shared texts}.
  outboxClaimWaiting: `${READ_ENTRIES}
    local keys
    if ARGV[2] == '*all*' then keys = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[4], '+inf', 'LIMIT', 0, ARGV[3])
    else
      local at = redis.call('ZSCORE', KEYS[1], ARGV[2])
      if at and tonumber(at) > tonumber(ARGV[4]) then keys = { ARGV[2] } else keys = {} end
    end
    for _, k in ipairs(keys) do redis.call('ZADD', KEYS[1], ARGV[4], k) end
    return readEntries(ARGV[1], keys)`,
  // KEYS: due. ARGV: prefix, key.
  outboxDone: `${FORGET}
    redis.call('ZREM', KEYS[1], ARGV[2])
    if redis.call('EXISTS', ARGV[1] .. 'e:' .. ARGV[2]) == 1 then forget(ARGV[1], ARGV[1] .. 'e:' .. ARGV[2]) end`,
  // KEYS: dead. ARGV: prefix, limit. Returns {[key, fields…] per dead letter, oldest first, shared texts}.
  outboxListDead: `${READ_ENTRIES}
    return readEntries(ARGV[1], redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1))`,
  // KEYS: due. ARGV: prefix, key, attempts, nextAt, error.
  outboxRetry: `
    local e = ARGV[1] .. 'e:' .. ARGV[2]
    if redis.call('EXISTS', e) == 1 then
      redis.call('HSET', e, 'attempts', ARGV[3], 'lastError', ARGV[5])
      redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
    end`,
  // KEYS: due, dead. ARGV: prefix, key, attempts, error.
  outboxDead: `
    local e = ARGV[1] .. 'e:' .. ARGV[2]
    if redis.call('EXISTS', e) == 1 then
      redis.call('HSET', e, 'attempts', ARGV[3], 'lastError', ARGV[4], 'dead', 1)
      redis.call('ZREM', KEYS[1], ARGV[2])
      redis.call('ZADD', KEYS[2], redis.call('HGET', e, 'createdAt'), ARGV[2])
    end`,
  // KEYS: due, dead. ARGV: prefix, key or '*all*', dueAt, 'revive' | 'purge'. Returns how many.
  outboxDeadOp: `${FORGET}
    local keys
    if ARGV[2] == '*all*' then keys = redis.call('ZRANGE', KEYS[2], 0, -1)
    elseif redis.call('ZSCORE', KEYS[2], ARGV[2]) then keys = { ARGV[2] }
    else keys = {} end
    for _, k in ipairs(keys) do
      local e = ARGV[1] .. 'e:' .. k
      redis.call('ZREM', KEYS[2], k)
      if ARGV[4] == 'revive' then
        redis.call('HSET', e, 'dead', 0, 'attempts', 0)
        redis.call('ZADD', KEYS[1], ARGV[3], k)
      else
        forget(ARGV[1], e)
      end
    end
    return #keys`,
} as const;

/** ioredis states of a connection that was made and lost. */
const LOST = new Set(['reconnecting', 'close', 'end']);

type Scripted = Redis & { [K in keyof typeof SCRIPTS]: (...args: (string | number)[]) => Promise<unknown> };

/**
 * Entries from what `outboxClaim` or `outboxListDead` returned. Each shared event is parsed once, so
 * the parts read together share one object. `nextAttemptAt` is the lease end, or 0 for dead letters.
 */
function toEntries([flat, texts]: [(string | string[])[], string[]], nextAttemptAt: number): OutboxEntry[] {
  const shared = new Map<string, AnyEvent>();
  for (let i = 0; i < texts.length; i += 2) shared.set(texts[i]!, JSON.parse(texts[i + 1]!) as AnyEvent);
  const entries: OutboxEntry[] = [];
  for (let i = 0; i < flat.length; i += 2)
    entries.push(toEntry(flat[i] as string, flat[i + 1] as string[], nextAttemptAt, shared));
  return entries;
}

function toEntry(key: string, fields: string[], nextAttemptAt: number, shared: Map<string, AnyEvent>): OutboxEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return {
    key,
    event: f['eventId'] === undefined ? (JSON.parse(f['event']!) as AnyEvent) : shared.get(f['eventId'])!,
    part: Number(f['part']),
    attempts: Number(f['attempts']),
    nextAttemptAt,
    lastError: f['lastError'] ?? '',
    createdAt: Number(f['createdAt']),
    dead: f['dead'] === '1',
  };
}

/**
 * The outbox for several replicas: one Redis that every imbridge behind a load balancer shares. Each
 * operation is one atomic script, and `claimDue` leases what it hands out, so replicas never attempt
 * the same delivery at once. Durability is Redis's: run it with `appendonly yes` (and
 * `appendfsync always` to match `outbox.sync: full`).
 */
export class RedisStore implements OutboxStore {
  private readonly k: ReturnType<typeof keysOf>;
  private readonly redis: Scripted;

  /**
   * `onError` hears about connection trouble (at most every 10 s): operations fail meanwhile and say so
   * themselves — the dispatcher retries, `/readyz` answers 503 — so this is only for the log.
   */
  constructor(url: string, onError: (err: Error) => void = () => undefined, prefix = OUTBOX_PREFIX) {
    this.k = keysOf(prefix);
    // Every operation answers within 2 s, connected or not: a hung store must not hang callbacks or shutdown.
    // Loaded only by the gateways that use Redis: ioredis costs every other process ~15 MB of memory.
    const { Redis: Client } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.redis = new Client(url, { maxRetriesPerRequest: 3, commandTimeout: 2_000 }) as Scripted;
    let lastReport = 0;
    this.redis.on('error', (err: Error) => {
      if (Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      onError(err);
    });
    for (const [name, lua] of Object.entries(SCRIPTS))
      this.redis.defineCommand(name, { numberOfKeys: name === 'outboxDead' || name === 'outboxDeadOp' ? 2 : 1, lua });
  }

  async add(entries: OutboxEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    // Not queued for a lost connection that may come back after the caller has gone: an event refused
    // now must not be stored (and delivered) later. (The first connection, still being made, is waited for.)
    if (LOST.has(this.redis.status)) throw new OutboxRefusal(`Redis is not connected (${this.redis.status})`);
    const { shared, rows } = storedEvents(entries);
    const args = entries.flatMap((e, i) => [
      e.key,
      rows[i]!.text,
      rows[i]!.eventId ?? '',
      e.part,
      e.nextAttemptAt,
      e.createdAt,
    ]);
    return (await this.redis.outboxAdd(
      this.k.DUE,
      this.k.PREFIX,
      shared.length,
      ...shared.flat(),
      ...args,
    )) as string[];
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    return toEntries(
      (await this.redis.outboxClaim(this.k.DUE, this.k.PREFIX, now, limit, now + leaseMs)) as never,
      now + leaseMs,
    );
  }

  async claimWaiting(key: string | 'all', now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const leaseUntil = now + leaseMs;
    return toEntries(
      (await this.redis.outboxClaimWaiting(
        this.k.DUE,
        this.k.PREFIX,
        key === 'all' ? '*all*' : key,
        limit,
        leaseUntil,
      )) as never,
      leaseUntil,
    );
  }

  async delivered(key: string): Promise<void> {
    await this.redis.outboxDone(this.k.DUE, this.k.PREFIX, key);
  }

  async retryLater(key: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.redis.outboxRetry(this.k.DUE, this.k.PREFIX, key, attempts, nextAttemptAt, error);
  }

  async deadLetter(key: string, attempts: number, error: string): Promise<void> {
    await this.redis.outboxDead(this.k.DUE, this.k.DEAD, this.k.PREFIX, key, attempts, error);
  }

  async listDead(limit: number): Promise<OutboxEntry[]> {
    return toEntries((await this.redis.outboxListDead(this.k.DEAD, this.k.PREFIX, Math.min(limit, 1e9))) as never, 0);
  }

  async revive(key: string | 'all', dueAt: number): Promise<number> {
    return Number(
      await this.redis.outboxDeadOp(
        this.k.DUE,
        this.k.DEAD,
        this.k.PREFIX,
        key === 'all' ? '*all*' : key,
        dueAt,
        'revive',
      ),
    );
  }

  async purge(key: string | 'all'): Promise<number> {
    return Number(
      await this.redis.outboxDeadOp(this.k.DUE, this.k.DEAD, this.k.PREFIX, key === 'all' ? '*all*' : key, 0, 'purge'),
    );
  }

  async remember(key: string, value: string, expiresAt: number, max: number): Promise<boolean> {
    const stored = await this.redis.eval(
      // KEYS: unasked, r:<key>. ARGV: key, value, expiresAt, ttlMs, max. Counts live values by the index.
      `if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then return 0 end
       redis.call('SET', KEYS[2], ARGV[3] .. ':' .. ARGV[2], 'PX', ARGV[4])
       redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
       return 1`,
      2,
      this.k.UNASKED,
      `${this.k.PREFIX}r:${key}`,
      key,
      value,
      expiresAt,
      Math.max(1, expiresAt - Date.now()),
      max,
    );
    return stored === 1;
  }

  async recall(key: string, now: number): Promise<string | undefined> {
    // Taken, not read: a value answers one caller (a second asker, on any replica, finds nothing).
    const value = (await this.redis.eval(
      // KEYS: r:<key>, unasked. ARGV: key.
      `local v = redis.call('GET', KEYS[1])
       redis.call('DEL', KEYS[1])
       redis.call('ZREM', KEYS[2], ARGV[1])
       return v`,
      2,
      `${this.k.PREFIX}r:${key}`,
      this.k.UNASKED,
      key,
    )) as string | null;
    // Stored as `<expiresAt>:<value>`, so expiry is judged by the caller's clock, as in SQLite (Redis
    // drops the key itself a moment later).
    if (value === null) return undefined;
    const colon = value.indexOf(':');
    return Number(value.slice(0, colon)) > now ? value.slice(colon + 1) : undefined;
  }

  async forgetExpired(now: number): Promise<number> {
    // The values themselves expire in Redis; what is left of them in the index was never asked for.
    const [[, count]] = (await this.redis.multi().zremrangebyscore(this.k.UNASKED, '-inf', now).exec()) as [
      [Error | null, number],
    ];
    return count;
  }

  async addMirrorCounts(counts: MirrorCount[], now: number, maxAgeMs: number): Promise<void> {
    const tx = this.redis.multi();
    for (const c of counts) {
      tx.hincrby(this.k.mirrorMinute(c.minute), `${c.command}\t${c.result}`, c.n);
      // A minute's counts go when they are past the retention, by the minute's end.
      tx.pexpireat(this.k.mirrorMinute(c.minute), (c.minute + 1) * 60_000 + maxAgeMs);
      tx.zadd(this.k.MIRROR_MINUTES, c.minute, String(c.minute));
    }
    tx.zremrangebyscore(this.k.MIRROR_MINUTES, '-inf', `(${Math.floor((now - maxAgeMs) / 60_000)}`);
    await tx.exec();
  }

  async addDisagreement(d: MirrorDisagreement, keep: number, maxAgeMs: number): Promise<void> {
    await this.redis
      .multi()
      .zadd(
        this.k.MIRROR_DISAGREEMENTS,
        d.at,
        `${randomUUID()}\t${JSON.stringify({ command: d.command, detail: d.detail })}`,
      )
      .zremrangebyrank(this.k.MIRROR_DISAGREEMENTS, 0, -(keep + 1))
      .zremrangebyscore(this.k.MIRROR_DISAGREEMENTS, '-inf', `(${d.at - maxAgeMs}`)
      .exec();
  }

  async mirrorHistory(since: number): Promise<MirrorHistory> {
    const minutes = (await this.redis.zrangebyscore(this.k.MIRROR_MINUTES, Math.floor(since / 60_000), '+inf')).map(
      Number,
    );
    const read = this.redis.pipeline();
    for (const m of minutes) read.hgetall(this.k.mirrorMinute(m));
    const hashes = ((await read.exec()) ?? []) as [Error | null, Record<string, string>][];
    const counts: MirrorCount[] = [];
    hashes.forEach(([, h], i) => {
      for (const [field, n] of Object.entries(h ?? {})) {
        const [command, result] = field.split('\t') as [string, string];
        counts.push({ minute: minutes[i]!, command, result, n: Number(n) });
      }
    });
    const members = await this.redis.zrangebyscore(this.k.MIRROR_DISAGREEMENTS, since, '+inf', 'WITHSCORES');
    const disagreements: MirrorDisagreement[] = [];
    for (let i = 0; i < members.length; i += 2) {
      const { command, detail } = JSON.parse(members[i]!.slice(members[i]!.indexOf('\t') + 1)) as {
        command: string;
        detail: string;
      };
      disagreements.push({ at: Number(members[i + 1]), command, detail });
    }
    return { counts, disagreements };
  }

  async depth(): Promise<OutboxDepth> {
    const [pending, dead] = await Promise.all([this.redis.zcard(this.k.DUE), this.redis.zcard(this.k.DEAD)]);
    return { pending, dead };
  }

  /** Ready when Redis answers and takes a write now (a probe key that expires), within its command timeout. */
  async ready(): Promise<Readiness> {
    if (this.redis.status !== 'ready') return { ready: false, reason: `Redis is not connected (${this.redis.status})` };
    try {
      await this.redis.set(`${this.k.PREFIX}ready`, String(Date.now()), 'PX', 60_000);
      return { ready: true };
    } catch (err) {
      return { ready: false, reason: `Redis does not take writes: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    // QUIT waits for a connection that may never come; without one there is nothing to flush.
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}
