import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: structured JSON at `level` (default `info`) on stdout, or on `destination`.
 * `pretty` renders readable colour lines instead (for a terminal; the JSON is for machines).
 */
export function createLogger(level = 'info', destination?: DestinationStream, pretty = false): Logger {
  const options = { level, base: { service: 'imbridge' } };
  if (destination) return pino(options, destination);
  if (pretty)
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' },
      },
    });
  return pino(options);
}
