import type { Vendor } from '../canonical/types.js';
import type { Config } from '../config/schema.js';

/** How one before-callback is handled when its backend is slow or broken (DESIGN.md, Policies). */
export interface Policy {
  /** Total budget for all downstream work of the callback. */
  deadlineMs: number;
  /** What to answer when the backend fails. */
  failureRule: 'allow' | 'deny';
  /** Code for a failure-rule deny; the caller's envelope keeps it in its vendor's range. */
  denyCode: number;
}

/** The policy for a command: the command's overrides, else the calling vendor's, else the global rule. */
export function policyFor(config: Config, vendor: Vendor, command: string): Policy {
  const route = config[vendor];
  const own = (config.commands as Record<string, Partial<Policy> | undefined>)[command] ?? {};
  return {
    deadlineMs: own.deadlineMs ?? route.deadlineMs,
    failureRule: own.failureRule ?? route.failureRule ?? config.failureRule,
    denyCode: own.denyCode ?? route.denyCode,
  };
}
