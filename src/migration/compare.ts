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

/** One compared event, for a report. */
export interface Compared {
  command: string;
  /** When it happened (ms). */
  at: number;
  differences: Difference[];
  /** A short label of the event (type and id) for examples. */
  event: string;
}

/** Per command: how many were compared, how many agreed, and the kinds of difference with one example each. */
export interface CommandReport {
  command: string;
  compared: number;
  same: number;
  kinds: { kind: string; count: number; example: Compared }[];
}

/** Folds compared events into a report per command, most-compared first; kinds most frequent first. */
export function report(compared: readonly Compared[]): CommandReport[] {
  const byCommand = new Map<string, Compared[]>();
  for (const c of compared) byCommand.set(c.command, [...(byCommand.get(c.command) ?? []), c]);
  return [...byCommand.entries()]
    .map(([command, list]) => {
      const kinds = new Map<string, { kind: string; count: number; example: Compared }>();
      for (const c of list) {
        for (const kind of new Set(c.differences.map((d) => d.kind))) {
          const k = kinds.get(kind) ?? { kind, count: 0, example: c };
          k.count++;
          kinds.set(kind, k);
        }
      }
      return {
        command,
        compared: list.length,
        same: list.filter((c) => c.differences.length === 0).length,
        kinds: [...kinds.values()].sort((x, y) => y.count - x.count),
      };
    })
    .sort((x, y) => y.compared - x.compared || x.command.localeCompare(y.command));
}

/** The report as text: one line per command, then its kinds of difference with an example. */
export function reportText(rows: readonly CommandReport[]): string {
  if (rows.length === 0) return 'nothing compared\n';
  const lines: string[] = [];
  for (const r of rows) {
    const rate = ((100 * r.same) / r.compared).toFixed(1);
    lines.push(`${r.command}: ${r.compared} compared, ${r.same} same (${rate}%), ${r.compared - r.same} differ`);
    for (const k of r.kinds) {
      const d = k.example.differences.find((x) => x.kind === k.kind)!;
      const where = d.at ? ` ${d.at}` : '';
      lines.push(
        `  ${k.kind}: ${k.count} — e.g. ${k.example.event}${where}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
