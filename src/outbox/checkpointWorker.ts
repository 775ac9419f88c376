/**
 * The checkpoint thread's program (see `Checkpointer`): on a connection of its own, a passive checkpoint
 * every `everyMs`, a RESTART one once the log holds more than `restartFrames` pages, and a TRUNCATE one
 * at every turn while the disk has less than `minFreeBytes` free. It posts `{ started }` once running,
 * `{ error }` when a checkpoint fails, and on any message from the gateway runs a last checkpoint and ends.
 */
import Database from 'better-sqlite3';
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

/** What the gateway hands the thread. */
export interface CheckpointWorkerData {
  file: string;
  everyMs: number;
  restartFrames: number;
  logLimitBytes: number;
  minFreeBytes?: number;
}

const data = workerData as CheckpointWorkerData;
const port = parentPort!;
const db = new Database(data.file);
db.pragma('busy_timeout = 5000');
db.pragma(`journal_size_limit = ${data.logLimitBytes}`);

/** Whether the disk has less than `minFreeBytes` free (a file system that cannot say is not short). */
function short(): boolean {
  if (data.minFreeBytes === undefined) return false;
  try {
    const s = statfsSync(dirname(data.file));
    return s.bavail * s.bsize < data.minFreeBytes;
  } catch {
    return false;
  }
}

const timer = setInterval(() => {
  try {
    if (short()) db.pragma('wal_checkpoint(TRUNCATE)');
    else {
      const [state] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      if (state!.log > data.restartFrames) db.pragma('wal_checkpoint(RESTART)');
    }
  } catch (err) {
    port.postMessage({ error: String((err as Error)?.message ?? err) });
  }
}, data.everyMs);

port.postMessage({ started: true });

port.on('message', () => {
  clearInterval(timer);
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The next open checkpoints whatever is left.
  }
  db.close();
  port.close();
});
