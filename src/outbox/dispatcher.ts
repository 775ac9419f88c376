import type { AnyEvent, Verdict } from '../canonical/types.js';
import type { Config } from '../config/schema.js';
import { SharedDeadlines } from '../downstream/deadline.js';
import { deliver, type DeliveryResult, type ExchangeMetrics } from '../downstream/exchange.js';
import type { Forwarder } from '../downstream/forwarder.js';
import { partKey, planPart, type Planned } from '../downstream/plan.js';
import type { Target } from '../downstream/target.js';
import type { Logger } from '../log.js';
import { OutboxRefusal, type OutboxEntry, type OutboxStore } from './store.js';

/** What the dispatcher counts (the gateway's Prometheus metrics). */
export interface OutboxMetrics extends ExchangeMetrics {
  deliveries: { inc(labels: { result: DeliveryResult }): void };
  ignoredDenials: { inc(labels: { command: string }): void };
}

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
  metrics?: OutboxMetrics;
  /** Randomness for jitter (default `Math.random`; tests pin it). */
  random?: () => number;
  /**
   * Hears how each entry ended, once its end is stored: accepted (`delivered`, or `rejected`: a 2xx
   * that is no clean acknowledgement), refused outright, or out of attempts (the mirror's comparisons).
   */
  settled?: (entry: OutboxEntry, end: 'delivered' | 'rejected' | 'refused' | 'exhausted') => void;
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
 * How many parts per delivery slot (`downstream.concurrency`) may wait in memory for a slot. A part
 * waiting there is already stored, leased to this process; beyond this many it is stored due now and
 * left to a pass, so a backend that cannot keep up costs the store, not the heap.
 */
export const HELD_PER_SLOT = 16;

/**
 * `work`, or a refusal once `ms` have passed. The IM server stops waiting at its own deadline, so an
 * event a slow store takes longer to write than that is answered 503, not OK after the caller has
 * gone. The write may still land: its entry is then delivered once, under the same idempotency key as
 * the IM server's retry of it, which the store does not take twice.
 */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new OutboxRefusal(`the outbox did not store the event within the caller's remaining ${Math.round(ms)} ms`),
        ),
      ms,
    );
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A stored part held in memory until a delivery slot is free, with the request planned at ingress. */
interface Held {
  entry: OutboxEntry;
  planned: Planned;
  /** When its lease runs out and anyone may claim it from the store. */
  leaseUntil: number;
}

/**
 * Delivers what the outbox holds. New entries are sent straight from memory as they are accepted
 * (`accept`); everything else — retries, overflow, what a previous process left — by passes that claim
 * due entries, plan each afresh (fresh signatures) and send it. Either way an attempt ends with the
 * entry forgotten, rescheduled (honouring `Retry-After`) or dead-lettered after `outbox.maxAttempts`.
 * Passes run on a timer and whenever `kick()`ed, one at a time per process.
 */
