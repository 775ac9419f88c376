import type { Middleware } from 'koa';
import { mappingOf } from '../../../mappings/index.js';
import type { Config } from '../../config/schema.js';
import { ImbridgeError, quoted } from '../../errors.js';
import { isPerTargetCommand, isTencentCommand, tencentPhase } from '../../vendors/tencent/commands.js';
import { tencentReply } from '../../vendors/tencent/envelope.js';
import { parseTencentQuery, tencentMeta, type TencentQuery } from '../../vendors/tencent/query.js';
import { verifyTencentSignature } from '../../vendors/tencent/signature.js';
import { traceOf } from '../observe.js';
import type { CallerState } from '../origin.js';
import type { Pipeline } from '../pipeline.js';
import { rawBody, requireObject } from './body.js';
import { handleDelivery } from './handle.js';

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

/**
 * Checks that a callback is Tencent's, from the query alone, before its body is read (T§5): the app id
 * when one is configured, and `Sign`/`RequestTime` when a callback token is. Leaves the parsed query in
 * `ctx.state.tencentQuery`.
 */
export function tencentOrigin(config: Config, now: () => number): Middleware<TencentQueryState> {
  return async function tencentOrigin(ctx, next) {
    const query = parseTencentQuery(ctx.query);
    const expected = config.tencent.sdkAppId;
    if (expected && query.sdkAppId !== expected) {
      throw new ImbridgeError('sdkappid_mismatch', `SdkAppid ${quoted(query.sdkAppId)} is not this gateway's app`, 403);
    }
    const token = config.tencent.callbackToken;
    if (token) verifyTencentSignature(query, token, now(), config.tencent.signatureWindowSec);
    ctx.state.tencentQuery = query;
    await next();
  };
}

/** `POST /tencent` (DESIGN.md, External contract): decodes, delivers, and answers in Tencent's envelope. */
export function tencentIngress(
  config: Config,
  pipeline: Pipeline,
  now: () => number,
): Middleware<CallerState & TencentQueryState> {
  return async function tencentIngress(ctx) {
    const query = ctx.state.tencentQuery;
    const trace = traceOf(ctx);
    const body = requireObject(ctx, config.server.maxJsonDepth);
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
    const { event, verdict } = await handleDelivery(config, pipeline, trace, origin, body, phase);
    const targets = event ? (mappingOf(event.type).targets?.(event.data as never) ?? []) : [];
    ctx.body = tencentReply(phase, isPerTargetCommand(command), targets, verdict, config.tencent.denyCode);
  };
}
