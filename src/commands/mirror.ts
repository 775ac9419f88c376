import { writeFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { ImbridgeError } from '../errors.js';
import { mirrorReport, mirrorReportHtml, mirrorReportText } from '../migration/mirrorReport.js';
import { openOutbox } from '../outbox/open.js';

/** `1h`, `30m`, `7d`, `90s` → milliseconds. */
export function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new ImbridgeError('usage', `--since takes a duration like 90s, 30m, 1h or 7d, not "${text}"`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/**
 * `imbridge mirror report` (docs/migration.md#mirror-and-diff): reads what the mirror stored in the
 * outbox's store and prints the report; with `html`, also writes it as one self-contained page.
 */
export async function mirrorReportCommand(
  config: Config,
  opts: { since: string; command?: string; html?: string },
  out: (text: string) => void,
  now = Date.now(),
): Promise<void> {
  const since = now - duration(opts.since);
  const store = openOutbox(config);
  try {
    const rows = mirrorReport(await store.mirrorHistory(since), opts.command);
    out(mirrorReportText(rows));
    if (opts.html) {
      const title = `imbridge mirror report — since ${new Date(since).toISOString()}${opts.command ? ` — ${opts.command}` : ''}`;
      writeFileSync(opts.html, mirrorReportHtml(rows, title));
      out(`wrote ${opts.html}\n`);
    }
  } finally {
    await store.close();
  }
}
