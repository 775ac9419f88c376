import { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { deadline } from './deadline.js';

/** Headers axios hands an adapter, flattened to what undici takes. */
function flatHeaders(config: InternalAxiosRequestConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers.toJSON(true))) {
    if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}

function axiosErrorFrom(err: unknown, config: InternalAxiosRequestConfig, aborted: boolean): AxiosError {
  const e = err as Error & { code?: string };
  const code = aborted || e.name === 'AbortError' ? AxiosError.ERR_CANCELED : e.code;
  return new AxiosError(e.message || String(err), code, config);
}

/** UTF-8, a leading byte-order mark dropped: how undici's own `body.text()` reads a reply. */
const utf8 = new TextDecoder();

/** A reply as it arrives: status and headers, then the body's bytes. */
interface Arrived {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends one request through `dispatcher` and collects the reply. This is undici's low-level dispatch
 * API, the one its `request()` is built on: the reply's bytes are gathered straight into a string
 * instead of through the Node stream `request()` wraps every body in, which for the small JSON
 * replies of webhooks cost more than the parsing. `signal` aborts the request wherever it is (queued,
 * sending or reading).
 */
function dispatch(
  dispatcher: Dispatcher,
  url: URL,
  options: Omit<Dispatcher.DispatchOptions, 'origin' | 'path'>,
  signal: AbortSignal | undefined,
  maxBytes: number,
): Promise<Arrived> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const settle = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else
        resolve({
          status,
          headers,
          body: chunks.length === 1 ? utf8.decode(chunks[0]) : utf8.decode(Buffer.concat(chunks)),
        });
    };
    const abortError = () =>
      signal?.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
    // Before the request has a controller, the abort is taken up by onRequestStart.
    const onAbort = () => {
      controller?.abort(abortError());
      settle(abortError());
    };
    if (signal?.aborted) return settle(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    dispatcher.dispatch(
      { origin: url.origin, path: url.pathname + url.search, ...options },
      {
        onRequestStart(c) {
          controller = c;
          if (settled) c.abort(abortError());
        },
        onResponseStart(_c, statusCode, replyHeaders) {
          // 1xx informational replies come first; only the final reply counts.
          if (statusCode < 200) return;
          status = statusCode;
          headers = replyHeaders;
        },
        onResponseData(c, chunk) {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            const tooLong = Object.assign(new Error(`reply is longer than ${maxBytes} bytes`), {
              code: AxiosError.ERR_BAD_RESPONSE,
            });
            c.abort(tooLong);
            settle(tooLong);
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle(undefined);
        },
        onResponseError(_c, err) {
          settle(err);
        },
      },
    );
  });
}

/**
 * An axios adapter (axios's documented extension point) that sends through an undici dispatcher:
 * keep-alive connection pools and undici's fast HTTP/1.1 client instead of node:http. It honours
 * `signal`, `timeout`, `maxContentLength` and `validateStatus`; the body is passed as given (string or Buffer), and the
 * reply body is returned as text so imbridge parses it exactly once.
 */
export function undiciAdapter(dispatcher: Dispatcher): AxiosAdapter {
  return async function undiciAdapter(config): Promise<AxiosResponse> {
    const timeout = config.timeout ? deadline(config.timeout) : undefined;
    const active = [config.signal as AbortSignal | undefined, timeout?.signal].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const signal = active.length > 1 ? AbortSignal.any(active) : active[0];
    let res: Arrived;
    try {
      res = await dispatch(
        dispatcher,
        new URL(config.url!),
        {
          method: (config.method ?? 'get').toUpperCase() as Dispatcher.HttpMethod,
          headers: flatHeaders(config),
          body: (config.data as string | Buffer | undefined) ?? null,
        },
        signal,
        // axios's own setting, -1 (its default) for no limit.
        config.maxContentLength === undefined || config.maxContentLength < 0 ? Infinity : config.maxContentLength,
      );
    } catch (err) {
      throw axiosErrorFrom(err, config, signal?.aborted ?? false);
    } finally {
      timeout?.clear();
    }
    const response: AxiosResponse = {
      data: res.body,
      status: res.status,
      statusText: '',
      headers: res.headers as AxiosResponse['headers'],
      config,
      request: null,
    };
    if (config.validateStatus && !config.validateStatus(res.status)) {
      throw new AxiosError(
        `Request failed with status code ${res.status}`,
        AxiosError.ERR_BAD_RESPONSE,
        config,
        null,
        response,
      );
    }
    return response;
  };
}
