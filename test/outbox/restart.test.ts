import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../helpers/fixtures.js';
import { Downstream } from '../helpers/downstream.js';
import { startGateway } from '../helpers/gateway.js';
import { redisURL } from '../helpers/redis.js';
import { Redis } from 'ioredis';
import { outboxFile } from '../helpers/outbox.js';
import { tempDir } from '../helpers/tempDir.js';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };

async function freePort(): Promise<number> {
  const probe = new Downstream();
  const url = await probe.start();
  await probe.close();
  return Number(new URL(url).port);
}

/** Starts `imbridge serve` as its own process, as an operator would, and waits until it answers. */
async function spawnGateway(port: number, backendPort: number, outboxURL: string): Promise<ChildProcess> {
  const dir = tempDir('cfg');
  const file = join(dir, 'imbridge.yaml');
  writeFileSync(
    file,
    'downstream:\n  timeoutMs: 200\noutbox:\n  baseDelayMs: 20\n  maxDelayMs: 100\n  pollMs: 20\nshutdownMs: 2000\n',
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      IMBRIDGE_CONFIG: file,
      HOST: '127.0.0.1',
      PORT: String(port),
      DOWNSTREAM_URL: `http://127.0.0.1:${backendPort}`,
      DOWNSTREAM_FORMAT: 'openim',
      OUTBOX_URL: outboxURL,
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill('SIGKILL');
  throw new Error('imbridge did not start');
}

describe('outbox: restarts', function () {
  this.timeout(60_000);

  async function killAndRestart(outboxURL: string): Promise<void> {
    const [port, backendPort] = [await freePort(), await freePort()];
    const child = await spawnGateway(port, backendPort, outboxURL);
    const events = 20;
    for (let i = 0; i < events; i++) {
      const body = JSON.stringify({
        CallbackCommand: 'Sns.CallbackFriendDelete',
        PairList: [0, 1, 2].map((n) => ({ From_Account: `o${i}`, To_Account: `f${n}` })),
      });
      const res = await fetch(
        `http://127.0.0.1:${port}/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete&RequestTime=${1_700_000_000 + i}`,
        { method: 'POST', body },
      );
      expect(await res.text()).to.equal('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
    }
    child.kill('SIGKILL');
    await once(child, 'exit');

    const backend = new Downstream(() => ({ body: CONTINUE }));
    await backend.start(backendPort);
    const gateway = await startGateway({
      downstream: { url: `http://127.0.0.1:${backendPort}`, format: 'openim', timeoutMs: 200 },
      outbox: { url: outboxURL, pollMs: 20 },
    });
    try {
      const received = await backend.waitFor(events * 3, 10_000);
      for (let i = 0; i < 50 && (await gateway.outbox!.store.depth()).pending > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await gateway.outbox!.store.depth()).to.deep.equal({ pending: 0, dead: 0 });
      const keys = received.map((r) => String(r.headers['idempotency-key']));
      expect(new Set(keys).size).to.equal(events * 3);
      expect(keys).to.have.length(events * 3);
    } finally {
      await gateway.close();
      await backend.close();
    }
  }

  it('after kill -9 with deliveries pending, a restart on the same SQLite outbox delivers every part exactly once', () =>
    killAndRestart(`sqlite:${outboxFile('restart')}`));

  it('after kill -9 with deliveries pending, a restart on the same Redis outbox delivers every part exactly once', async function () {
    const url = await redisURL();
    if (!url) {
      if (process.env['CI']) throw new Error('redis-server is required in CI');
      this.skip();
    }
    const admin = new Redis(url);
    await admin.flushall();
    await admin.quit();
    await killAndRestart(url);
  });

  it('on SIGTERM it stops accepting, finishes the request under way and exits 0', async () => {
    const [port, backendPort] = [await freePort(), await freePort()];
    const backend = new Downstream(() => ({ body: CONTINUE, delayMs: 400 }));
    await backend.start(backendPort);
    const termOutbox = outboxFile('term');
    const child = await spawnGateway(port, backendPort, `sqlite:${termOutbox}`);
    try {
      const inFlight = fetch(`http://127.0.0.1:${port}/openim/callbackBeforeImportFriendsCommand`, {
        method: 'POST',
        body: fixture('openim', 'callbackBeforeImportFriendsCommand'),
      });
      await backend.waitFor(1);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal(CONTINUE);
      const [code] = await exited;
      expect(code).to.equal(0);
      let refused = false;
      await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => (refused = true));
      expect(refused).to.equal(true);
    } finally {
      child.kill('SIGKILL');
      await backend.close();
    }
  });
});
