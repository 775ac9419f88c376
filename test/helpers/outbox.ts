import { join } from 'node:path';
import type { AnyEvent } from '../../src/canonical/types.js';
import type { OutboxEntry } from '../../src/outbox/store.js';
import { tempDir } from './tempDir.js';

/** The path of a new SQLite outbox in a directory of its own under the system's temp dir, removed when the run ends. */
export function outboxFile(label: string): string {
  return join(tempDir(label), 'outbox.sqlite');
}

/** An entry as `accept` stores it: first part, never tried, due at once, keyed by the event id. */
export function outboxEntry(event: AnyEvent, fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    key: event.id,
    event,
    part: 0,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: '',
    createdAt: 0,
    dead: false,
    ...fields,
  };
}
