import type { AnyEvent, Phase, Verdict } from '../canonical/types.js';
import type { Config } from '../config/schema.js';
import { Forwarder } from '../downstream/forwarder.js';
import { plan } from '../downstream/plan.js';
import { mirrorTarget, type Target } from '../downstream/target.js';
import type { Logger } from '../log.js';
import { compareDecisions, type Decided, type Difference } from '../migration/compare.js';
import { Dispatcher } from '../outbox/dispatcher.js';
import { openMirrorQueue } from '../outbox/open.js';
import type { MirrorCount, OutboxEntry, OutboxStore } from '../outbox/store.js';
import type { Metrics } from './metrics.js';
import { Pipeline } from './pipeline.js';
import type { Policy } from './policy.js';

/** What became of one mirrored callback. */
export type MirrorResult = 'same' | 'differ' | 'candidate_failed' | 'dropped';

/** How often counts go to the store. */
const FLUSH_MS = 1_000;
/** Candidate failures in a row after which mirroring pauses, and for how long before one probe. */
const TRIP_AFTER = 10;
const PAUSE_MS = 5_000;

/**
 * The mirror (docs/migration.md#mirror-and-diff): every callback the primary backend decides is also
 * sent, in the background, to a candidate backend — which may speak another format — and the two
 * decisions are compared in canonical terms. It never changes an answer and never delays one: the
 * candidate's before-event exchange runs beside the primary's and nobody waits for it; an after-event
 * the primary's outbox accepted goes into the mirror's own durable queue (`openMirrorQueue`), delivered
 * by its own dispatcher with its own attempts, apart from primary delivery. At most `maxPending` candidate exchanges
 * are in flight; beyond that a callback is not mirrored, and counted `dropped`. A candidate that keeps
 * failing (TRIP_AFTER in a row) is left alone for PAUSE_MS, then probed with one callback — every
 * request to a candidate that never answers holds a timer and a connection slot until its timeout, which
 * at a thousand callbacks a second costs the primary's answers real time. Callbacks not mirrored meanwhile
 * are counted `dropped`. Counts go to the outbox's store each second and to `imbridge_mirror_total`; a
 * disagreement is stored whole.
 */
export class Mirror {
  private readonly target: Target;
  private readonly forwarder: Forwarder;
  private readonly candidate: Pipeline;
  private readonly queue: OutboxStore;
  private readonly dispatcher: Dispatcher;
  private readonly settings: Config['mirror'];
  private readonly counts = new Map<string, MirrorCount>();
  private readonly timer: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  /** The candidate's failures in a row; and while it is paused, until when (or that a probe is out). */
  private failures = 0;
  private pausedUntil = 0;
  private probing = false;

