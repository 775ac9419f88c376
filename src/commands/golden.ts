import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { DownstreamFormat, Vendor } from '../canonical/types.js';
import { configSchema } from '../config/schema.js';
import { parseRecording, postCallback } from '../record/recording.js';
import { startLocalGateway } from './localGateway.js';

/**
 * `imbridge test DIR` (docs/migration.md#golden-tests): a user's own cases, each one incoming callback
 * and what imbridge must do with it — the downstream requests for a backend format and the answer to
 * the IM server — run through the real gateway against a real backend on 127.0.0.1, with a fixed
 * clock. `--from-recording` writes such cases from a recording: today's translation becomes golden.
 */

/** One golden case, as written in a YAML or JSON file. */
export interface GoldenCase {
  name?: string;
  /** The IM server that calls. */
  from: Vendor;
  command: string;
  /** Tencent: the callback query (the command is added when absent). */
  query?: Record<string, string>;
  /** OpenIM: request headers (`operationID`). */
  headers?: Record<string, string>;
  /** The body as JSON, or `bodyRaw` as exact text. */
  body?: unknown;
  bodyRaw?: string;
  /** The backend's format. */
  to: DownstreamFormat;
  /** Other imbridge config for this case (e.g. `tencent.sdkAppId`, `downstream.commands`). */
  config?: Record<string, unknown>;
  /** The backend's reply to every call: JSON, or text; default: that format's allow. */
  reply?: unknown;
  /** The clock, ISO 8601 (default 2026-01-01T00:00:00Z). */
  now?: string;
  expect: {
    /** Every downstream request, in any order. */
    requests?: ExpectedRequest[];
    /** The body answered to the IM server (JSON). */
    answer?: unknown;
    /** The HTTP status answered (default 200). */
    status?: number;
  };
}

/** A downstream request as compared: the path below the backend URL, some headers, the body. */
export interface ExpectedRequest {
  /** Default POST. */
  method?: string;
  path: string;
  /** Only the headers listed are compared (names in lower case). */
  headers?: Record<string, string>;
  /** The body as JSON, or `bytes` as exact text. */
  body?: unknown;
  bytes?: string;
}

/** One case's result: passed, or the unified diff of what differed. */
export interface GoldenResult {
  name: string;
  file: string;
  ok: boolean;
  diff: string;
}

/** Stands in for the event id (random unless the vendor stamped the delivery) wherever it occurs. */
export const EVENT_ID = '{{eventId}}';
const DEFAULT_NOW = '2026-01-01T00:00:00.000Z';
const ALLOW: Record<DownstreamFormat, string> = {
  tencent: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}',
  openim: '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}',
  canonical: '{"decision":"allow"}',
};
/** Headers written into cases made from a recording. */
const KEPT_HEADERS = ['content-type', 'operationid'];

/** Reads every `*.yaml`, `*.yml` and `*.json` case in `dir`, in name order. */
export function loadCases(dir: string): { file: string; case: GoldenCase }[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const parsed = (f.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as GoldenCase;
      if (!parsed || (parsed.from !== 'tencent' && parsed.from !== 'openim') || typeof parsed.command !== 'string')
        throw new Error(`${f}: a case needs from (tencent|openim), command, to and expect`);
      if (!['tencent', 'openim', 'canonical'].includes(parsed.to))
        throw new Error(`${f}: to must be tencent, openim or canonical`);
      return { file: f, case: { ...parsed, expect: parsed.expect ?? {} } };
    });
}

/** A recorded downstream request. */
interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A real backend on 127.0.0.1 that records requests and answers with the current case's reply. */
async function startBackend(): Promise<{ url: string; seen: Seen[]; reply: { text: string }; server: Server }> {
  const seen: Seen[] = [];
  const reply = { text: '' };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.setHeader('content-type', 'application/json');
      res.end(reply.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, seen, reply, server };
}

/** Waits until the backend has had `expected` requests (when known) and then nothing new for a moment. */
async function settle(seen: Seen[], expected: number | undefined): Promise<void> {
  const until = Date.now() + 5_000;
  let count = -1;
  let quietSince = Date.now();
  while (Date.now() < until) {
    if (seen.length !== count) {
      count = seen.length;
      quietSince = Date.now();
    }
    if ((expected === undefined || count >= expected) && Date.now() - quietSince >= 150) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Replaces the event id (read from the Idempotency-Key headers) wherever it occurs. */
function withoutEventIds(requests: Seen[]): Seen[] {
  const ids = new Set(requests.map((r) => (r.headers['idempotency-key'] ?? '').replace(/\.\d+$/, '')).filter(Boolean));
  const swap = (s: string) => [...ids].reduce((t, id) => t.split(id).join(EVENT_ID), s);
  return requests.map((r) => ({
    method: r.method,
    path: swap(r.path),
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, swap(v)])),
    body: swap(r.body),
  }));
}

/** A body as the case compares it: parsed JSON when it is JSON. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What actually happened, in the case's terms: `headers` keeps the names `pick` lists. */
function observed(seen: Seen[], pick: (i: number) => string[], exact: boolean): ExpectedRequest[] {
  return seen.map((r, i) => {
    const names = pick(i);
    const out: ExpectedRequest = { method: r.method, path: r.path };
    if (names.length > 0) out.headers = Object.fromEntries(names.map((n) => [n, r.headers[n] ?? '']));
    if (exact) out.bytes = r.body;
    else out.body = jsonOrText(r.body);
    return out;
  });
}

