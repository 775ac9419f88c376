import pMap from 'p-map';
import { mappingOf } from '../../mappings/index.js';
import type { AnyEvent, Outcome, Phase, Vendor, Verdict } from '../canonical/types.js';
import { allow, deny, ok } from '../canonical/verdict.js';
import type { Config } from '../config/schema.js';
import { ImbridgeError } from '../errors.js';
import type { Logger } from '../log.js';
import { aggregate, decidesForSome } from './aggregate.js';
import { SharedDeadlines } from '../downstream/deadline.js';
import type { Outbox } from '../outbox/dispatcher.js';
import { exchange, NO_ANSWER } from '../downstream/exchange.js';
import type { Forwarder } from '../downstream/forwarder.js';
import type { Metrics } from './metrics.js';
import type { Trace } from './observe.js';
import { PatchMemory } from './patchMemory.js';
import type { Policy } from './policy.js';
import { plan, type Planned } from '../downstream/plan.js';
import { type Target } from '../downstream/target.js';

/** Whether a verdict lets the whole event through (no deny, no drop, for any target). */
function allows(verdict: Verdict): boolean {
  return verdict.decision === 'allow' && verdict.items.every((i) => i.decision === 'allow');
}

/** A before-event with less time than this left is settled by the failure rule without asking the backend. */
const MIN_EXCHANGE_MS = 1;
/**
 * How much earlier than its remaining time a before-event's budget may run out: the callbacks that
 * arrive within this many ms of each other share one timeout (src/downstream/deadline.ts says why).
 */
const BUDGET_SLACK_MS = 10;

/** How many distinct unknown body keys are logged (each once) before imbridge only counts them. */
const MAX_REPORTED_KEYS = 1_000;

/** What the pipeline needs from the outside world. */
export interface PipelineDeps {
  config: Config;
  logger: Logger;
  /** The backend; absent in shadow mode. */
  target?: Target;
  /** Absent in shadow mode. */
  forwarder?: Forwarder;
  /** Where after-events wait for delivery; absent in shadow mode. */
  outbox?: Outbox;
  /** Counters; absent in tools that need none. */
  metrics?: Metrics;
  /** Injected clock (default `Date.now`). */
  now?: () => number;
}

/** A silent drop exists only for a message about to be sent; for anything else it reads as a deny. */
function dropOnlyForMessages(event: AnyEvent, verdict: Verdict): Verdict {
  return verdict.decision === 'drop' && event.type !== 'im.message.send.before'
    ? { ...verdict, decision: 'deny' }
    : verdict;
}

/** The vendor-free middle of imbridge: route, policy, fan-out, forward, aggregate. */
export class Pipeline {
  private readonly target: Target | undefined;
  private readonly reportedUnmapped = new Set<string>();
  private readonly reportedKeys = new Set<string>();
  private readonly now: () => number;
  /** Message patches waiting for OpenIM's modify callback; absent in shadow mode. */
  private readonly patches: PatchMemory | undefined;
  /** Before-event budgets (the timeout given is each call's own). */
  private readonly budgets = new SharedDeadlines(1_000, BUDGET_SLACK_MS);

  constructor(private readonly deps: PipelineDeps) {
    this.target = deps.target;
    this.now = deps.now ?? Date.now;
    if (deps.outbox) this.patches = new PatchMemory(deps.outbox.store, deps.logger, this.now, deps.metrics);
  }

  /** Whether no backend is configured and imbridge answers everything itself. */
  get shadow(): boolean {
    return this.target === undefined;
  }

