import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { Logger } from '../log.js';
import type { RecordedCallback } from './recording.js';

/** `server.record` (docs/migration.md#record-and-replay). */
export interface RecordOptions {
  path: string;
  /** Share of accepted callbacks recorded, 0–1. */
  sample: number;
  /** Body keys (at any depth) whose string values are written as `[redacted]`. */
  redact: string[];
  /** Size at which the file is rotated (`path.1`, `path.2` …). */
  maxBytes: number;
  /** Rotated files kept. */
  keep: number;
}

/** Where the recorder counts what it wrote and dropped. */
export interface RecordMetrics {
  recorded: { inc(labels: { result: 'written' | 'dropped' }): void };
}

/** Most bytes waiting for the disk before new lines are dropped rather than held in memory. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/** A body with the named keys' string values blanked (the rest as it was). */
function redactBody(body: string, keys: ReadonlySet<string>): string {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, keys.has(k) && typeof x === 'string' ? '[redacted]' : walk(x)]),
    );
  };
  return JSON.stringify(walk(JSON.parse(body)));
}

/**
 * Appends accepted callbacks to a JSONL file, rotated by size. Recording never holds a callback up: a
 * line is handed to the file stream and not awaited; when the disk falls behind (or the file fails) lines
 * are dropped, logged once and counted (`imbridge_recorded_total{result="dropped"}`).
 */
export class Recorder {
  private readonly stream: RotatingFileStream;
  private readonly redact: ReadonlySet<string>;
  private failed = false;

  constructor(
    private readonly options: RecordOptions,
    private readonly logger: Logger,
    private readonly metrics?: RecordMetrics,
    private readonly random: () => number = Math.random,
  ) {
    this.redact = new Set(options.redact);
    // With classical rotation the generator gets the rotated file's number first (null: the live file).
    const name = (n: number | Date | null) => (typeof n === 'number' && n > 0 ? `${options.path}.${n}` : options.path);
    this.stream = createStream(name as never, {
      size: `${Math.max(1, Math.floor(options.maxBytes / 1024))}K`,
      rotate: options.keep,
    });
    this.stream.on('error', (err: Error) => this.fail(err));
  }

  private fail(err: Error): void {
    if (!this.failed)
      this.logger.error({ err, path: this.options.path }, 'recording failed: callbacks are not recorded');
    this.failed = true;
  }

  private drop(): void {
    this.metrics?.recorded.inc({ result: 'dropped' });
  }

  /** Records one answered callback (or, by `sample`, not). */
  record(entry: RecordedCallback): void {
    if (this.options.sample < 1 && this.random() >= this.options.sample) return;
    if (this.failed || this.stream.writableLength > MAX_PENDING_BYTES) return this.drop();
    try {
      const body = this.redact.size > 0 ? redactBody(entry.body, this.redact) : entry.body;
      this.stream.write(`${JSON.stringify({ ...entry, body })}\n`);
      this.metrics?.recorded.inc({ result: 'written' });
    } catch (err) {
      this.fail(err as Error);
      this.drop();
    }
  }

  /** Flushes what is pending and closes the file. */
  async close(): Promise<void> {
    if (this.stream.closed || this.stream.destroyed) return;
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}
