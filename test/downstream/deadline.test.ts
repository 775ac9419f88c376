import { expect } from 'chai';
import { deadline, SharedDeadlines } from '../../src/downstream/deadline.js';

/** When `signal` aborts, in ms of performance.now(), and with what. */
function abortOf(signal: AbortSignal): Promise<{ at: number; reason: unknown }> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve({ at: performance.now(), reason: signal.reason }), { once: true }),
  );
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
    expect(reason)
      .to.be.instanceOf(DOMException)
      .and.to.include({ name: 'TimeoutError', message: 'no answer within 120 ms' });
  });

  it('shares a signal between attempts with different timeouts that end within the slack of each other', () => {
    let now = 1_000;
    const deadlines = new SharedDeadlines(1_000, 10, () => now);
    const budget = deadlines.signal(1_495);
    now += 3;
    // Started later with less time left: it must end by 1_000 + 3 + 1_492, the same 10 ms window.
    expect(deadlines.signal(1_492)).to.equal(budget);
    expect(deadlines.signal(1_400)).to.not.equal(budget);
  });

  it('ends a timeout given to one attempt by that timeout, even one shorter than the slack', async () => {
    const deadlines = new SharedDeadlines(10_000, 100);
    const started = performance.now();
    const { at, reason } = await abortOf(deadlines.signal(30));
    expect(at - started).to.be.within(29 - 1, 30 + 30);
    expect(reason).to.include({ name: 'TimeoutError', message: 'no answer within 30 ms' });
  });

  it('takes many listeners on one signal without a leak warning', async () => {
    expect(await warningsFor50Listeners(new SharedDeadlines(10_000, 10_000).signal())).to.not.include(
      'MaxListenersExceededWarning',
    );
  });
});

describe('a one-off deadline (an axios `timeout` given to the adapter)', () => {
  it('takes many listeners without a leak warning', async () => {
    const budget = deadline(10_000);
    const warnings = await warningsFor50Listeners(budget.signal);
    budget.clear();
    expect(warnings).to.not.include('MaxListenersExceededWarning');
  });
});

/** The names of the process warnings raised while 50 abort listeners are added to `signal` (and removed). */
async function warningsFor50Listeners(signal: AbortSignal): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  const listeners = Array.from({ length: 50 }, () => () => undefined);
  for (const l of listeners) signal.addEventListener('abort', l);
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  for (const l of listeners) signal.removeEventListener('abort', l);
  return warnings;
}
