import type { Finding } from '../../analyze/finding.js';
import { formatEvidence, formatLocation } from '../findings.js';
import { printable } from '../printable.js';

/**
 * Self-contained HTML pages: inline CSS and SVG, no script, no external
 * resource, so a page opens from disk, mails as one file, and cannot phone
 * home.
 */
export function escapeHtml(text: string): string {
  // Control characters are shown as escapes, as on a terminal: a browser would drop them silently, or reorder the line.
  return printable(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5d6678; --line: #d8dce4; --bg: #fff; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
       margin: 0 auto; max-width: 1120px; padding: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .k { color: var(--muted); font-size: 12px; } .card .v { font-size: 18px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; } th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { text-align: left; color: var(--muted); font-weight: 500; } td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.finding { border-left: 4px solid var(--line); padding: 6px 12px; margin: 10px 0; }
.finding.high { border-color: #c62828; } .finding.medium { border-color: #ef8f00; } .finding.low { border-color: #2a7ab0; }
.finding .t { font-weight: 600; } .finding ul { margin: 4px 0; padding-left: 18px; color: var(--muted); }
.legend span { margin-right: 16px; white-space: nowrap; } .legend i { display: inline-block; width: 14px; height: 3px;
       vertical-align: middle; margin-right: 5px; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
`;

/** A whole page; `style` adds CSS of the page's own (kept in the one style element). */
export function page(title: string, body: string, style = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function cards(items: readonly [string, string][]): string {
  return `<div class="cards">${items
    .map(([k, v]) => `<div class="card"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div></div>`)
    .join('')}</div>`;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const head = headers.map((h, i) => `<th${numeric[i] ? ' style="text-align:right"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** One finding as a block: severity, title, location, evidence and advice. */
export function findingHtml(f: Finding): string {
  return findingBlock(f, {});
}

/**
 * findingHtml with a comparison's changes: its own `tag` (`NEW · HIGH`),
 * `lines` in place of the evidence, no advice, or the block coloured as
 * `severity`.
 */
export function findingBlock(f: Finding, opts: { tag?: string; lines?: readonly string[]; advice?: boolean; severity?: Finding['severity'] }): string {
  const where = f.location ? ` <span class="sub">at ${escapeHtml(formatLocation(f.location))}</span>` : '';
  const lines = opts.lines ?? f.evidence.map(formatEvidence);
  const list = lines.length ? `<ul>${lines.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>` : '';
  const advice = opts.advice === false ? '' : `<div>${escapeHtml(f.advice)}</div>`;
  const tag = opts.tag ?? f.severity.toUpperCase();
  return `<div class="finding ${opts.severity ?? f.severity}"><div class="t">${escapeHtml(tag)} · ${escapeHtml(f.title)}${where}</div>${list}${advice}</div>`;
}
