import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { analyzeTrace } from '../../analyze/trace/index.js';
import { bytesSource } from '../../formats/trace/index.js';
import { plotColumns } from './svg.js';
import { renderTracePage, TRACE_CHART_WIDTH } from './trace-page.js';

const GOLEAK = new URL('../../../testdata/zoo/goleak/trace.out.gz', import.meta.url).pathname;

test('the trace page says when its MMU covers only the start of the trace, and draws assists where and as much as they ran', () => {
  const a = analyzeTrace(bytesSource(gunzipSync(readFileSync(GOLEAK))));
  assert.notEqual(a.mmuEndsEarlyAtNs, null, 'go tool trace\'s utilization stops early on this trace');
  const html = renderTracePage(a, 'trace.out');
  assert.match(html, /MMU at 10 ms<\/div><div class="v">[\d.]+% \(first [\d.]+ ms only\)/);
  const opacities = [...html.matchAll(/fill="#ef8f00" fill-opacity="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(opacities.length > 0, 'assist bands');
  assert.ok(opacities.every((o) => o >= 0.15 && o <= 1));
  // 1.3 ms of assists in a 1 s trace: the strip covers the moments they ran, not the whole trace.
  const covered = a.gc.assists.activity.reduce((s, iv) => s + iv.widthNs, 0);
  assert.ok(covered < 0.05 * a.durationNs, `assist bands cover ${covered} ns of ${a.durationNs}`);
  // One band per interval, except where more intervals start in one column of the plot than it can show: then one for them all.
  const columns = plotColumns(TRACE_CHART_WIDTH);
  const xMax = a.durationNs / 1e6;
  const startColumns = new Set(a.gc.assists.activity.map((iv) => Math.min(columns - 1, Math.floor((((iv.t - a.startNs) / 1e6) * columns) / xMax))));
  assert.equal(opacities.length, a.gc.assists.activity.length > columns ? startColumns.size : a.gc.assists.activity.length);
});
