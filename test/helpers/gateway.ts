import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createApp, type Gateway } from '../../src/gateway/app.js';
import { createLogger } from '../../src/log.js';
import { Downstream, type Handler } from './downstream.js';
import { outboxFile } from './outbox.js';

/** The real Koa app listening on 127.0.0.1, for HTTP tests. */
export interface TestGateway {
  url: string;
  config: Config;
  /** The outbox, when a downstream is configured. */
  outbox: Gateway['outbox'];
  /** POSTs raw bytes and returns status, parsed JSON body and raw text. */
  post(
    path: string,
    body: string | Uint8Array<ArrayBuffer>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: unknown; text: string }>;
  close(): Promise<void>;
}

/** What a test may inject besides config. */
export interface TestOptions {
  /** Fixed clock. */
  now?: () => number;
  /** Collects every log line (as parsed JSON text) instead of discarding them. */
  logLines?: string[];
  /** Export Node process metrics too (off by default: many gateways share one test process). */
  processMetrics?: boolean;
}

/** Starts the gateway with `overrides` on top of the defaults (logs silenced unless LOG_LEVEL is set or collected). */
export async function startGateway(
  overrides: Record<string, unknown> = {},
  options: TestOptions = {},
): Promise<TestGateway> {
  const level = options.logLines ? 'trace' : (process.env['LOG_LEVEL'] ?? 'silent');
  // Each gateway gets its own outbox file unless the test names one (to restart on the same store).
  const outbox = { url: `sqlite:${outboxFile('outbox')}`, pollMs: 50, ...(overrides['outbox'] as object) };
  const config = configSchema.validateSync({ logLevel: level, ...overrides, outbox });
  const sink = options.logLines ? { write: (line: string) => void options.logLines!.push(line) } : undefined;
  const gateway = createApp({
    config,
    logger: createLogger(config.logLevel, sink),
    now: options.now,
    processMetrics: options.processMetrics ?? false,
  });
  const { app } = gateway;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config,
    outbox: gateway.outbox,
    async post(path, body, headers = {}) {
      const res = await fetch(url + path, { method: 'POST', body, headers });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}

/** Starts a gateway with `overrides`, runs `fn` against it, and always closes it. */
export async function withGateway(
  overrides: Record<string, unknown>,
  fn: (g: TestGateway) => Promise<void>,
  options: TestOptions = {},
): Promise<void> {
  const g = await startGateway(overrides, options);
  try {
    await fn(g);
  } finally {
    await g.close();
  }
}

/** A real backend and a gateway in front of it, renewed around every test of a mocha suite. */
export interface BackendAndGateway {
  backend: Downstream;
  backendURL: string;
  gateway: TestGateway;
}

/**
 * Registers mocha hooks: one backend for the suite; before each test its recording is cleared, it is
 * set to answer with `answer`, and a fresh gateway is started with `overrides(backendURL)`.
 */
export function backendAndGateway(
  overrides: (backendURL: string) => Record<string, unknown>,
  answer: Handler,
  options: TestOptions = {},
): BackendAndGateway {
  const env = { backend: new Downstream(), backendURL: '', gateway: undefined as unknown as TestGateway };
  before(async () => {
    env.backendURL = await env.backend.start();
  });
  after(() => env.backend.close());
  beforeEach(async () => {
    env.backend.received.length = 0;
    env.backend.answer(answer);
    env.gateway = await startGateway(overrides(env.backendURL), options);
  });
  afterEach(() => env.gateway.close());
  return env;
}

/**
 * Registers mocha hooks for one real backend answering with `answer` and one gateway in front of it,
 * started with `overrides(backendURL)` and kept for the whole suite (suites whose tests do not disturb
 * each other). `backendAndGateway` renews the gateway per test instead.
 */
export function backendAndGatewayForSuite(
  overrides: (backendURL: string) => Record<string, unknown>,
  answer: Handler,
): BackendAndGateway {
  const env = { backend: new Downstream(answer), backendURL: '', gateway: undefined as unknown as TestGateway };
  before(async () => {
    env.backendURL = await env.backend.start();
    env.gateway = await startGateway(overrides(env.backendURL));
  });
  after(async () => {
    await env.gateway.close();
    await env.backend.close();
  });
  return env;
}