  constructor(
    private readonly deps: {
      config: Config;
      logger: Logger;
      store?: OutboxStore;
      metrics?: Metrics;
      now: () => number;
      random?: () => number;
    },
  ) {
    const { config, logger, now } = deps;
    this.settings = config.mirror;
    this.target = mirrorTarget(config)!;
    this.forwarder = new Forwarder({ connections: 16, replyLimitBytes: config.downstream.replyLimitBytes });
    this.candidate = new Pipeline({ config, logger, target: this.target, forwarder: this.forwarder, now });
    this.queue = openMirrorQueue(config, { logger });
    this.dispatcher = new Dispatcher({
      store: this.queue,
      forwarder: this.forwarder,
      target: this.target,
      // The candidate's own budget: `mirror.attempts`, each within `mirror.timeoutMs`.
      config: {
        ...config,
        downstream: { ...config.downstream, timeoutMs: this.settings.timeoutMs },
        outbox: { ...config.outbox, maxAttempts: this.settings.attempts, baseDelayMs: 200 },
      },
      logger,
      now,
      settled: (entry, end) =>
        void this.ended(entry, end).catch((err: unknown) => logger.warn({ err }, 'mirror: comparison failed')),
    });
    this.dispatcher.start();
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Whether a mirror is configured. */
  static configured(config: Config): boolean {
    return mirrorTarget(config) !== undefined;
  }

  /**
   * Mirrors one decoded callback whose primary decision is `primary` (a before-event's verdict; an
   * after-event's acceptance: it resolves once stored, rejects when not accepted). Returns at once.
   */
  observe(event: AnyEvent, phase: Phase, policy: Policy, primary: Promise<Verdict>): void {
    const random = this.deps.random ?? Math.random;
    if (this.settings.sample < 1 && random() >= this.settings.sample) return;
    if (this.inFlight.size >= this.settings.maxPending || !this.admit()) {
      this.count(event, 'dropped');
      return;
    }
    const run = (phase === 'before' ? this.before(event, policy, primary) : this.after(event, primary)).catch(
      (err: unknown) => {
        this.deps.logger.warn({ err, eventId: event.id }, 'mirror: comparison failed');
        this.count(event, 'candidate_failed');
      },
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async before(event: AnyEvent, policy: Policy, primary: Promise<Verdict>): Promise<void> {
    const [mine, theirs] = await Promise.all([
      primary.then(
        (verdict) => verdict,
        () => undefined,
      ),
      this.candidate.candidateDecision(event, policy, this.settings.timeoutMs),
    ]);
    if (!mine) return;
    if (!theirs.ok) {
      this.count(event, 'candidate_failed');
      return;
    }
    await this.judge(event, { verdict: mine }, { verdict: theirs.verdict });
  }

  /**
   * An after-event the primary's outbox accepted goes into the mirror's own queue, delivered to the
   * candidate by its own dispatcher with `mirror.attempts` attempts; each part is compared when it ends.
   */
  private async after(event: AnyEvent, primary: Promise<Verdict>): Promise<void> {
    const accepted = await primary.then(
      () => true,
      () => false,
    );
    // Not accepted: the IM server sends it again, and it is mirrored then.
    if (!accepted) return;
    const planned = plan(event, this.target, this.deps.now()) ?? [];
    // No counterpart: the candidate's gateway would acknowledge it itself.
    if (planned.length === 0) return this.judge(event, { accepted: true }, { accepted: true });
    await this.dispatcher.accept(event, planned);
  }

  /** How one queued part ended at the candidate: compared with the primary's acceptance. */
  private async ended(entry: OutboxEntry, end: 'delivered' | 'rejected' | 'refused' | 'exhausted'): Promise<void> {
    if (end === 'exhausted') {
      this.count(entry.event, 'candidate_failed');
      await this.queue.purge(entry.key);
      return;
    }
    if (end === 'refused') await this.queue.purge(entry.key);
    await this.judge(entry.event, { accepted: true }, { accepted: end === 'delivered' });
  }

  /** Compares the two decisions; counts the result and keeps a disagreement whole. */
  private async judge(event: AnyEvent, primary: Decided, candidate: Decided): Promise<void> {
    const differences = compareDecisions(primary, candidate, this.settings.ignore);
    this.count(event, differences.length === 0 ? 'same' : 'differ');
    if (differences.length === 0 || !this.deps.store) return;
    await this.deps.store.addDisagreement(
      {
        at: this.deps.now(),
        command: event.imcommand,
        detail: JSON.stringify(disagreement(event, primary, candidate, differences)),
      },
      this.settings.keep,
      this.settings.retentionHours * 3_600_000,
    );
  }

  /** Whether to mirror now: always, unless the candidate is paused (then one probe once the pause is over). */
  private admit(): boolean {
    if (this.pausedUntil === 0) return true;
    if (this.probing || this.deps.now() < this.pausedUntil) return false;
    this.probing = true;
    return true;
  }

  private count(event: AnyEvent, result: MirrorResult): void {
    if (result === 'candidate_failed') {
      this.failures++;
      if (this.probing || this.failures >= TRIP_AFTER) {
        if (this.pausedUntil === 0 || this.probing)
          this.deps.logger.warn(
            { failures: this.failures, pauseMs: PAUSE_MS },
            'mirror: candidate keeps failing, pausing',
          );
        this.pausedUntil = this.deps.now() + PAUSE_MS;
      }
      this.probing = false;
    } else if (result !== 'dropped') {
      this.failures = 0;
      this.pausedUntil = 0;
      this.probing = false;
    }
    this.deps.metrics?.mirror.inc({ command: event.imcommand, result });
    const minute = Math.floor(this.deps.now() / 60_000);
    const key = `${minute}\t${event.imcommand}\t${result}`;
    const known = this.counts.get(key);
    if (known) known.n++;
    else this.counts.set(key, { minute, command: event.imcommand, result, n: 1 });
  }

  /** Writes the counts gathered since the last flush. */
  async flush(): Promise<void> {
    if (this.counts.size === 0 || !this.deps.store) return;
    const counts = [...this.counts.values()];
    this.counts.clear();
    try {
      await this.deps.store.addMirrorCounts(counts, this.deps.now(), this.settings.retentionHours * 3_600_000);
    } catch (err) {
      this.deps.logger.warn({ err }, 'mirror: counts could not be stored');
    }
  }

  /** Waits (briefly) for comparisons under way, writes the last counts and closes the candidate's connections. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.race([Promise.all(this.inFlight), new Promise((r) => setTimeout(r, 2_000))]);
    await this.flush();
    await this.dispatcher.stop();
    await this.queue.close();
    await this.forwarder.close();
  }
}

/** A disagreement as stored: the event, both decisions, and how they differ. */
function disagreement(event: AnyEvent, primary: Decided, candidate: Decided, differences: Difference[]) {
  return {
    event: { id: event.id, type: event.type, imvendor: event.imvendor, imcommand: event.imcommand, data: event.data },
    primary,
    candidate,
    differences,
  };
}
