import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTrace } from '../../analyze/trace/index.js';
import { traceFixtures } from '../../testkit/trace-fixtures.js';
import { bytesSource } from '../../formats/trace/index.js';
import { chromiumPath, openLocalPage, screenshotPath } from '../../testkit/browser.js';
import { tempDir } from '../../testkit/temp.js';
import { renderTracePage } from './trace-page.js';

const executablePath = chromiumPath();

interface Layout {
  svgWidth: number;
  series: { name: string; width: number; height: number; inside: boolean }[];
  spans: { width: number; inside: boolean }[];
  strip: number;
  markers: number;
  charts: number;
}

/** Runs in the page; a string, because the project compiles without DOM types. */
const MEASURE = `(() => {
  const chart = document.querySelector('svg');
  const box = chart.getBoundingClientRect();
  const inside = (b) => b.left >= box.left - 1 && b.right <= box.right + 1;
  const series = [...chart.querySelectorAll('path.series')].map((p) => {
    const b = p.getBoundingClientRect();
    return { name: p.getAttribute('data-name'), width: b.width, height: b.height, inside: inside(b) };
  });
  const spans = [...chart.querySelectorAll('rect.span')].map((r) => { const b = r.getBoundingClientRect(); return { width: b.width, inside: inside(b) }; });
  return { svgWidth: box.width, series, spans, strip: chart.querySelectorAll('rect.strip').length,
           markers: chart.querySelectorAll('line.marker').length, charts: document.querySelectorAll('svg').length };
})()`;

test(
  'the trace page renders in headless Chromium: heap and goal across the axis, a span per GC, a marker per pause, assist bands',
  { skip: executablePath ? false : 'chromium is not installed (apt-get install chromium)', timeout: 120_000 },
  async (t) => {
    const fixture = traceFixtures().find((f) => f.name === 'go1.23/tracewriter')!;
    const analysis = analyzeTrace(bytesSource(fixture.bytes), { source: fixture.name });
    const dir = tempDir(t, 'trace-page');
    const file = join(dir, 'trace.html');
    writeFileSync(file, renderTracePage(analysis, 'tracewriter.trace'));
    const { browser, page, errors, requests } = await openLocalPage(executablePath!, file);
    try {
      const layout = (await page.evaluate(MEASURE)) as Layout;
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
      assert.deepEqual(layout.series.map((s) => s.name), ['HeapAlloc (max per interval)', 'heap goal']);
      for (const s of layout.series) {
        assert.ok(s.inside, `${s.name} stays inside the chart`);
        assert.ok(s.width > layout.svgWidth * 0.8, `${s.name} spans the time axis (${s.width} of ${layout.svgWidth}px)`);
        assert.ok(s.height > 20, `${s.name} rises and falls with the heap (${s.height}px)`);
      }
      assert.equal(layout.spans.length, analysis.gc.cycles.length);
      assert.ok(layout.spans.every((s) => s.inside && s.width >= 1));
      assert.equal(layout.markers, analysis.gc.stw.length);
      assert.ok(layout.strip > 0, 'the fixture has mark assists, so the strip has bands');
      assert.equal(layout.charts, 2, 'the timeline and goroutines alive');
      const shot = screenshotPath(dir, 'trace.png');
      const png = shot.path;
      await page.screenshot({ path: png, fullPage: true });
      assert.ok(statSync(png).size > 20_000, 'a screenshot with content');
      if (shot.kept) t.diagnostic(`screenshot: ${png}`);
    } finally {
      await browser.close();
    }
  },
);
