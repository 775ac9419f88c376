import { setMaxListeners } from 'node:events';

/** An abort signal that fires after a while, and a way to stand it down once the work is done. */
export interface Deadline {
  signal: AbortSignal;
  /** Cancels the timer; call it as soon as the guarded work has finished. */
  clear(): void;
}

/**
 * A signal that aborts with a `TimeoutError` after `ms`, for a one-off timeout (an axios `timeout`
 * handed to the adapter). Unlike `AbortSignal.timeout`, its timer is cleared when the work finishes.
 * What imbridge starts per callback or attempt uses `SharedDeadlines` instead.
 */
export function deadline(ms: number): Deadline {
  const controller = new AbortController();
  // Any number of parts of one request may listen: past ten, Node would warn of a leak that is not one.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * One timeout shared by the attempts that start within `slackMs` of each other: each gets a signal
 * that aborts with a `TimeoutError` no later than its timeout after it started and no earlier than
 * `slackMs` (and at most 1% of the timeout, or 1 ms) before that. For the outbox's deliveries, where a
 * timeout only has to bound an attempt, and for before-event budgets, where ending a 1.5 s budget 10 ms
 * early changes nothing a caller can see. On Node 20 every AbortSignal costs three hidden classes of its own (they are built by
 * changing an EventTarget's prototype, which V8 does not cache), allocated in the old generation and
 * kept there until a full collection: one signal per delivery was a third of what filled the old
 * generation at a steady 1 000 deliveries/s, and the full collections it brought were the slowest
 * moments of the p99 (docs/performance.md#garbage-and-the-p99).
 */
export class SharedDeadlines {
  /** The signals whose timers have not fired yet, by when they fire. */
  private readonly open = new Map<number, AbortSignal>();
  private readonly slackMs: number;

  /** `ms` is the timeout of `signal()` when it is not given one. */
  constructor(
    private readonly ms: number,
    slackMs = Math.ceil(ms / 100),
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.slackMs = Math.max(1, Math.min(slackMs, ms));
  }

  /** The signal for an attempt starting now that may take `ms`. */
  signal(ms = this.ms): AbortSignal {
    const now = this.now();
    // Never more than 1% of this attempt's own timeout early, however short it is.
    const slack = Math.max(1, Math.min(this.slackMs, ms / 100));
    // Rounded down: a shared deadline may come early, never late.
    const at = Math.floor((now + ms) / slack) * slack;
    const open = this.open.get(at);
    if (open) return open;
    const controller = new AbortController();
    // Every attempt of the window listens to this one signal.
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(() => {
      this.open.delete(at);
      controller.abort(new DOMException(`no answer within ${Math.round(ms)} ms`, 'TimeoutError'));
    }, at - now);
    // It must not keep a gateway that is done from exiting; attempts under way are waited for elsewhere.
    timer.unref();
    this.open.set(at, controller.signal);
    return controller.signal;
  }
}
