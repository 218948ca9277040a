import type { HeapDumpAnalysis, Retainer, TreeNode } from '../../analyze/heapdump/index.js';
import { formatBytes, formatCount, formatFraction } from '../../model/units.js';
import { chainLines, rootText, siteText } from '../heapdump.js';
import { cards, escapeHtml, findingHtml, page, table } from './page.js';

/**
 * `footprint heapdump --html`: the heap's totals, findings, the top
 * retainers with their chains, and the dominator tree as nested
 * <details> elements — expandable without a script — each row with a bar
 * for its share of the reachable heap.
 */

const TREE_STYLE = `
details.n { margin-left: 18px; } details.n > summary { list-style: none; cursor: pointer; padding: 2px 0; white-space: nowrap; }
details.n > summary::before { content: "▸"; display: inline-block; width: 14px; color: var(--muted); }
details.n[open] > summary::before { content: "▾"; }
details.leaf > summary { cursor: default; } details.leaf > summary::before { content: ""; }
.bar { display: inline-block; height: 10px; background: #2a7ab0; vertical-align: middle; margin-right: 6px; min-width: 1px; }
.num { display: inline-block; width: 86px; text-align: right; margin-right: 8px; font-variant-numeric: tabular-nums; }
.kind { color: var(--muted); font-size: 12px; margin-left: 6px; } .tree { overflow-x: auto; }
ol.chain { margin: 2px 0; padding-left: 20px; } ol.chain li { font-family: ui-monospace, monospace; font-size: 12px; }
`;

const BAR_PX = 160;

export function renderHeapDumpPage(a: HeapDumpAnalysis, file: string): string {
  const d = a.dump;
  const body = [
    `<h1>Heap dump: ${escapeHtml(file)}</h1>`,
    `<p class="sub">A ${escapeHtml(d.goVersion)} ${escapeHtml(d.goarch)} program; ${formatBytes(d.bytes)} dump, ${formatCount(d.goroutines)} goroutines, ${formatCount(d.roots)} roots; globals named from ${d.globals === 'symbols' ? 'the binary' : 'their addresses'}.</p>`,
    cards([
      ['heap', `${formatBytes(a.heapBytes)}`],
      ['objects', formatCount(a.objects)],
      ['reachable', formatBytes(a.reachableBytes)],
      ['garbage', formatBytes(a.garbageBytes)],
      ['findings', formatCount(a.findings.length)],
    ]),
    a.findings.length ? `<h2>Findings</h2>${a.findings.map(findingHtml).join('\n')}` : '',
    '<h2>What keeps the heap alive</h2>',
    '<p class="sub">Each root with what would be freed if it let go (the dominator tree), and the shortest chain of references from it to the object that holds most of it.</p>',
    retainerTable(a.retainers),
    '<h2>Dominator tree</h2>',
    `<p class="sub">Click a row to open it. A node keeps alive everything below it; rows under ${formatFraction(0.001)} of the reachable heap are summed into "more".</p>`,
    `<div class="tree">${treeHtml(a.tree, a.reachableBytes)}</div>`,
    a.garbageSites.length
      ? `<h2>Garbage by allocation site</h2><p class="sub">${formatBytes(a.garbageBytes)} in ${formatCount(a.garbageObjects)} objects no root reaches (allocated since the last GC); never counted as retained.</p>${table(
          ['bytes', 'objects', 'allocated at'],
          a.garbageSites.map((s) => [formatBytes(s.bytes), formatCount(s.objects), siteText(s.site)]),
          [true, true, false],
        )}`
      : '',
    a.notes.length ? `<h2>Notes</h2><ul class="sub">${a.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '',
  ];
  return page(`footprint heapdump — ${file}`, body.filter(Boolean).join('\n'), TREE_STYLE);
}

function retainerTable(retainers: readonly Retainer[]): string {
  const rows = retainers.map((r) => {
    const chain = `<ol class="chain">${chainLines(r).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ol>`;
    return `<tr><td class="n">${formatBytes(r.retainedBytes)}</td><td class="n">${formatFraction(r.share)}</td><td class="n">${formatCount(r.retainedObjects)}</td><td><b>${escapeHtml(rootText(r.root))}</b>${chain}</td></tr>`;
  });
  return `<table><thead><tr><th style="text-align:right">retained</th><th style="text-align:right">share</th><th style="text-align:right">objects</th><th>root and chain</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** The flat tree list as nested <details>, children in list order (largest first). */
function treeHtml(nodes: readonly TreeNode[], reachable: number): string {
  const children: number[][] = nodes.map(() => []);
  const tops: number[] = [];
  nodes.forEach((n, i) => (n.parent < 0 ? tops : children[n.parent]!).push(i));
  const render = (i: number): string => {
    const n = nodes[i]!;
    const kids = children[i]!;
    const width = reachable > 0 ? Math.max(1, Math.round((n.retainedBytes / reachable) * BAR_PX)) : 1;
    const size = n.size !== undefined ? ` ${formatBytes(n.size)}` : '';
    const site = n.site ? ` · ${siteText(n.site)}` : '';
    const summary =
      `<span class="num">${formatBytes(n.retainedBytes)}</span><span class="bar" style="width:${width}px"></span>` +
      `${escapeHtml(n.label)}<span class="kind">${escapeHtml(n.kind)}${escapeHtml(size)} · ${formatCount(n.retainedObjects)} obj${escapeHtml(site)}</span>`;
    return `<details class="n${kids.length ? '' : ' leaf'}"><summary>${summary}</summary>${kids.map(render).join('')}</details>`;
  };
  return tops.map(render).join('\n');
}
