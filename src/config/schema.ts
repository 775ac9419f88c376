import ipaddr from 'ipaddr.js';
import { Webhook } from 'standardwebhooks';
import { array, lazy, mixed, number, object, string, type InferType } from 'yup';
import { OPENIM_COMMANDS, openimPhase } from '../vendors/openim/commands.js';
import { TENCENT_COMMANDS, tencentPhase } from '../vendors/tencent/commands.js';

/** Before-callback failure rule (docs/guarantees.md#before-callbacks): what to answer when the backend fails. */
const failureRule = () => string<'allow' | 'deny'>().oneOf(['allow', 'deny']);

/** Whether the Standard Webhooks library accepts this secret. */
function isWebhookSecret(value: string): boolean {
  try {
    new Webhook(value);
    return value.startsWith('whsec_');
  } catch {
    return false;
  }
}

/** yup's own `url()` refuses hosts without a dot (`http://backend:8080`), which is how services are named. */
function isHttpURL(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** An IP or CIDR (`10.0.0.0/8`, `::1`), as in Tencent's published callback egress lists (docs/vendors/tencent.md#signature). */
function isIPOrCIDR(value: string): boolean {
  try {
    if (value.includes('/')) ipaddr.parseCIDR(value);
    else ipaddr.parse(value);
    return true;
  } catch {
    return false;
  }
}

/** A list of IPs/CIDRs; empty means "anyone". */
const ipList = (key: string) =>
  array(
    string()
      .defined()
      .test('ip', `${key} entries must be IPs or CIDRs (e.g. 203.0.113.0/24)`, (v) => isIPOrCIDR(v)),
  )
    .defined()
    .default([]);

/** Header name → value, for static headers on every downstream request. */
const headerMap = mixed<Record<string, string>>()
  .test(
    'headers',
    'downstream.headers must map header names to string values',
    (v) =>
      v === undefined ||
      (typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        Object.entries(v).every(([k, x]) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) && typeof x === 'string')),
  )
  .default({});

const deadlineMs = () => number().integer().min(1).max(15_000);

/** Tencent waits 2 s for a before-callback, fixed: imbridge's budget stays under it. */
const TENCENT_MAX_DEADLINE_MS = 1_900;

const TENCENT_BEFORE = new Set(TENCENT_COMMANDS.filter((c) => tencentPhase(c) === 'before'));

/** Every before-callback command either vendor sends: the keys `commands:` may tune. */
const BEFORE_COMMANDS = new Set([...TENCENT_BEFORE, ...OPENIM_COMMANDS.filter((c) => openimPhase(c) === 'before')]);

/** Per-command overrides of the route's policy. */
const commandPolicy = object({
  failureRule: string<'allow' | 'deny'>().oneOf(['allow', 'deny']).optional(),
  deadlineMs: deadlineMs().optional(),
  denyCode: number().integer().min(100).optional(),
}).noUnknown();

/** `commands:` — a map from a before-callback command to its policy overrides. */
const commandPolicies = lazy((value: unknown) =>
  object(
    Object.fromEntries(
      Object.keys(value && typeof value === 'object' ? value : {}).map((k) => [k, commandPolicy.default(undefined)]),
    ),
  )
    .test('known-commands', (v, ctx) => {
      const unknown = Object.keys(v ?? {}).filter((k) => !BEFORE_COMMANDS.has(k));
      return (
        unknown.length === 0 ||
        ctx.createError({
          message: `commands: ${unknown.join(', ')} is not a before-callback command of Tencent or OpenIM`,
        })
      );
    })
    .test('tencent-deadline', (v, ctx) => {
      // Tencent waits 2 s, fixed: the same bound as tencent.deadlineMs, whichever key sets it.
      const over = Object.entries((v ?? {}) as Record<string, { deadlineMs?: number } | undefined>).find(
        ([k, p]) => TENCENT_BEFORE.has(k) && (p?.deadlineMs ?? 0) > TENCENT_MAX_DEADLINE_MS,
      );
      return (
        !over ||
        ctx.createError({
          message: `commands.${over[0]}.deadlineMs must be at most ${TENCENT_MAX_DEADLINE_MS} (Tencent waits 2 s)`,
        })
      );
    })
    .default({}),
);

/**
 * The one config object. Every key has a default except the downstream, whose absence means shadow
 * mode. Unknown keys are errors, so a typo in the YAML is named at start instead of silently ignored.
 */
