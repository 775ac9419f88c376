import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program. It is CommonJS source run with `eval`, so it needs no file of its own
 * (the same under tsx and in the build), and it loads better-sqlite3 from the path the gateway resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
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

/**
 * Checkpoints an SQLite outbox from a worker thread. SQLite's automatic checkpoint runs inside
 * whichever commit pushes the write-ahead log past `wal_autocheckpoint` pages, on the committing
 * thread: for the gateway that is the event loop, stalled 10–15 ms (the log copied back into the
 * database, and two fsyncs) every few hundred milliseconds under steady load — which was most of
 * imbridge's p99. With automatic checkpoints off on the gateway's connection, this thread, on a
 * connection of its own, runs a passive checkpoint every `everyMs`; passive checkpoints never block
 * the gateway's commits, and the log restarts from its beginning once a checkpoint has caught up.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, onError: (message: string) => void, everyMs = 250) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs } });
    this.worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
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
