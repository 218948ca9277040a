import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { loadCapture } from '../collect/load.js';
import { decodeProfile } from '../formats/index.js';
import { Report } from '../report/report.js';
import { combineSources } from '../report/sources.js';
import { topReport } from '../report/top.js';
import { chromiumPath, launchChromium, screenshotPath, watchedPage } from '../testkit/browser.js';
import { fillStore } from '../testkit/stores.js';
import { tempDir } from '../testkit/temp.js';
import { Store } from '../collect/store/index.js';
import { datasetsFromCapture, datasetsFromFiles, type Datasets } from './datasets.js';
import { startUiServer } from './server.js';

/**
 * footprint ui end to end: the built app (dist/ui) in headless Chromium
 * against the real server on real fixtures. Every view paints
 * (`<body data-ready>`), search and zoom change what the canvas draws, diff
 * colours have top --diff_base's signs, and no page makes an error or a
 * request that leaves the server.
 */

const executablePath = chromiumPath();
const skip = executablePath ? false : 'chromium is not installed (apt-get install chromium)';
const path = (p: string) => fileURLToPath(new URL(`../../testdata/${p}`, import.meta.url));
const file = (p: string) => ({ name: p, bytes: readFileSync(path(p)) });
const load = (p: string) => decodeProfile(readFileSync(path(p)), p);

interface Box {
  node: number;
  left: number;
  width: number;
  row: number;
  name: string;
  colour: string;
}

const BOXES = 'window.footprintFlame.graph.boxes()';
/**
 * Polls an expression in the page until it is true. Not page.waitForFunction:
 * that evaluates its string with eval inside the page, which the app's CSP
 * (rightly) forbids; page.evaluate goes through the debugger protocol.
 */
