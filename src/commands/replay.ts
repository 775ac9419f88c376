import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { DownstreamFormat } from '../canonical/types.js';
import type { Config } from '../config/schema.js';
import { configSchema } from '../config/schema.js';
import { compareDecisions, type Decided, type Difference } from '../migration/compare.js';
import type { MirrorCount, MirrorDisagreement, MirrorHistory } from '../outbox/store.js';
import { parseRecording, postCallback, type RecordedCallback } from '../record/recording.js';
import { startLocalGateway } from './localGateway.js';

/**
 * `imbridge replay` (docs/migration.md#record-and-replay): recorded callbacks sent again, at a paced
 * rate, through a gateway of this version running on 127.0.0.1 — the same decode → plan → send path
 * live traffic takes — to the backend named; with `compare`, each decision is set beside the one
 * recorded, in canonical terms.
 */

export interface ReplayOptions {
  file: string;
  /** The backend to send to, and its format. */
  to: string;
  format: DownstreamFormat;
  /** Callbacks per second (default 50). */
  rate?: number;
  /** Only this vendor command. */
  only?: string;
  /** Fields left out of the comparison (`code`, `message`, `patch`, `patch.<key>`). */
  ignore?: string[];
  /** The rest of the configuration (deadlines, failure rules, `tencent.sdkAppId` …); defaults when absent. */
  config?: Config;
  /** Show a progress bar on stderr. */
  progress?: boolean;
}

export interface ReplayResult {
  sent: number;
  /** Callbacks the gateway did not answer 2xx (refused, or an after-event not accepted). */
  refused: number;
  /** After-event deliveries still pending when the replay stopped waiting. */
  undelivered: number;
  compared: ReplayComparison[];
}

/** One recorded callback, what was decided then and now, and how the two differ. */
export interface ReplayComparison {
  recorded: RecordedCallback;
  before: Decided;
  after: Decided;
  differences: Difference[];
}

/** The identity of one delivery, to pair a replayed line with the recorded one. */
const keyOf = (r: RecordedCallback) =>
  JSON.stringify([r.vendor, r.command, Object.entries(r.query ?? {}).sort(), r.headers ?? {}, r.body]);

/** What a recorded line says was decided: the verdict of a before-callback, or that an after-callback was accepted. */
const decidedOf = (r: RecordedCallback, accepted = true): Decided =>
  r.verdict ? { verdict: r.verdict } : { accepted };

/** The configuration the replaying gateway runs with: the user's, aimed at `to`, recording what it answers. */
function replayConfig(options: ReplayOptions, dir: string): Config {
  const base = options.config ?? configSchema.validateSync({});
  return configSchema.validateSync({
    ...base,
    logLevel: 'silent',
    server: { ...base.server, workers: 1, record: { path: join(dir, 'replayed.jsonl') } },
    // Recorded queries carry no Sign and the replay comes from 127.0.0.1: origin checks are for live traffic.
    tencent: { ...base.tencent, callbackToken: undefined, allowedIPs: [] },
    openim: { ...base.openim, pathSecret: undefined, allowedIPs: [] },
    downstream: { ...base.downstream, url: options.to, format: options.format },
    outbox: { ...base.outbox, url: `sqlite:${join(dir, 'outbox.db')}`, pollMs: 20 },
  });
}

/** Sends every recorded callback again (paced, at most 64 at once) and compares what was decided. */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const lines = parseRecording(readFileSync(options.file, 'utf8'), options.file).filter(
    (r) => !options.only || r.command === options.only,
  );
  const local = await startLocalGateway('replay', (dir) => replayConfig(options, dir));
  const bar = options.progress
    ? new SingleBar({ format: 'replaying {bar} {value}/{total}', stream: process.stderr }, Presets.shades_classic)
    : undefined;
  bar?.start(lines.length, 0);
  const accepted = new Map<string, boolean[]>();
  let refused = 0;
  let undelivered = 0;
  try {
    const intervalMs = 1000 / Math.max(0.001, options.rate ?? 50);
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (const [i, r] of lines.entries()) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      while (inFlight.size >= 64) await Promise.race(inFlight);
      const sent = send(local.url, r).then((ok) => {
        if (!ok) refused++;
        const key = keyOf(r);
        accepted.set(key, [...(accepted.get(key) ?? []), ok]);
        bar?.increment();
      });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
    }
    await Promise.all(inFlight);
    undelivered = await drained(local.gateway.outbox?.store);
  } finally {
    bar?.stop();
    await local.stop();
  }
  const replayed = parseRecording(readFileSync(join(local.dir, 'replayed.jsonl'), 'utf8'));
  rmSync(local.dir, { recursive: true, force: true });
  return { sent: lines.length, refused, undelivered, compared: pair(lines, replayed, accepted, options.ignore ?? []) };
}

/** Posts one recorded callback to the replaying gateway; whether it was answered 2xx. */
async function send(base: string, r: RecordedCallback): Promise<boolean> {
  try {
    const res = await postCallback(base, r);
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}

/** Waits (up to 30 s) for the outbox to deliver what the replay put in it; what is still pending. */
async function drained(store: { depth(): Promise<{ pending: number }> } | undefined): Promise<number> {
  if (!store) return 0;
  const until = Date.now() + 30_000;
  for (;;) {
    const { pending } = await store.depth();
    if (pending === 0 || Date.now() > until) return pending;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pairs each recorded callback with its replay (same delivery, in order) and compares the two decisions. */
function pair(
  recorded: RecordedCallback[],
  replayed: RecordedCallback[],
  accepted: Map<string, boolean[]>,
  ignore: string[],
): ReplayComparison[] {
  const queue = new Map<string, RecordedCallback[]>();
  for (const r of replayed) queue.set(keyOf(r), [...(queue.get(keyOf(r)) ?? []), r]);
  return recorded.map((r) => {
    const key = keyOf(r);
    const again = queue.get(key)?.shift();
    const ok = accepted.get(key)?.shift() ?? false;
    const before = decidedOf(r);
    const after: Decided = again && ok ? decidedOf(again) : { accepted: false };
    return { recorded: r, before, after, differences: compareDecisions(before, after, ignore) };
  });
}

/**
 * A replay's comparisons in the mirror's terms (counts per minute of the recorded time, each
 * disagreement whole), so `imbridge replay --compare` reports exactly as `imbridge mirror report` does.
 */
export function asMirrorHistory(compared: readonly ReplayComparison[]): MirrorHistory {
  const counts = new Map<string, MirrorCount>();
  const disagreements: MirrorDisagreement[] = [];
  compared.forEach((c, i) => {
    const at = Date.parse(c.recorded.at) || 0;
    const minute = Math.floor(at / 60_000);
    const result = c.differences.length === 0 ? 'same' : 'differ';
    const key = `${minute}\t${c.recorded.command}\t${result}`;
    const known = counts.get(key) ?? { minute, command: c.recorded.command, result, n: 0 };
    known.n++;
    counts.set(key, known);
    if (result === 'same') return;
    const event = {
      id: `line ${i + 1}`,
      type: c.recorded.type ?? 'unmapped',
      imvendor: c.recorded.vendor,
      imcommand: c.recorded.command,
      data: c.recorded.body,
    };
    const detail = { event, primary: c.before, candidate: c.after, differences: c.differences };
    disagreements.push({ at, command: c.recorded.command, detail: JSON.stringify(detail) });
  });
  return { counts: [...counts.values()], disagreements };
}
