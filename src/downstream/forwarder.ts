import { Axios } from 'axios';
import { Agent } from 'undici';
import type { WireReply, WireRequest } from '../wire.js';
import { undiciAdapter } from './undiciAdapter.js';

/** Options for the downstream HTTP client. */
export interface ForwarderOptions {
  /** Keep-alive connections per backend origin (default 64). */
  connections?: number;
  /** Largest reply read, in bytes (default 4 MiB); a longer one fails the request. */
  replyLimitBytes?: number;
}

/**
 * The only part of imbridge that does downstream I/O. axios is the client; it is set up to do as
 * little per request as it can: the body arrives already serialised (no request transforms), the
 * reply stays text (no response transforms), every status resolves (the vendor reply readers judge
 * statuses themselves), and no default headers are added, so the wire carries exactly what the
 * vendor request builders chose. It is an `Axios` built from these settings alone rather than
 * `axios.create()`, which would merge axios's global defaults (per-method header buckets, XSRF and
 * size options the undici adapter never reads) into every request: half of axios's cost per call.
 *
 * The defaults also name every key a request passes (`method`, `url`, `data`, `signal`), unset. axios
 * merges each request's config into its defaults starting from `{ ...defaults, ...config }`, and on
 * Node 20 (V8 11) a spread that adds keys the first object lacks builds a fresh hidden class every
 * time, allocated straight into the old generation: at a steady 1 000 calls/s that was a third of what
 * filled the old generation, and the full collections it brought were the p99
 * (docs/performance.md#garbage-and-the-p99). With the keys already there the spread only overwrites.
 */
export class Forwarder {
  private readonly agent: Agent;
  private readonly http: Axios;

  constructor(options: ForwarderOptions = {}) {
    this.agent = new Agent({ connections: options.connections ?? 64, keepAliveTimeout: 10_000 });
    this.http = new Axios({
      adapter: undiciAdapter(this.agent),
      transformRequest: [],
      transformResponse: [],
      validateStatus: null,
      maxRedirects: 0,
      maxContentLength: options.replyLimitBytes ?? 4 * 1024 * 1024,
      responseType: 'text',
      headers: {},
      method: undefined,
      url: undefined,
      data: undefined,
      signal: undefined,
    });
  }

  /** Sends one request; rejects on connection errors and when `signal` aborts. */
  async send(req: WireRequest, signal: AbortSignal): Promise<WireReply> {
    const res = await this.http.request<string>({
      method: req.method,
      url: req.url,
      headers: req.headers,
      data: req.body,
      signal,
    });
    return { status: res.status, headers: res.headers as WireReply['headers'], body: res.data };
  }

  /** Closes pooled connections (graceful shutdown). */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
