import type { MirrorHistory } from '../outbox/store.js';
import type { Difference } from './compare.js';

/**
 * `imbridge mirror report` (docs/migration.md#mirror-and-diff): what the mirror stored, per command —
 * callbacks compared, how many agreed, how many the candidate failed or were dropped, the kinds of
 * difference with one example each, and the agreement over time — as text or one self-contained HTML page.
 */

/** One stored disagreement, parsed. */
export interface StoredDisagreement {
  at: number;
  command: string;
  event: { id: string; type: string; imvendor: string; imcommand: string; data: unknown };
  primary: unknown;
  candidate: unknown;
  differences: Difference[];
}

export interface MirrorCommandReport {
  command: string;
  same: number;
  differ: number;
  failed: number;
  dropped: number;
  kinds: { kind: string; count: number; example: StoredDisagreement }[];
  /** Agreement per time bucket: [bucket start ms, same, compared]. */
  series: [number, number, number][];
}

/** Folds the stored history into a report per command (`command` keeps one), most compared first. */
export function mirrorReport(history: MirrorHistory, command?: string, buckets = 48): MirrorCommandReport[] {
  const counts = history.counts.filter((c) => !command || c.command === command);
  const stored = history.disagreements
    .filter((d) => !command || d.command === command)
    .map((d) => ({
      at: d.at,
      command: d.command,
      ...(JSON.parse(d.detail) as Omit<StoredDisagreement, 'at' | 'command'>),
    }));
  const commands = [...new Set(counts.map((c) => c.command))];
  const minutes = counts.map((c) => c.minute);
  const first = Math.min(...minutes);
  const span = Math.max(1, Math.max(...minutes) - first + 1);
  const width = Math.max(1, Math.ceil(span / buckets));
  return commands
    .map((cmd) => {
      const mine = counts.filter((c) => c.command === cmd);
      const sum = (result: string) => mine.filter((c) => c.result === result).reduce((n, c) => n + c.n, 0);
      const series = new Map<number, [number, number, number]>();
      for (const c of mine) {
        if (c.result !== 'same' && c.result !== 'differ') continue;
        const bucket = first + Math.floor((c.minute - first) / width) * width;
        const point = series.get(bucket) ?? [bucket * 60_000, 0, 0];
        if (c.result === 'same') point[1] += c.n;
        point[2] += c.n;
        series.set(bucket, point);
      }
      const kinds = new Map<string, { kind: string; count: number; example: StoredDisagreement }>();
      for (const d of stored.filter((x) => x.command === cmd)) {
        for (const kind of new Set(d.differences.map((x) => x.kind))) {
          const k = kinds.get(kind) ?? { kind, count: 0, example: d };
          k.count++;
          kinds.set(kind, k);
        }
      }
      return {
        command: cmd,
        same: sum('same'),
        differ: sum('differ'),
        failed: sum('candidate_failed'),
        dropped: sum('dropped'),
        kinds: [...kinds.values()].sort((a, b) => b.count - a.count),
        series: [...series.values()].sort((a, b) => a[0] - b[0]),
      };
    })
    .sort((a, b) => b.same + b.differ - (a.same + a.differ) || a.command.localeCompare(b.command));
}

