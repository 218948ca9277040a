import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBundles } from '../../analyze/bundle/index.js';
import { decodeSourceMap } from '../../formats/sourcemap/decode.js';
import { buildBundle } from '../../testkit/bundles.js';
import { chromiumPath, openLocalPage, screenshotPath } from '../../testkit/browser.js';
import { tempDir } from '../../testkit/temp.js';
import { renderBundlePage } from './bundle-page.js';

const executablePath = chromiumPath();

interface Layout {
  width: number;
  height: number;
  boxes: { name: string; inside: boolean; area: number }[];
}

/** Runs in the page; a string, because the project compiles without DOM types. */
const MEASURE = `(() => {
  const tm = document.querySelector('.tm').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.tm .pkg')].map((el) => {
    const b = el.getBoundingClientRect();
    return { name: el.dataset.name, area: b.width * b.height,
             inside: b.left >= tm.left - 1 && b.right <= tm.right + 1 && b.top >= tm.top - 1 && b.bottom <= tm.bottom + 1 };
  });
  return { width: tm.width, height: tm.height, boxes };
})()`;

const SEARCH = (q: string) => `(() => {
  const box = document.querySelector('input.search');
  box.value = ${JSON.stringify(q)};
  box.dispatchEvent(new Event('input'));
  return { hits: [...document.querySelectorAll('.tm .hit')].map((el) => el.dataset.name),
           rows: [...document.querySelectorAll('tr[data-name]:not(.dim)')].map((el) => el.dataset.name) };
})()`;

test(
  'the bundle page in headless Chromium: package boxes inside the treemap, areas by bytes; search lights up boxes and rows',
  { skip: executablePath ? false : 'chromium is not installed (apt-get install chromium)', timeout: 180_000 },
  async (t) => {
    const built = await buildBundle('lodash-twins');
    const bundle = { file: 'lodash-twins.js', code: readFileSync(built.js), map: decodeSourceMap(readFileSync(built.map), built.map), mapSource: built.map, warnings: [] };
    const analysis = await analyzeBundles([bundle], { compression: 'gzip' });
    const dir = tempDir(t, 'bundle-page');
    const file = join(dir, 'bundle.html');
    writeFileSync(file, renderBundlePage(analysis));
    const { browser, page, errors, requests } = await openLocalPage(executablePath!, file);
    try {
      const layout = (await page.evaluate(MEASURE)) as Layout;
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
      const r = analysis.bundles[0]!;
      const names = layout.boxes.map((b) => b.name);
      for (const p of r.packages) assert.ok(names.includes(p.name), `a box for ${p.name}`);
      assert.ok(layout.boxes.every((b) => b.inside));
      // Areas follow bytes: the two packages' boxes stand in the ratio of their bytes (headers and borders aside).
      const area = (n: string) => layout.boxes.find((b) => b.name === n)!.area;
      const bytes = (n: string) => r.packages.find((p) => p.name === n)!.bytes;
      const ratio = area('lodash-es') / area('lodash') / (bytes('lodash-es') / bytes('lodash'));
      assert.ok(Math.abs(ratio - 1) < 0.05, `area ratio / byte ratio = ${ratio.toFixed(3)}`);
      const found = (await page.evaluate(SEARCH('lodash-es'))) as { hits: string[]; rows: string[] };
      assert.ok(found.hits.includes('lodash-es'));
      assert.ok(!found.hits.includes('lodash'), 'lodash does not contain "lodash-es"');
      assert.deepEqual(found.rows, ['lodash-es']);
      const cleared = (await page.evaluate(SEARCH(''))) as { hits: string[]; rows: string[] };
      assert.deepEqual(cleared.hits, []);
      assert.equal(cleared.rows.length, r.packages.length);
      const shot = screenshotPath(dir, 'bundle.png');
      await page.screenshot({ path: shot.path, fullPage: true });
      assert.ok(statSync(shot.path).size > 10_000, 'a screenshot with content');
      if (shot.kept) t.diagnostic(`screenshot: ${shot.path}`);
    } finally {
      await browser.close();
    }
  },
);
