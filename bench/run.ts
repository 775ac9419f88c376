/**
 * `npm run bench`: req/s and latency of imbridge against two references, all in one run, on 127.0.0.1.
 * Every run is bounded (BENCH_SECONDS per subject, default 5, after a 1 s warm-up); every server runs
 * in its own process and is stopped at the end.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);

const tencentBody = JSON.stringify({ CallbackCommand: 'Sns.CallbackFriendDelete', PairList: [{ From_Account: 'alice', To_Account: 'bob' }] });
const tencentPath = '/tencent?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendDelete&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS';
const openimBody = '{"callbackCommand":"callbackAfterDeleteFriendCommand","ownerUserID":"alice","friendUserID":"bob"}\n';

const children: ChildProcess[] = [];

async function spawnServer(kind: string, backendURL = ''): Promise<string> {
  const child = fork(new URL('./servers.ts', import.meta.url).pathname, [kind, backendURL], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const match = /ready (\S+)/.exec(line.toString());
  if (!match) throw new Error(`${kind} did not start: ${line}`);
  return match[1]!;
}

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(name: string, url: string, body: string, overrideRate?: number): Promise<Figures> {
  const opts = { url, method: 'POST' as const, body, headers: { 'content-type': 'application/json' }, connections: CONNECTIONS };
  await autocannon({ ...opts, duration: 1 });
  const r = await autocannon({ ...opts, duration: SECONDS, ...(overrideRate ? { overallRate: overrideRate } : {}) });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts };
}

function print(rows: Figures[]): void {
  console.log(`\n${'subject'.padEnd(44)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(44)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.errors).padStart(8)}`);
  }
}

try {
  console.log(`imbridge bench: ${CONNECTIONS} connections, ${SECONDS}s per subject, node ${process.version}, 127.0.0.1`);
  const backend = await spawnServer('backend');
  const bare = await spawnServer('bare', backend);
  const koaAxios = await spawnServer('koa-axios', backend);
  const imbridge = await spawnServer('imbridge', backend);

  const rows = [
    await load('backend alone', `${backend}/hooks/callbackAfterDeleteFriendCommand`, openimBody),
    await load('reference: node:http + undici passthrough', `${bare}${tencentPath}`, tencentBody),
    await load('reference: Koa + bodyparser + axios', `${koaAxios}${tencentPath}`, tencentBody),
    await load('imbridge: Tencent→OpenIM FriendDelete, 1 pair', `${imbridge}${tencentPath}`, tencentBody),
  ];
  print(rows);
  const [, bareRow, koaRow, imRow] = rows as [Figures, Figures, Figures, Figures];
  console.log(`\nimbridge / Koa+axios reference:   ${(imRow.rps / koaRow.rps).toFixed(2)}×`);
  console.log(`imbridge / bare undici reference: ${(imRow.rps / bareRow.rps).toFixed(2)}×`);
  if (rows.some((r) => r.errors > 0)) {
    console.error('\nsome requests failed: figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  for (const c of children) c.kill();
}
