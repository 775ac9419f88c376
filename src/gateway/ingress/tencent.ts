import type { Middleware } from 'koa';
import { mappingOf } from '../../../mappings/index.js';
import { ImbridgeError, quoted } from '../../errors.js';
import { isPerTargetCommand, isTencentCommand, tencentPhase } from '../../vendors/tencent/commands.js';
import { tencentReply } from '../../vendors/tencent/envelope.js';
import { isGroupBeforeCommand, tencentGroupReply } from '../../vendors/tencent/groupReply.js';
import { isBeforeSendCommand, tencentMessageReply } from '../../vendors/tencent/messageReply.js';
import { parseTencentQuery, tencentMeta, type TencentQuery } from '../../vendors/tencent/query.js';
import { verifyTencentSignature } from '../../vendors/tencent/signature.js';
import { traceOf, type TraceState } from '../observe.js';
import type { CallerState } from '../callers.js';
import { rawBody, requireObject } from './body.js';
import { handleDelivery, recordDelivery, type IngressOptions } from './handle.js';

/** The query as a recording keeps it: every parameter but `Sign`, which proves nothing once replayed. */
function recordedQuery(query: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k.toLowerCase() === 'sign' || v === undefined) continue;
    kept[k] = Array.isArray(v) ? v[0]! : v;
  }
  return kept;
}

/** The command of a delivery: the query's, which must agree with the body's when both are present. */
function commandOf(query: TencentQuery, body: Record<string, unknown>): string {
  const inBody = body['CallbackCommand'];
  if (inBody !== undefined && typeof inBody !== 'string') {
    throw new ImbridgeError('invalid_payload', 'CallbackCommand must be a `string` type');
  }
  if (query.command && inBody !== undefined && inBody !== query.command) {
    throw new ImbridgeError(
      'command_mismatch',
      `body CallbackCommand ${quoted(String(inBody))} disagrees with query CallbackCommand ${quoted(query.command)}`,
    );
  }
  const command = query.command || inBody;
  if (!command) throw new ImbridgeError('invalid_payload', 'CallbackCommand is missing from both query and body');
  if (!isTencentCommand(command))
    throw new ImbridgeError('unknown_command', `unknown Tencent callback command ${quoted(command)}`);
  return command;
}

/** What `tencentOrigin` leaves for `tencentIngress`: the query it read and checked. */
export interface TencentQueryState {
  tencentQuery: TencentQuery;
}

/** Options of `tencentOrigin`. */
export interface TencentOriginOptions {
  /** The app's SDKAppID; another app's callbacks are refused (`tencent.sdkAppId`). */
  sdkAppId?: string;
  /** When set, every callback must carry a valid `Sign`/`RequestTime` (`tencent.callbackToken`). */
  callbackToken?: string;
  /** How far `RequestTime` may be from now, in seconds (`tencent.signatureWindowSec`). */
  windowSec: number;
  /** Now, in Unix ms. */
  now: () => number;
}

/**
 * Checks that a callback is Tencent's, from the query alone, before its body is read
 * (docs/security.md#tencent): the app id when one is configured, and `Sign`/`RequestTime` when a
 * callback token is. Leaves the parsed query in `ctx.state.tencentQuery`.
 */
export function tencentOrigin({
  sdkAppId,
  callbackToken,
  windowSec,
  now,
}: TencentOriginOptions): Middleware<TencentQueryState> {
  return async function tencentOrigin(ctx, next) {
    const query = parseTencentQuery(ctx.query);
    if (sdkAppId && query.sdkAppId !== sdkAppId) {
      throw new ImbridgeError('sdkappid_mismatch', `SdkAppid ${quoted(query.sdkAppId)} is not this gateway's app`, 403);
    }
    if (callbackToken) verifyTencentSignature(query, callbackToken, now(), windowSec);
    ctx.state.tencentQuery = query;
    await next();
  };
}

/** `POST /tencent` (docs/configuration.md#routes): decodes, delivers, and answers in Tencent's envelope. */
export function tencentIngress(options: IngressOptions): Middleware<CallerState & TencentQueryState & TraceState> {
  const { maxJsonDepth, denyCode, now } = options;
  return async function tencentIngress(ctx) {
    const query = ctx.state.tencentQuery;
    const trace = traceOf(ctx);
    const body = requireObject(ctx, maxJsonDepth);
    const command = commandOf(query, body);
    const phase = tencentPhase(command);
    trace.command = command;
    trace.phase = phase;
    const meta = tencentMeta(query, body);
    // Tencent always sends both; should a callback lack them, the event happened when it was accepted, and
    // the address is that of the Tencent server that called (a Tencent-format backend never gets "").
    meta.clientIP ??= ctx.state.callerIP;
    meta.eventTime ??= now();
    const origin = { vendor: 'tencent' as const, command, meta, rawBody: rawBody(ctx), stamp: query.requestTime };
    const { event, verdict } = await handleDelivery(options, trace, origin, body, phase);
    recordDelivery(
      options.recorder,
      trace,
      origin,
      phase,
      { event, verdict },
      () => ({ query: recordedQuery(ctx.query) }),
      now,
    );
    const targets = event ? (mappingOf(event.type).targets?.(event.data as never) ?? []) : [];
    if (isBeforeSendCommand(command)) ctx.body = tencentMessageReply(command, verdict, denyCode);
    else if (isGroupBeforeCommand(command)) ctx.body = tencentGroupReply(command, targets, verdict, denyCode);
    else ctx.body = tencentReply(phase, isPerTargetCommand(command), targets, verdict, denyCode);
  };
}