/** A value with every object's keys in sorted order, recursively (arrays keep theirs). */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]),
  );
}

/** Requests in a stable order (fanned-out calls arrive in any order). */
const ordered = (list: ExpectedRequest[]) => {
  const key = (r: ExpectedRequest) => JSON.stringify(sortedKeys(r));
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
};

/** Runs cases grouped by backend format and config, one gateway and backend per group. */
export async function runCases(
  cases: { file: string; case: GoldenCase }[],
  write?: (file: string, c: GoldenCase) => void,
): Promise<GoldenResult[]> {
  const groups = new Map<string, { file: string; case: GoldenCase }[]>();
  for (const c of cases) {
    const key = `${c.case.to}\n${JSON.stringify(c.case.config ?? {})}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const results: GoldenResult[] = [];
  for (const group of groups.values()) {
    const first = group[0]!.case;
    const backend = await startBackend();
    const clock = { ms: Date.parse(DEFAULT_NOW) };
    const local = await startLocalGateway(
      'golden',
      (dir) =>
        configSchema.validateSync({
          logLevel: 'silent',
          ...first.config,
          downstream: { ...(first.config?.['downstream'] as object), url: backend.url, format: first.to },
          outbox: { url: `sqlite:${join(dir, 'outbox.db')}`, pollMs: 20 },
        }),
      () => clock.ms,
    );
    try {
      for (const { file, case: c } of group) {
        results.push(await runCase(local.url, backend, clock, file, c, write));
      }
    } finally {
      await local.stop();
      backend.server.closeAllConnections();
      await new Promise<void>((resolve) => backend.server.close(() => resolve()));
      rmSync(local.dir, { recursive: true, force: true });
    }
  }
  return results;
}

async function runCase(
  url: string,
  backend: Awaited<ReturnType<typeof startBackend>>,
  clock: { ms: number },
  file: string,
  c: GoldenCase,
  write?: (file: string, c: GoldenCase) => void,
): Promise<GoldenResult> {
  const name = c.name ?? basename(file).replace(/\.(ya?ml|json)$/, '');
  backend.seen.length = 0;
  backend.reply.text =
    c.reply === undefined ? ALLOW[c.to] : typeof c.reply === 'string' ? c.reply : JSON.stringify(c.reply);
  clock.ms = Date.parse(c.now ?? DEFAULT_NOW);
  const res = await postCallback(url, {
    vendor: c.from,
    command: c.command,
    query: c.query,
    headers: c.headers,
    body: c.bodyRaw ?? JSON.stringify(c.body ?? {}),
  });
  const answer = jsonOrText(await res.text());
  await settle(backend.seen, c.expect.requests?.length);
  const seen = withoutEventIds(backend.seen);
  if (write) {
    const requests = observed(seen, (i) => KEPT_HEADERS.filter((h) => seen[i]!.headers[h] !== undefined), false);
    write(file, { ...c, name, expect: { status: res.status, answer, requests: ordered(requests) } });
    return { name, file, ok: true, diff: '' };
  }
  // Only what the case states is compared: the headers it names, bytes where it gives bytes.
  const wanted = c.expect.requests ?? [];
  const names = [...new Set(wanted.flatMap((w) => Object.keys(w.headers ?? {})))];
  const exact = wanted.some((w) => w.bytes !== undefined);
  const expected = {
    status: c.expect.status ?? 200,
    answer: c.expect.answer === undefined ? answer : c.expect.answer,
    requests: ordered(wanted.map((w) => ({ ...w, method: w.method ?? 'POST' }))),
  };
  const actual = { status: res.status, answer, requests: ordered(observed(seen, () => names, exact)) };
  // JSON is compared as JSON: key order aside (exact bytes are what `bytes` is for).
  const a = stringifyYaml(sortedKeys(expected));
  const b = stringifyYaml(sortedKeys(actual));
  return {
    name,
    file,
    ok: a === b,
    diff: a === b ? '' : createTwoFilesPatch(`${file} (expected)`, `${file} (actual)`, a, b),
  };
}

/** Writes one case per recorded callback (`NNNN-<command>.yaml`), expecting what today's imbridge does. */
export async function casesFromRecording(recording: string, format: DownstreamFormat, outDir: string): Promise<number> {
  const lines = parseRecording(readFileSync(recording, 'utf8'), recording);
  mkdirSync(outDir, { recursive: true });
  const cases = lines.map((r, i) => ({
    file: `${String(i + 1).padStart(4, '0')}-${r.command}.yaml`,
    case: {
      from: r.vendor,
      command: r.command,
      ...(r.query && { query: r.query }),
      ...(r.headers && { headers: r.headers }),
      bodyRaw: r.body,
      to: format,
      now: r.at,
      expect: {},
    } satisfies GoldenCase,
  }));
  await runCases(cases, (file, c) => writeFileSync(join(outDir, file), stringifyYaml(c)));
  return cases.length;
}
