import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { RedisStore } from './redisStore.js';
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
