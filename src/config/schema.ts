import { number, object, string, type InferType } from 'yup';

/** Before-callback failure rule (DESIGN.md, Policies): what to answer when the backend fails. */
const failureRule = () => string<'allow' | 'deny'>().oneOf(['allow', 'deny']);

/** yup's own `url()` refuses hosts without a dot (`http://backend:8080`), which is how services are named. */
function isHttpURL(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

const deadlineMs = () => number().integer().min(1).max(15_000);

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
    /** Largest accepted callback body, in bytes (default 1 MiB). */
    bodyLimitBytes: number().integer().min(1).default(1024 * 1024),
  })
    .noUnknown()
    .default({}),
  /** pino level (default `info`). */
  logLevel: string()
    .oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  tencent: object({
    /** The app's SDKAppID: inbound `SdkAppid` must match it, and Tencent-format deliveries carry it. */
    sdkAppId: string().matches(/^\d+$/, 'tencent.sdkAppId must be the decimal SDKAppID').optional(),
    /** Callback token configured in Tencent's console (signature check arrives with the edge checks). */
    callbackToken: string().optional(),
    /** Total budget for one Tencent before-callback, all downstream work included (default 1500; Tencent waits 2000). */
    deadlineMs: deadlineMs().max(1_900).default(1_500),
    /** Deny code used when the backend's code is outside Tencent's [38000, 39000] (default 38000). */
    denyCode: number().integer().min(38_000).max(39_000).default(38_000),
  })
    .noUnknown()
    .default({}),
  openim: object({
    /** Total budget for one OpenIM before-callback (default 1500; keep it under webhooks.yml `timeout`). */
    deadlineMs: deadlineMs().default(1_500),
    /** Deny code used when the backend's errCode is below 100 (default 20001). */
    denyCode: number().integer().min(100).default(20_001),
  })
    .noUnknown()
    .default({}),
  /** Failure rule for before-callbacks (default `allow`, like Tencent's timeout policy). */
  failureRule: failureRule().default('allow'),
  downstream: object({
    /** Backend URL. Without it imbridge runs in shadow mode. */
    url: string()
      .optional()
      .test('http-url', 'downstream.url must be an http(s) URL', (v) => v === undefined || isHttpURL(v)),
    /** Wire format the backend speaks. */
    format: string<'tencent' | 'openim' | 'canonical'>().oneOf(['tencent', 'openim', 'canonical']).optional(),
    /** Per-attempt timeout for after-event deliveries, in ms (default 5000). */
    timeoutMs: number().integer().min(1).default(5_000),
    /** How many fanned-out calls of one event run at once (default 8). */
    concurrency: number().integer().min(1).max(256).default(8),
    /** Keep-alive connections per backend origin (default 64). */
    connections: number().integer().min(1).max(1024).default(64),
    /** Token that signs Tencent-format deliveries with `Sign`/`RequestTime` (default: unsigned). */
    token: string().optional(),
  })
    .noUnknown()
    .default({})
    .test('format-with-url', 'downstream.format is required when downstream.url is set (tencent, openim or canonical)', (d) =>
      !d?.url || d.format !== undefined,
    )
    .test('url-with-format', 'downstream.url is required when downstream.format is set', (d) => !d?.format || !!d.url),
})
  .noUnknown()
  .test(
    'tencent-appid',
    'tencent.sdkAppId is required when downstream.format is tencent (it is sent as SdkAppid)',
    (c) => c?.downstream?.format !== 'tencent' || !!c.tencent?.sdkAppId,
  );

/** The validated config every module receives. */
export type Config = InferType<typeof configSchema>;
