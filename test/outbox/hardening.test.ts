import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import { Forwarder } from '../../src/downstream/forwarder.js';
import { downstreamTarget } from '../../src/downstream/target.js';
import { createLogger } from '../../src/log.js';
import { Dispatcher } from '../../src/outbox/dispatcher.js';
import { SqliteStore } from '../../src/outbox/sqliteStore.js';
import { Downstream } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { startGateway, withGateway, type TestGateway } from '../helpers/gateway.js';
import { outboxEntry, outboxFile } from '../helpers/outbox.js';
import { privateRedis } from '../helpers/redis.js';
import { tempDir } from '../helpers/tempDir.js';
import { canonical } from '../helpers/translate.js';
import { freePort, until } from '../helpers/wait.js';
import { OPENIM_CONTINUE as CONTINUE, TENCENT_OK } from '../helpers/answers.js';

const DELETE_PATH = '/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete';

/** An OpenIM deletion of one pair, `bytes` long, with its own operation id (so its own event). */
function deletion(i: number, bytes = 1_500): [string, string, Record<string, string>] {
  const body = JSON.stringify({
    callbackCommand: 'callbackAfterDeleteFriendCommand',
    ownerUserID: `o${i}`,
    friendUserID: `f${i}`.padEnd(bytes, 'x'),
  });
  return ['/openim/callbackAfterDeleteFriendCommand', body, { Operationid: `op-${i}` }];
}

const owners = (backend: Downstream) => new Set(backend.received.map((r) => JSON.parse(r.body).ownerUserID as string));

describe('outbox (SQLite): a full disk strands nothing', function () {
  this.timeout(90_000);
  let dir = '';
  before(function () {
    const skip = (why: string) => {
      console.warn(`  ! full-disk test skipped: ${why}`);
      this.skip();
    };
    if (process.getuid?.() !== 0) return skip('it mounts a 2 MiB tmpfs, which needs root (.ci/run runs as root)');
    dir = tempDir('full-disk');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
    if (mounted.status !== 0) return skip(`mount -t tmpfs failed: ${String(mounted.stderr).trim()}`);
  });
  after(() => {
    if (dir) spawnSync('umount', [dir]);
  });

  it('delivers every event answered OK once space comes back, though retries ran while it was short', async () => {
    // Something else takes half a megabyte of the 2 MiB disk; the outbox fills the rest.
    const filler = join(dir, 'filler');
    const fd = openSync(filler, 'w');
    writeSync(fd, Buffer.alloc(512 * 1024, 1));
    closeSync(fd);
    const port = await freePort();
    const backend = new Downstream(() => ({ body: CONTINUE }));
    const gateway = await startGateway({
      downstream: { url: `http://127.0.0.1:${port}`, format: 'openim', timeoutMs: 200 },
      // Fast retries against a dead backend: the bookkeeping that used to grow the log into freed space.
      outbox: {
        url: `sqlite:${join(dir, 'outbox.sqlite')}`,
        minFreeBytes: 128 * 1024,
        baseDelayMs: 50,
        maxDelayMs: 100,
        pollMs: 50,
        maxAttempts: 1_000,
      },
    });
    try {
      const answeredOK = new Set<string>();
      let refused = 0;
      let readyWhileShort: number | undefined;
      for (let i = 0; i < 2_000 && refused < 20; i++) {
        const res = await gateway.post(...deletion(i));
        if (res.status === 200) answeredOK.add(`o${i}`);
        else {
          expect(res.status).to.equal(503);
          refused++;
          readyWhileShort ??= (await fetch(`${gateway.url}/readyz`)).status;
        }
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(refused, 'the disk filled up').to.equal(20);
      expect(readyWhileShort, '/readyz while the disk is short').to.equal(503);
      await new Promise((r) => setTimeout(r, 1_500));
      rmSync(filler);
      // Space is back, the backend still down: retries keep failing for a while.
      await new Promise((r) => setTimeout(r, 3_000));
      await backend.start(port);
      await until(() => [...answeredOK].every((o) => owners(backend).has(o)), 30_000).catch(() => undefined);
      const missing = [...answeredOK].filter((o) => !owners(backend).has(o));
      expect(missing, `${missing.length} of ${answeredOK.size} events answered OK were not delivered`).to.deep.equal(
        [],
      );
    } finally {
      await gateway.close();
      await backend.close();
    }
  });
});

describe('outbox (SQLite): readiness tells the truth', () => {
  it('is not ready, and refuses after-events with 503, when the disk has less than outbox.minFreeBytes free', async () => {
    await withGateway(
      {
        downstream: { url: 'http://127.0.0.1:9', format: 'openim' },
        outbox: { minFreeBytes: Number.MAX_SAFE_INTEGER },
      },
      async (g) => {
        const ready = await fetch(`${g.url}/readyz`);
        expect(ready.status).to.equal(503);
        expect(((await ready.json()) as { reason: string }).reason).to.match(/bytes free, under outbox\.minFreeBytes/);
        const res = await g.post(DELETE_PATH, fixture('tencent', 'Sns.CallbackFriendDelete'));
        expect(res.status).to.equal(503);
        expect(res.json).to.include({ ActionStatus: 'FAIL' });
        expect((await g.outbox!.store.depth()).pending, 'nothing was stored').to.equal(0);
      },
    );
  });

  it('refuses after-events and reports not ready once its file is removed under it, instead of acking into nowhere', async () => {
    const file = outboxFile('removed');
    const backend = new Downstream(() => ({ status: 503, body: '' }));
    const url = await backend.start();
    await withGateway({ downstream: { url, format: 'openim' }, outbox: { url: `sqlite:${file}` } }, async (g) => {
      expect((await g.post(...deletion(1, 10))).status).to.equal(200);
      expect((await fetch(`${g.url}/readyz`)).status).to.equal(200);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      const res = await g.post(...deletion(2, 10));
      expect(res.status).to.equal(503);
      expect(res.json).to.include({ errDlt: 'outbox_unavailable' });
      const ready = await fetch(`${g.url}/readyz`);
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { reason: string }).reason).to.match(/is gone/);
    });
    await backend.close();
  });
});

