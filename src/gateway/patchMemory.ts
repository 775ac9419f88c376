import type { Patch } from '../canonical/types.js';
import type { Logger } from '../log.js';
import type { OutboxStore } from '../outbox/store.js';

/** How long a patch waits for OpenIM's modify callback, which follows its before-send at once. */
export const PATCH_TTL_MS = 60_000;
/** At most this many patches wait at a time; beyond it a patch is not remembered (logged, counted). */
export const MAX_PATCHES = 100_000;
/** Expired patches are looked for at most this often, on the next remember or recall. */
const SWEEP_EVERY_MS = 10_000;

/** What PatchMemory counts. */
export interface PatchMetrics {
  lostPatches: { inc(labels: { reason: string }, value?: number): void };
}

/**
 * The short-lived memory of message patches between OpenIM's before-send callback, which can only
 * allow or deny, and its modify callback, which is where a changed message goes back
 * (docs/mappings.md#message-modification). Kept in the outbox's store, so replicas sharing one Redis
 * share it. A patch that cannot reach the sender — not stored, or never asked for before it expired —
 * is logged and counted, never dropped in silence.
 */
export class PatchMemory {
  private lastSweep = 0;

  constructor(
    private readonly store: OutboxStore,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly metrics?: PatchMetrics,
  ) {}

  /** Remembers the patch for the message `serverMsgID`. */
  async remember(serverMsgID: string, patch: Patch): Promise<void> {
    this.sweepNow();
    let stored = false;
    try {
      stored = await this.store.remember(serverMsgID, JSON.stringify(patch), this.now() + PATCH_TTL_MS, MAX_PATCHES);
    } catch (err) {
      this.logger.error({ err, serverMsgID }, 'message patch not remembered: the store failed');
    }
    if (!stored) {
      this.lost('not_remembered', 1);
      this.logger.warn({ serverMsgID }, 'message patch not remembered: the sender gets the message unchanged');
    }
  }

  /** The patch remembered for `serverMsgID`, if any (a store failure reads as none, and is logged). */
  async recall(serverMsgID: string): Promise<Patch | undefined> {
    this.sweepNow();
    try {
      const text = await this.store.recall(serverMsgID, this.now());
      return text === undefined ? undefined : (JSON.parse(text) as Patch);
    } catch (err) {
      this.logger.error({ err, serverMsgID }, 'remembered message patch could not be read');
      return undefined;
    }
  }

  /** Counts what a backend changed that cannot reach the sender, by why. */
  lost(reason: 'not_remembered' | 'never_asked' | 'fields_ignored', count: number): void {
    this.metrics?.lostPatches.inc({ reason }, count);
  }

  private sweepNow(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.store.forgetExpired(now).then(
      (unasked) => {
        if (unasked === 0) return;
        this.lost('never_asked', unasked);
        this.logger.warn(
          { count: unasked },
          'message patches expired unasked: OpenIM sent no modify callback (beforeMsgModify off, or a non-text message before v3.8.4)',
        );
      },
      (err: unknown) => this.logger.error({ err }, 'expired message patches could not be cleaned'),
    );
  }
}
