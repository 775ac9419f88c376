import { LRUCache } from 'lru-cache';
import { ValidationError, type Schema } from 'yup';

/** A backend reply body read against a schema: the validated value, or what is wrong with it. */
export type ReplyBody<T> =
  { ok: true; value: T } | { ok: false; wrong: 'not-json' | 'not-object' | 'invalid'; message: string };

/** Bodies longer than this are read afresh every time: envelopes are short, patch lists are not. */
const MAX_CACHED_LENGTH = 1_024;

/** Freezes a parsed JSON value all the way down, so a shared cached reading cannot be changed. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * What is wrong with a reply body that could not be read, as the failure rule logs it; `expected` names
 * what it should have been (`a Tencent envelope`).
 */
export function replyProblem(read: Extract<ReplyBody<unknown>, { ok: false }>, expected: string): string {
  return read.wrong === 'not-json' ? 'backend reply is not JSON' : `backend reply is not ${expected}: ${read.message}`;
}

/** Parses `text` and validates it against `schema`. */
function validate<T>(schema: Schema<T>, text: string, strict: boolean): ReplyBody<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, wrong: 'not-json', message: 'not JSON' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, wrong: 'not-object', message: 'not a JSON object' };
  try {
    return { ok: true, value: schema.validateSync(body, { strict }) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ok: false, wrong: 'invalid', message: err.message };
  }
}

/** Readings by what reads them (a schema, a Go type), each an LRU of texts. */
const caches = new WeakMap<object, LRUCache<string, { reading: unknown }>>();

/**
 * Reads `text` with `read`, once per `reader` and text. A backend answers the same few bodies over and
 * over (`{"actionCode":0,…}` thousands of times a second), and reading one is a pure function of its
 * text, so short bodies are read once and the deep-frozen result is shared: a caller that needs to
 * change what it got must copy it first. `reader` names the reading (the schema or type read against).
 */
export function memoReading<R>(reader: object, text: string, read: (text: string) => R): R {
  if (text.length > MAX_CACHED_LENGTH) return read(text);
  let cache = caches.get(reader);
  if (!cache) {
    cache = new LRUCache({ max: 256 });
    caches.set(reader, cache);
  }
  let hit = cache.get(text);
  if (!hit) {
    hit = { reading: deepFreeze(read(text)) };
    cache.set(text, hit);
  }
  return hit.reading as R;
}

/** The two readings of a schema: strict (no casts) and lenient; each has its own cache. */
const strictReaders = new WeakMap<Schema, object>();

/** Parses and validates a backend's reply body against a yup schema, once per text (see `memoReading`). */
export function readReplyBody<T>(schema: Schema<T>, text: string, strict: boolean): ReplyBody<T> {
  let reader: object = schema;
  if (strict) {
    reader = strictReaders.get(schema as Schema) ?? {};
    strictReaders.set(schema as Schema, reader);
  }
  return memoReading(reader, text, (t) => validate(schema, t, strict));
}