describe('outbox: two processes on one outbox never send an entry at the same moment', function () {
  this.timeout(20_000);

  it('passes claim only what they attempt at once, so no attempt outlives its lease', async () => {
    const file = outboxFile('leases');
    const inFlight = new Map<string, number>();
    let overlaps = 0;
    const backend = new Downstream(async (req) => {
      const key = String(req.headers['idempotency-key']);
      if ((inFlight.get(key) ?? 0) > 0) overlaps++;
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 250));
      inFlight.set(key, inFlight.get(key)! - 1);
      return { body: CONTINUE };
    });
    const url = await backend.start();
    // Leases of 2 × 300 ms; each attempt takes 250 ms; 2 slots each.
    const config = configSchema.validateSync({
      downstream: { url, format: 'openim', concurrency: 2, timeoutMs: 300 },
      outbox: { url: `sqlite:${file}`, pollMs: 20 },
    });
    const seed = new SqliteStore(file);
    for (let i = 0; i < 8; i++) {
      const event = {
        ...canonical('im.friend.deleted', { pairs: [{ ownerUserID: `o${i}`, friendUserID: 'f' }] }),
        id: `lease-${i}`,
      };
      await seed.add([outboxEntry(event)]);
    }
    await seed.close();
    const processes = [0, 1].map(() => {
      const store = new SqliteStore(file);
      const forwarder = new Forwarder();
      const dispatcher = new Dispatcher({
        store,
        forwarder,
        target: downstreamTarget(config)!,
        config,
        logger: createLogger('silent'),
      });
      return { store, forwarder, dispatcher };
    });
    try {
      // The first process finds all of them due; the second looks every 20 ms for anything whose lease ran out.
      processes[0]!.dispatcher.start();
      await new Promise((r) => setTimeout(r, 50));
      processes[1]!.dispatcher.start();
      await until(async () => (await processes[0]!.store.depth()).pending === 0, 15_000);
      expect(overlaps, 'attempts of one entry that overlapped').to.equal(0);
      const keys = backend.received.map((r) => r.headers['idempotency-key']);
      expect(new Set(keys).size).to.equal(8);
      expect(keys, 'each sent once').to.have.length(8);
    } finally {
      for (const p of processes) {
        await p.dispatcher.stop();
        await p.store.close();
        await p.forwarder.close();
      }
      await backend.close();
    }
  });
});

describe('outbox (Redis): an outage costs no more than the caller’s wait, and nothing refused is delivered', function () {
  this.timeout(30_000);
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  before(async function () {
    redis = await privateRedis();
    if (!redis) {
      if (process.env['CI']) throw new Error('redis-server is required in CI (.ci/run installs it)');
      console.warn('  ! Redis outage test skipped: redis-server is not installed here');
      this.skip();
    }
  });

  it('answers an after-callback 503 well within Tencent’s 2 s while Redis is down, and never delivers it', async () => {
    const backend = new Downstream(() => ({ body: TENCENT_OK }));
    const url = await backend.start();
    let gateway: TestGateway | undefined;
    try {
      gateway = await startGateway({
        tencent: { sdkAppId: '1', deadlineMs: 800 },
        downstream: { url, format: 'tencent' },
        outbox: { url: redis!.url, pollMs: 50 },
      });
      const body = (owner: string) =>
        JSON.stringify({
          CallbackCommand: 'Sns.CallbackFriendDelete',
          PairList: [{ From_Account: owner, To_Account: 'x' }],
        });
      expect((await gateway.post(`${DELETE_PATH}&RequestTime=1`, body('before'))).status).to.equal(200);
      await backend.waitFor(1);
      await redis!.kill();
      const started = performance.now();
      const res = await gateway.post(`${DELETE_PATH}&RequestTime=2`, body('during'));
      const ms = performance.now() - started;
      expect(res.status).to.equal(503);
      expect(ms, 'answered within the caller’s budget').to.be.lessThan(1_200);
      await redis!.start();
      await until(async () => (await fetch(`${gateway!.url}/readyz`)).status === 200, 10_000);
      expect((await gateway.post(`${DELETE_PATH}&RequestTime=3`, body('after'))).status).to.equal(200);
      await backend.waitFor(2, 5_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(backend.received.map((r) => JSON.parse(r.body).PairList[0].From_Account)).to.deep.equal([
        'before',
        'after',
      ]);
    } finally {
      await gateway?.close();
      await backend.close();
    }
  });
});
