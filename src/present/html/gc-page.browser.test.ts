import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeGcTrace } from '../../analyze/gc/index.js';
import { parseGcTrace } from '../../formats/gctrace/index.js';
import { chromiumPath, openLocalPage, screenshotPath } from '../../testkit/browser.js';
import { tempDir } from '../../testkit/temp.js';
import { renderGcPage } from './gc-page.js';

const executablePath = chromiumPath();

interface Layout {
  svgWidth: number;
  series: { name: string; width: number; height: number; inside: boolean }[];
  markers: number;
  rows: number;
  charts: number;
}

/** Runs in the page; a string, because the project compiles without DOM types (core must not use them). */
const MEASURE = `(() => {
  const chart = document.querySelector('svg');
  const box = chart.getBoundingClientRect();
  const series = [...chart.querySelectorAll('path.series')].map((p) => {
    const b = p.getBoundingClientRect();
    return { name: p.getAttribute('data-name'), width: b.width, height: b.height,
             inside: b.left >= box.left - 1 && b.right <= box.right + 1 };
  });
  return { svgWidth: box.width, series, markers: chart.querySelectorAll('line.marker').length,
           rows: document.querySelectorAll('table tbody tr').length, charts: document.querySelectorAll('svg').length };
})()`;
const LOG = new URL('../../../testdata/go1.26/gctrace/gogc100-limit120MiB.log', import.meta.url).pathname;

test(
  'the gc page renders in headless Chromium: heap series span the time axis, one pause marker per cycle',
  { skip: executablePath ? false : 'chromium is not installed (apt-get install chromium)', timeout: 120_000 },
  async (t) => {
    const dir = tempDir(t, 'gc-page');
    const file = join(dir, 'gc.html');
    const trace = parseGcTrace(readFileSync(LOG, 'utf8'));
    writeFileSync(file, renderGcPage(analyzeGcTrace(trace, { whatIfs: [{ gogc: 200 }, { gomemlimit: 256 * 2 ** 20 }] }), 'gc.log'));

    const { browser, page, errors, requests } = await openLocalPage(executablePath!, file);
    try {
      const layout = (await page.evaluate(MEASURE)) as Layout;
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
      assert.deepEqual(layout.series.map((s) => s.name), ['heap goal', 'heap at GC start', 'live heap (marked)']);
      for (const s of layout.series) {
        assert.ok(s.inside, `${s.name} stays inside the chart`);
        assert.ok(s.width > layout.svgWidth * 0.8, `${s.name} spans the time axis (${s.width} of ${layout.svgWidth}px)`);
        assert.ok(s.height > 20, `${s.name} rises with the heap (${s.height}px)`);
      }
      assert.equal(layout.markers, trace.cycles.length);
      assert.equal(layout.rows, 4, 'log, model replay and two what-ifs');
      assert.equal(layout.charts, 2, 'heap over time, and the what-if heap');

      const shot = screenshotPath(dir, 'gc.png');
      const png = shot.path;
      await page.screenshot({ path: png, fullPage: true });
      assert.ok(statSync(png).size > 20_000, 'a screenshot with content');
      if (shot.kept) t.diagnostic(`screenshot: ${png}`);
    } finally {
      await browser.close();
    }
  },
);
