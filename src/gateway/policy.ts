import type { DownstreamFormat, Vendor } from '../canonical/types.js';
import type { Config } from '../config/schema.js';

/** How one before-callback is handled when its backend is slow or broken (docs/guarantees.md#before-callbacks). */
export interface Policy {
  /** Total budget for all downstream work of the callback. */
  deadlineMs: number;
  /** What to answer when the backend fails. */
  failureRule: 'allow' | 'deny';
  /** Code for a failure-rule deny; the caller's envelope keeps it in its vendor's range. */
  denyCode: number;
}

/**
 * The failure rule a backend was written for (docs/configuration.md#failure-rule): OpenIM (v3.7 and
 * later) aborts the user's action on every timeout, network error or unreadable reply, whatever
 * `failedContinue` says (docs/vendors/openim.md#reply-handling), so an OpenIM-format backend was written
 * for fail-closed; Tencent goes ahead when its callback fails (docs/vendors/tencent.md#timeouts), and a
 * canonical backend is told the same as Tencent's.
 */
export function defaultFailureRule(format: DownstreamFormat | undefined): 'allow' | 'deny' {
  return format === 'openim' ? 'deny' : 'allow';
}

/**
 * The policy for a command: the command's overrides, else the calling vendor's, else the global rule,
 * else the backend format's own rule.
 */
export function policyFor(config: Config, vendor: Vendor, command: string): Policy {
  const route = config[vendor];
  const own = (config.commands as Record<string, Partial<Policy> | undefined>)[command] ?? {};
  return {
    deadlineMs: own.deadlineMs ?? route.deadlineMs,
    failureRule:
      own.failureRule ?? route.failureRule ?? config.failureRule ?? defaultFailureRule(config.downstream.format),
    denyCode: own.denyCode ?? route.denyCode,
  };
}
