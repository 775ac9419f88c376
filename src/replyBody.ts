import { LRUCache } from 'lru-cache';
import { ValidationError, type Schema } from 'yup';

/** A backend reply body read against a schema: the validated value, or what is wrong with it. */
export type ReplyBody<T> = { ok: true; value: T } | { ok: false; wrong: 'not-json' | 'not-object' | 'invalid'; message: string };

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

const caches = new WeakMap<Schema, LRUCache<string, ReplyBody<unknown>>>();

function read<T>(schema: Schema<T>, text: string, strict: boolean): ReplyBody<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, wrong: 'not-json', message: 'not JSON' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, wrong: 'not-object', message: 'not a JSON object' };
  try {
    return { ok: true, value: schema.validateSync(body, { strict }) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ok: false, wrong: 'invalid', message: err.message };
  }
}

/**
 * Parses and validates a backend's reply body. A backend answers the same few bodies over and over
 * (`{"actionCode":0,…}` thousands of times a second), and reading one is a pure function of its text,
 * so short bodies are read once per schema and the deep-frozen result is shared: a caller that needs
 * to change what it got must copy it first.
 */
export function readReplyBody<T>(schema: Schema<T>, text: string, strict: boolean): ReplyBody<T> {
  if (text.length > MAX_CACHED_LENGTH) return read(schema, text, strict);
  let cache = caches.get(schema as Schema);
  if (!cache) {
    cache = new LRUCache({ max: 256 });
    caches.set(schema as Schema, cache);
  }
  const key = strict ? `s${text}` : `l${text}`;
  let hit = cache.get(key) as ReplyBody<T> | undefined;
  if (!hit) {
    hit = deepFreeze(read(schema, text, strict));
    cache.set(key, hit);
  }
  return hit;
}