const rate = (r: MirrorCommandReport) => (r.same + r.differ === 0 ? 1 : r.same / (r.same + r.differ));
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The report as text. */
export function mirrorReportText(rows: readonly MirrorCommandReport[]): string {
  if (rows.length === 0) return 'nothing mirrored in that time\n';
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(
      `${r.command}: ${r.same + r.differ} compared, ${r.same} same (${percent(rate(r))}), ${r.differ} differ, ${r.failed} candidate failed, ${r.dropped} dropped`,
    );
    for (const k of r.kinds) {
      const d = k.example.differences.find((x) => x.kind === k.kind)!;
      lines.push(
        `  ${k.kind}: ${k.count} — e.g. ${k.example.event.type} ${k.example.event.id}${d.at ? ` ${d.at}` : ''}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Agreement over time as an inline SVG line chart (0–100%), one point per bucket. */
function chart(r: MirrorCommandReport): string {
  const w = 480;
  const h = 120;
  const pad = 24;
  const points = r.series;
  if (points.length === 0) return '<p class="none">no comparisons</p>';
  const t0 = points[0]![0];
  const t1 = points.at(-1)![0];
  // The left margin holds the axis labels.
  const left = 2 * pad;
  const x = (t: number) => left + (t1 === t0 ? (w - left - pad) / 2 : ((t - t0) / (t1 - t0)) * (w - left - pad));
  const y = (v: number) => h - pad - v * (h - 2 * pad);
  const coords = points.map(([t, same, all]) => `${x(t).toFixed(1)},${y(all === 0 ? 1 : same / all).toFixed(1)}`);
  const dots = coords.map((c) => `<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="2.5"/>`).join('');
  const label = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="agreement over time for ${escape(r.command)}">
<line x1="${left}" y1="${y(1)}" x2="${w - pad}" y2="${y(1)}" class="grid"/><line x1="${left}" y1="${y(0)}" x2="${w - pad}" y2="${y(0)}" class="grid"/>
<text x="2" y="${y(1) + 4}">100%</text><text x="2" y="${y(0) + 4}">0%</text>
<polyline points="${coords.join(' ')}"/>${dots}
<text x="${left}" y="${h - 4}">${label(t0)}</text><text x="${w - pad}" y="${h - 4}" text-anchor="end">${label(t1)}</text>
</svg>`;
}

/** The report as one self-contained HTML page: the table, a chart per command, the examples with their differences. */
export function mirrorReportHtml(rows: readonly MirrorCommandReport[], title: string): string {
  const table = rows
    .map(
      (r) =>
        `<tr><td><a href="#${escape(r.command)}">${escape(r.command)}</a></td><td>${r.same + r.differ}</td><td>${r.same}</td><td>${r.differ}</td><td class="${rate(r) < 1 ? 'bad' : 'good'}">${percent(rate(r))}</td><td>${r.failed}</td><td>${r.dropped}</td></tr>`,
    )
    .join('\n');
  const sections = rows
    .map((r) => {
      const kinds = r.kinds
        .map(
          (k) => `<h3>${escape(k.kind)} <span class="count">${k.count}</span></h3>
<p>e.g. <code>${escape(k.example.event.type)}</code> <code>${escape(k.example.event.id)}</code> at ${new Date(k.example.at).toISOString()}</p>
<table class="diff"><tr><th>what</th><th>where</th><th>primary</th><th>candidate</th></tr>
${k.example.differences.map((d) => `<tr><td>${escape(d.kind)}</td><td>${escape(d.at)}</td><td><code>${escape(JSON.stringify(d.before))}</code></td><td><code>${escape(JSON.stringify(d.after))}</code></td></tr>`).join('\n')}
</table>
<details><summary>event</summary><pre>${escape(JSON.stringify(k.example.event.data, null, 2))}</pre></details>`,
        )
        .join('\n');
      return `<section id="${escape(r.command)}"><h2>${escape(r.command)}</h2>${chart(r)}${kinds || '<p class="none">no disagreement kept</p>'}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}.bad{color:#b00;font-weight:bold}.good{color:#070}
.chart polyline{fill:none;stroke:#36c;stroke-width:2}.chart circle{fill:#36c}.chart .grid{stroke:#ddd}.chart text{font-size:10px;fill:#666}
code,pre{font-family:ui-monospace,monospace;font-size:12px}.count{color:#666;font-weight:normal}.none{color:#666}
</style></head><body>
<h1>${escape(title)}</h1>
<table id="summary"><tr><th>command</th><th>compared</th><th>same</th><th>differ</th><th>agreement</th><th>candidate failed</th><th>dropped</th></tr>
${table}
</table>
${sections}
</body></html>
`;
}
