import { expect } from 'chai';
import { configSchema } from '../../src/config/schema.js';
import { Forwarder } from '../../src/downstream/forwarder.js';
import { downstreamTarget } from '../../src/downstream/target.js';
import { plan } from '../../src/downstream/plan.js';
import { createLogger } from '../../src/log.js';
import { Dispatcher, HELD_PER_SLOT } from '../../src/outbox/dispatcher.js';
import { SqliteStore } from '../../src/outbox/sqliteStore.js';
import type { OutboxEntry } from '../../src/outbox/store.js';
import { useBackend, type Downstream } from '../helpers/downstream.js';
import { canonical } from '../helpers/translate.js';
import { outboxFile, outboxEntry } from '../helpers/outbox.js';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };

/** The real SQLite store, noting what it was asked to add. */
class RecordingStore extends SqliteStore {
  readonly added: OutboxEntry[] = [];
  override add(entries: OutboxEntry[]): Promise<string[]> {
    this.added.push(...entries);
    return super.add(entries);
  }
}

/** A dispatcher on a real SQLite store and a real backend; its poller is never started. */
function setUp(backendURL: string, concurrency: number, now: () => number = Date.now) {
  const config = configSchema.validateSync({
    downstream: { url: backendURL, format: 'openim', concurrency, timeoutMs: 1_000 },
    outbox: { url: 'sqlite::memory:', pollMs: 60_000 },
  });
  const store = new RecordingStore(outboxFile('dispatcher'));
  const forwarder = new Forwarder();
  const target = downstreamTarget(config)!;
  const dispatcher = new Dispatcher({ store, forwarder, target, config, logger: createLogger('silent'), now });
  const deletion = (friend: string) => {
    const event = {
      ...canonical('im.friend.deleted', { pairs: [{ ownerUserID: 'alice', friendUserID: friend }] }),
      id: `deleted-${friend}`,
    };
    return { event, planned: plan(event, target, Date.now())! };
  };
  const close = async () => {
    await dispatcher.stop();
    await store.close();
    await forwarder.close();
  };
  return { store, dispatcher, deletion, close };
}

/** Makes the backend keep every answer back until the returned function is called. */
function holdAnswers(backend: Downstream): () => void {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  backend.answer(async () => {
    await held;
    return { body: CONTINUE };
  });
  return release;
}

describe('outbox/Dispatcher.accept: new entries go out from memory', () => {
  const { backend, url } = useBackend(() => ({ body: CONTINUE }));

  it('sends at once, with no pass, and keeps the stored copy leased while the attempt is under way', async () => {
    const release = holdAnswers(backend);
    const { store, dispatcher, deletion, close } = setUp(url(), 4);
    const { event, planned } = deletion('bob');
    await dispatcher.accept(event, planned);
    const [sent] = await backend.waitFor(1);
    expect(sent!.body, 'the request planned at ingress, byte for byte').to.equal(planned[0]!.request.body);
    expect(await store.depth(), 'stored before it was sent').to.deep.equal({ pending: 1, dead: 0 });
    expect(await store.claimDue(Date.now(), 10, 1_000), 'leased to this process').to.deep.equal([]);
    release();
    for (let i = 0; i < 100 && (await store.depth()).pending > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await store.depth(), 'forgotten once the backend accepted it').to.deep.equal({ pending: 0, dead: 0 });
    await close();
  });

  it('beyond downstream.concurrency, holds stored and leased entries in memory and sends them in order as slots free', async () => {
    const release = holdAnswers(backend);
    const { store, dispatcher, deletion, close } = setUp(url(), 1);
    const before = Date.now();
    for (const friend of ['bob', 'carol', 'dave']) {
      const { event, planned } = deletion(friend);
      await dispatcher.accept(event, planned);
    }
    await backend.waitFor(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.received, 'one slot: one call at a time').to.have.length(1);
    expect(
      store.added.map((e) => e.nextAttemptAt >= before + 2_000),
      'all leased for two timeouts, waiting ones too',
    ).to.deep.equal([true, true, true]);
    expect(await store.claimDue(Date.now(), 10, 1_000), 'so no pass claims the waiting ones').to.deep.equal([]);
    release();
    const received = await backend.waitFor(3);
    expect(
      received.map((r) => JSON.parse(r.body).friendUserID),
      'in the order accepted',
    ).to.deep.equal(['bob', 'carol', 'dave']);
    await close();
  });

  it(`beyond ${HELD_PER_SLOT} held parts per slot, stores entries due now and leaves them to a pass`, async () => {
    const release = holdAnswers(backend);
    const { store, dispatcher, deletion, close } = setUp(url(), 1);
    for (let i = 0; i <= HELD_PER_SLOT; i++) {
      const { event, planned } = deletion(`friend${i}`);
      await dispatcher.accept(event, planned);
    }
    const overflow = store.added.at(-1)!;
    expect(overflow.nextAttemptAt, 'the one past the bound: due now').to.be.at.most(Date.now());
    expect(
      store.added.slice(0, -1).every((e) => e.nextAttemptAt > Date.now() + 1_000),
      'the others: leased',
    ).to.equal(true);
    release();
    const received = await backend.waitFor(HELD_PER_SLOT + 1);
    expect(
      new Set(received.map((r) => JSON.parse(r.body).friendUserID)).size,
      'every one delivered, the overflow by a pass',
    ).to.equal(HELD_PER_SLOT + 1);
    await close();
  });

  it('leaves a part that waited in memory too long for its lease to the store', async () => {
    const release = holdAnswers(backend);
    let clock = Date.now();
    const { store, dispatcher, deletion, close } = setUp(url(), 1, () => clock);
    const first = deletion('bob');
    const second = deletion('carol');
    await dispatcher.accept(first.event, first.planned);
    await dispatcher.accept(second.event, second.planned);
    await backend.waitFor(1);
    // Past lease − timeout: an attempt started now could outlive the lease and race a pass.
    clock += 1_500;
    release();
    for (let i = 0; i < 100 && (await store.depth()).pending > 1; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(
      backend.received.map((r) => JSON.parse(r.body).friendUserID),
      'carol was not sent from memory',
    ).to.deep.equal(['bob']);
    const [left] = await store.claimDue(clock + 2_000, 10, 1_000);
    expect(left?.key, 'still stored, for whoever claims it when the lease ends').to.equal(second.event.id);
    await close();
  });

  it('does not send a key the store already held (the IM server sent the delivery again)', async () => {
    const { store, dispatcher, deletion, close } = setUp(url(), 4);
    const { event, planned } = deletion('bob');
    await store.add([outboxEntry(event, { nextAttemptAt: Date.now() + 60_000 })]);
    await dispatcher.accept(event, planned);
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.received, 'whoever holds the stored copy delivers it').to.have.length(0);
    expect(await store.depth()).to.deep.equal({ pending: 1, dead: 0 });
    await close();
  });

  it('a failed direct attempt is rescheduled in the store like any other', async () => {
    backend.answer(() => ({ status: 503, body: 'busy' }));
    const { store, dispatcher, deletion, close } = setUp(url(), 4);
    const { event, planned } = deletion('bob');
    await dispatcher.accept(event, planned);
    await backend.waitFor(1);
    await dispatcher.stop();
    const [entry] = await store.claimDue(Date.now() + 3_600_000, 10, 1_000);
    expect(entry?.attempts).to.equal(1);
    expect(entry?.lastError).to.match(/HTTP 503/);
    await close();
  });
});
