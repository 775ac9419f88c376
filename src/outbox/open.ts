import type { Config } from '../config/schema.js';
import { SqliteStore } from './sqliteStore.js';
import type { OutboxStore } from './store.js';

/** Opens the store `outbox.url` names (`sqlite:<file>`). */
export function openOutbox(config: Config): OutboxStore {
  const { url, sync } = config.outbox;
  return new SqliteStore(url.slice('sqlite:'.length), sync);
}
