import pMap from 'p-map';
import { Webhook } from 'standardwebhooks';
import { mappingOf } from '../../mappings/index.js';
import { readCanonicalReply } from '../canonical/reply.js';
import type { AnyEvent, Outcome, Phase, Vendor, Verdict } from '../canonical/types.js';
import { allow, deny, failed, ok } from '../canonical/verdict.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { readOpenIMReply } from '../vendors/openim/envelope.js';
import { readTencentReply } from '../vendors/tencent/envelope.js';
import { isPerTargetCommand } from '../vendors/tencent/commands.js';
import type { WireReply } from '../wire.js';
import { aggregate, decidesForSome } from './aggregate.js';
import type { Forwarder } from './forwarder.js';
import type { Policy } from './policy.js';
import { plan, type Planned, type Target } from './translate.js';

/** What the pipeline needs from the outside world. */
export interface PipelineDeps {
  config: Config;
  logger: Logger;
  /** Absent in shadow mode. */
  forwarder?: Forwarder;
  /** Injected clock (default `Date.now`). */
  now?: () => number;
}

/** The vendor-free middle of imbridge: route, policy, fan-out, forward, aggregate. */
export class Pipeline {
  private readonly target: Target | undefined;
  private readonly reportedUnmapped = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly deps: PipelineDeps) {
    const { downstream, tencent } = deps.config;
    this.target =
      downstream.url && downstream.format
        ? {
            url: downstream.url,
            format: downstream.format,
            sdkAppId: tencent.sdkAppId ?? '',
            token: downstream.token,
            signer: downstream.secret ? new Webhook(downstream.secret) : undefined,
            headers: Object.keys(downstream.headers).length > 0 ? downstream.headers : undefined,
          }
        : undefined;
    this.now = deps.now ?? Date.now;
  }

  /** Whether no backend is configured and imbridge answers everything itself. */
  get shadow(): boolean {
    return this.target === undefined;
  }

  /**
   * Delivers one canonical event and returns the decision to give the IM server. A before-event is
   * answered within `policy.deadlineMs` whatever the backend does; a failed exchange gets the policy's
   * failure rule.
   * An after-event's verdict is always allow (IM servers ignore it).
   */
  async deliver(event: AnyEvent, phase: Phase, policy: Policy): Promise<Verdict> {
    const log = this.deps.logger;
    if (!this.target || !this.deps.forwarder) {
      log.info({ event }, 'shadow mode: translated, answering allow');
      return allow();
    }
    const planned = plan(event, this.target, this.now());
    if (!planned) {
      this.unmapped(event.imvendor, event.imcommand, `${event.type} has no ${this.target.format} counterpart`);
      return allow();
    }
    const mapping = mappingOf(event.type);
    if (phase === 'before' && mapping.notifyOnly?.[this.target.format]) {
      // The backend only has an after-callback for this: allow now, tell it without waiting.
      void this.notify(event, planned);
      return allow();
    }
    if (phase === 'after') {
      await this.notify(event, planned);
      return allow();
    }
    const eventTargets = mapping.targets?.(event.data as never) ?? [];
    const deadline = AbortSignal.timeout(policy.deadlineMs);
    const outcomes = await pMap(planned, (p) => this.exchange(p, phase, deadline), { concurrency: this.deps.config.downstream.concurrency });
    // In a per-target fan-out a failed call settles only its own targets.
    const settled = outcomes.map((o, i) =>
      o.ok || !decidesForSome(planned[i]!.targets, eventTargets) ? o : ok(this.failureRule(event, o.reason, policy)),
    );
    const outcome = aggregate(planned, settled, eventTargets);
    if (!outcome.ok) return this.failureRule(event, outcome.reason, policy);
    return mapping.settle ? mapping.settle(event.data as never, outcome.verdict) : outcome.verdict;
  }

  /**
   * Delivers an event whose answer cannot change anything (after-events, and before-events the
   * backend's vendor only knows after the fact). Failures and denies are logged.
   */
  private async notify(event: AnyEvent, planned: Planned[]): Promise<void> {
    const outcomes = await pMap(planned, (p) => this.exchange(p, 'after', AbortSignal.timeout(this.deps.config.downstream.timeoutMs)), {
      concurrency: this.deps.config.downstream.concurrency,
    });
    const log = this.deps.logger;
    for (const outcome of outcomes) {
      if (!outcome.ok) log.error({ eventId: event.id, type: event.type, reason: outcome.reason }, 'after-event delivery failed');
      else if (outcome.verdict.decision === 'deny') {
        log.warn({ eventId: event.id, type: event.type, code: outcome.verdict.code }, 'backend denied an event that already happened: not honoured');
      }
    }
  }

  /**
   * Answers a command imbridge knows but does not map (DESIGN.md, Policies): allow/ack, logged once
   * per command.
   */
  unmapped(vendor: Vendor, command: string, why: string): Verdict {
    const key = `${vendor}:${command}`;
    if (!this.reportedUnmapped.has(key)) {
      this.reportedUnmapped.add(key);
      this.deps.logger.warn({ vendor, command, why }, 'unmapped command: answered by the gateway');
    }
    return allow();
  }

  private async exchange(p: Planned, phase: Phase, signal: AbortSignal): Promise<Outcome> {
    let reply: WireReply;
    try {
      reply = await this.deps.forwarder!.send(p.request, signal);
    } catch (err) {
      return failed(signal.aborted ? 'no answer within the deadline' : `request failed: ${(err as Error).message}`);
    }
    switch (this.target!.format) {
      case 'tencent':
        return readTencentReply(reply, isPerTargetCommand(p.command));
      case 'openim':
        return readOpenIMReply(reply);
      case 'canonical':
        return readCanonicalReply(reply, phase);
    }
  }

  private failureRule(event: AnyEvent, reason: string, policy: Policy): Verdict {
    const rule = policy.failureRule;
    this.deps.logger.warn({ eventId: event.id, type: event.type, reason, rule }, 'backend failed: applying failure rule');
    return rule === 'deny' ? deny(policy.denyCode, 'backend unavailable') : allow();
  }
}
