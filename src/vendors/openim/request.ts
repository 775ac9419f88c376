import type { WireRequest } from '../../wire.js';
import { goJson } from './goJson.js';

/**
 * Builds the request OpenIM's server would send (docs/vendors/openim.md#requests): `POST {url}/{command}`, the JSON content type
 * with charset, the `operationID` header, and a Go-encoded body. A trailing slash on the configured
 * URL is dropped rather than doubled, so `http://backend/hooks/` works as users expect.
 */
export function buildOpenIMRequest(baseURL: string, command: string, body: unknown, operationID: string): WireRequest {
  return {
    method: 'POST',
    url: `${baseURL.replace(/\/+$/, '')}/${command}`,
    headers: { 'content-type': 'application/json; charset=utf-8', operationID },
    body: goJson(body),
  };
}
