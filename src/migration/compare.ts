import type { Verdict } from '../canonical/types.js';

/**
 * Two decisions on one event, compared in canonical terms (docs/migration.md#record-and-replay), so
 * backends of different formats can be compared: the decision, the code and message, each target's
 * decision and code, and the patch. `ignore` leaves out `code`, `message` or `patch` (or a patch key,
 * `patch.<key>`).
 */

/** One way two decisions differ. */
export interface Difference {
  /** What differs, for grouping: `decision`, `code`, `message`, `item.decision`, `item.code`, `patch.<key>`, `accepted`. */
  kind: string;
  /** Where: the target for item kinds, else ''. */
  at: string;
  before: unknown;
  after: unknown;
}

/** What a compared side did with an event: a before-event's verdict, or whether an after-event was accepted. */
export type Decided = { verdict: Verdict } | { accepted: boolean };

/** The differences between two decisions on one event (none: they agree). */
export function compareDecisions(a: Decided, b: Decided, ignore: readonly string[] = []): Difference[] {
  if ('accepted' in a || 'accepted' in b) {
    const x = 'accepted' in a ? a.accepted : true;
    const y = 'accepted' in b ? b.accepted : true;
    return x === y ? [] : [{ kind: 'accepted', at: '', before: x, after: y }];
  }
  return compareVerdicts(a.verdict, b.verdict, ignore);
}

/** The differences between two verdicts on one event. */
export function compareVerdicts(a: Verdict, b: Verdict, ignore: readonly string[] = []): Difference[] {
  const skip = new Set(ignore);
  const out: Difference[] = [];
  const add = (kind: string, at: string, before: unknown, after: unknown) => {
    if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ kind, at, before, after });
  };
  add('decision', '', a.decision, b.decision);
  if (a.decision !== 'allow' || b.decision !== 'allow') {
    if (!skip.has('code')) add('code', '', a.code, b.code);
    if (!skip.has('message')) add('message', '', a.message, b.message);
  }
  // A target without an item has the whole verdict's decision.
  const targets = [...new Set([...a.items, ...b.items].map((i) => i.userID))];
  const itemOf = (v: Verdict, userID: string) =>
    v.items.find((i) => i.userID === userID) ?? { decision: v.decision, code: v.code };
  for (const userID of targets) {
    const x = itemOf(a, userID);
    const y = itemOf(b, userID);
    add('item.decision', userID, x.decision, y.decision);
    if (!skip.has('code') && x.decision !== 'allow' && y.decision !== 'allow') add('item.code', userID, x.code, y.code);
  }
  if (!skip.has('patch')) {
    const keys = [...new Set([...Object.keys(a.patch), ...Object.keys(b.patch)])].sort();
    for (const key of keys) {
      if (skip.has(`patch.${key}`)) continue;
      add(`patch.${key}`, '', (a.patch as Record<string, unknown>)[key], (b.patch as Record<string, unknown>)[key]);
    }
  }
  return out;
}
