/**
 * `npm run bench`: imbridge against two references, all in one run, on 127.0.0.1. Every subject runs
 * in its own process; each load is bounded (BENCH_SECONDS per subject, default 3, after 1 s of warm-up,
 * in BENCH_ROUNDS rounds, default 3, each in alternating order; rows are medians, ratios medians of
 * same-round ratios)
 * and every process is stopped at the end. Prints req/s answered and delivered (the bench backend counts
 * the calls it gets; an after-event is answered before it is delivered, so both matter), p50/p99,
 * imbridge's ratio to each reference on the lower of the two,
 * p99 at a steady 1 000 req/s (an evenly paced open-loop load, after 10 s at that rate) with the CPU
 * each subject spent per request there, imbridge's peak RSS, and whether each target is met.
 *
 * `npm run bench -- steady` runs only the steady-rate comparison (about 45 s a round), for tuning;
 * BENCH_PIN=1 pins the subjects to a core of their own (see PIN).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { NODE_FLAGS } from '../src/runtime.js';
import { paced, type PacedFigures } from './paced.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
/** Rounds of every load, each in alternating order, so that a noisy minute hits every subject alike. */
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const FIXED_RATE = 1_000;
/**
 * BENCH_PIN=1 (Linux, `taskset`): the subjects on the last core, the bench (the load) and the backend on
 * the others, so that a subject's tail is its own and not the scheduler's choice among three busy
 * processes on a small machine. Every subject is pinned alike; the default run shares all cores.
 */
const PIN = process.env['BENCH_PIN'] === '1' && availableParallelism() >= 2;
const SUBJECT_CPUS = String(availableParallelism() - 1);
const OTHER_CPUS = availableParallelism() > 2 ? `0-${availableParallelism() - 2}` : '0';

/** Sets the CPUs every thread of a process may run on (threads it starts later inherit them). */
function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
}

const tencentDelete = (pairs: number) =>
  JSON.stringify({
    CallbackCommand: 'Sns.CallbackFriendDelete',
    PairList: Array.from({ length: pairs }, (_, i) => ({ From_Account: 'alice', To_Account: `bob${i}` })),
  });
const tencentPath =
  '/tencent?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendDelete&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS';
const openimDelete =
  '{"callbackCommand":"callbackAfterDeleteFriendCommand","ownerUserID":"alice","friendUserID":"bob"}\n';
const openimImport =
  '{"callbackCommand":"callbackBeforeImportFriendsCommand","ownerUserID":"alice","friendUserIDs":["bob","carol"]}\n';

// Message callbacks, the hot path: every message a user sends passes a before-send.
const c2cPath =
  '/tencent?SdkAppid=1400000000&CallbackCommand=C2C.CallbackBeforeSendMsg&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS';
const c2cBeforeSend = JSON.stringify({
  CallbackCommand: 'C2C.CallbackBeforeSendMsg',
  From_Account: 'jared',
  To_Account: 'John',
  MsgSeq: 48374,
  MsgRandom: 2837546,
  MsgTime: 1557481126,
  MsgKey: '48374_2837546_1557481126',
  OnlineOnlyFlag: 0,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet <3 & 中文' } }],
  CloudCustomData: 'your cloud custom data',
});
// Groups: an invitation of 20 users asks an OpenIM-format backend once, every invitee a target.
const invitePath =
  '/tencent?SdkAppid=1400000000&CallbackCommand=Group.CallbackBeforeInviteJoinGroup&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS';
const tencentInvite20 = JSON.stringify({
  CallbackCommand: 'Group.CallbackBeforeInviteJoinGroup',
  GroupId: '@TGS#2J4SZEAEL',
  Type: 'Public',
  Operator_Account: 'leckie',
  DestinationMembers: Array.from({ length: 20 }, (_, i) => ({ Member_Account: `user${i}` })),
  EventTime: 1670574414123,
});
const groupAfterPath =
  '/tencent?SdkAppid=1400000000&CallbackCommand=Group.CallbackAfterSendMsg&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS';
