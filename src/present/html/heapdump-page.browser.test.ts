import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeHeapDump } from '../../analyze/heapdump/index.js';
import { decodeHeapDump } from '../../formats/heapdump/index.js';
import { bytesAccess } from '../../formats/random-access.js';
import { chromiumPath, openLocalPage } from '../../testkit/browser.js';
import { readDump, readSymbols } from '../../testkit/heapdump-fixtures.js';
import { tempDir } from '../../testkit/temp.js';
import { renderHeapDumpPage } from './heapdump-page.js';

const executablePath = chromiumPath();

/** Runs in the page (a string: the project compiles without DOM types). */
const OPEN_RING = `(() => {
  const rows = [...document.querySelectorAll('details.n')];
  const tops = rows.filter((d) => !d.parentElement.closest('details'));
  const ring = tops.find((d) => d.querySelector(':scope > summary').textContent.includes('main.ring'));
  const child = ring.querySelector(':scope > details > summary');
  const hiddenBefore = !child.checkVisibility();
  ring.querySelector(':scope > summary').click();
  return { rows: rows.length, tops: tops.map((d) => d.querySelector(':scope > summary').textContent),
           hiddenBefore, shownAfter: child.checkVisibility(), open: ring.open };
})()`;

test(
  'the heapdump page in headless Chromium: one row per tree node, closed until clicked, no script errors or requests',
  { skip: executablePath ? false : 'chromium is not installed (apt-get install chromium)', timeout: 120_000 },
  async (t) => {
    const a = analyzeHeapDump(decodeHeapDump(bytesAccess(readDump('go1.26', 'heap'))), { symbols: readSymbols('go1.26') });
    const file = join(tempDir(t, 'heapdump-page'), 'heap.html');
    writeFileSync(file, renderHeapDumpPage(a, 'heap.dump'));
    const { browser, page, errors, requests } = await openLocalPage(executablePath!, file);
    try {
      const r = (await page.evaluate(OPEN_RING)) as { rows: number; tops: string[]; hiddenBefore: boolean; shownAfter: boolean; open: boolean };
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
      assert.equal(r.rows, a.tree.length, 'a row per node of the pruned tree');
      assert.equal(r.tops.length, a.tree.filter((n) => n.parent < 0).length);
      assert.ok(r.tops.some((s) => s.includes('main.header')));
      assert.deepEqual([r.hiddenBefore, r.open, r.shownAfter], [true, true, true], 'main.ring opens on a click and shows what it keeps');
    } finally {
      await browser.close();
    }
  },
);