  /**
   * Delivers one canonical event and returns the decision to give the IM server. A before-event is
   * answered within `policy.deadlineMs` whatever the backend does; a failed exchange gets the policy's
   * failure rule. An after-event is stored for delivery and answered allow (IM servers ignore it).
   */
  async deliver(event: AnyEvent, phase: Phase, policy: Policy, trace?: Trace): Promise<Verdict> {
    const log = this.deps.logger;
    if (trace) trace.type = event.type;
    if (!this.target || !this.deps.forwarder) {
      log.info({ event }, 'shadow mode: translated, answering allow');
      return allow();
    }
    const answered = await this.remembered(event);
    if (answered) return answered;
    const planned = plan(event, this.target, this.now());
    if (!planned)
      return this.unmapped(
        event.imvendor,
        event.imcommand,
        `${event.type} has no ${this.target.format} counterpart`,
        trace,
      );
    if (planned.length === 0) {
      return this.unmapped(
        event.imvendor,
        event.imcommand,
        `nothing for the backend: ${event.type} makes no call it handles (downstream.commands, or nothing its format can carry)`,
        trace,
      );
    }
    const mapping = mappingOf(event.type);
    // The caller's wait started when its request arrived, not when imbridge got to it: under load the
    // time a callback queued for the event loop is spent too.
    const remainingMs = policy.deadlineMs - (performance.now() - (trace?.startedAt ?? performance.now()));
    // A before-event the backend only knows after the fact is allowed and told like an after-event.
    if (phase === 'after' || mapping.notifyOnly?.[this.target.format]) {
      await this.notify(event, planned, remainingMs);
      return allow();
    }
    if (remainingMs < MIN_EXCHANGE_MS) {
      // No backend answers in no time: the rule now, rather than an answer after the caller has gone.
      this.deps.metrics?.deadlineMisses.inc({ vendor: event.imvendor, command: event.imcommand });
      return this.failureRule(event, 'the deadline had passed before the backend could be asked (overload)', policy);
    }
    const outcome = await this.decide(event, planned, remainingMs, policy, trace);
    if (!outcome.ok) return this.failureRule(event, outcome.reason, policy);
    return this.finish(event, outcome.verdict);
  }

  /**
   * What the backend decides on a before-event within `remainingMs`: its calls asked, folded per target
   * and settled for the caller's command — or why it could not decide (the failure rule's business).
   */
  private async decide(
    event: AnyEvent,
    planned: Planned[],
    remainingMs: number,
    policy: Policy,
    trace?: Trace,
  ): Promise<Outcome> {
    const mapping = mappingOf(event.type);
    const eventTargets = mapping.targets?.(event.data as never) ?? [];
    const budget = this.budgets.signal(remainingMs);
    const asked = planned.filter((p) => !p.afterAllow);
    const followUps = planned.filter((p) => p.afterAllow);
    const settled = await this.ask(event, asked, eventTargets, budget, policy, trace);
    let outcome = aggregate(asked, settled, eventTargets);
    // A follow-up call (OpenIM's modify after its before-send) is made only once the event is allowed,
    // in the same deadline; its failure is settled by the failure rule on its own.
    if (followUps.length > 0 && outcome.ok && allows(outcome.verdict)) {
      const more = (await this.ask(event, followUps, eventTargets, budget, policy, trace)).map((o) =>
        o.ok ? o : ok(this.failureRule(event, o.reason, policy)),
      );
      outcome = aggregate([...asked, ...followUps], [...settled, ...more], eventTargets);
    }
    if (!outcome.ok || !mapping.settle) return outcome;
    return ok(mapping.settle(event.data as never, outcome.verdict, event.imcommand));
  }

  /**
   * What this pipeline's backend would decide on a before-event, without answering anyone: the verdict
   * it gives the caller (a command it has no counterpart for is allowed, as the gateway would answer it),
   * or why it could not decide. Nothing is remembered, logged as the caller's or put in an outbox: the
   * mirror uses it to ask a candidate backend (docs/migration.md#mirror-and-diff).
   */
  async candidateDecision(event: AnyEvent, policy: Policy, withinMs: number): Promise<Outcome> {
    if (!this.target) return ok(allow());
    const planned = plan(event, this.target, this.now());
    if (!planned || planned.length === 0 || mappingOf(event.type).notifyOnly?.[this.target.format]) return ok(allow());
    const outcome = await this.decide(event, planned, withinMs, policy);
    return outcome.ok ? ok(dropOnlyForMessages(event, outcome.verdict)) : outcome;
  }

  /**
   * Asks the backend `planned` calls at once (at most `downstream.concurrency` at a time); a failed call
   * of a per-target fan-out is settled at once by the failure rule for its own targets.
   */
  private async ask(
    event: AnyEvent,
    planned: Planned[],
    eventTargets: string[],
    signal: AbortSignal,
    policy: Policy,
    trace?: Trace,
  ): Promise<Outcome[]> {
    const outcomes = await pMap(
      planned,
      async (p) => {
        const ex = await exchange(this.deps.forwarder!, this.target!.format, p, signal, this.deps.metrics);
        trace?.downstream.push({
          command: p.command,
          status: ex.status,
          ms: Math.round(ex.ms * 10) / 10,
          ok: ex.outcome.ok,
        });
        if (!ex.outcome.ok && ex.outcome.reason === NO_ANSWER)
          this.deps.metrics?.deadlineMisses.inc({ vendor: event.imvendor, command: event.imcommand });
        return ex.outcome;
      },
      { concurrency: this.deps.config.downstream.concurrency },
    );
    return outcomes.map((o, i) =>
      o.ok || !decidesForSome(planned[i]!.targets, eventTargets) ? o : ok(this.failureRule(event, o.reason, policy)),
    );
  }

