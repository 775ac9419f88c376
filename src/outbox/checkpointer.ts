import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The write-ahead log is cut back to this size whenever it restarts. */
export const LOG_LIMIT_BYTES = 16 * 1024 * 1024;

/** Log frames (4 KiB pages) past which a checkpoint also makes the log start over. */
const RESTART_FRAMES = 4_096;

/**
 * The worker's whole program. It is CommonJS source run with `eval`, so it needs no file of its own
 * (the same under tsx and in the build), and it loads better-sqlite3 from the path the gateway resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statfsSync } = require('node:fs');
const { dirname } = require('node:path');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('journal_size_limit = ' + workerData.logLimitBytes);
const short = () => {
  if (workerData.minFreeBytes === undefined) return false;
  try {
    const s = statfsSync(dirname(workerData.file));
    return s.bavail * s.bsize < workerData.minFreeBytes;
  } catch {
    return false;
  }
};
const timer = setInterval(() => {
  try {
    if (short()) db.pragma('wal_checkpoint(TRUNCATE)');
    else {
      const [state] = db.pragma('wal_checkpoint(PASSIVE)');
      if (state.log > workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
    }
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

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

  constructor(file: string, onError: (message: string) => void, options: CheckpointOptions = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const { everyMs = 250, restartFrames = RESTART_FRAMES, logLimitBytes = LOG_LIMIT_BYTES, minFreeBytes } = options;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver, everyMs, logLimitBytes, restartFrames, minFreeBytes },
    });
    let reported = { message: '', at: Number.NEGATIVE_INFINITY };
    this.worker.on('message', (m: { error?: string }) => {
      if (!m.error || (m.error === reported.message && Date.now() - reported.at < REPORT_EVERY_MS)) return;
      reported = { message: m.error, at: Date.now() };
      onError(m.error);
    });
    this.worker.on('error', (err) => onError(err.message));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // It must never keep a gateway that is done from exiting.
    this.worker.unref();
  }

  /** Runs a last checkpoint and stops the thread. */
  async close(): Promise<void> {
    this.worker.postMessage('close');
    await this.exited;
  }
}
