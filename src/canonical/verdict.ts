import type { Outcome, Verdict, VerdictItem } from './types.js';

/** The verdict that lets everything through unchanged. */
export function allow(): Verdict {
  return { decision: 'allow', code: 0, message: '', detail: '', items: [], patch: {} };
}

/** A whole-event denial. */
export function deny(code: number, message: string, detail = ''): Verdict {
  return { decision: 'deny', code, message, detail, items: [], patch: {} };
}

/** A successful outcome. */
export function ok(verdict: Verdict): Outcome {
  return { ok: true, verdict };
}

/** A failed exchange, to be settled by the failure rule. */
export function failed(reason: string): Outcome {
  return { ok: false, reason };
}

/** The decision for one target: its own item if the verdict has one, else the whole verdict's. */
export function decisionFor(verdict: Verdict, userID: string): VerdictItem {
  const item = verdict.items.find((i) => i.userID === userID);
  if (item) return item;
  return { userID, decision: verdict.decision, code: verdict.code, message: verdict.message };
}
