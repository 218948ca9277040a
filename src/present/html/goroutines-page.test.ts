import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeGoroutines } from '../../analyze/goroutines/index.js';
import { decodeGoroutineInput } from '../../formats/goroutines/index.js';
import { readFixture } from '../../testkit/goroutine-fixtures.js';
import { PAGE_GROUPS, renderGoroutinesPage } from './goroutines-page.js';

test('goroutines page: one bar per listed group with its count, the findings, nothing external', () => {
  for (const rel of ['stuck/goroutine.debug2.txt', 'stuckmany/goroutine.debug2.txt.gz'] as const) {
    const a = analyzeGoroutines(decodeGoroutineInput(readFixture('go1.26', rel)));
    const html = renderGoroutinesPage(a, rel);
    const listed = a.groups.filter((g) => !g.system).slice(0, PAGE_GROUPS);
    const bars = [...html.matchAll(/<rect [^>]*><title>(\d+) · /g)].map((m) => Number(m[1]));
    assert.deepEqual(bars, listed.map((g) => g.count), rel);
    assert.equal((html.match(/class="finding /g) ?? []).length, a.findings.length);
    assert.doesNotMatch(html, /<script|https?:\/\/|src=/);
  }
});
