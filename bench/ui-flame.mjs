#!/usr/bin/env node
// Benchmark: the flame graph of `footprint ui` on the 400k-stack heap profile
// (bench/heap400k.mjs), in Debian's Chromium, against pprof's own web UI
// flame graph (`go tool pprof -http`, Go 1.23) on the same file.
//
//   node bench/ui-flame.mjs [--runs N] [--pprof-timeout SECONDS] [--pprof-max-rss MIB] [--no-pprof] [--regen]
//
// Per tool and run, a fresh server and a fresh headless Chromium:
//   server ready spawn → the URL: footprint decodes the profile and builds
//                the flame tree it opens on before printing it; pprof loads
//                the profile, and builds its page per request.
//   first paint  navigation start → the first animation frame after the graph
//                is drawn (footprint: performance marks set by the app's
//                markReady; pprof: its inline script draws before `load`, so
//                the first frame after `load`); then again on a reload.
//                pprof's page is given --pprof-timeout seconds and its server
//                --pprof-max-rss MiB, once: past either, it is stopped.
//   zoom         a click's redraw: the script time of the handler (footprint
//                zoomTo: canvas, breadcrumbs, and the table when small or
//                known; pprof: a click on a box, its re-pivoted stack view),
//                the time to the next animation frame (the one that shows
//                it), and footprint's table beside it (after that frame).
//                footprint zooms down the heaviest path and back to the root;
//                pprof clicks the same functions.
//   memory       the tab's renderer process (the largest) after the first load and the
//                zooms, before the reload: peak RSS (VmHWM) and the JS heap
//                in use (Performance.getMetrics; typed arrays' memory is
//                outside it).
// Prints medians and the ratios pprof/footprint. Exit 0 when both tools ran,
// 2 when one could not. Needs `npm run build` first (dist/ and dist/ui).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';
import { failer, FOOTPRINT_BIN, GO, median, ROOT, run } from './lib.mjs';
import { ensureProfile, goVersion, PROFILE } from './heap400k.mjs';

const SAMPLE_INDEX = 'alloc_space';
const GOAL_PAINT_MS = 1000;
const GOAL_ZOOM_MS = 50;
const GOAL_TAB_MIB = 500;
const ZOOM_STEPS = 8;

const fail = failer('bench');

function usage(code) {
  (code ? process.stderr : process.stdout).write('usage: node bench/ui-flame.mjs [--runs N] [--pprof-timeout SECONDS] [--pprof-max-rss MIB] [--no-pprof] [--regen]\n');
  process.exit(code);
}

let runs = 3;
let regen = false;
// pprof's page for this profile may never finish loading: it gets this long
// and this much memory (its server passed 8 GiB within 3 minutes here), once.
let pprofTimeoutS = 180;
let pprofMaxMiB = 4096;
let withPprof = true;
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--regen') regen = true;
    else if (a === '--runs' && /^[1-9][0-9]*$/.test(argv[i + 1] ?? '')) runs = Number(argv[++i]);
    else if (a === '--pprof-timeout' && /^[1-9][0-9]*$/.test(argv[i + 1] ?? '')) pprofTimeoutS = Number(argv[++i]);
    else if (a === '--no-pprof') withPprof = false;
    else if (a === '--pprof-max-rss' && /^[1-9][0-9]*$/.test(argv[i + 1] ?? '')) pprofMaxMiB = Number(argv[++i]);
    else if (a === '-h' || a === '--help') usage(0);
    else usage(2);
  }
}

// ---------------------------------------------------------------- processes

