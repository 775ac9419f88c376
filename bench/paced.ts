/**
 * An open-loop load at a steady rate, for the bench's "p99 at ~1 000 req/s" figure.
 *
 * autocannon's `overallRate` cannot give that figure: each connection sends its whole per-second quota
 * back to back when the second starts and then waits (autocannon issue #174), so a "1 000 req/s" run
 * is a burst at full concurrency every second, and its p99 is the burst's. `loadtest` paces evenly
 * but records whole milliseconds, too coarse for a 2 ms budget. So this sends request i at
 * start + i/rate whatever the earlier ones are doing, over a keep-alive undici pool, and measures each
 * latency from the moment the request was *due*: a subject that stalls is charged for the requests
 * that queued behind the stall (no coordinated omission, as in wrk2).
 */
import { Pool } from 'undici';

export interface PacedFigures {
  sent: number;
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  errors: number;
}

export interface PacedLoad {
  url: string;
  body: string;
  rate: number;
  seconds: number;
  connections: number;
}

/** The value at quantile q of an ascending array (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Sends `rate × seconds` POSTs evenly spaced; resolves once every one has answered (or failed). */
export async function paced(load: PacedLoad): Promise<PacedFigures> {
  const target = new URL(load.url);
  const pool = new Pool(target.origin, { connections: load.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.round(load.rate * load.seconds);
  const intervalNs = 1e9 / load.rate;
  const latenciesMs = new Float64Array(total);
  const path = target.pathname + target.search;
  let errors = 0;
  let sent = 0;
  let answered = 0;
  const start = process.hrtime.bigint();
  const nowNs = () => Number(process.hrtime.bigint() - start);

  await new Promise<void>((resolve) => {
    const fire = (i: number, dueNs: number) => {
      pool
        .request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: load.body })
        .then(async (res) => {
          await res.body.text();
          if (res.statusCode >= 300) errors++;
        })
        .catch(() => errors++)
        .finally(() => {
          latenciesMs[i] = (nowNs() - dueNs) / 1e6;
          if (++answered === total) resolve();
        });
    };
    // A timer wakes about once a millisecond and sends whatever has fallen due since the last wake-up,
    // so the schedule holds even when a timer fires late; nothing spins a core the subject needs.
    const tick = () => {
      const now = nowNs();
      while (sent < total && sent * intervalNs <= now) {
        fire(sent, sent * intervalNs);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, (sent * intervalNs - now) / 1e6));
    };
    tick();
  });
  const elapsedS = nowNs() / 1e9;
  await pool.close();
  const sorted = latenciesMs.sort();
  return {
    sent: total,
    rps: total / elapsedS,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    errors,
  };
}
