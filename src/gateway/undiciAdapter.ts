import { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { request, type Dispatcher } from 'undici';
import { deadline } from './deadline.js';

/** Headers axios hands an adapter, flattened to what undici takes. */
function flatHeaders(config: InternalAxiosRequestConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers.toJSON(true))) {
    if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}

function axiosErrorFrom(err: unknown, config: InternalAxiosRequestConfig): AxiosError {
  const e = err as Error & { code?: string };
  const code = e.name === 'AbortError' || config.signal?.aborted ? AxiosError.ERR_CANCELED : e.code;
  return new AxiosError(e.message || String(err), code, config);
}

/**
 * An axios adapter (axios's documented extension point) that sends through an undici dispatcher:
 * keep-alive connection pools and undici's fast HTTP/1.1 client instead of node:http. It honours
 * `signal`, `timeout` and `validateStatus`; the body is passed as given (string or Buffer), and the
 * reply body is returned as text so imbridge parses it exactly once.
 */
export function undiciAdapter(dispatcher: Dispatcher): AxiosAdapter {
  return async function undiciAdapter(config): Promise<AxiosResponse> {
    const timeout = config.timeout ? deadline(config.timeout) : undefined;
    const active = [config.signal as AbortSignal | undefined, timeout?.signal].filter((s): s is AbortSignal => s !== undefined);
    let res: Dispatcher.ResponseData;
    let data: string;
    try {
      res = await request(config.url!, {
        method: (config.method ?? 'get').toUpperCase() as Dispatcher.HttpMethod,
        headers: flatHeaders(config),
        body: config.data as string | Buffer | undefined,
        dispatcher,
        signal: active.length > 1 ? AbortSignal.any(active) : active[0],
      });
      data = await res.body.text();
    } catch (err) {
      throw axiosErrorFrom(err, config);
    } finally {
      timeout?.clear();
    }
    const response: AxiosResponse = {
      data,
      status: res.statusCode,
      statusText: '',
      headers: res.headers as AxiosResponse['headers'],
      config,
      request: null,
    };
    if (config.validateStatus && !config.validateStatus(res.statusCode)) {
      throw new AxiosError(`Request failed with status code ${res.statusCode}`, AxiosError.ERR_BAD_RESPONSE, config, null, response);
    }
    return response;
  };
}
