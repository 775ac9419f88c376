import { pino, type Logger } from 'pino';

export type { Logger };

/** The process logger: structured JSON on stdout at `level` (default `info`). */
export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { service: 'imbridge' } });
}
