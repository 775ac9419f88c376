/**
 * `npm run soak`: 10 000 after-events through a real imbridge process while the backend flaps, with
 * the gateway killed (`kill -9`) and restarted once half-way. Reports what the backend received:
 * delivered (distinct events), duplicates (same idempotency key accepted twice) and lost (acked by
 * imbridge but never delivered). Bounded: SOAK_EVENTS (default 10000), at most SOAK_SECONDS (default
 * 180) in all; SOAK_PAIRS (default 1) pairs per event, each pair one delivery to the OpenIM-format
 * backend, so the parts of fan-outs are soaked too; everything runs on 127.0.0.1 and stops by itself. `OUTBOX_URL=redis://127.0.0.1:6379`
 * soaks the Redis outbox instead of a fresh SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';

const EVENTS = Number(process.env['SOAK_EVENTS'] ?? 10_000);
const DEADLINE = Date.now() + Number(process.env['SOAK_SECONDS'] ?? 180) * 1000;
const PAIRS = Number(process.env['SOAK_PAIRS'] ?? 1);
const CONCURRENCY = 32;

// --- the flapping backend: up 1 s, then 0.5 s answering 503, over and over ---
const accepted = new Map<string, number>();
let attempts = 0;
const started = Date.now();
const backendUp = () => (Date.now() - started) % 1500 < 1000;
const backend = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    attempts++;
    if (!backendUp()) {
      res.statusCode = 503;
      res.end();
      return;
    }
    const key = String(req.headers['idempotency-key']);
    accepted.set(key, (accepted.get(key) ?? 0) + 1);
    res.setHeader('content-type', 'application/json');
    res.end('{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}');
  });
});
await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
const backendURL = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

// --- imbridge as an operator runs it ---
const dir = mkdtempSync(join(tmpdir(), 'imbridge-soak-'));
const configFile = join(dir, 'imbridge.yaml');
writeFileSync(
  configFile,
  'downstream:\n  timeoutMs: 1000\n  concurrency: 32\noutbox:\n  baseDelayMs: 50\n  maxDelayMs: 1000\n  pollMs: 50\n  maxAttempts: 1000\n',
);
const port = await new Promise<number>((resolve) => {
  const probe = http.createServer().listen(0, '127.0.0.1', () => {
    const p = (probe.address() as AddressInfo).port;
    probe.close(() => resolve(p));
  });
});
const gatewayURL = `http://127.0.0.1:${port}`;

async function startImbridge(): Promise<ChildProcess> {
  // The compiled CLI when the soak itself runs compiled (npm run soak), else the sources under tsx.
  const cli = import.meta.url.endsWith('.js') ? ['dist/src/cli.js'] : ['--import', 'tsx', 'src/cli.ts'];
  const child = spawn(process.execPath, [...cli, 'serve'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      IMBRIDGE_CONFIG: configFile,
      HOST: '127.0.0.1',
      PORT: String(port),
      DOWNSTREAM_URL: backendURL,
      DOWNSTREAM_FORMAT: 'openim',
      OUTBOX_URL: process.env['OUTBOX_URL'] ?? `sqlite:${join(dir, 'outbox.sqlite')}`,
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  for (;;) {
    if (Date.now() > DEADLINE) throw new Error('imbridge did not start in time');
    try {
      const r = await request(`${gatewayURL}/healthz`);
      await r.body.text();
      if (r.statusCode === 200) return child;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// --- the load: one Tencent FriendDelete per event, each a distinct delivery ---
const agent = new Agent({ connections: CONCURRENCY });
let acked = 0;
let refusedSends = 0;
async function send(i: number): Promise<void> {
  const PairList = Array.from({ length: PAIRS }, (_, p) => ({ From_Account: `soak${p}`, To_Account: `f${i}` }));
  const body = JSON.stringify({ CallbackCommand: 'Sns.CallbackFriendDelete', PairList });
  const path = `/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete&RequestTime=${1_700_000_000 + i}`;
  // An IM server whose callback fails does not retry; the soak does, to measure only what imbridge acked.
  while (Date.now() < DEADLINE) {
    try {
      const r = await request(gatewayURL + path, { method: 'POST', body, dispatcher: agent });
      const text = await r.body.text();
      if (r.statusCode === 200 && text.includes('"OK"')) {
        acked++;
        return;
      }
    } catch {
      refusedSends++;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('soak ran out of time while sending');
}

let child = await startImbridge();
console.log(
  `imbridge soak: ${EVENTS} after-events of ${PAIRS} pair(s), backend flapping (1 s up / 0.5 s 503), one kill -9 at ${EVENTS / 2}, outbox ${process.env['OUTBOX_URL'] ?? 'sqlite'}`,
);
let next = 0;
let killed = false;
const t0 = Date.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < EVENTS) {
      const i = next++;
      if (!killed && i >= EVENTS / 2) {
        killed = true;
        child.kill('SIGKILL');
        await once(child, 'exit');
        console.log(`killed imbridge (kill -9) after ${acked} acks; restarting on the same outbox`);
        child = await startImbridge();
      }
      await send(i);
    }
  }),
);
const sendSeconds = (Date.now() - t0) / 1000;
// Every pair of an acked event is one delivery with a key of its own.
const due = acked * PAIRS;
while (accepted.size < due && Date.now() < DEADLINE) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 1000)); // late duplicates, if any, arrive now
const delivered = accepted.size;
const duplicates = [...accepted.values()].reduce((n, c) => n + c - 1, 0);
console.log(`acked ${acked} in ${sendSeconds.toFixed(1)} s (${refusedSends} sends refused while imbridge restarted)`);
console.log(`delivered ${delivered} of ${due}, duplicates ${duplicates}, lost ${due - delivered}`);
console.log(`backend saw ${attempts} attempts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
child.kill('SIGTERM');
await once(child, 'exit');
await agent.close();
backend.close();
rmSync(dir, { recursive: true, force: true });
process.exitCode = acked === EVENTS && delivered === due ? 0 : 1;
