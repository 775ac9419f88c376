/**
 * imbridge's one error family. Every error the gateway raises on purpose carries an HTTP status, a
 * stable machine code (for logs, metrics and the caller's envelope) and whether its message may be
 * shown to the caller. One middleware renders it into the calling vendor's envelope.
 */

/** Stable machine codes; operators grep logs and alert on these, so never rename one. */
export type ErrorCode =
  | 'malformed_json'
  | 'body_too_large'
  | 'bad_encoding'
  | 'invalid_payload'
  | 'unknown_command'
  | 'command_mismatch'
  | 'sdkappid_mismatch'
  | 'bad_signature'
  | 'stale_request'
  | 'forbidden_origin'
  | 'too_deep'
  | 'method_not_allowed'
  | 'not_found'
  | 'invalid_config'
  | 'usage'
  | 'outbox_unavailable'
  | 'overloaded'
  | 'internal';

/** An error imbridge raises on purpose. */
export class ImbridgeError extends Error {
  /** HTTP status to answer with (default 400). */
  readonly status: number;
  /** Stable machine code. */
  readonly code: ErrorCode;
  /** Whether `message` may reach the caller (default true for 4xx, false otherwise). */
  readonly expose: boolean;

  constructor(code: ErrorCode, message: string, status = 400, expose = status < 500) {
    super(message);
    this.name = 'ImbridgeError';
    this.code = code;
    this.status = status;
    this.expose = expose;
  }
}

/**
 * A value the caller sent, quoted for a message that goes back to it and into the log: cut at `max`
 * characters (default 100), since a path segment or query value can be as long as the URL.
 */
export function quoted(value: string, max = 100): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * Turns anything thrown while handling a request into an ImbridgeError: ours pass through; the body
 * parser's errors (status 400/413/415 with `type`) get their stable code; anything else is internal
 * and its message is kept from the caller.
 */
export function toImbridgeError(err: unknown): ImbridgeError {
  if (err instanceof ImbridgeError) return err;
  const e = err as { status?: number; type?: string; message?: string; code?: unknown };
  if (e?.status === 413 || e?.type === 'entity.too.large') {
    return new ImbridgeError('body_too_large', 'request body is larger than the configured limit', 413);
  }
  // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR…) carry no HTTP status: the caller sent a
  // Content-Encoding its body does not match, which is the caller's mistake, not ours.
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return new ImbridgeError(
      'bad_encoding',
      `request body does not decode as its Content-Encoding says: ${e.message ?? e.code}`,
    );
  }
  if (e?.status === 415) {
    // From inflation, for a Content-Encoding other than gzip, deflate, br or identity. (The charset is
    // not looked at: co-body reads JSON as UTF-8, as RFC 8259 says JSON is.)
    return new ImbridgeError(
      'bad_encoding',
      `request body cannot be decoded: ${e.message ?? 'unsupported Content-Encoding'}`,
      415,
    );
  }
  if (e?.status === 400) {
    return new ImbridgeError('malformed_json', `request body is not a JSON object: ${e.message ?? 'parse error'}`);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ImbridgeError('invalid_payload', e.message ?? 'bad request', e.status);
  }
  return new ImbridgeError('internal', 'internal error', 500, false);
}
