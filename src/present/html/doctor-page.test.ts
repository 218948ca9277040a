import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { diagnose } from '../../analyze/doctor/index.js';
import { loadCapture } from '../../collect/load.js';
import { renderDoctorPage } from './doctor-page.js';

const CAPTURES = new URL('../../../testdata/captures/go1.26/', import.meta.url).pathname;

test('doctor page: every finding, one waterfall bar per RSS part walking to the RSS, the curves, nothing external', () => {
  for (const name of ['goleak', 'lockpile']) {
    const d = diagnose(loadCapture(join(CAPTURES, name)));
    const html = renderDoctorPage(d);
    assert.equal((html.match(/class="finding /g) ?? []).length, d.findings.length, name);
    const bars = [...html.matchAll(/<rect class="part"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]!.split(':')[0]);
    assert.deepEqual(bars, d.rss!.parts.map((p) => p.name), name);
    assert.match(html, /<rect class="total"/);
    assert.match(html, /Heap in use over the window/);
    assert.match(html, /Goroutines, start and end of the window/);
    // Links only to the service itself (its URL is the title) and the SVG namespace.
    assert.doesNotMatch(html, /<script|https?:\/\/(?!127\.0\.0\.1|www\.w3\.org\/2000\/svg)|src=/);
  }
});

test('doctor page: text from the service is escaped', () => {
  const d = diagnose(loadCapture(join(CAPTURES, 'lockpile')));
  const evil = { ...d, target: 'http://127.0.0.1:1/<script>alert(1)</script>', notes: ['<img onerror=x>'] };
  const html = renderDoctorPage(evil);
  assert.doesNotMatch(html, /<script>alert|<img onerror/);
});