export class Dispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  /** Deliveries started from memory and not finished yet. */
  private readonly direct = new Set<Promise<void>>();
  /** Stored parts waiting in memory for a slot, oldest first. */
  private readonly waiting: Held[] = [];
  /** Deliveries from memory whose backend has not answered yet (at most `downstream.concurrency`). */
  private sending = 0;
  /** Parts `accept` has taken to send from memory: being stored, waiting, or being sent. */
  private held = 0;
  private readonly now: () => number;
  private readonly random: () => number;
  private lastPassFailure = { message: '', at: Number.NEGATIVE_INFINITY };
  /** Commands whose unexpected after-event replies were logged already. */
  private readonly reportedRejections = new Set<string>();
  /** Bounds each attempt to `downstream.timeoutMs`. */
  private readonly timeouts: SharedDeadlines;

  constructor(private readonly deps: DispatcherDeps) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.timeouts = new SharedDeadlines(deps.config.downstream.timeoutMs);
  }

  /** A lease longer than one attempt can take, so nobody else picks an entry up while it is in flight. */
  get leaseMs(): number {
    return this.deps.config.downstream.timeoutMs * 2;
  }

  /**
   * Takes an event's planned parts into the outbox, and resolves once they are durably stored (rejects
   * when they are not). Unless `HELD_PER_SLOT` parts per slot are already held, the parts are stored
   * leased to this process and sent from memory with the requests already planned, at most
   * `downstream.concurrency` at once and in the order they came: no store round trip to find them
   * again, and no poller or replica picks them up meanwhile — if this process dies, the lease runs out
   * and they are delivered from the store. Otherwise they are stored due now for the next pass.
   * `withinMs` is how long the caller still waits (default: for ever): a store slower than that is a
   * refusal (see `within`).
   */
  async accept(event: AnyEvent, planned: Planned[], withinMs = Number.POSITIVE_INFINITY): Promise<void> {
    // Not even started: an event refused is never delivered.
    if (withinMs <= 0) throw new OutboxRefusal('no time was left to store the event before the caller stops waiting');
    const now = this.now();
    const hold = !this.stopped && this.held + planned.length <= this.deps.config.downstream.concurrency * HELD_PER_SLOT;
    if (hold) this.held += planned.length;
    const leaseUntil = now + this.leaseMs;
    const entries: OutboxEntry[] = planned.map((_, part) => ({
      key: partKey(event.id, part, planned.length),
      event,
      part,
      attempts: 0,
      nextAttemptAt: hold ? leaseUntil : now,
      lastError: '',
      createdAt: now,
      dead: false,
    }));
    let stored: Set<string>;
    try {
      stored = new Set(await within(this.deps.store.add(entries), withinMs));
    } catch (err) {
      if (hold) this.held -= planned.length;
      throw err;
    }
    if (!hold) return this.kick();
    entries.forEach((entry, i) => {
      // A key stored before (the IM server sent this delivery again) is delivered by whoever holds it.
      if (stored.has(entry.key)) this.waiting.push({ entry, planned: planned[i]!, leaseUntil });
      else this.held--;
    });
    this.pump();
  }

  /** Starts deliveries from memory while slots are free. */
  private pump(): void {
    const { concurrency, timeoutMs } = this.deps.config.downstream;
    while (!this.stopped && this.sending < concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      // An attempt must end inside the lease, or a pass could send the entry as well: one that waited
      // too long is left in the store, to be claimed once its lease runs out.
      if (this.now() + timeoutMs > next.leaseUntil) {
        this.held--;
        continue;
      }
      this.send(next);
    }
  }

  private send({ entry, planned }: Held): void {
    this.sending++;
    // The slot is free once the backend has answered; storing the consequence can finish behind it.
    let answered = false;
    const release = () => {
      if (answered) return;
      answered = true;
      this.sending--;
      this.held--;
      this.pump();
    };
    // Sent on the next turn of the event loop: the IM server's answer goes out first.
    const delivery = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.attempt(entry, planned, release))
      .then(() => undefined)
      .catch((err: unknown) =>
        this.deps.logger.error(
          { err, key: entry.key },
          'outbox delivery failed: the entry is retried when its lease ends',
        ),
      )
      .finally(() => {
        release();
        this.direct.delete(delivery);
      });
    this.direct.add(delivery);
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
    // Parts still waiting in memory stay stored and leased: delivered from the store once the lease ends.
    this.held -= this.waiting.length;
    this.waiting.length = 0;
    let timer: NodeJS.Timeout | undefined;
    const underWay = Promise.all([this.running, ...this.direct]);
    await Promise.race([underWay, new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)))]);
    clearTimeout(timer);
  }

  /**
   * Claims and attempts due entries with at most `downstream.concurrency` attempts under way, claiming
   * only as many as there are free slots: every entry claimed is attempted at once, so each attempt ends
   * (within `downstream.timeoutMs`) well inside its lease (twice that). Claiming more than can be
   * attempted at once would leave the later ones waiting past their lease, for another process to
   * claim and send at the same moment. Slots are refilled as attempts finish, a quarter of them at a
   * time, so a slow attempt holds one slot, not a round.
   */
  private pass(): Promise<void> {
    const { store, config } = this.deps;
    const slots = config.downstream.concurrency;
    const refillAt = Math.max(1, Math.floor(slots / 4));
    let running = 0;
    let claiming = false;
    let exhausted = false;
    return new Promise<void>((done) => {
      const fill = async (): Promise<void> => {
        const free = slots - running;
        if (this.stopped || exhausted) {
          if (running === 0 && !claiming) done();
          return;
        }
        if (claiming || (running > 0 && free < refillAt)) return;
        claiming = true;
        let due: OutboxEntry[];
        try {
          due = await store.claimDue(this.now(), free, this.leaseMs);
        } catch (err) {
          this.reportPassFailure(err);
          due = [];
        }
        claiming = false;
        if (due.length < free) exhausted = true;
        running += due.length;
        for (const entry of due) {
          void this.attempt(entry)
            .catch((err: unknown) =>
              this.deps.logger.error(
                { err, key: entry.key },
                'outbox delivery failed: the entry is retried when its lease ends',
              ),
            )
            .finally(() => {
              running--;
              void fill();
            });
        }
        if (running === 0) done();
        else if (!exhausted) void fill();
      };
      void fill();
    });
  }

  /** A pass that failed (the store refused a claim): logged, at most once every 10 s while it keeps failing the same way. */
  private reportPassFailure(err: unknown): void {
    const message = (err as Error)?.message ?? String(err);
    const now = Date.now();
    if (message === this.lastPassFailure.message && now - this.lastPassFailure.at < 10_000) return;
    this.lastPassFailure = { message, at: now };
    this.deps.logger.error({ err }, 'outbox pass failed');
  }

  /**
   * One delivery attempt of one entry, with its consequence stored: forgotten when accepted,
   * rescheduled when it failed, dead-lettered when it failed for the last time. Returns whether the
   * backend accepted it. The request is planned now unless it was planned a moment ago (`accept`);
   * `answered` hears when the exchange is over, before its consequence is stored.
   */
  async attempt(entry: OutboxEntry, fresh?: Planned, answered?: () => void): Promise<boolean> {
    const { store, forwarder, target, config, logger } = this.deps;
    const nowMs = this.now();
    const planned = fresh ?? planPart(entry.event, target, nowMs, entry.part);
    if (!planned) {
      answered?.();
      // The downstream changed under a pending entry and has no such part any more.
      logger.warn(
        { key: entry.key, type: entry.event.type },
        'outbox entry has nothing to send to the current downstream: dropped',
      );
      await store.delivered(entry.key);
      return true;
    }
    const delivery = await deliver(forwarder, target.format, planned, this.timeouts.signal(), nowMs, this.deps.metrics);
    answered?.();
    if (delivery.result === 'delivered' || delivery.result === 'rejected') {
      if (delivery.denied) this.deniedAfterTheFact(entry, planned.command, delivery.denied);
      if (delivery.result === 'rejected') this.rejected(entry, planned.command, delivery.reason);
      await store.delivered(entry.key);
      this.deps.metrics?.deliveries.inc({ result: delivery.result });
      this.deps.settled?.(entry, delivery.result);
      return true;
    }
    const attempts = entry.attempts + 1;
    const log = { key: entry.key, type: entry.event.type, attempts, reason: delivery.reason };
    if (delivery.result === 'dead' || attempts >= config.outbox.maxAttempts) {
      logger.error(
        log,
        delivery.result === 'dead'
          ? 'backend refused the after-event outright: dead-lettered'
          : 'after-event delivery failed for the last time: dead-lettered',
      );
      await store.deadLetter(entry.key, attempts, delivery.reason);
      this.deps.metrics?.deliveries.inc({ result: 'dead' });
      this.deps.settled?.(entry, delivery.result === 'dead' ? 'refused' : 'exhausted');
      return false;
    }
    // A Retry-After is honoured up to outbox.maxDelayMs: one "86400" (or a date in 9999) must not park an
    // event where neither retries nor dead-lettering reach it.
    const backoff = backoffMs(attempts, config.outbox.baseDelayMs, config.outbox.maxDelayMs, this.random);
    const delay = Math.min(config.outbox.maxDelayMs, Math.max(delivery.retryAfterMs ?? 0, backoff));
    logger.warn({ ...log, retryInMs: delay }, 'after-event delivery failed: will retry');
    await store.retryLater(entry.key, attempts, this.now() + delay, delivery.reason);
    this.deps.metrics?.deliveries.inc({ result: 'retry' });
    return false;
  }

  /**
   * A 2xx that is not a clean acknowledgement: delivered all the same, since neither IM server reads
   * the reply to an after-callback (a backend may answer `""` or a "not handled" FAIL), but counted
   * (`rejected`) and logged once per command, so an operator can see a backend that does not expect it.
   */
  private rejected(entry: OutboxEntry, command: string, reason: string): void {
    if (this.reportedRejections.has(command)) return;
    this.reportedRejections.add(command);
    this.deps.logger.warn(
      { key: entry.key, type: entry.event.type, command, reason },
      'backend acknowledged an after-event with an unexpected reply: delivered, not retried (logged once per command)',
    );
  }

  /** A deny of an event that already happened (a before-callback sent as a notification): logged and counted. */
  private deniedAfterTheFact(entry: OutboxEntry, command: string, verdict: Verdict): void {
    this.deps.metrics?.ignoredDenials.inc({ command });
    this.deps.logger.warn(
      { key: entry.key, type: entry.event.type, command, code: verdict.code, message: verdict.message },
      'backend denied an event that already happened: not honoured',
    );
  }
}
