import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Downstream } from './helpers/downstream.js';
import { tempDir } from './helpers/tempDir.js';

async function freePort(): Promise<number> {
  const probe = new Downstream();
  const url = await probe.start();
  await probe.close();
  return Number(new URL(url).port);
}

describe('multi-core: IMBRIDGE_WORKERS', function () {
  this.timeout(60_000);

  it('runs N workers on one port, sums their metrics on the primary, and stops cleanly on SIGTERM', async () => {
    const backend = new Downstream(() => ({
      body: { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 },
    }));
    const backendURL = await backend.start();
    const [port, metricsPort] = [await freePort(), await freePort()];
    const dir = tempDir('cluster');
    const configFile = join(dir, 'imbridge.yaml');
    writeFileSync(configFile, `server:\n  metricsPort: ${metricsPort}\n`);
    const primary = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        IMBRIDGE_WORKERS: '2',
        HOST: '127.0.0.1',
        PORT: String(port),
        DOWNSTREAM_URL: backendURL,
        DOWNSTREAM_FORMAT: 'openim',
        OUTBOX_URL: `sqlite:${join(dir, 'outbox.sqlite')}`,
        LOG_LEVEL: 'silent',
        IMBRIDGE_CONFIG: configFile,
      },
      stdio: 'ignore',
    });
    try {
      for (let i = 0; i < 300; i++) {
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const children = execFileSync('pgrep', ['-P', String(primary.pid)])
        .toString()
        .trim()
        .split('\n');
      expect(children, 'worker processes').to.have.length(2);
      // Enough requests on fresh connections that both workers take some.
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/openim/callbackAfterDeleteFriendCommand`, {
          method: 'POST',
          body: JSON.stringify({
            callbackCommand: 'callbackAfterDeleteFriendCommand',
            ownerUserID: `o${i}`,
            friendUserID: 'f',
          }),
          headers: { connection: 'close', Operationid: `op-${i}` },
        });
        expect(res.status).to.equal(200);
      }
      await backend.waitFor(20, 10_000);
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const total = text
        .split('\n')
        .filter(
          (l) => l.startsWith('imbridge_callbacks_total{') && l.includes('command="callbackAfterDeleteFriendCommand"'),
        )
        .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
      expect(total).to.equal(20);
      const exited = once(primary, 'exit');
      primary.kill('SIGTERM');
      const [code] = await exited;
      expect(code).to.equal(0);
    } finally {
      primary.kill('SIGKILL');
      await backend.close();
    }
  });
});