const groupAfterSend = JSON.stringify({
  CallbackCommand: 'Group.CallbackAfterSendMsg',
  GroupId: '@TGS#2J4SZEAEL',
  Type: 'Public',
  From_Account: 'jared',
  Operator_Account: 'jared',
  Random: 123456,
  MsgSeq: 123,
  MsgTime: 1490686222,
  OnlineOnlyFlag: 0,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
  CloudCustomData: '',
  EventTime: 1670574414123,
});
const openimSingleBeforeSend =
  '{"sendID":"u1","callbackCommand":"callbackBeforeSendSingleMsgCommand","serverMsgID":"5f0c0b9a3c3e4b1d8e2a7c6d9b1e0f42",' +
  '"clientMsgID":"a1b2c3d4e5f60718293a4b5c6d7e8f90","operationID":"1719800000000123","senderPlatformID":2,' +
  '"senderNickname":"Alice","sessionType":1,"msgFrom":100,"contentType":101,"status":1,"sendTime":1719800000123,' +
  '"createTime":1719800000001,"content":"{\\"content\\":\\"hi \\\\u003cb\\\\u003e \\\\u0026 中文\\"}","seq":0,' +
  '"atUserList":null,"faceURL":"https://x/a.png?s=1\\u0026t=2","ex":"","recvID":"u2"}\n';

const children: ChildProcess[] = [];

/** The compiled servers beside the compiled bench (what `npm start` runs), or the sources under tsx. */
const compiled = import.meta.url.endsWith('.js');
const serversScript = new URL(compiled ? './servers.js' : './servers.ts', import.meta.url).pathname;

