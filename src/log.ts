import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The process logger: structured JSON at `level` (default `info`) on stdout, or on `destination`. */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'imbridge' } };
  return destination ? pino(options, destination) : pino(options);
}