function chromiumPath() {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, 'chromium');
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a server process and resolves with the URL `pick` finds in one of its output lines. */
function startServer(cmd, args, stream, pick) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let log = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited (${code}) before serving:\n${log}`)));
    for (const s of [child.stdout, child.stderr]) {
      readline.createInterface({ input: s }).on('line', (line) => {
        log += line + '\n';
        const url = s === child[stream] ? pick(line) : undefined;
        if (url) resolve({ child, url, startMs: performance.now() - t0 });
      });
    }
  });
}

function stop(child) {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
}

/**
 * Peak RSS (VmHWM) of the tab, in MiB: the largest of the browser's renderer
 * processes (Chromium names them over CDP). Headless Chromium keeps two more
 * renderers beside the page's (~75 and ~150 MiB here, whatever the profile);
 * the page's is the one that grows with the data (155 MiB on a 61-node
 * profile, 290 MiB on the 4M-node one), so summing them would count them too.
 */
async function tabPeakMiB(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  let kib = 0;
  for (const { id, type } of processInfo) {
    if (type !== 'renderer') continue;
    try {
      kib = Math.max(kib, Number(/^VmHWM:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${id}/status`, 'utf8'))[1]));
    } catch {
      // The process went away.
    }
  }
  return kib / 1024;
}

// ---------------------------------------------------------------- in the page

// Runs in the page: the first frame after `load` (pprof draws in an inline script before it).
const LOAD_FRAME = `addEventListener('load', () => requestAnimationFrame(() => performance.mark('bench:load-frame')));`;

const markTime = (page, name) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime, name);

async function untilMark(page, name, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const t = await markTime(page, name);
    if (t !== undefined) return t;
    if (Date.now() > end) throw new Error(`no ${name} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Times `act()` in the page: its own script time, the time to the next
 * animation frame (the frame that shows its drawing) and, for footprint,
 * to the table beside the graph (rendered after that frame on big subtrees).
 */
const TIMED = `(act) => new Promise((resolve) => {
  const t0 = performance.now();
  act();
  const script = performance.now() - t0;
  requestAnimationFrame(() => {
    const frame = performance.now() - t0;
    const table = () => document.querySelector('table.rows.stale') ? setTimeout(table, 1) : resolve({ script, frame, table: performance.now() - t0 });
    table();
  });
})`;

/** footprint: zooms down the heaviest child ZOOM_STEPS times, then back to the root; returns the timings and the names. */
async function footprintZooms(page) {
  return page.evaluate(`(async () => {
    const timed = ${TIMED};
    const v = window.footprintFlame, t = v.tree;
    const out = [], names = [];
    let n = 0;
    for (let step = 0; step < ${ZOOM_STEPS}; step++) {
      let best = -1;
      for (let c = n + 1; c < t.end[n]; c = t.end[c]) if (best < 0 || t.width[c] > t.width[best]) best = c;
      if (best < 0) break;
      n = best;
      names.push(t.frames[t.frame[n]].name);
      out.push(await timed(() => v.zoomTo(n)));
    }
    out.push(await timed(() => v.zoomTo(0)));
    return { out, names, boxes: v.graph.stats.boxes, nodes: t.count };
  })()`);
}

/** pprof: clicks the box of each function footprint zoomed into (pprof re-pivots its view on it), then the root. */
async function pprofClicks(page, names) {
  return page.evaluate(`(async (names) => {
    const timed = ${TIMED};
    const out = [];
    const boxOf = (name) => [...document.querySelectorAll('.boxbg')].find((b) => b.textContent === name || b.textContent.startsWith(name.slice(0, 12)));
    for (const name of [...names, 'root']) {
      const box = boxOf(name);
      if (!box) continue;
      out.push(await timed(() => box.click()));
    }
    return { out, boxes: document.querySelectorAll('.boxbg').length };
  })(${JSON.stringify(names)})`);
}

async function jsHeapMiB(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize').value / 2 ** 20;
}

// ---------------------------------------------------------------- one run

async function withBrowser(executablePath, body) {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.addInitScript(LOAD_FRAME);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Taken after the first load and the zooms, before the reload (whose old page may linger in memory).
    const memory = async () => ({ tabMiB: await tabPeakMiB(browser), heapMiB: await jsHeapMiB(page) });
    const r = await body(page, memory);
    if (errors.length) r.errors = errors;
    return r;
  } finally {
    await browser.close();
  }
}

async function runFootprint(executablePath) {
  const server = await startServer(process.execPath, [FOOTPRINT_BIN, 'ui', '--no-open', `--sample_index=${SAMPLE_INDEX}`, PROFILE], 'stdout', (l) => (/^http:\/\//.test(l) ? l.trim() : undefined));
  try {
    return await withBrowser(executablePath, async (page, memory) => {
      await page.goto(`${server.url}#flame`);
      const cold = await untilMark(page, 'footprint:frame:flame');
      const zoom = await footprintZooms(page);
      const mem = await memory();
      await page.reload();
      const warm = await untilMark(page, 'footprint:frame:flame');
      return { startMs: server.startMs, cold, warm, ...zoom, ...mem };
    });
  } finally {
    stop(server.child);
  }
}