async function spawnServer(kind: string, ...args: string[]): Promise<{ url: string; pid: number }> {
  // imbridge runs with the node flags it starts with everywhere else.
  const flags = kind === 'imbridge' ? [...NODE_FLAGS] : [];
  const child = fork(serversScript, [kind, ...args], {
    execArgv: compiled ? flags : ['--import', 'tsx', ...flags],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const match = /ready (\S+)/.exec(line.toString());
  if (!match) throw new Error(`${kind} did not start: ${line}`);
  if (PIN) pin(child.pid!, kind === 'backend' || kind === 'silent' ? OTHER_CPUS : SUBJECT_CPUS);
  return { url: match[1]!, pid: child.pid! };
}

interface Figures {
  name: string;
  /** Callbacks answered per second. */
  rps: number;
  /** Callbacks whose downstream calls the backend received within the run, per second. */
  delivered: number;
  p50: number;
  p99: number;
  errors: number;
}

/** The median of some figures. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The lowest and highest of some figures, printed beside their median. */
function spread(values: number[], unit: string): string {
  return `(${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}${unit})`;
}

/** A subject's median round, by what it got through. */
function medianFigures(rounds: Figures[]): Figures {
  const sorted = [...rounds].sort((a, b) => sustained(a) - sustained(b));
  return sorted[(sorted.length - 1) >> 1]!;
}

/** What a subject gets through for good: answered and delivered. For after-events imbridge answers first. */
const sustained = (f: Figures) => Math.min(f.rps, f.delivered);

/** How many callbacks the bench backend has answered so far. */
async function answered(backendURL: string): Promise<number> {
  return Number(await (await fetch(`${backendURL}/count`)).text());
}

/**
 * Waits until a subject's outbox is empty (at most 60 s), so that what one load left behind is not
 * delivered during, and counted for, the next.
 */
async function drained(subjectURL: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ready = (await (await fetch(`${subjectURL}/readyz`)).json()) as { outbox?: { pending: number } };
    if (!ready.outbox || ready.outbox.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${subjectURL} still has deliveries pending after 60 s`);
}

interface Subject {
  name: string;
  /** Where the callbacks go. */
  url: string;
  body: string;
  /** Backend calls per callback (a fan-out makes several); 0 for the backend itself. */
  calls: number;
}

/**
 * Loads one subject as hard as CONNECTIONS connections can: 1 s of warm-up, then the measured run,
 * counting the backend calls that arrive meanwhile. Every imbridge's outbox (`outboxes`) is drained
 * first, so that only this subject's calls reach the backend during the run.
 */
async function load(s: Subject, backendURL: string, outboxes: string[]): Promise<Figures> {
  const opts = {
    url: s.url,
    method: 'POST' as const,
    body: s.body,
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
  };
  const drainAll = () => Promise.all(outboxes.map(drained));
  await drainAll();
  await autocannon({ ...opts, duration: 1 });
  await drainAll();
  const before = await answered(backendURL);
  const r = await autocannon({ ...opts, duration: SECONDS });
  const calls = (await answered(backendURL)) - before;
  const delivered = s.calls === 0 ? r.requests.average : calls / s.calls / SECONDS;
  return {
    name: s.name,
    rps: r.requests.average,
    delivered,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
  };
}

/** CPU time (user + system) a process has used so far, in ms, from the kernel. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), counted after the command name here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface SteadyFigures extends PacedFigures {
  name: string;
  /** The subject's CPU time per request at this rate, in µs. */
  cpuUs: number;
}

/**
 * A subject at an evenly paced FIXED_RATE: 10 s at that rate first — a steady-state figure must not
 * include V8 still optimising the code under test (the first seconds of a fresh imbridge show a p99
 * ten times the steady one) — then 10 s measured, with the subject's CPU time over them.
 */
async function steady(name: string, url: string, body: string, pid: number): Promise<SteadyFigures> {
  const opts = { url, body, rate: FIXED_RATE, connections: CONNECTIONS };
  await paced({ ...opts, seconds: 10 });
  const before = cpuMs(pid);
  const r = await paced({ ...opts, seconds: Math.max(SECONDS, 10) });
  return { name, ...r, cpuUs: ((cpuMs(pid) - before) * 1000) / r.sent };
}

/** Peak resident memory of a process, from the kernel (VmHWM), in MB. */
function peakRssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

const pad = (s: string, n: number) => s.padEnd(n);
function print(rows: Figures[]): void {
  console.log(
    `\n${pad('subject', 52)}${'req/s'.padStart(9)}${'delivered/s'.padStart(13)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.name, 52)}${r.rps.toFixed(0).padStart(9)}${r.delivered.toFixed(0).padStart(13)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.errors).padStart(8)}`,
    );
  }
  console.log(
    'req/s: callbacks answered; delivered/s: callbacks whose backend calls arrived within the run. The ratios use the lower of the two.',
  );
}

function printSteady(rows: SteadyFigures[]): void {
  console.log(
    `\n${pad('subject', 52)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'p99.9 ms'.padStart(10)}${'max ms'.padStart(9)}${'CPU µs/req'.padStart(12)}${'errors'.padStart(8)}`,
  );
  for (const r of rows) {
    const ms = (v: number, n: number) => v.toFixed(2).padStart(n);
    console.log(
      `${pad(r.name, 52)}${r.rps.toFixed(0).padStart(9)}${ms(r.p50, 9)}${ms(r.p99, 9)}${ms(r.p999, 10)}${ms(r.max, 9)}${r.cpuUs.toFixed(0).padStart(12)}${String(r.errors).padStart(8)}`,
    );
  }
}

const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
/** One target line: the median of same-round figures, the goal, whether it is met, and the spread. */
function target(label: string, each: number[], unit: string, ok: (v: number) => boolean, goal: string): void {
  const v = median(each);
  const shown = unit === '×' ? `${v.toFixed(2)}×` : `${v.toFixed(2)} ${unit}`;
  console.log(
    `${label.padEnd(43)}${shown.padEnd(9)}target ${goal.padEnd(9)}${check(ok(v))}  ${spread(each, unit === '×' ? '×' : ` ${unit}`)}`,
  );
}

const steadyOnly = process.argv[2] === 'steady';

try {
  if (PIN) pin(process.pid, OTHER_CPUS);
  console.log(
    `imbridge bench: ${CONNECTIONS} connections, ${SECONDS}s per subject, node ${process.version}, 127.0.0.1, ${compiled ? 'compiled build' : 'sources under tsx'}${PIN ? `, subjects pinned to CPU ${SUBJECT_CPUS}, load and backend to ${OTHER_CPUS}` : ''}`,
  );
  const backend = await spawnServer('backend');
  const bare = await spawnServer('bare', backend.url);
  const toOpenIM = await spawnServer('imbridge', backend.url, 'openim');
  // The same gateway mirroring every callback to a candidate that never answers (docs/migration.md#mirror-and-diff).
  const silent = await spawnServer('silent');
  const mirrored = await spawnServer('imbridge', backend.url, 'openim', silent.url);

  // Steady state at a fixed rate first, for every subject alike, before the max-load phases; ROUNDS
  // times, each in the opposite order to the last, and the median gap of same-round pairs is judged.
  const steadySubjects = [
    () => steady('reference: node:http + undici passthrough', `${bare.url}${tencentPath}`, tencentDelete(1), bare.pid),
    () =>
      steady(
        'imbridge: Tencent→OpenIM FriendDelete, 1 pair',
        `${toOpenIM.url}${tencentPath}`,
        tencentDelete(1),
        toOpenIM.pid,
      ),
    () => steady('imbridge: Tencent→OpenIM C2C before-send', `${toOpenIM.url}${c2cPath}`, c2cBeforeSend, toOpenIM.pid),
    () =>
      steady(
        'imbridge: C2C before-send, mirror never answers',
        `${mirrored.url}${c2cPath}`,
        c2cBeforeSend,
        mirrored.pid,
      ),
  ];
  const steadyRounds: SteadyFigures[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = steadySubjects.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    const figures: SteadyFigures[] = [];
    for (const i of order) figures[i] = await steadySubjects[i]!();
    steadyRounds.push(figures);
  }
  const steadyRows = steadyRounds.flat();
  const gaps = steadyRounds.map(([b, i]) => i!.p99 - b!.p99);
  const p99Gap = median(gaps);
  const messageGaps = steadyRounds.map(([b, , m]) => m!.p99 - b!.p99);
  const messageCpu = steadyRounds.map(([b, , m]) => m!.cpuUs / b!.cpuUs);
  // A mirror whose candidate never answers must not move the answers' tail: the same-round p99 gap,
  // judged against the noise, which is how far the unmirrored p99 itself moves between rounds.
  const mirrorGaps = steadyRounds.map(([, , m, mm]) => mm!.p99 - m!.p99);
  const unmirrored = steadyRounds.map(([, , m]) => m!.p99);
  const noise = Math.max(2, Math.max(...unmirrored) - Math.min(...unmirrored));
  const mirrorTarget = () =>
    target(
      'mirror never answering: before-send p99 gap:',
      mirrorGaps,
      'ms',
      (v) => v <= noise,
      `≤ ${noise.toFixed(1)} ms (noise)`,
    );
  const failed = steadyRows.some((r) => r.errors > 0);

  if (steadyOnly) {
    console.log(`\nat a steady ${FIXED_RATE} req/s (evenly paced, after 10 s at that rate):`);
    printSteady(steadyRows);
    console.log(
      `\np99 at ${FIXED_RATE} req/s, imbridge − bare:      ${p99Gap.toFixed(2)} ms target ≤ 2 ms   ${check(p99Gap <= 2)}  ${spread(gaps, ' ms')}`,
    );
    target('CPU per before-send / bare per request:', messageCpu, '×', (v) => v <= 2.5, '≤ 2.50×');
    target(`before-send p99 at ${FIXED_RATE}/s − bare:`, messageGaps, 'ms', (v) => v <= 2, '≤ 2 ms');
    mirrorTarget();
    console.log(`imbridge peak RSS:                         ${peakRssMB(toOpenIM.pid).toFixed(0)} MB`);
  } else {
    const koaAxios = await spawnServer('koa-axios', backend.url);
    const toTencent = await spawnServer('imbridge', backend.url, 'tencent');
    const toCanonical = await spawnServer('imbridge', backend.url, 'canonical');
    const subjects: Subject[] = [
      {
        name: 'backend alone',
        url: `${backend.url}/hooks/callbackAfterDeleteFriendCommand`,
        body: openimDelete,
        calls: 0,
      },
      {
        name: 'reference: node:http + undici passthrough',
        url: `${bare.url}${tencentPath}`,
        body: tencentDelete(1),
        calls: 1,
      },
      {
        name: 'reference: Koa + bodyparser + axios',
        url: `${koaAxios.url}${tencentPath}`,
        body: tencentDelete(1),
        calls: 1,
      },
      {
        name: 'imbridge: Tencent→OpenIM FriendDelete, 1 pair',
        url: `${toOpenIM.url}${tencentPath}`,
        body: tencentDelete(1),
        calls: 1,
      },
      {
        name: 'imbridge: Tencent→OpenIM FriendDelete, 3 pairs',
        url: `${toOpenIM.url}${tencentPath}`,
        body: tencentDelete(3),
        calls: 3,
      },
      {
        name: 'imbridge: OpenIM→Tencent before-import (sync)',
        url: `${toTencent.url}/openim/callbackBeforeImportFriendsCommand`,
        body: openimImport,
        calls: 1,
      },
      {
        name: 'imbridge: Tencent→canonical FriendDelete',
        url: `${toCanonical.url}${tencentPath}`,
        body: tencentDelete(1),
        calls: 1,
      },
      {
        name: 'imbridge: Tencent→OpenIM C2C before-send (sync)',
        url: `${toOpenIM.url}${c2cPath}`,
        body: c2cBeforeSend,
        calls: 1,
      },
      {
        name: 'imbridge: OpenIM→Tencent single before-send (sync)',
        url: `${toTencent.url}/openim/callbackBeforeSendSingleMsgCommand`,
        body: openimSingleBeforeSend,
        calls: 1,
      },
      {
        name: 'imbridge: Tencent→OpenIM group after-send',
        url: `${toOpenIM.url}${groupAfterPath}`,
        body: groupAfterSend,
        calls: 1,
      },
      {
        name: 'imbridge: Tencent→OpenIM group invite, 20 members (sync)',
        url: `${toOpenIM.url}${invitePath}`,
        body: tencentInvite20,
        calls: 1,
      },
    ];
    const outboxes = [toOpenIM.url, toTencent.url, toCanonical.url];
    const rounds: Figures[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? subjects : [...subjects].reverse();
      const figures = new Map<string, Figures>();
      for (const s of order) figures.set(s.name, await load(s, backend.url, outboxes));
      rounds.push(subjects.map((s) => figures.get(s.name)!));
    }
    // Each subject's row is its median round; each ratio is the median of same-round ratios.
    const rows = subjects.map((_, i) => medianFigures(rounds.map((r) => r[i]!)));
    print(rows);
    const ratio = (i: number, ref: number) => rounds.map((r) => sustained(r[i]!) / sustained(r[ref]!));
    const [vsKoaEach, vsBareEach] = [ratio(3, 2), ratio(3, 1)];
    const [msgVsBareEach, msgVsKoaEach, o2tVsBareEach, afterVsBareEach] = [
      ratio(7, 1),
      ratio(7, 2),
      ratio(8, 1),
      ratio(9, 1),
    ];
    const [inviteVsBareEach, inviteVsKoaEach] = [ratio(10, 1), ratio(10, 2)];

    console.log(`\nat a steady ${FIXED_RATE} req/s (evenly paced, after 10 s at that rate), ${ROUNDS} rounds:`);
    printSteady(steadyRows);

    const rssEach = {
      openim: peakRssMB(toOpenIM.pid),
      tencent: peakRssMB(toTencent.pid),
      canonical: peakRssMB(toCanonical.pid),
    };
    const rss = Math.max(...Object.values(rssEach));
    const vsKoa = median(vsKoaEach);
    const vsBare = median(vsBareEach);
    console.log(`\nmedians of ${ROUNDS} rounds (spread: lowest–highest round):`);
    console.log(
      `imbridge (1 pair) / Koa+axios reference:   ${vsKoa.toFixed(2)}×   target ≥ 1.30×  ${check(vsKoa >= 1.3)}  ${spread(vsKoaEach, '×')}`,
    );
    console.log(
      `imbridge (1 pair) / bare undici reference: ${vsBare.toFixed(2)}×   target ≥ 0.35×  ${check(vsBare >= 0.35)}  ${spread(vsBareEach, '×')}`,
    );
    console.log(
      `p99 at ${FIXED_RATE} req/s, imbridge − bare:      ${p99Gap.toFixed(2)} ms target ≤ 2 ms   ${check(p99Gap <= 2)}  ${spread(gaps, ' ms')}`,
    );
    console.log(
      `imbridge peak RSS:                         ${rss.toFixed(0)} MB   target ≤ 150 MB ${check(rss <= 150)}  (${Object.entries(
        rssEach,
      )
        .map(([k, v]) => `${k}-format ${v.toFixed(0)} MB`)
        .join(', ')})`,
    );
    console.log('\nmessages (the synchronous before-send is the hot path):');
    target('C2C before-send / bare undici reference:', msgVsBareEach, '×', (v) => v >= 0.45, '≥ 0.45×');
    target('C2C before-send / Koa+axios reference:', msgVsKoaEach, '×', (v) => v >= 1.5, '≥ 1.50×');
    target('OpenIM→Tencent before-send / bare:', o2tVsBareEach, '×', (v) => v >= 0.45, '≥ 0.45×');
    target('group after-send delivered / bare:', afterVsBareEach, '×', (v) => v >= 0.5, '≥ 0.50×');
    target('CPU per before-send / bare per request:', messageCpu, '×', (v) => v <= 2.5, '≤ 2.50×');
    target(`before-send p99 at ${FIXED_RATE}/s − bare:`, messageGaps, 'ms', (v) => v <= 2, '≤ 2 ms');
    console.log('\nmigration toolkit:');
    mirrorTarget();
    console.log(`mirrored imbridge peak RSS:                ${peakRssMB(mirrored.pid).toFixed(0)} MB`);
    console.log('\ngroups (no target set; reported beside the references):');
    console.log(
      `invite of 20 / bare undici reference:      ${median(inviteVsBareEach).toFixed(2)}×  ${spread(inviteVsBareEach, '×')}`,
    );
    console.log(
      `invite of 20 / Koa+axios reference:        ${median(inviteVsKoaEach).toFixed(2)}×  ${spread(inviteVsKoaEach, '×')}`,
    );
    if (rounds.flat().some((r) => r.errors > 0)) process.exitCode = 1;
  }
  if (failed) process.exitCode = 1;
  if (process.exitCode) console.error('\nsome requests failed: figures above are not valid');
} finally {
  for (const c of children) c.kill();
}
