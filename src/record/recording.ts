import type { Verdict, Vendor } from '../canonical/types.js';

/**
 * One recorded callback, one JSON line of a recording (docs/migration.md#record-and-replay): what the
 * translation needs to run again — the vendor, the command, the query and headers it reads (never
 * `Sign`, tokens, the OpenIM path secret or configured header values) and the raw body — and what
 * imbridge answered.
 */
export interface RecordedCallback {
  /** Format version of the line. */
  v: 1;
  /** When the callback arrived (ISO 8601). */
  at: string;
  vendor: Vendor;
  command: string;
  /** Tencent: the callback query, less `Sign`. */
  query?: Record<string, string>;
  /** OpenIM: the `operationID` header, when sent. */
  headers?: Record<string, string>;
  /** The body as received (or, with `redact`, re-serialised with those fields blanked). */
  body: string;
  /** The canonical type it was translated to; null when imbridge does not map the command. */
  type: string | null;
  /** The decision answered for a before-callback; null for an after-callback. */
  verdict: Verdict | null;
}

/** Reads a recording's text: one callback per non-empty line; a line that is not one is named. */
export function parseRecording(text: string, source = 'recording'): RecordedCallback[] {
  const out: RecordedCallback[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not JSON`);
    }
    const r = parsed as Partial<RecordedCallback>;
    if (
      r.v !== 1 ||
      (r.vendor !== 'tencent' && r.vendor !== 'openim') ||
      typeof r.command !== 'string' ||
      typeof r.body !== 'string'
    )
      throw new Error(`${source}:${i + 1}: not a recorded callback (v, vendor, command, body)`);
    out.push(r as RecordedCallback);
  });
  return out;
}

/** A callback as sent again to a gateway at `base`: Tencent's query or OpenIM's path and headers. */
export interface CallbackToSend {
  vendor: Vendor;
  command: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body: string;
}

/** Posts a callback to the gateway at `base` as its IM server would (used by replay and golden tests). */
export function postCallback(base: string, c: CallbackToSend): Promise<Response> {
  const url =
    c.vendor === 'tencent'
      ? `${base}/tencent?${new URLSearchParams({ CallbackCommand: c.command, ...c.query }).toString()}`
      : `${base}/openim/${c.command}`;
  return fetch(url, {
    method: 'POST',
    body: c.body,
    headers: { 'content-type': 'application/json', ...(c.vendor === 'openim' ? c.headers : {}) },
  });
}