/** Calls `onOver` once when the process's RSS passes `maxMiB`. */
function watchRss(pid, maxMiB, onOver) {
  const timer = setInterval(() => {
    try {
      const kib = Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
      if (kib / 1024 > maxMiB) {
        clearInterval(timer);
        onOver(kib / 1024);
      }
    } catch {
      clearInterval(timer);
    }
  }, 250);
  return () => clearInterval(timer);
}

async function runPprof(executablePath, names) {
  const port = await freePort();
  // The pprof binary itself (not `go tool pprof`, which would sit between us and its RSS).
  const tool = (await run(GO, ['tool', '-n', 'pprof'], { stdout: 'pipe', stderr: 'ignore' })).out.trim();
  const server = await startServer(tool, ['-no_browser', `-http=127.0.0.1:${port}`, `-sample_index=${SAMPLE_INDEX}`, PROFILE], 'stderr', (l) =>
    l.includes('Serving web UI on') ? `http://127.0.0.1:${port}` : undefined,
  );
  let over;
  const unwatch = watchRss(server.child.pid, pprofMaxMiB, (mib) => {
    over = mib;
    stop(server.child);
  });
  try {
    return await withBrowser(executablePath, async (page, memory) => {
      const timeout = pprofTimeoutS * 1000;
      const t0 = performance.now();
      const gaveUp = (why) => ({ startMs: server.startMs, gaveUp: { after: (performance.now() - t0) / 1000, why } });
      try {
        await page.goto(`${server.url}/ui/flamegraph?si=${SAMPLE_INDEX}`, { timeout });
      } catch (e) {
        if (over) return gaveUp(`its server passed ${pprofMaxMiB} MiB of RSS and was stopped`);
        if (/Timeout/.test(e.message)) return gaveUp('the page had not loaded');
        throw e;
      }
      const cold = await untilMark(page, 'bench:load-frame', timeout);
      const zoom = await pprofClicks(page, names);
      const mem = await memory();
      await page.reload({ timeout });
      const warm = await untilMark(page, 'bench:load-frame', timeout);
      return { startMs: server.startMs, cold, warm, ...zoom, ...mem };
    });
  } finally {
    unwatch();
    stop(server.child);
  }
}

// ---------------------------------------------------------------- main

const executablePath = chromiumPath();
if (!executablePath) fail('chromium is not installed (apt-get install chromium)');
if (!fs.existsSync(path.join(ROOT, 'dist', 'ui', 'app.js'))) fail('dist/ui is missing: run `npm run build` first');
const meta = await ensureProfile(regen);
console.log(`profile: ${path.relative(process.cwd(), PROFILE)}: ${meta.sampleCount.toLocaleString('en-US')} samples (distinct stacks); sample type ${SAMPLE_INDEX}`);
console.log(`chromium: ${executablePath}; pprof: ${await goVersion()} (${GO}); ${runs} run(s) per tool, fresh server and browser each\n`);

const max = (xs) => xs.reduce((m, x) => Math.max(m, x), 0);
const results = { footprint: [], pprof: [] };
for (let i = 0; i < runs; i++) {
  const f = await runFootprint(executablePath).catch((e) => fail(`footprint ui: ${e.message}`));
  results.footprint.push(f);
  console.log(`run ${i + 1}: footprint first paint ${f.cold.toFixed(0)} ms (warm ${f.warm.toFixed(0)} ms), slowest zoom ${max(f.out.map((z) => z.frame)).toFixed(1)} ms, tab ${f.tabMiB.toFixed(0)} MiB`);
  if (withPprof && !results.pprof.some((r) => r.gaveUp)) {
    const p = await runPprof(executablePath, f.names).catch((e) => fail(`go tool pprof -http: ${e.message}`));
    results.pprof.push(p);
    console.log(p.gaveUp ? `       pprof gave no flame graph: after ${p.gaveUp.after.toFixed(0)} s ${p.gaveUp.why} (not run again)` : `       pprof first paint ${p.cold.toFixed(0)} ms`);
  }
}

