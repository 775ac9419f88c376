import { expect } from 'chai';
import { SharedDeadlines } from '../../src/gateway/deadline.js';

/** When `signal` aborts, in ms of performance.now(), and with what. */
function abortOf(signal: AbortSignal): Promise<{ at: number; reason: unknown }> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ at: performance.now(), reason: signal.reason }), { once: true }));
}

describe('shared deadlines: one timer for the attempts that start close together', () => {
  it('gives attempts started within the slack one signal, and later ones another', () => {
    let now = 1_000;
    const deadlines = new SharedDeadlines(5_000, 50, () => now);
    const first = deadlines.signal();
    now += 10;
    expect(deadlines.signal()).to.equal(first);
    now += 50;
    expect(deadlines.signal()).to.not.equal(first);
  });

  it('aborts with a TimeoutError no later than the timeout after the attempt started, and at most the slack earlier', async () => {
    const deadlines = new SharedDeadlines(120, 40);
    const started = performance.now();
    const { at, reason } = await abortOf(deadlines.signal());
    // Timers may fire a little late on a busy machine; never earlier than asked.
    expect(at - started).to.be.within(120 - 40 - 1, 120 + 30);
    expect(reason).to.be.instanceOf(DOMException).and.to.include({ name: 'TimeoutError', message: 'no answer within 120 ms' });
  });

  it('takes many listeners on one signal without a leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const deadlines = new SharedDeadlines(10_000, 10_000);
    const signal = deadlines.signal();
    const listeners = Array.from({ length: 50 }, () => () => undefined);
    for (const l of listeners) signal.addEventListener('abort', l);
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    for (const l of listeners) signal.removeEventListener('abort', l);
    expect(warnings.map((w) => w.name)).to.not.include('MaxListenersExceededWarning');
  });
});
