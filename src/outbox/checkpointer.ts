import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckpointWorkerData } from './checkpointWorker.js';

/** The write-ahead log is cut back to this size whenever it restarts. */
export const LOG_LIMIT_BYTES = 16 * 1024 * 1024;

/** Log frames (4 KiB pages) past which a checkpoint also makes the log start over. */
const RESTART_FRAMES = 4_096;

/**
 * Starts the checkpoint thread on `checkpointWorker`: the built `.js` beside this file, or — running
 * from the TypeScript sources under tsx, whose loader a worker on Node 20 does not inherit — the `.ts`
 * source, with tsx registered in the thread first.
 */
function startWorker(workerData: CheckpointWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./checkpointWorker.js', import.meta.url), { workerData });
  // The ESM entry of tsx's API (its CommonJS one cannot register from a worker); tests load this module
  // as CommonJS, where import.meta.resolve is missing, so it is found through require's resolution.
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const program = new URL('./checkpointWorker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(program)}))`;
  return new Worker(boot, { eval: true, workerData });
}

/** How often to checkpoint, and when to make the log start over (the defaults suit the gateway). */
export interface CheckpointOptions {
  everyMs?: number;
  restartFrames?: number;
  logLimitBytes?: number;
  /** Below this much free space on the file's disk, every checkpoint truncates the log (see below). */
  minFreeBytes?: number;
}

/** How often the same checkpoint trouble is reported (a full disk fails every checkpoint, four a second). */
const REPORT_EVERY_MS = 10_000;

/**
 * Checkpoints an SQLite outbox from a worker thread. SQLite's automatic checkpoint runs inside
 * whichever commit pushes the write-ahead log past `wal_autocheckpoint` pages, on the committing
 * thread: for the gateway that is the event loop, stalled 10–15 ms (the log copied back into the
 * database, and two fsyncs) every few hundred milliseconds under steady load — which was most of
 * imbridge's p99. With automatic checkpoints off on the gateway's connection, this thread, on a
 * connection of its own, runs a passive checkpoint every `everyMs`, which never blocks the gateway's
 * commits. Under writes that never pause a passive checkpoint never quite catches up, and the log
 * would grow without end; so once it holds more than `restartFrames` pages, the passive checkpoint
 * (which has just copied nearly everything) is followed by a RESTART one, which holds commits back
 * for the moment it takes to copy the last few pages and lets the log start over — cut back to
 * `logLimitBytes`. On a disk with less than `minFreeBytes` free, every checkpoint is a TRUNCATE one:
 * the log is copied back and cut to nothing, giving its space back, because a log that only grows
 * while commits never pause can take the last free space from the database file it must be copied
 * into — and then nothing can be written or delivered, even after space comes back
 * (docs/guarantees.md#disk-and-file).
 */
export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  /** Settles once the thread checkpoints (or has ended): it takes a moment to start, longer under tsx. */
  readonly started: Promise<void>;

  constructor(file: string, onError: (message: string) => void, options: CheckpointOptions = {}) {
    const { everyMs = 250, restartFrames = RESTART_FRAMES, logLimitBytes = LOG_LIMIT_BYTES, minFreeBytes } = options;
    this.worker = startWorker({ file, everyMs, logLimitBytes, restartFrames, minFreeBytes });
    let reported = { message: '', at: Number.NEGATIVE_INFINITY };
    let started!: () => void;
    this.started = new Promise((resolve) => (started = resolve));
    this.worker.on('message', (m: { error?: string; started?: true }) => {
      if (m.started) return started();
      if (!m.error || (m.error === reported.message && Date.now() - reported.at < REPORT_EVERY_MS)) return;
      reported = { message: m.error, at: Date.now() };
      onError(m.error);
    });
    this.worker.on('error', (err) => onError(err.message));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    void this.exited.then(started);
    // It must never keep a gateway that is done from exiting.
    this.worker.unref();
  }

  /** Runs a last checkpoint and stops the thread. */
  async close(): Promise<void> {
    // Held while it finishes: a process that is otherwise done must still wait for the last checkpoint.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}
