import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { AnyEvent } from '../canonical/types.js';
import { eventTexts, type OutboxDepth, type OutboxEntry, type OutboxStore } from './store.js';

/**
 * Keys share one hash tag, so the whole outbox lives in one Redis Cluster slot and every script is
 * atomic over it. `due` is a sorted set of pending keys by next attempt (a claimed key is pushed to its
 * lease end), `dead` one of dead letters by creation, and each entry is a hash `e:<key>`.
 */
const PREFIX = '{imbridge:outbox}:';
const DUE = `${PREFIX}due`;
const DEAD = `${PREFIX}dead`;

const SCRIPTS = {
  // KEYS: due. ARGV: prefix, then per entry: key, event, part, nextAt, createdAt. Returns the keys stored.
  outboxAdd: `
    local stored = {}
    for i = 2, #ARGV, 5 do
      local e = ARGV[1] .. 'e:' .. ARGV[i]
      if redis.call('EXISTS', e) == 0 then
        redis.call('HSET', e, 'event', ARGV[i+1], 'part', ARGV[i+2], 'attempts', 0, 'lastError', '', 'createdAt', ARGV[i+4], 'dead', 0)
        redis.call('ZADD', KEYS[1], ARGV[i+3], ARGV[i])
        table.insert(stored, ARGV[i])
      end
    end
    return stored`,
  // KEYS: due. ARGV: prefix, now, limit, leaseUntil. Returns [key, fields…] per claimed entry.
  outboxClaim: `
    local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
    local out = {}
    for _, k in ipairs(keys) do
      redis.call('ZADD', KEYS[1], ARGV[4], k)
      table.insert(out, k)
      table.insert(out, redis.call('HGETALL', ARGV[1] .. 'e:' .. k))
    end
    return out`,
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
  // KEYS: due, dead. ARGV: prefix, key or '*all*', now, 'revive' | 'purge'. Returns how many.
  outboxDeadOp: `
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
        redis.call('DEL', e)
      end
    end
    return #keys`,
} as const;

type Scripted = Redis & { [K in keyof typeof SCRIPTS]: (...args: (string | number)[]) => Promise<unknown> };

function toEntry(key: string, fields: string[], nextAttemptAt: number): OutboxEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return {
    key,
    event: JSON.parse(f['event']!) as AnyEvent,
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
  private readonly redis: Scripted;

  /**
   * `onError` hears about connection trouble (at most every 10 s): operations fail meanwhile and say so
   * themselves — the dispatcher retries, `/readyz` answers 503 — so this is only for the log.
   */
  constructor(url: string, onError: (err: Error) => void = () => undefined) {
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
    for (const [name, lua] of Object.entries(SCRIPTS)) this.redis.defineCommand(name, { numberOfKeys: name === 'outboxDead' || name === 'outboxDeadOp' ? 2 : 1, lua });
  }

  async add(entries: OutboxEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const json = eventTexts(entries);
    const args = entries.flatMap((e) => [e.key, json.get(e.event)!, e.part, e.nextAttemptAt, e.createdAt]);
    return (await this.redis.outboxAdd(DUE, PREFIX, ...args)) as string[];
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const out = (await this.redis.outboxClaim(DUE, PREFIX, now, limit, now + leaseMs)) as (string | string[])[];
    const entries: OutboxEntry[] = [];
    for (let i = 0; i < out.length; i += 2) entries.push(toEntry(out[i] as string, out[i + 1] as string[], now + leaseMs));
    return entries;
  }

  async delivered(key: string): Promise<void> {
    await this.redis.multi().zrem(DUE, key).del(`${PREFIX}e:${key}`).exec();
  }

  async retryLater(key: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.redis.outboxRetry(DUE, PREFIX, key, attempts, nextAttemptAt, error);
  }

  async deadLetter(key: string, attempts: number, error: string): Promise<void> {
    await this.redis.outboxDead(DUE, DEAD, PREFIX, key, attempts, error);
  }

  async listDead(limit: number): Promise<OutboxEntry[]> {
    const keys = await this.redis.zrange(DEAD, 0, String(Math.min(limit, 1e9) - 1));
    const rows = await Promise.all(keys.map((k) => this.redis.hgetall(`${PREFIX}e:${k}`)));
    return keys.map((k, i) => toEntry(k, Object.entries(rows[i]!).flat(), 0));
  }

  async revive(key: string | 'all', now: number): Promise<number> {
    return Number(await this.redis.outboxDeadOp(DUE, DEAD, PREFIX, key === 'all' ? '*all*' : key, now, 'revive'));
  }

  async purge(key: string | 'all'): Promise<number> {
    return Number(await this.redis.outboxDeadOp(DUE, DEAD, PREFIX, key === 'all' ? '*all*' : key, 0, 'purge'));
  }

  async depth(): Promise<OutboxDepth> {
    const [pending, dead] = await Promise.all([this.redis.zcard(DUE), this.redis.zcard(DEAD)]);
    return { pending, dead };
  }

  async close(): Promise<void> {
    // QUIT waits for a connection that may never come; without one there is nothing to flush.
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}
