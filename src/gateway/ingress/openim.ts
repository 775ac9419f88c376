import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Meta } from '../../canonical/types.js';
import { ImbridgeError, quoted } from '../../errors.js';
import { isOpenIMCommand, openimPhase } from '../../vendors/openim/commands.js';
import { openimAnswer } from '../../vendors/openim/answer.js';
import { traceOf, type TraceState } from '../observe.js';
import type { CallerState } from '../callers.js';
import { rawBody, requireObject } from './body.js';
import { handleDelivery, recordDelivery, type IngressOptions } from './handle.js';

/** Compares two strings in constant time, whatever their lengths. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Checks the secret path segment when one is configured (`/openim/<pathSecret>/<command>`): OpenIM signs
 * nothing (docs/security.md#openim), so a URL only OpenIM's config knows is what proves origin. Compared
 * in constant time. Without a `pathSecret`, a path with a secret segment is no route.
 */
export function openimOrigin({ pathSecret }: { pathSecret?: string }): Middleware {
  return async function openimOrigin(ctx, next) {
    const expected = pathSecret;
    const given = ctx['params']?.secret as string | undefined;
    if (expected && (given === undefined || !sameSecret(given, expected))) {
      throw new ImbridgeError('forbidden_origin', 'the callback path secret is missing or wrong', 403);
    }
    if (!expected && given !== undefined)
      throw new ImbridgeError('not_found', 'no callback route here: OpenIM URLs are /openim/{callbackCommand}', 404);
    await next();
  };
}

/**
 * `POST /openim/{callbackCommand}` (docs/configuration.md#routes): OpenIM appends the command to its
 * configured URL and sends the operation id as the `Operationid` header (docs/vendors/openim.md#requests).
 */
export function openimIngress(options: IngressOptions): Middleware<CallerState & TraceState> {
  const { maxJsonDepth, denyCode, now } = options;
  return async function openimIngress(ctx) {
    const command = String(ctx['params']?.command ?? '');
    if (!isOpenIMCommand(command))
      throw new ImbridgeError('unknown_command', `unknown OpenIM callback command ${quoted(command)}`);
    const trace = traceOf(ctx);
    trace.command = command;
    const body = requireObject(ctx, maxJsonDepth);
    const inBody = body['callbackCommand'];
    if (inBody !== undefined && inBody !== command) {
      throw new ImbridgeError(
        'command_mismatch',
        `body callbackCommand ${quoted(String(inBody))} disagrees with the URL's ${quoted(command)}`,
      );
    }
    const phase = openimPhase(command);
    trace.phase = phase;
    const operationID = ctx.get('operationID');
    if (operationID) trace.operationID = operationID;
    // OpenIM's relationship and user bodies carry no time and no client address: the event happened when
    // it was accepted, and the address a Tencent-format backend needs is the OpenIM server's
    // (docs/mappings.md#meta).
    const meta: Meta = { clientIP: ctx.state.callerIP, eventTime: now() };
    if (operationID) meta.operationID = operationID;
    const origin = { vendor: 'openim' as const, command, meta, rawBody: rawBody(ctx), stamp: operationID || undefined };
    const { event, verdict } = await handleDelivery(options, trace, origin, body, phase);
    recordDelivery(
      options.recorder,
      trace,
      origin,
      phase,
      { event, verdict },
      () => (operationID ? { headers: { operationID } } : {}),
      now,
    );
    ctx.body = openimAnswer(command, phase, body, verdict, denyCode);
  };
}