const med = (tool, pick) => median(results[tool].filter((r) => !r.gaveUp).map(pick));
const zoomMed = (tool, key, which) => med(tool, (r) => which(r.out.map((z) => z[key])));
const mid = (xs) => median(xs);
const rows = [
  ['server ready (load the profile)', (t) => median(results[t].map((r) => r.startMs)), 'ms'],
  ['first paint (first navigation)', (t) => med(t, (r) => r.cold), 'ms'],
  ['first paint (reload)', (t) => med(t, (r) => r.warm), 'ms'],
  ['zoom: script, median', (t) => zoomMed(t, 'script', mid), 'ms'],
  ['zoom: script, slowest', (t) => zoomMed(t, 'script', max), 'ms'],
  ['zoom: to the frame, median', (t) => zoomMed(t, 'frame', mid), 'ms'],
  ['zoom: to the frame, slowest', (t) => zoomMed(t, 'frame', max), 'ms'],
  ['zoom: to the table, slowest', (t) => zoomMed(t, 'table', max), 'ms'],
  ['tab peak RSS', (t) => med(t, (r) => r.tabMiB), 'MiB'],
  ['tab JS heap in use', (t) => med(t, (r) => r.heapMiB), 'MiB'],
];
const f0 = results.footprint[0];
const p0 = results.pprof[0];
const pprofRan = p0 !== undefined && !p0.gaveUp;
console.log(`\nfootprint: ${f0.nodes.toLocaleString('en-US')} tree nodes, ${f0.boxes} boxes drawn at the root; zoomed ${f0.names.length} levels (${f0.names.join(' › ')}) and back`);
if (!p0) console.log('pprof: not run (--no-pprof)');
else if (pprofRan) console.log(`pprof: ${p0.boxes.toLocaleString('en-US')} box elements after its last click; ${p0.out.length} clicks timed`);
else console.log(`pprof: no flame graph (/ui/flamegraph): after ${p0.gaveUp.after.toFixed(0)} s ${p0.gaveUp.why}; its server was ready after ${(p0.startMs / 1000).toFixed(1)} s`);
console.log(`\n${'measure'.padEnd(46)}${'footprint'.padStart(12)}${'pprof'.padStart(14)}${'pprof/footprint'.padStart(18)}`);
for (const [label, value, unit] of rows) {
  const f = value('footprint');
  const p = pprofRan || (p0 && label.startsWith('server')) ? value('pprof') : undefined;
  const cold = p0 !== undefined && !pprofRan && label.startsWith('first paint (first');
  const pText = p !== undefined ? `${p.toFixed(1)} ${unit}` : cold ? `> ${p0.gaveUp.after.toFixed(0)} s` : '–';
  const ratio = p !== undefined ? `${(p / f).toFixed(1)}x` : cold ? `> ${((p0.gaveUp.after * 1000) / f).toFixed(0)}x` : '–';
  console.log(`${label.padEnd(46)}${`${f.toFixed(1)} ${unit}`.padStart(12)}${pText.padStart(14)}${ratio.padStart(18)}`);
}
const paint = med('footprint', (r) => r.cold);
const zoom = zoomMed('footprint', 'frame', max);
const tab = med('footprint', (r) => r.tabMiB);
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
console.log(`\ngoals: first paint ≤ ${GOAL_PAINT_MS} ms: ${verdict(paint <= GOAL_PAINT_MS)}; zoom ≤ ${GOAL_ZOOM_MS} ms (slowest, to the frame): ${verdict(zoom <= GOAL_ZOOM_MS)}; tab ≤ ${GOAL_TAB_MIB} MiB: ${verdict(tab <= GOAL_TAB_MIB)}`);
for (const [tool, rs] of Object.entries(results)) for (const r of rs) if (r.errors) console.log(`${tool}: page errors: ${r.errors.join('; ')}`);
