import type { Patch, Verdict } from '../src/canonical/types.js';

/**
 * What a group before-event's verdict may change, by the command that asked (docs/mappings.md#group-verdicts).
 * Tencent's group before-callbacks take no values at all; OpenIM's each take a few. Anything else a
 * backend sets is reported as ignored (the pipeline logs and counts it) and left out of the answer.
 */

/** Whether the caller is Tencent (its group commands are `Group.…`). */
export function fromTencent(command: string): boolean {
  return command.startsWith('Group.');
}

/**
 * Keeps the patch keys `allowed` for this caller whose value `keep` accepts (default: all); the others
 * are ignored, except those `keep` turns down as changing nothing. A refusal keeps no patch.
 */
export function settleGroupPatch(
  verdict: Verdict,
  command: string,
  allowed: readonly (keyof Patch)[],
  keep: (key: keyof Patch, value: unknown) => 'keep' | 'same' | 'ignore' = () => 'keep',
): Verdict {
  const ignored = [...(verdict.ignored ?? [])];
  const patch: Record<string, unknown> = {};
  if (verdict.decision === 'allow') {
    for (const [key, value] of Object.entries(verdict.patch) as [keyof Patch, unknown][]) {
      const verdictOnKey = fromTencent(command) || !allowed.includes(key) ? 'ignore' : keep(key, value);
      if (verdictOnKey === 'keep') patch[key] = value;
      else if (verdictOnKey === 'ignore' && !ignored.includes(key)) ignored.push(key);
    }
  }
  const settled: Verdict = { ...verdict, patch: patch as Patch };
  if (ignored.length > 0) settled.ignored = ignored;
  else delete settled.ignored;
  return settled;
}
