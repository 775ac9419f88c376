import type { AnyEvent } from '../canonical/types.js';

/** How a store writes a batch of entries: the events stored once for several parts, and each entry's own row. */
export interface StoredEvents {
  /** `[event id, event text]` of each event that several entries of the batch carry (the parts of a fan-out). */
  shared: [string, string][];
  /** Per entry, in order: its event's text, or '' with `eventId` when the event is one of `shared`. */
  rows: { text: string; eventId?: string }[];
}

/**
 * Each distinct event of `entries` serialised once, and stored once when several entries carry it.
 * Stored with each part, a Tencent batch of N pairs would write N copies of an N-pair event — N²
 * bytes (1.2 GB for 5 000 pairs) — and every delivery would parse one of them again.
 */
export function storedEvents(entries: readonly OutboxEntry[]): StoredEvents {
  const counts = new Map<AnyEvent, number>();
  for (const e of entries) counts.set(e.event, (counts.get(e.event) ?? 0) + 1);
  const texts = new Map<AnyEvent, string>();
  for (const event of counts.keys()) texts.set(event, JSON.stringify(event));
  const shared = [...counts].filter(([, n]) => n > 1).map(([event]): [string, string] => [event.id, texts.get(event)!]);
  const rows = entries.map((e) =>
    counts.get(e.event)! > 1 ? { text: '', eventId: e.event.id } : { text: texts.get(e.event)! },
  );
  return { shared, rows };
}

/**
 * One part of an after-event waiting to be delivered: the event and which of its planned calls this
 * is. The request is planned again at every attempt, so signatures and timestamps are fresh and a
 * changed downstream URL applies to what is still pending.
 */
export interface OutboxEntry {
  /** Idempotency key: stable for this part of this upstream delivery (`<eventId>` or `<eventId>.<part>`). */
  key: string;
  event: AnyEvent;
  /** Index into the event's planned calls. */
  part: number;
  attempts: number;
  /** Unix ms of the next attempt. */
  nextAttemptAt: number;
  lastError: string;
  createdAt: number;
  dead: boolean;
}

/** What a store counts, for health and metrics. */
export interface OutboxDepth {
  pending: number;
  dead: number;
}

/** Mirror comparisons of one command in one minute with one result (docs/migration.md#mirror-and-diff). */
export interface MirrorCount {
  /** Unix minute (ms / 60 000, floored). */
  minute: number;
  command: string;
  result: string;
  n: number;
}

/** One disagreement between the primary and the candidate backend, kept whole. */
export interface MirrorDisagreement {
  at: number;
  command: string;
  /** JSON: the event, both decisions, the canonical differences. */
  detail: string;
}

/** What the mirror has stored since a time: counts per minute, and the disagreements kept, oldest first. */
export interface MirrorHistory {
  counts: MirrorCount[];
  disagreements: MirrorDisagreement[];
}

/** Whether a store can take new entries now, and why not. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/** A store refusing new entries for a reason it knows (a full disk, a removed file): the caller answers 503. */
export class OutboxRefusal extends Error {
  override readonly name = 'OutboxRefusal';
}

/**
 * Durable storage for after-event deliveries. `add` resolves only once the entries survive a crash of
 * the process; `claimDue` leases entries so that two dispatchers (or replicas) never attempt the same
 * one at once.
 */
export interface OutboxStore {
  /**
   * Stores new entries; an entry whose key is already stored is left as it is. Resolves with the keys
   * this call stored, so a caller never delivers a copy of an entry somebody else already holds.
   */
  add(entries: OutboxEntry[]): Promise<string[]>;
  /** Entries due at `now`, leased until `now + leaseMs` (at most `limit`). */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /**
   * Pending entries (one key, or all, at most `limit`) that wait for an attempt later than any lease
   * taken now could end — parked by backoff or a `Retry-After`, so nobody is attempting them — leased
   * until `now + leaseMs` to the caller, which attempts them at once (`imbridge outbox retry`).
   */
  claimWaiting(key: string | 'all', now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** The backend accepted it: forget it. */
  delivered(key: string): Promise<void>;
  /** It failed: try again at `nextAttemptAt`. */
  retryLater(key: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  /** It failed for the last time: keep it as a dead letter. */
  deadLetter(key: string, attempts: number, error: string): Promise<void>;
  /** Dead letters, oldest first. */
  listDead(limit: number): Promise<OutboxEntry[]>;
  /**
   * Makes dead letters (one key, or all) pending again, due at `dueAt` (now, or the end of a lease when
   * the caller attempts them itself); returns how many.
   */
  revive(key: string | 'all', dueAt: number): Promise<number>;
  /** Deletes dead letters (one key, or all); returns how many. */
  purge(key: string | 'all'): Promise<number>;
  depth(): Promise<OutboxDepth>;
  /**
   * Remembers a short-lived value under `key` until `expiresAt` (a message patch between OpenIM's
   * before-send and modify callbacks, docs/mappings.md#message-modification), replacing one already
   * there. Resolves false, storing nothing, when `max` live values are already held.
   */
  remember(key: string, value: string, expiresAt: number, max: number): Promise<boolean>;
  /** Takes the value remembered under `key`, unless it expired by `now`: it answers one asker, on any replica. */
  recall(key: string, now: number): Promise<string | undefined>;
  /** Forgets values that expired by `now`; resolves with how many of them were never asked for. */
  forgetExpired(now: number): Promise<number>;
  /** Adds mirror comparison counts; counts older than `maxAgeMs` before `now` are dropped. */
  addMirrorCounts(counts: MirrorCount[], now: number, maxAgeMs: number): Promise<void>;
  /** Keeps a disagreement: the newest `keep`, none older than `maxAgeMs`. */
  addDisagreement(d: MirrorDisagreement, keep: number, maxAgeMs: number): Promise<void>;
  /** Mirror counts and disagreements since `since` (ms). */
  mirrorHistory(since: number): Promise<MirrorHistory>;
  /** Whether a new entry would be stored now (the basis of `/readyz`). */
  ready(): Promise<Readiness>;
  close(): Promise<void>;
}
