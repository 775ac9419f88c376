import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake backend received, as it arrived on the wire. */
export interface Received {
  /** When it arrived (performance.now()). */
  at: number;
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the backend answers: status, body, and an optional delay. */
export interface Answer {
  status?: number;
  body: string | object;
  delayMs?: number;
  headers?: Record<string, string>;
}

export type Handler = (req: Received, index: number) => Answer | Promise<Answer>;

/**
 * A real HTTP backend on 127.0.0.1 that records every request and answers with `handler`. Tests assert
 * on what really crossed the socket.
 */
export class Downstream {
  readonly received: Received[] = [];
  private server?: Server;
  private handler: Handler;

  constructor(handler: Handler = () => ({ body: '' })) {
    this.handler = handler;
  }

  /** Resolves once `n` requests have arrived (after-events are delivered from the outbox, not inline). */
  async waitFor(n: number, timeoutMs = 3_000): Promise<Received[]> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (Date.now() > until)
        throw new Error(`the backend received ${this.received.length} of ${n} requests within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.received;
  }

  /** Replaces how the backend answers. */
  answer(handler: Handler): void {
    this.handler = handler;
  }

  /** Listens on 127.0.0.1 (on `port` when given, e.g. to come back where a test left a dead backend). */
  async start(port = 0): Promise<string> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const rec: Received = {
          at: performance.now(),
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        const index = this.received.push(rec) - 1;
        const a = await this.handler(rec, index);
        if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
        if (res.destroyed) return;
        res.statusCode = a.status ?? 200;
        res.setHeader('content-type', 'application/json');
        for (const [name, value] of Object.entries(a.headers ?? {})) res.setHeader(name, value);
        res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * A backend shared by a mocha suite: started before it, closed after it, its recording cleared before
 * each test. `url()` is its address once started.
 */
export function useBackend(handler?: Handler): { backend: Downstream; url: () => string } {
  const backend = new Downstream(handler);
  let address = '';
  before(async () => {
    address = await backend.start();
  });
  after(() => backend.close());
  beforeEach(() => {
    backend.received.length = 0;
  });
  return { backend, url: () => address };
}
