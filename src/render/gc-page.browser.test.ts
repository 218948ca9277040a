import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { analyzeGcTrace } from '../analyze/gc.js';
import { parseGcTrace } from '../formats/gctrace/index.js';
import { renderGcPage } from './gc-page.js';

/** Debian's Chromium, as `which chromium` finds it; .ci/run installs it. Never a downloaded browser. */
function chromiumPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

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
const LOG = new URL('../../testdata/go1.26/gctrace/gogc100-limit120MiB.log', import.meta.url).pathname;

test(
  'the gc page renders in headless Chromium: heap series span the time axis, one pause marker per cycle',
  { skip: executablePath ? false : 'chromium is not installed (apt-get install chromium)', timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-gc-page-'));
    const file = join(dir, 'gc.html');
    const trace = parseGcTrace(readFileSync(LOG, 'utf8'));
    writeFileSync(file, renderGcPage(analyzeGcTrace(trace, { whatIfs: [{ gogc: 200 }, { gomemlimit: 256 * 2 ** 20 }] }), 'gc.log'));

    const browser = await chromium.launch({
      executablePath: executablePath!,
      timeout: 60_000,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      // Everything is inline: any request for another resource is a defect.
      const requests: string[] = [];
      page.on('request', (r) => r.url() !== `file://${file}` && requests.push(r.url()));
      await page.goto(`file://${file}`);

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

      const png = join(dir, 'gc.png');
      await page.screenshot({ path: png, fullPage: true });
      assert.ok(statSync(png).size > 20_000, 'a screenshot with content');
      t.diagnostic(`screenshot: ${png}`);
    } finally {
      await browser.close();
    }
  },
);
