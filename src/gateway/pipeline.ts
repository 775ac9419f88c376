import pMap from 'p-map';
import { mappingOf } from '../../mappings/index.js';
import { readCanonicalReply } from '../canonical/reply.js';
import type { AnyEvent, Outcome, Phase, Vendor, Verdict } from '../canonical/types.js';
import { allow, deny, failed } from '../canonical/verdict.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { readOpenIMReply } from '../vendors/openim/envelope.js';
import { readTencentReply } from '../vendors/tencent/envelope.js';
import { isPerTargetCommand } from '../vendors/tencent/commands.js';
import type { WireReply } from '../wire.js';
import { aggregate } from './aggregate.js';
import type { Forwarder } from './forwarder.js';
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
        ? { url: downstream.url, format: downstream.format, sdkAppId: tencent.sdkAppId ?? '', token: downstream.token }
        : undefined;
    this.now = deps.now ?? Date.now;
  }

  /** Whether no backend is configured and imbridge answers everything itself. */
  get shadow(): boolean {
    return this.target === undefined;
  }

  /**
   * Delivers one canonical event and returns the decision to give the IM server. A before-event is
   * answered within `deadlineMs` whatever the backend does; a failed exchange gets the failure rule.
   * An after-event's verdict is always allow (IM servers ignore it).
   */
  async deliver(event: AnyEvent, phase: Phase, deadlineMs: number): Promise<Verdict> {
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
    const deadline = phase === 'before' ? AbortSignal.timeout(deadlineMs) : undefined;
    const outcomes = await pMap(
      planned,
      (p) => this.exchange(p, phase, deadline ?? AbortSignal.timeout(this.deps.config.downstream.timeoutMs)),
      { concurrency: this.deps.config.downstream.concurrency },
    );
    const outcome = aggregate(planned, outcomes);
    if (phase === 'after') {
      if (!outcome.ok) log.error({ eventId: event.id, type: event.type, reason: outcome.reason }, 'after-event delivery failed');
      return allow();
    }
    if (!outcome.ok) return this.failureRule(event, outcome.reason);
    const settle = mappingOf(event.type).settle;
    return settle ? settle(event.data as never, outcome.verdict) : outcome.verdict;
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

  private failureRule(event: AnyEvent, reason: string): Verdict {
    const rule = this.deps.config.failureRule;
    this.deps.logger.warn({ eventId: event.id, type: event.type, reason, rule }, 'backend failed: applying failure rule');
    // Code 0 is replaced by the caller's configured deny code when the envelope is rendered.
    return rule === 'deny' ? deny(0, 'backend unavailable') : allow();
  }
}
