import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** How long free space, as read from the file system, is taken as known. */
const SPACE_READ_MS = 250;

/** How long a write that failed for want of space makes the disk count as short, whatever it says. */
const FULL_MS = 1_000;

/** Whether an error is SQLite's "database or disk is full" (or the OS's ENOSPC under it). */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/**
 * Watches what an SQLite outbox file needs to keep what it is given: free space on its disk, and the
 * file itself. Both can go wrong under a running gateway — a disk filled by anything, a cleanup job or a
 * volume remount removing the file — and in both cases an OK answered to an IM server could be an event
 * lost (docs/guarantees.md#disk-and-file). Free space is read at most every 250 ms; the file is looked
 * at on every call (one `stat`).
 */
export class DiskWatch {
  private readonly dev: number;
  private readonly ino: number;
  private freeBytes = Number.POSITIVE_INFINITY;
  private readAt = Number.NEGATIVE_INFINITY;
  private fullUntil = 0;

  /**
   * @param file the open outbox file
   * @param minFreeBytes below this much free space the disk counts as short (`outbox.minFreeBytes`)
   */
  constructor(
    private readonly file: string,
    private readonly minFreeBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    const s = statSync(file);
    this.dev = s.dev;
    this.ino = s.ino;
  }

  /** Notes a write that failed for want of space: the disk counts as short for a moment, whatever statfs says. */
  sawFull(): void {
    this.fullUntil = this.now() + FULL_MS;
  }

  /** Why the disk cannot be counted on for more than the writes already owed, or undefined. */
  shortOfSpace(): string | undefined {
    const now = this.now();
    if (now < this.fullUntil) return 'the outbox disk was full a moment ago';
    if (now - this.readAt >= SPACE_READ_MS) {
      this.readAt = now;
      try {
        const s = statfsSync(dirname(this.file));
        this.freeBytes = s.bavail * s.bsize;
      } catch {
        // A file system that cannot say is not judged by it.
        this.freeBytes = Number.POSITIVE_INFINITY;
      }
    }
    if (this.freeBytes < this.minFreeBytes)
      return `the outbox disk has ${this.freeBytes} bytes free, under outbox.minFreeBytes (${this.minFreeBytes})`;
    return undefined;
  }

  /** Whether the path still names the file that is open: not removed, not replaced. */
  fileProblem(): string | undefined {
    let s;
    try {
      s = statSync(this.file);
    } catch {
      return `the outbox file ${this.file} is gone (removed under the running gateway)`;
    }
    if (s.dev !== this.dev || s.ino !== this.ino)
      return `the outbox file ${this.file} was replaced under the running gateway`;
    return undefined;
  }

  /** Why a new entry must not be accepted now, or undefined. */
  problem(): string | undefined {
    return this.fileProblem() ?? this.shortOfSpace();
  }
}