async function until(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ready = (page: Page, view: string) => until(page, `(document.body.dataset.ready || '').split(' ').includes(${JSON.stringify(view)})`);

/** Serves `data`, opens the app at `hash`, runs `body`, and checks no error and no foreign request happened. */
async function withApp(data: Datasets, body: (page: Page, url: string) => Promise<void>): Promise<void> {
  const server = await startUiServer(data);
  const browser = await launchChromium(executablePath!);
  try {
    const { page, errors, requests } = await watchedPage(browser, (u) => !u.startsWith(server.url), { width: 1400, height: 1000 });
    await body(page, server.url);
    assert.deepEqual(errors, [], 'no page or console errors');
    assert.deepEqual(requests, [], 'every request went to the footprint server');
  } finally {
    await browser.close();
    await server.close();
  }
}

async function shot(page: Page, dir: string, name: string, t: { diagnostic(s: string): void }): Promise<void> {
  const s = screenshotPath(dir, name);
  await page.screenshot({ path: s.path, fullPage: true });
  assert.ok(statSync(s.path).size > 15_000, `${name} has content`);
  if (s.kept) t.diagnostic(`screenshot: ${s.path}`);
}

test('flame graph: paints, search marks matches with their total, a click zooms, the sandwich opens, focus refetches', { skip, timeout: 180_000 }, async (t) => {
  const dir = tempDir(t, 'ui-flame');
  const profile = load('go1.26/heap/heap.pb.gz');
  const cumOf = (name: string, options: Record<string, string> = {}) => topReport(new Report(profile, 'top', { sampleIndex: 'alloc_space', trim: false, ...options })).rows.find((r) => r.name === name)!.cum;
  await withApp(datasetsFromFiles([file('go1.26/heap/heap.pb.gz')]), async (page, url) => {
    await page.goto(`${url}#flame?si=alloc_space`);
    await ready(page, 'flame');
    const first = (await page.evaluate(BOXES)) as Box[];
    const width = (await page.evaluate('window.footprintFlame.graphBox.clientWidth')) as number;
    assert.ok(first.length > 20, `${first.length} boxes`);
    assert.deepEqual(first.filter((b) => b.row === 0).map((b) => [b.name, b.left, b.width]), [['all', 0, width]]);

    await page.fill('input[type=search]', '^main\\.buildIndex$');
    await until(page, `document.querySelector('.search-info').textContent.startsWith('matched')`);
    const total = Number(await page.getAttribute('.search-info', 'data-total'));
    assert.equal(total, cumOf('main.buildIndex'), 'the search total is the function\'s cum');
    const searched = (await page.evaluate(BOXES)) as Box[];
    const marked = searched.filter((b) => b.colour.startsWith('hsl(295'));
    assert.ok(marked.length > 0 && marked.every((b) => b.name === 'main.buildIndex'), 'matches are marked, nothing else');
    await shot(page, dir, 'flame-search.png', t);

    const target = marked[0]!;
    const canvas = (await page.$('canvas.flame'))!;
    await canvas.click({ position: { x: target.left + target.width / 2, y: target.row * 18 + 9 } });
    const zoomed = (await page.evaluate(BOXES)) as Box[];
    assert.deepEqual(zoomed.find((b) => b.node === target.node)?.width, width, 'the clicked box fills the width');
    assert.ok(zoomed.every((b) => b.row <= target.row || b.left >= 0), 'its subtree is drawn below it');
    assert.match((await page.textContent('.crumbs'))!, /all›runtime\.main›main\.main›main\.buildIndex/);
    assert.match((await page.textContent('section.top h3'))!, /Functions under main\.buildIndex/);
    assert.match(page.url(), /zoom=\d+/);
    await page.click('.crumbs button');
    await page.waitForSelector('.sandwich:not([hidden]) canvas');
    assert.equal(await page.locator('.sandwich canvas').count(), 2, 'callers and callees');
    await shot(page, dir, 'flame-sandwich.png', t);

    await page.keyboard.press('Escape');
    await page.fill('input[name=focus]', 'main\\.appendJournal');
    await page.click('form.filters button[type=submit]');
    await until(page, `window.footprintFlame.s.focus === 'main\\\\.appendJournal' && window.footprintFlame.tree && window.footprintFlame.graph.boxes().every((b) => b.row < 2 || b.name !== 'main.buildIndex')`);
    const root = (await page.evaluate('window.footprintFlame.tree.value[0]')) as number;
    assert.equal(root, cumOf('main.appendJournal', { focus: 'main\\.appendJournal' }), 'the focused tree holds what --focus keeps');
  });
});

test('flame graph with --diff_base: red where top --diff_base grows, blue where it shrinks', { skip, timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'ui-diff');
  const combined = combineSources([load('go1.26/diff/after.allocs.pb.gz')], { base: [load('go1.26/diff/before.allocs.pb.gz')], baseMode: 'diff_base' });
  const rows = topReport(new Report(combined, 'top', { sampleIndex: 'alloc_space' })).rows;
  await withApp(datasetsFromFiles([file('go1.26/diff/after.allocs.pb.gz')], file('go1.26/diff/before.allocs.pb.gz')), async (page, url) => {
    await page.goto(`${url}#flame?si=alloc_space`);
    await ready(page, 'flame');
    const boxes = (await page.evaluate(BOXES)) as Box[];
    let checked = 0;
    for (const row of rows) {
      const mine = boxes.filter((b) => b.name === row.name);
      if (mine.length !== 1 || row.cum === 0) continue;
      const hue = mine[0]!.colour.startsWith('hsl(2,') ? 1 : mine[0]!.colour.startsWith('hsl(215,') ? -1 : 0;
      assert.equal(hue, Math.sign(row.cum), `${row.name}: cum ${row.cum}`);
      checked++;
    }
    assert.ok(checked >= 3, `${checked} functions compared`);
    const table = (await page.$$eval('section.top tbody tr[data-name]', (trs) => trs.map((tr) => [tr.getAttribute('data-name'), tr.className]))) as [string, string][];
    for (const [name, cls] of table) {
      const row = rows.find((r) => r.name === name);
      if (row && row.cum !== 0) assert.equal(cls, row.cum > 0 ? 'grew' : 'shrank', name);
    }
    assert.match((await page.textContent('.legend'))!, /grew.*shrank/);
    await shot(page, dir, 'flame-diff.png', t);
  });
});

test('timelines and goroutines: the GC timeline with what-ifs, trace lanes, goroutine groups with growth; findings link to views', { skip, timeout: 180_000 }, async (t) => {
  const dir = tempDir(t, 'ui-views');
  const data = datasetsFromFiles([
    file('go1.26/heap/heap.pb.gz'),
    file('go1.26/gctrace/gogc100.log'),
    file('go1.26/trace/tracewriter.trace.gz'),
    file('go1.26/stuck/goroutine.before.debug2.txt'),
    file('go1.26/stuck/goroutine.debug2.txt'),
  ]);
  await withApp(data, async (page, url) => {
    await page.goto(`${url}#timeline`);
    await ready(page, 'timeline');
    assert.equal(await page.locator('.uplot').count(), 2);
    assert.deepEqual(await page.$$eval('table.whatif tbody td:first-child', (tds) => tds.map((td) => td.textContent)), ['observed (GOGC=100)', 'what if GOGC=50', 'what if GOGC=200']);
    await shot(page, dir, 'timeline.png', t);

    await page.goto(`${url}#trace`);
    await ready(page, 'trace');
    assert.equal(await page.locator('.uplot').count(), 3, 'lanes, heap, goroutines');
    await shot(page, dir, 'trace.png', t);

    await page.goto(`${url}#goroutines`);
    await ready(page, 'goroutines');
    assert.match((await page.textContent('.growth'))!, /138 → 168 goroutines \(\+30\)/);
    assert.equal(await page.locator('td.grew').count(), 1, 'the 30 new leaked goroutines are the one growth');
    await shot(page, dir, 'goroutines.png', t);

    await page.goto(`${url}#findings`);
    await ready(page, 'findings');
    assert.ok((await page.locator('article.finding').count()) >= 5);
    await page.click('article.finding[data-kind=goroutine-pileup] a.goto');
    await page.waitForSelector('table.goroutines tr.hit');
    assert.match((await page.textContent('table.goroutines tr.hit'))!, /main\.lockWaiter/);
    const ready2 = (await page.getAttribute('body', 'data-ready'))!.split(' ').sort();
    assert.deepEqual(ready2, ['findings', 'goroutines', 'timeline', 'trace']);
  });
});

