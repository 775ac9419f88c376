import type { Outcome, Verdict } from '../canonical/types.js';
import { allow } from '../canonical/verdict.js';
import type { Planned } from './translate.js';

/**
 * Folds the outcomes of one event's downstream calls into one outcome. One call: its outcome is the
 * event's. Several (fan-out): any failure fails the event; a call that denies for its targets denies
 * those targets only; a call without targets that denies denies the event; patches merge in order.
 */
export function aggregate(planned: readonly Planned[], outcomes: readonly Outcome[]): Outcome {
  if (outcomes.length === 1) return outcomes[0]!;
  const failure = outcomes.find((o) => !o.ok);
  if (failure) return failure;
  let verdict: Verdict = allow();
  outcomes.forEach((outcome, i) => {
    if (!outcome.ok) return;
    const v = outcome.verdict;
    const targets = planned[i]!.targets;
    verdict.items.push(...v.items);
    Object.assign(verdict.patch, v.patch);
    if (v.decision !== 'deny') return;
    if (targets.length === 0) {
      if (verdict.decision === 'allow') verdict = { ...verdict, decision: 'deny', code: v.code, message: v.message, detail: v.detail };
      return;
    }
    for (const userID of targets) {
      if (!v.items.some((item) => item.userID === userID)) {
        verdict.items.push({ userID, decision: 'deny', code: v.code, message: v.message });
      }
    }
  });
  return { ok: true, verdict };
}
