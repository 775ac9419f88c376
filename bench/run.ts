/**
 * `npm run bench`: imbridge against two references, all in one run, on 127.0.0.1. Every subject runs
 * in its own process; each load is bounded (BENCH_SECONDS per subject, default 5, after 1 s of warm-up)
 * and every process is stopped at the end. Prints req/s, p50/p99, imbridge's ratio to each reference,
 * p99 at a steady ~1 000 req/s (after 10 s at that rate), imbridge's peak RSS, and whether each target
 * is met.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const FIXED_RATE = 1_000;

const tencentDelete = (pairs: number) =>
  JSON.stringify({ CallbackCommand: 'Sns.CallbackFriendDelete', PairList: Array.from({ length: pairs }, (_, i) => ({ From_Account: 'alice', To_Account: `bob${i}` })) });
const tencentPath = '/tencent?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendDelete&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS';
const openimDelete = '{"callbackCommand":"callbackAfterDeleteFriendCommand","ownerUserID":"alice","friendUserID":"bob"}\n';
const openimImport = '{"callbackCommand":"callbackBeforeImportFriendsCommand","ownerUserID":"alice","friendUserIDs":["bob","carol"]}\n';

const children: ChildProcess[] = [];

/** The compiled servers beside the compiled bench (what `npm start` runs), or the sources under tsx. */
const compiled = import.meta.url.endsWith('.js');
const serversScript = new URL(compiled ? './servers.js' : './servers.ts', import.meta.url).pathname;

async function spawnServer(kind: string, ...args: string[]): Promise<{ url: string; pid: number }> {
  const child = fork(serversScript, [kind, ...args], {
    execArgv: compiled ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const match = /ready (\S+)/.exec(line.toString());
  if (!match) throw new Error(`${kind} did not start: ${line}`);
  return { url: match[1]!, pid: child.pid! };
}

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Loads one subject: a warm-up, then the measured run. A fixed-rate run warms up for 10 s at that same
 * rate and is measured for 10 s — a steady-state latency figure must not include V8 still optimising
 * the code under test (the first seconds of a fresh imbridge show a p99 ten times the steady one).
 */
async function load(name: string, url: string, body: string, rate?: number): Promise<Figures> {
  const opts = { url, method: 'POST' as const, body, headers: { 'content-type': 'application/json' }, connections: CONNECTIONS, ...(rate ? { overallRate: rate } : {}) };
  await autocannon({ ...opts, duration: rate ? 10 : 1 });
  const r = await autocannon({ ...opts, duration: rate ? Math.max(SECONDS, 10) : SECONDS });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts };
}

/** Peak resident memory of a process, from the kernel (VmHWM), in MB. */
function peakRssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

const pad = (s: string, n: number) => s.padEnd(n);
function print(rows: Figures[]): void {
  console.log(`\n${pad('subject', 52)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}`);
  for (const r of rows) {
    console.log(`${pad(r.name, 52)}${r.rps.toFixed(0).padStart(9)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.errors).padStart(8)}`);
  }
}

try {
  console.log(`imbridge bench: ${CONNECTIONS} connections, ${SECONDS}s per subject, node ${process.version}, 127.0.0.1, ${compiled ? 'compiled build' : 'sources under tsx'}`);
  const backend = await spawnServer('backend');
  const bare = await spawnServer('bare', backend.url);
  const koaAxios = await spawnServer('koa-axios', backend.url);
  const toOpenIM = await spawnServer('imbridge', backend.url, 'openim');
  const toTencent = await spawnServer('imbridge', backend.url, 'tencent');
  const toCanonical = await spawnServer('imbridge', backend.url, 'canonical');

  // Steady state at a fixed rate first, for both subjects alike, before the max-load phases.
  const fixedBare = await load('reference: node:http + undici passthrough', `${bare.url}${tencentPath}`, tencentDelete(1), FIXED_RATE);
  const fixedImbridge = await load('imbridge: Tencent→OpenIM FriendDelete, 1 pair', `${toOpenIM.url}${tencentPath}`, tencentDelete(1), FIXED_RATE);

  const rows = [
    await load('backend alone', `${backend.url}/hooks/callbackAfterDeleteFriendCommand`, openimDelete),
    await load('reference: node:http + undici passthrough', `${bare.url}${tencentPath}`, tencentDelete(1)),
    await load('reference: Koa + bodyparser + axios', `${koaAxios.url}${tencentPath}`, tencentDelete(1)),
    await load('imbridge: Tencent→OpenIM FriendDelete, 1 pair', `${toOpenIM.url}${tencentPath}`, tencentDelete(1)),
    await load('imbridge: Tencent→OpenIM FriendDelete, 3 pairs', `${toOpenIM.url}${tencentPath}`, tencentDelete(3)),
    await load('imbridge: OpenIM→Tencent before-import (sync)', `${toTencent.url}/openim/callbackBeforeImportFriendsCommand`, openimImport),
    await load('imbridge: Tencent→canonical FriendDelete', `${toCanonical.url}${tencentPath}`, tencentDelete(1)),
  ];
  print(rows);
  const [, bareRow, koaRow, onePair] = rows as [Figures, Figures, Figures, Figures];

  console.log(`\np99 at a fixed ${FIXED_RATE} req/s (steady state: after 10 s at that rate):`);
  print([fixedBare, fixedImbridge]);

  const rssEach = { openim: peakRssMB(toOpenIM.pid), tencent: peakRssMB(toTencent.pid), canonical: peakRssMB(toCanonical.pid) };
  const rss = Math.max(...Object.values(rssEach));
  const vsKoa = onePair.rps / koaRow.rps;
  const vsBare = onePair.rps / bareRow.rps;
  const p99Gap = fixedImbridge.p99 - fixedBare.p99;
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`\nimbridge (1 pair) / Koa+axios reference:   ${vsKoa.toFixed(2)}×   target ≥ 1.30×  ${check(vsKoa >= 1.3)}`);
  console.log(`imbridge (1 pair) / bare undici reference: ${vsBare.toFixed(2)}×   target ≥ 0.35×  ${check(vsBare >= 0.35)}`);
  console.log(`p99 at ${FIXED_RATE} req/s, imbridge − bare:      ${p99Gap.toFixed(1)} ms  target ≤ 2 ms   ${check(p99Gap <= 2)}`);
  console.log(`imbridge peak RSS:                         ${rss.toFixed(0)} MB   target ≤ 150 MB ${check(rss <= 150)}  (${Object.entries(rssEach).map(([k, v]) => `${k}-format ${v.toFixed(0)} MB`).join(', ')})`);
  if (rows.some((r) => r.errors > 0) || fixedBare.errors + fixedImbridge.errors > 0) {
    console.error('\nsome requests failed: figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  for (const c of children) c.kill();
}
