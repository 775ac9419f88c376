import { SingleBar, Presets } from 'cli-progress';
import type { Config } from '../config/schema.js';
import { Forwarder } from '../downstream/forwarder.js';
import { downstreamTarget } from '../downstream/target.js';
import type { Logger } from '../log.js';
import { Dispatcher } from '../outbox/dispatcher.js';
import { openOutbox } from '../outbox/open.js';
import type { OutboxEntry } from '../outbox/store.js';
import { ImbridgeError } from '../errors.js';

/** Where `imbridge outbox` writes: the terminal, and whether it is one (for the progress bar). */
export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

function row(e: OutboxEntry): string {
  return [e.key, e.event.type, String(e.attempts), new Date(e.createdAt).toISOString(), e.lastError].join('\t');
}

/** `imbridge outbox list`: the counts, then one line per dead letter, oldest first. */
export async function listDead(config: Config, limit: number, out: Output): Promise<void> {
  const store = openOutbox(config);
  try {
    const depth = await store.depth();
    out.write(`pending ${depth.pending}, dead ${depth.dead}\n`);
    const dead = await store.listDead(limit);
    if (dead.length > 0) out.write(`key\ttype\tattempts\tcreated\tlast error\n${dead.map(row).join('\n')}\n`);
  } finally {
    await store.close();
  }
}

/**
 * `imbridge outbox retry`: attempts now what is waiting — dead letters, and pending entries parked for
 * a later attempt (a long backoff, a `Retry-After`) — one key, or all. Each is taken leased to this
 * command and attempted once; what the backend still refuses stays pending and the running gateway
 * keeps retrying it. Entries a gateway may be attempting right now (leased) are left to it.
 */
export async function retryDead(
  config: Config,
  key: string | 'all',
  logger: Logger,
  out: Output,
): Promise<{ delivered: number; failed: number }> {
  const target = downstreamTarget(config);
  if (!target)
    throw new ImbridgeError(
      'invalid_config',
      'no downstream is configured (DOWNSTREAM_URL): nothing to replay to',
      500,
    );
  const store = openOutbox(config);
  const forwarder = new Forwarder({
    connections: config.downstream.connections,
    replyLimitBytes: config.downstream.replyLimitBytes,
  });
  const dispatcher = new Dispatcher({ store, forwarder, target, config, logger });
  const result = { delivered: 0, failed: 0 };
  try {
    const dead =
      key === 'all'
        ? await store.listDead(Number.MAX_SAFE_INTEGER)
        : (await store.listDead(Number.MAX_SAFE_INTEGER)).filter((e) => e.key === key);
    const waiting = await store.claimWaiting(
      key,
      Date.now(),
      key === 'all' ? Number.MAX_SAFE_INTEGER : 1,
      dispatcher.leaseMs,
    );
    if (key !== 'all' && dead.length === 0 && waiting.length === 0)
      throw new ImbridgeError('not_found', `no dead letter or waiting entry with key ${key}`, 404);
    const bar = out.isTTY
      ? new SingleBar(
          { format: 'replaying {bar} {value}/{total}  delivered {delivered}  failed {failed}', stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
    bar?.start(dead.length + waiting.length, 0, result);
    const attempt = async (entry: OutboxEntry) => {
      result[(await dispatcher.attempt(entry)) ? 'delivered' : 'failed']++;
      bar?.increment(1, result);
    };
    for (const entry of dead) {
      // Revived leased to this command: a gateway running beside it must not claim and send it as well.
      // Gone meanwhile (purged, or revived by someone else) means it is not this command's to send.
      if ((await store.revive(entry.key, Date.now() + dispatcher.leaseMs)) === 0) continue;
      await attempt({ ...entry, attempts: 0, dead: false });
    }
    for (const entry of waiting) await attempt(entry);
    bar?.stop();
    out.write(
      `delivered ${result.delivered}, still failing ${result.failed} (left pending for the gateway's retries)\n`,
    );
    return result;
  } finally {
    await store.close();
    await forwarder.close();
  }
}

/** `imbridge outbox purge`: deletes dead letters (one key, or all). */
export async function purgeDead(config: Config, key: string | 'all', out: Output): Promise<number> {
  const store = openOutbox(config);
  try {
    const n = await store.purge(key);
    out.write(`purged ${n} dead letter${n === 1 ? '' : 's'}\n`);
    return n;
  } finally {
    await store.close();
  }
}
