import { setMaxListeners } from 'node:events';

/** An abort signal that fires after a while, and a way to stand it down once the work is done. */
export interface Deadline {
  signal: AbortSignal;
  /** Cancels the timer; call it as soon as the guarded work has finished. */
  clear(): void;
}

/**
 * A signal that aborts with a `TimeoutError` after `ms`. Unlike `AbortSignal.timeout`, its timer is
 * cleared when the work finishes: a gateway starts one per callback or attempt, and thousands of
 * timers left to run out (each holding its signal for seconds) would be old-generation garbage.
 */
export function deadline(ms: number): Deadline {
  const controller = new AbortController();
  // A before-event's fan-out runs up to downstream.concurrency calls at once, each listening to this
  // one budget: past ten, Node would warn of a leak that is not one.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * One timeout shared by the attempts that start within `slackMs` of each other: each gets a signal
 * that aborts with a `TimeoutError` no later than `ms` after it started and no earlier than
 * `ms - slackMs`. For the outbox's deliveries, where a timeout only has to bound an attempt, not to be
 * exact. On Node 20 every AbortSignal costs three hidden classes of its own (they are built by
 * changing an EventTarget's prototype, which V8 does not cache), kept in the old generation until a
 * full collection: one signal per delivery was a third of what filled the old generation at a steady
 * 1 000 deliveries/s, and the full collections it brought were the slowest moments of the p99.
 */
export class SharedDeadlines {
  /** The signals whose timers have not fired yet, by when they fire. */
  private readonly open = new Map<number, AbortSignal>();
  private readonly slackMs: number;

  constructor(
    private readonly ms: number,
    slackMs = Math.ceil(ms / 100),
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.slackMs = Math.max(1, Math.min(slackMs, ms));
  }

  /** The signal for an attempt starting now. */
  signal(): AbortSignal {
    const now = this.now();
    // Rounded down: a shared deadline may come early, never late.
    const at = Math.floor((now + this.ms) / this.slackMs) * this.slackMs;
    const open = this.open.get(at);
    if (open) return open;
    const controller = new AbortController();
    // Every attempt of the window listens to this one signal.
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(() => {
      this.open.delete(at);
      controller.abort(new DOMException(`no answer within ${this.ms} ms`, 'TimeoutError'));
    }, at - now);
    // It must not keep a gateway that is done from exiting; attempts under way are waited for elsewhere.
    timer.unref();
    this.open.set(at, controller.signal);
    return controller.signal;
  }
}
