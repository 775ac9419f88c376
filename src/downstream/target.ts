import { Webhook } from 'standardwebhooks';
import type { DownstreamFormat } from '../canonical/types.js';
import type { Config } from '../config/schema.js';

/** Where and how to deliver: the downstream half of the config. */
export interface Target {
  url: string;
  format: DownstreamFormat;
  /** `SdkAppid` presented to a Tencent-format backend. */
  sdkAppId: string;
  /** Signs Tencent-format deliveries (`Sign`/`RequestTime`) when set. */
  token?: string;
  /** Signs canonical deliveries with Standard Webhooks headers when set. */
  signer?: Webhook;
  /** Static headers for every request (the format's own headers win on a clash). */
  headers?: Record<string, string>;
  /** The vendor commands the backend implements (`downstream.commands`); absent: all of them. */
  commands?: ReadonlySet<string>;
}

/** The configured downstream, or undefined in shadow mode. */
export function downstreamTarget(config: Config): Target | undefined {
  const { downstream, tencent } = config;
  if (!downstream.url || !downstream.format) return undefined;
  return {
    url: downstream.url,
    format: downstream.format,
    sdkAppId: tencent.sdkAppId ?? '',
    token: downstream.token,
    signer: downstream.secret ? new Webhook(downstream.secret) : undefined,
    headers: Object.keys(downstream.headers).length > 0 ? downstream.headers : undefined,
    commands: downstream.commands ? new Set(downstream.commands) : undefined,
  };
}

/** The mirror's candidate backend (`mirror`), or undefined when no mirror is configured. */
export function mirrorTarget(config: Config): Target | undefined {
  const { mirror, tencent } = config;
  if (!mirror.url || !mirror.format) return undefined;
  return {
    url: mirror.url,
    format: mirror.format,
    sdkAppId: tencent.sdkAppId ?? '',
    headers: Object.keys(mirror.headers).length > 0 ? mirror.headers : undefined,
  };
}