export const configSchema = object({
  server: object({
    /** Interface to listen on (default `0.0.0.0`). */
    host: string().default('0.0.0.0'),
    /** Port (default 8080). */
    port: number().integer().min(0).max(65535).default(8080),
    /**
     * Longest a caller may take to send one whole request, headers and body, in ms (default 30 000). IM
     * servers send a callback in milliseconds and wait at most 15 s for the answer; a sender slower than
     * this is answered 408 and cut off, instead of holding a connection for Node's default 5 minutes.
     */
    requestTimeoutMs: number().integer().min(100).default(30_000),
    /** Largest accepted callback body, in bytes (default 1 MiB). */
    bodyLimitBytes: number()
      .integer()
      .min(1)
      .default(1024 * 1024),
    /** Deepest accepted JSON nesting (default 32; real callbacks nest 3 levels). */
    maxJsonDepth: number().integer().min(4).max(1000).default(32),
    /**
     * Body keys a vendor schema does not declare: `ignore` (default) accepts the callback, counts the
     * keys (`imbridge_unknown_fields_total`) and logs each new one once — vendors add fields between
     * versions, and refusing them would lose every after-event of that command; `reject` answers 400
     * naming them (nothing unknown is forwarded either way).
     */
    unknownFields: string<'reject' | 'ignore'>().oneOf(['reject', 'ignore']).default('ignore'),
    /**
     * Proxies (IPs/CIDRs) whose `X-Forwarded-For` is believed when finding the caller's address
     * (default none: the socket's peer is the caller).
     */
    trustedProxies: ipList('server.trustedProxies'),
    /**
     * Callbacks in flight past which new ones are answered at once, unread (default 1024): 503 in the
     * caller's envelope — for an OpenIM before-callback the failure rule's answer — counted in
     * `imbridge_shed_total`. Under overload a callback answered late is wasted work.
     */
    maxInFlight: number().integer().min(1).default(1_024),
    /** Worker processes (IMBRIDGE_WORKERS): 1 (default) runs in one process; 0 means one per core. */
    workers: number().integer().min(0).max(64).default(1),
    /** With several workers, the port where the primary serves metrics aggregated over them (default 9464). */
    metricsPort: number().integer().min(0).max(65535).default(9464),
    /**
     * Recording of accepted callbacks for replay and golden tests (docs/migration.md#record-and-replay):
     * off unless `path` is set (`imbridge serve --record FILE`).
     */
    record: object({
      /** JSONL file appended to. */
      path: string().optional(),
      /** Share of callbacks recorded, 0–1 (default 1: all). */
      sample: number().min(0).max(1).default(1),
      /** Body keys whose string values are written as `[redacted]`, at any depth (default none). */
      redact: array(string().defined()).default([]),
      /** Size in bytes past which the file is rotated to `<path>.1` … (default 100 MiB). */
      maxBytes: number()
        .integer()
        .min(1024)
        .default(100 * 1024 * 1024),
      /** Rotated files kept (default 5). */
      keep: number().integer().min(1).max(100).default(5),
    }).default({}),
  })
    .noUnknown()
    .default({}),
  /** pino level (default `info`). */
  logLevel: string().oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  tencent: object({
    /** The app's SDKAppID: inbound `SdkAppid` must match it, and Tencent-format deliveries carry it. */
    sdkAppId: string().matches(/^\d+$/, 'tencent.sdkAppId must be the decimal SDKAppID').optional(),
    /** Callback token from Tencent's console: when set, every callback must carry a valid `Sign`/`RequestTime`. */
    callbackToken: string().optional(),
    /** How far `RequestTime` may be from now, in seconds, before a signed callback counts as a replay (default 60). */
    signatureWindowSec: number().integer().min(1).max(3600).default(60),
    /** Addresses Tencent callbacks may come from (Tencent publishes its egress ranges); empty: any. */
    allowedIPs: ipList('tencent.allowedIPs'),
    /** Total budget for one Tencent before-callback, all downstream work included (default 1500; Tencent waits 2000). */
    deadlineMs: deadlineMs().max(TENCENT_MAX_DEADLINE_MS).default(1_500),
    /** Deny code used when the backend's code is outside Tencent's [38000, 39000] (default 38000). */
    denyCode: number().integer().min(38_000).max(39_000).default(38_000),
    /** Failure rule for Tencent callers (default: the top-level `failureRule`, else the backend's own). */
    failureRule: failureRule().optional(),
  })
    .noUnknown()
    .default({}),
  openim: object({
    /** Total budget for one OpenIM before-callback (default 1500; keep it under webhooks.yml `timeout`). */
    deadlineMs: deadlineMs().default(1_500),
    /** Deny code used when the backend's errCode is below 100 (default 20001). */
    denyCode: number().integer().min(100).default(20_001),
    /** Failure rule for OpenIM callers (default: the top-level `failureRule`, else the backend's own). */
    failureRule: failureRule().optional(),
    /**
     * OpenIM signs nothing, so its `webhooks.yml` URL can carry a secret path segment
     * (`http://imbridge:8080/openim/<pathSecret>`); callbacks without it are refused.
     */
    pathSecret: string()
      .matches(
        /^[A-Za-z0-9._~-]{16,}$/,
        'openim.pathSecret must be at least 16 URL-safe characters (A-Z a-z 0-9 . _ ~ -)',
      )
      .optional(),
    /** Addresses OpenIM callbacks may come from; empty: any. */
    allowedIPs: ipList('openim.allowedIPs'),
  })
    .noUnknown()
    .default({}),
  /**
   * Failure rule for before-callbacks. Default: the one the backend was written for — `deny` for an
   * OpenIM-format backend (OpenIM aborts on every failure since v3.7), `allow` for Tencent-format
   * (Tencent fails open) and canonical backends (see `defaultFailureRule`).
   */
  failureRule: failureRule().optional(),
  /**
   * Per before-callback command: `failureRule`, `deadlineMs` and `denyCode` overrides, e.g.
   * `callbackBeforeAddFriendCommand: { failureRule: deny, deadlineMs: 3000 }`.
   */
  commands: commandPolicies,
  downstream: object({
    /** Backend URL. Without it imbridge runs in shadow mode. */
    url: string()
      .optional()
      .test('http-url', 'downstream.url must be an http(s) URL', (v) => v === undefined || isHttpURL(v)),
    /** Wire format the backend speaks. */
    format: string<'tencent' | 'openim' | 'canonical'>().oneOf(['tencent', 'openim', 'canonical']).optional(),
    /** Per-attempt timeout for after-event deliveries, in ms (default 5000). */
    timeoutMs: number().integer().min(1).default(5_000),
    /**
     * Calls in flight at once: the fanned-out calls of one event, and the outbox's deliveries (default
     * 64). Deliveries share the event loop with incoming callbacks; with fewer slots than the IM
     * server has callbacks in flight they fall behind under load and the outbox only grows.
     */
    concurrency: number().integer().min(1).max(256).default(64),
    /** Keep-alive connections per backend origin (default 64). */
    connections: number().integer().min(1).max(1024).default(64),
    /**
     * Largest backend reply read, in bytes (default 4 MiB): a reply is a verdict, and a backend that
     * streams more is cut off and counted as failed instead of filling imbridge's memory.
     */
    replyLimitBytes: number()
      .integer()
      .min(1024)
      .default(4 * 1024 * 1024),
    /** Token that signs Tencent-format deliveries with `Sign`/`RequestTime` (default: unsigned). */
    token: string().optional(),
    /** Standard Webhooks secret (`whsec_…`) that signs canonical deliveries (default: unsigned). */
    secret: string()
      .optional()
      .test(
        'whsec',
        'downstream.secret must be a Standard Webhooks secret: whsec_ followed by base64',
        (v) => v === undefined || isWebhookSecret(v),
      ),
    /** Static headers sent with every downstream request, e.g. `Authorization` (default none). */
    headers: headerMap,
    /**
     * The downstream vendor's commands the backend implements — what the team enabled in OpenIM's
     * `webhooks.yml` or Tencent's console (default: every command). A call to a command not listed is
     * never sent (the backend would answer 404); imbridge answers the callback itself, like an unmapped one.
     */
    commands: array(string().defined()).optional(),
  })
    .noUnknown()
    .default({})
    .test('known-downstream-commands', (d, ctx) => {
      if (!d?.commands) return true;
      if (d.format !== 'tencent' && d.format !== 'openim') {
        return ctx.createError({
          message: 'downstream.commands lists Tencent or OpenIM commands: set downstream.format to tencent or openim',
        });
      }
      const known = new Set(d.format === 'tencent' ? TENCENT_COMMANDS : OPENIM_COMMANDS);
      const unknown = d.commands.filter((c) => !known.has(c));
      return (
        unknown.length === 0 ||
        ctx.createError({
          message: `downstream.commands: ${unknown.join(', ')} is not an ${d.format === 'openim' ? 'OpenIM' : 'Tencent'} callback command`,
        })
      );
    })
    .test(
      'format-with-url',
      'downstream.format is required when downstream.url is set (tencent, openim or canonical)',
      (d) => !d?.url || d.format !== undefined,
    )
    .test('url-with-format', 'downstream.url is required when downstream.format is set', (d) => !d?.format || !!d.url),
  /**
   * A candidate backend every callback is also sent to, in the background, to compare its decisions with
   * the primary's (docs/migration.md#mirror-and-diff). Off unless `url` is set. It never changes or
   * delays an answer.
   */
  mirror: object({
    /** Candidate backend URL (MIRROR_URL). */
    url: string()
      .optional()
      .test('http-url', 'mirror.url must be an http(s) URL', (v) => v === undefined || isHttpURL(v)),
    /** Its format (MIRROR_FORMAT), which may differ from the primary's. */
    format: string<'tencent' | 'openim' | 'canonical'>().oneOf(['tencent', 'openim', 'canonical']).optional(),
    /** Share of callbacks mirrored, 0–1 (default 1). */
    sample: number().min(0).max(1).default(1),
    /** Longest wait for the candidate's answer to a before-event, and per after-event attempt, in ms (default 2000). */
    timeoutMs: number().integer().min(1).default(2_000),
    /** Attempts per after-event delivery to the candidate (default 3). */
    attempts: number().integer().min(1).max(10).default(3),
    /** Fields left out of the comparison: `code`, `message`, `patch`, `patch.<key>` (default none). */
    ignore: array(string().defined()).default([]),
    /** Candidate exchanges in flight past which new ones are dropped and counted (default 1000). */
    maxPending: number().integer().min(1).default(1_000),
    /** Disagreements kept in the outbox's store (default 10 000), and for how long (default 7 days), with the counts. */
    keep: number().integer().min(1).default(10_000),
    retentionHours: number().min(1).default(168),
    /** Static headers for every candidate request (default none). */
    headers: headerMap,
  })
    .noUnknown()
    .default({})
    .test(
      'format-with-url',
      'mirror.format is required when mirror.url is set (tencent, openim or canonical)',
      (m) => !m?.url || m.format !== undefined,
    ),
  outbox: object({
    /**
     * Where after-events wait until the backend accepts them (OUTBOX_URL): `sqlite:<file>` for one
     * instance (default `sqlite:.imbridge-data/outbox.sqlite`, relative to the working directory), or
     * `redis://host:6379/0` for replicas that share one queue.
     */
    url: string()
      .matches(/^(sqlite:.+|rediss?:\/\/.+)/, 'outbox.url must be sqlite:<file> or redis://host:port[/db]')
      .default('sqlite:.imbridge-data/outbox.sqlite'),
    /** `normal` survives a crash of imbridge (kill -9); `full` also an OS crash or power loss (default normal). */
    sync: string<'normal' | 'full'>().oneOf(['normal', 'full']).default('normal'),
    /** Attempts before an after-event becomes a dead letter (default 15, about an hour and a half). */
    maxAttempts: number().integer().min(1).max(1000).default(15),
    /** First retry delay in ms; doubles per attempt, with jitter (default 500). */
    baseDelayMs: number().integer().min(1).default(500),
    /** Longest retry delay in ms (default 600000, ten minutes). */
    maxDelayMs: number().integer().min(1).default(600_000),
    /** How often to look for due retries, in ms (default 500). */
    pollMs: number().integer().min(10).max(60_000).default(500),
    /**
     * SQLite: below this much free space on the outbox's disk (default 16 MiB), new after-events are
     * refused (503, not ready), retry bookkeeping waits, and the write-ahead log is cut back at every
     * checkpoint, so the space left goes to delivering what was accepted.
     */
    minFreeBytes: number()
      .integer()
      .min(0)
      .default(16 * 1024 * 1024),
  })
    .noUnknown()
    .default({}),
  /** How long a SIGTERM waits for requests and deliveries under way, in ms (default 10000). */
  shutdownMs: number().integer().min(0).max(120_000).default(10_000),
})
  .noUnknown()
  .test(
    'tencent-appid',
    'tencent.sdkAppId is required when downstream.format is tencent (it is sent as SdkAppid)',
    (c) => c?.downstream?.format !== 'tencent' || !!c.tencent?.sdkAppId,
  );

/** The validated config every module receives. */
export type Config = InferType<typeof configSchema>;
