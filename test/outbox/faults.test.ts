import { expect } from 'chai';
import { fixture } from '../helpers/fixtures.js';
import { Downstream, type Answer, type Received } from '../helpers/downstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { describeWithRedis } from '../helpers/redis.js';
import { Redis } from 'ioredis';
import { freePort, until } from '../helpers/wait.js';
import { TENCENT_OK } from '../helpers/answers.js';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };
/** Quick retries so that a test sees several attempts in a fraction of a second. */
const FAST = { baseDelayMs: 20, maxDelayMs: 80, pollMs: 20 };

/** A Tencent FriendDelete of `n` pairs for owner `owner`, signed with a unique RequestTime (a distinct delivery). */
function deletion(owner: string, n: number, requestTime: number): [string, string] {
  const body = JSON.stringify({
    CallbackCommand: 'Sns.CallbackFriendDelete',
    PairList: Array.from({ length: n }, (_, i) => ({ From_Account: owner, To_Account: `f${i}` })),
  });
  return [`/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete&RequestTime=${requestTime}`, body];
}

/** How many times each idempotency key was accepted (answered 2xx with a good envelope). */
function acceptedPerKey(received: Received[], accepted: (r: Received, i: number) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  received.forEach((r, i) => {
    if (!accepted(r, i)) return;
    const key = String(r.headers['idempotency-key']);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return counts;
}

/** Clears a Redis between tests, so each starts with an empty outbox. */
async function flush(url: string): Promise<void> {
  const admin = new Redis(url);
  await admin.flushall();
  await admin.quit();
}

/** The after-event guarantees, for one kind of store; `outboxURL()` names a fresh empty one. */
function afterEventFaults(outboxURL: () => Promise<string | undefined>): void {
  const store = async () => {
    const url = await outboxURL();
    return url ? { url } : {};
  };

  it('a backend that refuses connections, then comes up, gets every part exactly once', async () => {
    const port = await freePort();
    const gateway = await startGateway({
      downstream: { url: `http://127.0.0.1:${port}`, format: 'openim', timeoutMs: 200 },
      outbox: { ...FAST, ...(await store()) },
    });
    const backend = new Downstream(() => ({ body: CONTINUE }));
    try {
      for (let i = 0; i < 5; i++)
        expect((await gateway.post(...deletion(`o${i}`, 2, 1_700_000_000 + i))).text).to.equal(TENCENT_OK);
      await new Promise((r) => setTimeout(r, 150)); // several refused attempts
      expect((await gateway.outbox!.store.depth()).pending).to.equal(10);
      await backend.start(port);
      await backend.waitFor(10);
      await until(async () => (await gateway.outbox!.store.depth()).pending === 0);
      await new Promise((r) => setTimeout(r, 100));
      const counts = acceptedPerKey(backend.received, () => true);
      expect(counts.size).to.equal(10);
      expect([...counts.values()].every((n) => n === 1)).to.equal(true);
    } finally {
      await gateway.close();
      await backend.close();
    }
  });

  const faults: [string, Answer][] = [
    ['answers 500', { status: 500, body: '{"error":"boom"}' }],
    ['answers 429', { status: 429, body: '' }],
    ['answers 408', { status: 408, body: '' }],
    ['hangs past the per-attempt timeout', { body: CONTINUE, delayMs: 400 }],
  ];
  for (const [name, fault] of faults) {
    it(`a backend that ${name}, then recovers, gets every part accepted exactly once`, async () => {
      let failuresLeft = 6;
      const failed = new Set<number>();
      const backend = new Downstream((_, i) => {
        if (failuresLeft-- > 0) {
          failed.add(i);
          return fault;
        }
        return { body: CONTINUE };
      });
      const url = await backend.start();
      const gateway = await startGateway({
        downstream: { url, format: 'openim', timeoutMs: 150, concurrency: 2 },
        outbox: { ...FAST, ...(await store()) },
      });
      try {
        for (let i = 0; i < 3; i++) await gateway.post(...deletion(`o${i}`, 2, 1_700_000_100 + i));
        await until(async () => (await gateway.outbox!.store.depth()).pending === 0);
        const counts = acceptedPerKey(backend.received, (_, i) => !failed.has(i));
        expect(counts.size).to.equal(6);
        expect(
          [...counts.values()].every((n) => n === 1),
          JSON.stringify([...counts]),
        ).to.equal(true);
      } finally {
        await gateway.close();
        await backend.close();
      }
    });
  }

  it('honours Retry-After', async () => {
    const backend = new Downstream((_, i) =>
      i === 0 ? { status: 503, body: '', headers: { 'retry-after': '1' } } : { body: CONTINUE },
    );
    const url = await backend.start();
    const gateway = await startGateway({
      downstream: { url, format: 'openim' },
      outbox: { ...FAST, maxDelayMs: 5_000, ...(await store()) },
    });
    try {
      await gateway.post(...deletion('o', 1, 1_700_000_200));
      const [first, second] = await backend.waitFor(2);
      expect(second!.at - first!.at).to.be.at.least(950);
    } finally {
      await gateway.close();
      await backend.close();
    }
  });

  for (const retryAfter of ['86400', '9'.repeat(400), 'Fri, 31 Dec 9999 23:59:59 GMT']) {
    it(`waits at most outbox.maxDelayMs, whatever Retry-After says (${retryAfter.slice(0, 30)})`, async () => {
      const backend = new Downstream((_, i) =>
        i === 0 ? { status: 503, body: '', headers: { 'retry-after': retryAfter } } : { body: CONTINUE },
      );
      const url = await backend.start();
      const gateway = await startGateway({
        downstream: { url, format: 'openim' },
        outbox: { ...FAST, maxDelayMs: 300, ...(await store()) },
      });
      try {
        await gateway.post(...deletion('o', 1, 1_700_000_250));
        const [first, second] = await backend.waitFor(2, 3_000);
        expect(second!.at - first!.at).to.be.within(150, 1_500);
      } finally {
        await gateway.close();
        await backend.close();
      }
    });
  }

  it('dead-letters after outbox.maxAttempts, and delivers a revived dead letter', async () => {
    let up = false;
    const backend = new Downstream(() => (up ? { body: CONTINUE } : { status: 500, body: '' }));
    const url = await backend.start();
    const gateway = await startGateway({
      downstream: { url, format: 'openim' },
      outbox: { ...FAST, maxAttempts: 3, ...(await store()) },
    });
    try {
      await gateway.post(...deletion('o', 1, 1_700_000_300));
      const store = gateway.outbox!.store;
      await until(async () => (await store.depth()).dead === 1);
      expect(backend.received).to.have.length(3);
      const [dead] = await store.listDead(10);
      expect(dead).to.include({ attempts: 3, lastError: 'backend answered HTTP 500' });
      up = true;
      expect(await store.revive('all', Date.now())).to.equal(1);
      gateway.outbox!.dispatcher.kick();
      await backend.waitFor(4);
      await until(async () => (await store.depth()).pending === 0);
    } finally {
      await gateway.close();
      await backend.close();
    }
  });
}

describe('outbox (SQLite): after-events survive a failing backend', function () {
  this.timeout(20_000);
  afterEventFaults(async () => undefined);
});

describeWithRedis('outbox (Redis): after-events survive a failing backend', function (url) {
  afterEventFaults(async () => {
    await flush(url());
    return url();
  });
});

describe('outbox: before-callbacks keep their deadline under every fault', function () {
  this.timeout(20_000);
  const faults: [string, Answer | 'refuse'][] = [
    ['refuses connections', 'refuse'],
    ['hangs', { body: CONTINUE, delayMs: 3_000 }],
    ['answers 500', { status: 500, body: '' }],
    ['answers garbage', { body: 'not json' }],
  ];
  for (const [name, fault] of faults) {
    for (const rule of ['allow', 'deny'] as const) {
      it(`a backend that ${name}: answered within the deadline, failure rule ${rule}`, async () => {
        const backend = new Downstream(() => (fault === 'refuse' ? { body: '' } : fault));
        const url = fault === 'refuse' ? `http://127.0.0.1:${await freePort()}` : await backend.start();
        const gateway: TestGateway = await startGateway({
          downstream: { url, format: 'openim' },
          commands: { callbackBeforeImportFriendsCommand: { failureRule: rule, deadlineMs: 300, denyCode: 20777 } },
        });
        try {
          const started = performance.now();
          const res = await gateway.post(
            '/openim/callbackBeforeImportFriendsCommand',
            fixture('openim', 'callbackBeforeImportFriendsCommand'),
          );
          expect(performance.now() - started).to.be.lessThan(300 + 250);
          expect(res.json).to.include(rule === 'allow' ? { nextCode: 0 } : { nextCode: 1, errCode: 20777 });
        } finally {
          await gateway.close();
          await backend.close();
        }
      });
    }
  }
});