test('a doctor capture opens on its findings; the lock finding opens the block profile at the lock', { skip, timeout: 180_000 }, async (t) => {
  const dir = tempDir(t, 'ui-capture');
  // Named as a user in the checkout would type it (the header shows it; the README shows the screenshot).
  await withApp(datasetsFromCapture('testdata/captures/go1.26/lockpile', loadCapture(path('captures/go1.26/lockpile'))), async (page, url) => {
    await page.goto(url);
    await ready(page, 'findings');
    const first = page.locator('article.finding').first();
    assert.equal(await first.getAttribute('data-kind'), 'lock-contention');
    await shot(page, dir, 'findings.png', t);
    await first.locator('a.goto').click();
    await ready(page, 'flame');
    await until(page, `document.querySelector('.search-info').textContent.startsWith('matched')`);
    assert.match(page.url(), /#flame\?p=\d+&si=delay&search=/);
    const marked = ((await page.evaluate(BOXES)) as Box[]).filter((b) => b.colour.startsWith('hsl(295'));
    assert.ok(marked.length > 0 && marked.every((b) => b.name === 'main.(*registry).lookup'));
    await shot(page, dir, 'flame.png', t);
  });
});

test('footprint ui --store: the store view lists snapshots and findings; a finding opens its diff at its site, a kind opens that snapshot', { skip, timeout: 180_000 }, async (t) => {
  const dir = tempDir(t, 'ui-store');
  const filled = await fillStore(dir);
  const store = await Store.open(filled.dest, { create: false, readOnly: true });
  const [first, last] = [filled.growing[0]!, filled.growing.at(-1)!];
  const combined = combineSources([await store.profile(last, 'heap')], { base: [await store.profile(first, 'heap')], baseMode: 'diff_base' });
  const diffRows = topReport(new Report(combined, 'top', { sampleIndex: 'inuse_space', trim: false })).rows;
  const data: Datasets = { title: store.description, profiles: [], gcLogs: [], traces: [], goroutines: [], notes: [], store };
  try {
    await withApp(data, async (page, url) => {
      await page.goto(url);
      await ready(page, 'store');
      assert.deepEqual(await page.$$eval('table.snapshots tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-snapshot')))), [...filled.growing, filled.quiet]);
      const finding = page.locator('article.finding[data-kind=heap-growth]').first();
      const site = (await finding.locator('.where').textContent())!.match(/^at (\S+)/)![1]!;
      await shot(page, dir, 'store.png', t);

      await finding.locator('a.goto').click();
      await ready(page, 'flame');
      await until(page, `document.querySelector('.search-info').textContent.startsWith('matched')`);
      const total = Number(await page.getAttribute('.search-info', 'data-total'));
      assert.equal(total, diffRows.find((r) => r.name === site)!.cum, `the matched total is ${site}'s growth, as top --diff_base prints it`);
      assert.match((await page.textContent('.legend'))!, /grew.*shrank/);

      await page.goBack();
      await page.waitForSelector('table.snapshots');
      await page.click(`tr[data-snapshot="${filled.quiet}"] a.kind:text-is("goroutine")`);
      await until(page, `location.hash.startsWith('#flame') && window.footprintFlame.tree && window.footprintFlame.s.si === 'goroutine'`);
      const root = (await page.evaluate('window.footprintFlame.tree.value[0]')) as number;
      assert.equal(root, topReport(new Report(await store.profile(filled.quiet, 'goroutine'), 'top', {})).total, 'the tree holds the stored goroutine profile');
    });
  } finally {
    await store.close();
  }
});
