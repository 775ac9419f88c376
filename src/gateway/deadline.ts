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
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
