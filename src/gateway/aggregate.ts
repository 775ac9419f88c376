import type { Outcome, Verdict } from '../canonical/types.js';
import { allow } from '../canonical/verdict.js';
import type { Planned } from '../downstream/plan.js';

/** Whether a call decides for only some of the event's targets (a per-target fan-out). */
export function decidesForSome(callTargets: readonly string[], eventTargets: readonly string[]): boolean {
  return callTargets.length > 0 && eventTargets.some((t) => !callTargets.includes(t));
}

/**
 * Folds the outcomes of one event's downstream calls into one outcome. Any failure fails the event
 * (the pipeline has already settled per-target failures). A deny from a call that decides for only
 * some targets denies those targets; a deny from any other call denies the event. Items and patches
 * are merged in call order. No calls at all (nothing to ask) is an allow.
 */
export function aggregate(
  planned: readonly Planned[],
  outcomes: readonly Outcome[],
  eventTargets: readonly string[],
): Outcome {
  const failure = outcomes.find((o) => !o.ok);
  if (failure) return failure;
  if (outcomes.length === 1 && !decidesForSome(planned[0]!.targets, eventTargets)) return outcomes[0]!;
  let verdict: Verdict = allow();
  outcomes.forEach((outcome, i) => {
    if (!outcome.ok) return;
    const v = outcome.verdict;
    const targets = planned[i]!.targets;
    verdict.items.push(...v.items);
    Object.assign(verdict.patch, v.patch);
    if (v.ignored) verdict.ignored = [...(verdict.ignored ?? []), ...v.ignored];
    if (v.decision === 'allow') return;
    if (!decidesForSome(targets, eventTargets)) {
      if (verdict.decision === 'allow')
        verdict = { ...verdict, decision: v.decision, code: v.code, message: v.message, detail: v.detail };
      return;
    }
    for (const userID of targets) {
      if (!v.items.some((item) => item.userID === userID))
        verdict.items.push({ userID, decision: 'deny', code: v.code, message: v.message });
    }
  });
  return { ok: true, verdict };
}