  /**
   * The last word on a before-event's verdict: a silent drop exists only for a message about to be
   * sent, and reads as a deny elsewhere; reply fields the caller cannot take are logged and counted;
   * and a message change an OpenIM sender can only take in its modify callback is remembered for it.
   */
  private async finish(event: AnyEvent, verdict: Verdict): Promise<Verdict> {
    const v = dropOnlyForMessages(event, verdict);
    if (v.ignored) {
      this.patches?.lost('fields_ignored', 1);
      this.deps.logger.warn(
        { eventId: event.id, type: event.type, fields: v.ignored },
        'backend reply set fields the caller has no place for: applied without them',
      );
    }
    if (
      event.type === 'im.message.send.before' &&
      event.imvendor === 'openim' &&
      v.decision === 'allow' &&
      (v.patch.elements !== undefined || v.patch.cloudCustomData !== undefined)
    ) {
      const { serverMsgID } = event.data;
      if (serverMsgID && this.patches) await this.patches.remember(serverMsgID, v.patch);
    }
    return v;
  }

  /**
   * OpenIM's modify callback for a message whose before-send verdict changed it: answered from memory,
   * with no backend call (docs/mappings.md#message-modification).
   */
  private async remembered(event: AnyEvent): Promise<Verdict | undefined> {
    if (event.type !== 'im.message.modify.before' || !this.patches || !event.data.serverMsgID) return undefined;
    const patch = await this.patches.recall(event.data.serverMsgID);
    return patch && { ...allow(), patch };
  }

  /**
   * Takes an event whose answer cannot change anything (after-events, and before-events the backend's
   * vendor only knows after the fact): each planned part goes durably into the outbox, keyed for
   * idempotency, and the dispatcher delivers it from there — so the IM server is answered as soon as
   * the event is safe, and a failing backend loses nothing.
   */
  private async notify(event: AnyEvent, planned: Planned[], withinMs: number): Promise<void> {
    const { outbox } = this.deps;
    if (!outbox) throw new Error('no outbox: an after-event cannot be accepted');
    try {
      await outbox.dispatcher.accept(event, planned, withinMs);
    } catch (err) {
      // Not stored means not accepted: the IM server must hear that, not an OK that would lose the event.
      this.deps.logger.error(
        { err, eventId: event.id, type: event.type },
        'outbox write failed: callback not accepted',
      );
      throw new ImbridgeError('outbox_unavailable', 'the outbox is unavailable; the event was not accepted', 503, true);
    }
  }

  /**
   * Answers a command imbridge knows but does not map (docs/guarantees.md#before-callbacks): allow/ack, logged once
   * per command.
   */
  unmapped(vendor: Vendor, command: string, why: string, trace?: Trace): Verdict {
    if (trace) trace.outcome = 'unmapped';
    this.deps.metrics?.unmapped.inc({ vendor, command });
    const key = `${vendor}:${command}`;
    if (!this.reportedUnmapped.has(key)) {
      this.reportedUnmapped.add(key);
      this.deps.logger.warn({ vendor, command, why }, 'unmapped command: answered by the gateway');
    }
    return allow();
  }

  /**
   * Counts body keys a vendor schema does not declare (a vendor added a field) and logs each new one
   * once per command; at most `MAX_REPORTED_KEYS` distinct keys are remembered, so a caller inventing
   * keys cannot grow memory.
   */
  unknownFields(vendor: Vendor, command: string, keys: string[]): void {
    this.deps.metrics?.unknownFields.inc({ vendor, command }, keys.length);
    const fresh = keys.filter((k) => !this.reportedKeys.has(`${vendor}:${command}:${k}`));
    if (fresh.length === 0 || this.reportedKeys.size >= MAX_REPORTED_KEYS) return;
    for (const k of fresh) this.reportedKeys.add(`${vendor}:${command}:${k}`);
    this.deps.logger.warn(
      { vendor, command, fields: fresh },
      'callback has fields imbridge does not know: accepted, not forwarded',
    );
  }

  private failureRule(event: AnyEvent, reason: string, policy: Policy): Verdict {
    const rule = policy.failureRule;
    this.deps.metrics?.failureRule.inc({ vendor: event.imvendor, command: event.imcommand, rule });
    this.deps.logger.warn(
      { eventId: event.id, type: event.type, reason, rule },
      'backend failed: applying failure rule',
    );
    return rule === 'deny' ? deny(policy.denyCode, 'backend unavailable') : allow();
  }
}
