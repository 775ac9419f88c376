import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { MIRROR_PREFIX, RedisStore } from './redisStore.js';
import { SqliteStore } from './sqliteStore.js';
import type { OutboxStore } from './store.js';

/** How the caller will use the store. */
export interface OpenOptions {
  /** Hears about connection and checkpoint trouble. */
  logger?: Logger;
  /**
   * A long-running gateway: SQLite is checkpointed from a worker thread instead of inside commits.
   * Short commands leave checkpoints to SQLite.
   */
  gateway?: boolean;
}

/** Opens the store `outbox.url` names: `sqlite:<file>` (embedded) or `redis://…` (shared by replicas). */
export function openOutbox(config: Config, { logger, gateway = false }: OpenOptions = {}): OutboxStore {
  const { url, sync, minFreeBytes } = config.outbox;
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    return new RedisStore(url, (err) => logger?.warn({ reason: err.message }, 'outbox: Redis connection trouble'));
  }
  const checkpointer = gateway
    ? (reason: string) => logger?.warn({ reason }, 'outbox: SQLite checkpoint failed')
    : undefined;
  return new SqliteStore(url.slice('sqlite:'.length), { sync, checkpointer, minFreeBytes });
}

/**
 * The mirror's own delivery queue for after-events (docs/migration.md#mirror-and-diff), beside the
 * outbox and never mixed with it: `<file>.mirror` next to a SQLite outbox, or the same Redis under
 * another key prefix.
 */
export function openMirrorQueue(config: Config, { logger }: OpenOptions = {}): OutboxStore {
  const { url, minFreeBytes } = config.outbox;
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    return new RedisStore(
      url,
      (err) => logger?.warn({ reason: err.message }, 'mirror queue: Redis connection trouble'),
      MIRROR_PREFIX,
    );
  }
  return new SqliteStore(`${url.slice('sqlite:'.length)}.mirror`, { sync: 'normal', minFreeBytes });
}
