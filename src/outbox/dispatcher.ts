import pMap from 'p-map';
import type { Config } from '../config/schema.js';
import { exchange } from '../gateway/exchange.js';
import type { Forwarder } from '../gateway/forwarder.js';
import type { Metrics } from '../gateway/metrics.js';
import { planPart, type Target } from '../gateway/translate.js';
import type { Logger } from '../log.js';
import type { OutboxEntry, OutboxStore } from './store.js';

/** A running outbox: where after-events are stored, and what delivers them. */
export interface Outbox {
  store: OutboxStore;
  dispatcher: Dispatcher;
}

/** What the dispatcher works with. */
export interface DispatcherDeps {
  store: OutboxStore;
  forwarder: Forwarder;
  target: Target;
  config: Config;
  logger: Logger;
  now?: () => number;
  /** Counters; absent in the CLI. */
  metrics?: Metrics;
  /** Randomness for jitter (default `Math.random`; tests pin it). */
  random?: () => number;
}

/**
 * Exponential backoff with jitter: attempt n waits between half and all of
 * `min(maxDelay, base · 2^(n-1))`, so a fleet of retries spreads out instead of hammering a
 * recovering backend in step.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Delivers what the outbox holds: claims due entries, plans each afresh (fresh signatures), sends
 * it, and forgets it, reschedules it (honouring `Retry-After`) or dead-letters it after
 * `outbox.maxAttempts`. Runs on a timer and whenever `kick()`ed; one pass at a time per process.
 */
export class Dispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly deps: DispatcherDeps) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
  }

  /** Starts polling for due entries (retries, and anything left by a previous process). */
  start(): void {
    this.timer = setInterval(() => this.kick(), this.deps.config.outbox.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs a pass now, or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /**
   * Stops taking new work and waits for attempts under way (at most `boundMs`); what is pending stays
   * in the store, and a lease left behind simply expires.
   */
  async stop(boundMs = 5_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)))]);
    clearTimeout(timer);
  }

  private async pass(): Promise<void> {
    const { store, config, logger } = this.deps;
    const batch = config.downstream.concurrency * 4;
    // A lease longer than one attempt can take, so nobody else picks an entry up while it is in flight.
    const leaseMs = config.downstream.timeoutMs * 2;
    try {
      for (;;) {
        if (this.stopped) return;
        const due = await store.claimDue(this.now(), batch, leaseMs);
        if (due.length === 0) return;
        await pMap(due, (e) => this.attempt(e), { concurrency: config.downstream.concurrency });
        if (due.length < batch) return;
      }
    } catch (err) {
      logger.error({ err }, 'outbox pass failed');
    }
  }

  /**
   * One delivery attempt of one entry, with its consequence stored: forgotten when accepted,
   * rescheduled when it failed, dead-lettered when it failed for the last time. Returns whether the
   * backend accepted it.
   */
  async attempt(entry: OutboxEntry): Promise<boolean> {
    const { store, forwarder, target, config, logger } = this.deps;
    const nowMs = this.now();
    const planned = planPart(entry.event, target, nowMs, entry.part);
    if (!planned) {
      // The downstream changed under a pending entry and has no such part any more.
      logger.warn({ key: entry.key, type: entry.event.type }, 'outbox entry has nothing to send to the current downstream: dropped');
      await store.delivered(entry.key);
      return true;
    }
    const { outcome, retryAfterMs } = await exchange(forwarder, target.format, planned, 'after', AbortSignal.timeout(config.downstream.timeoutMs), nowMs, this.deps.metrics);
    if (outcome.ok) {
      if (outcome.verdict.decision === 'deny') {
        logger.warn({ key: entry.key, type: entry.event.type, code: outcome.verdict.code }, 'backend denied an event that already happened: not honoured');
      }
      await store.delivered(entry.key);
      this.deps.metrics?.deliveries.inc({ result: 'delivered' });
      return true;
    }
    const attempts = entry.attempts + 1;
    const log = { key: entry.key, type: entry.event.type, attempts, reason: outcome.reason };
    if (attempts >= config.outbox.maxAttempts) {
      logger.error(log, 'after-event delivery failed for the last time: dead-lettered');
      await store.deadLetter(entry.key, attempts, outcome.reason);
      this.deps.metrics?.deliveries.inc({ result: 'dead' });
      return false;
    }
    const delay = Math.max(retryAfterMs ?? 0, backoffMs(attempts, config.outbox.baseDelayMs, config.outbox.maxDelayMs, this.random));
    logger.warn({ ...log, retryInMs: delay }, 'after-event delivery failed: will retry');
    await store.retryLater(entry.key, attempts, this.now() + delay, outcome.reason);
    this.deps.metrics?.deliveries.inc({ result: 'retry' });
    return false;
  }
}
