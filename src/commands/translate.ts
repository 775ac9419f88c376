import type { AnyEvent, DownstreamFormat, Meta, Vendor } from '../canonical/types.js';
import { ImbridgeError, quoted } from '../errors.js';
import { decodeDelivery } from '../gateway/ingress/decode.js';
import { plan } from '../downstream/plan.js';
import { type Target } from '../downstream/target.js';
import { isOpenIMCommand } from '../vendors/openim/commands.js';
import { isTencentCommand } from '../vendors/tencent/commands.js';
import { parseTencentQuery, tencentMeta } from '../vendors/tencent/query.js';
import type { WireRequest } from '../wire.js';

/** Input of `imbridge translate`. */
export interface TranslateInput {
  from: Vendor;
  to: DownstreamFormat;
  /** The vendor payload, as received. */
  body: string;
  /** Tencent: the callback query string (`SdkAppid=…&CallbackCommand=…`). */
  query?: string;
  /** OpenIM: the command (last path segment); defaults to the body's `callbackCommand`. */
  command?: string;
  /** Downstream URL to show in the requests (default `http://backend.invalid/callback`). */
  url?: string;
  /** `SdkAppid` for Tencent-format output (default: the input's). */
  sdkAppId?: string;
  /** The downstream vendor's commands the backend implements (`downstream.commands`); absent: all of them. */
  commands?: readonly string[];
  nowMs?: number;
}

/** What `imbridge translate` prints. */
export interface TranslateResult {
  event: AnyEvent | null;
  /** `null` when the target format has no counterpart (the gateway would answer itself). */
  requests: WireRequest[] | null;
  /**
   * Calls made only once the backend has allowed the event, in the same deadline (OpenIM's modify call
   * after a before-send, when `commands` lists it); absent when there are none.
   */
  afterAllow?: WireRequest[];
}

function parseBody(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new ImbridgeError('malformed_json', `input is not JSON: ${(err as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ImbridgeError('invalid_payload', 'input must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * The offline twin of the gateway's request path: decode one vendor payload exactly as the ingress
 * does and plan the downstream requests exactly as the pipeline does, without any network.
 */
export function translatePayload(input: TranslateInput): TranslateResult {
  const body = parseBody(input.body);
  let command: string;
  let meta: Meta = {};
  if (input.from === 'tencent') {
    const query = parseTencentQuery(Object.fromEntries(new URLSearchParams(input.query ?? '')));
    command = query.command || String(body['CallbackCommand'] ?? '');
    meta = tencentMeta(query, body);
    if (!isTencentCommand(command))
      throw new ImbridgeError('unknown_command', `unknown Tencent callback command ${quoted(command)}`);
  } else {
    command = input.command ?? String(body['callbackCommand'] ?? '');
    if (!isOpenIMCommand(command))
      throw new ImbridgeError('unknown_command', `unknown OpenIM callback command ${quoted(command)}`);
  }
  const event = decodeDelivery({ vendor: input.from, command, meta, rawBody: input.body }, body);
  if (!event) return { event: null, requests: null };
  const sdkAppId = input.sdkAppId ?? meta.sdkAppId ?? '';
  const target: Target = {
    url: input.url ?? 'http://backend.invalid/callback',
    format: input.to,
    sdkAppId,
    commands: input.commands ? new Set(input.commands) : undefined,
  };
  const planned = plan(event, target, input.nowMs ?? Date.now());
  if (planned && planned.length > 0 && input.to === 'tencent' && !sdkAppId) {
    throw new ImbridgeError(
      'invalid_payload',
      '--sdkappid is required to translate to tencent (or set TENCENT_SDKAPPID)',
    );
  }
  if (!planned) return { event, requests: null };
  const afterAllow = planned.filter((p) => p.afterAllow).map((p) => p.request);
  return {
    event,
    requests: planned.filter((p) => !p.afterAllow).map((p) => p.request),
    ...(afterAllow.length > 0 && { afterAllow }),
  };
}
