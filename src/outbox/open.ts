import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { RedisStore } from './redisStore.js';
import { SqliteStore } from './sqliteStore.js';
import type { OutboxStore } from './store.js';

/**
 * Opens the store `outbox.url` names: `sqlite:<file>` (embedded) or `redis://…` (shared by replicas).
 * With a logger it is the gateway's store, which runs for long and checkpoints SQLite in the background.
 */
export function openOutbox(config: Config, logger?: Logger): OutboxStore {
  const { url, sync } = config.outbox;
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    return new RedisStore(url, (err) => logger?.warn({ reason: err.message }, 'outbox: Redis connection trouble'));
  }
  const checkpointer = logger && ((reason: string) => logger.warn({ reason }, 'outbox: SQLite checkpoint failed'));
  return new SqliteStore(url.slice('sqlite:'.length), { sync, checkpointer });
}
