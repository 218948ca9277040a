import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureIo } from './io.js';
import { main } from './main.js';
import { hostileFixtures, newlineSampleType, type HostileFixture } from '../testkit/hostile.js';
import { tempDir } from '../testkit/temp.js';

/**
 * Issue 16.7: names taken from the input that carry terminal escapes, C1
 * controls, line separators or bidi overrides are written inert — in text
 * (with and without colour), in errors, in JSON and in HTML — and JSON keeps
 * them exactly.
 */

const dir = tempDir(after, 'hostile');
const fixtures = hostileFixtures(dir);

/**
 * Every character that acts on a terminal or breaks a line: the test's own list, not the code's. Newline
 * and tab aside, which footprint writes itself (pprof's -peek legend has tabs); a tab in a name must still
 * be shown escaped, which `shown` checks.
 */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function assertInert(text: string, what: string): void {
  const m = RAW_CONTROL.exec(text);
  assert.equal(m, null, `${what}: raw U+${m?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
}

/** How footprint shows the planted name: each control as an escape (the test's own spelling of them). */
function shown(planted: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return [...planted]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (!ESCAPED.test(c)) return c;
      return named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
    })
    .join('');
}

async function run(argv: string[], colour = false): Promise<{ code: number; out: string; err: string }> {
  const io = { ...captureIo(), colour };
  const capture = io as ReturnType<typeof captureIo>;
  const code = await main(argv, io);
  return { code, out: capture.stdout(), err: capture.stderr() };
}

function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, into);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) (into.push(k), strings(v, into));
  return into;
}

const label = (f: HostileFixture) => `${f.command} ${[...f.args, f.path.split('/').pop()].join(' ')}`;

for (const f of fixtures) {
  test(`hostile names: ${label(f)} writes them inert in text, with colour, and keeps them exactly in JSON`, async () => {
    const text = await run([f.command, ...f.args, f.path]);
    assert.equal(text.code, 0, text.err);
    assertInert(text.out, 'stdout');
    assertInert(text.err, 'stderr');
    // Folded stacks separate frames with ';', so the name's own ';' is written ':'.
    const expected = f.command === 'export' ? shown(f.planted).replaceAll(';', ':') : shown(f.planted);
    if (f.command !== 'gc') assert.ok(text.out.includes(expected), `the name is shown, escaped: ${expected}`);

    // With colour, the only escape sequences are footprint's own SGR codes.
    const coloured = await run([f.command, ...f.args, f.path], true);
    assertInert(coloured.out.replace(/\x1b\[\d+m/g, ''), 'stdout with colour');

    if (f.command === 'export') return;
    const json = await run([f.command, '--json', ...f.args, f.path]);
    assert.equal(json.code, 0, json.err);
    assertInert(json.out, 'JSON text');
    const values = strings(JSON.parse(json.out));
    if (f.command !== 'gc') assert.ok(values.some((s) => s.includes(f.planted)), 'the JSON holds the name exactly as the input does');
  });
}

for (const f of fixtures.filter((x) => ['gc', 'goroutines', 'trace'].includes(x.command))) {
  test(`hostile names: ${f.command} --html writes them escaped on the page`, async () => {
    const page = join(dir, `${f.command}.html`);
    const r = await run([f.command, '--html', page, f.path]);
    assert.equal(r.code, 0, r.err);
    const html = readFileSync(page, 'utf8');
    assertInert(html.replaceAll('\n', ''), 'HTML');
    const escaped = shown(f.planted).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    if (f.command !== 'gc') assert.ok(html.includes(escaped), `the page shows the name escaped: ${escaped}`);
  });
}

test('hostile names: a sample type with a newline keeps the error on one line', async () => {
  const path = newlineSampleType(dir);
  const r = await run(['goroutines', path]);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.equal(r.err.split('\n').length, 2, `one line: ${JSON.stringify(r.err)}`);
  assert.match(r.err, /^footprint goroutines: .*: not a goroutine profile \(its sample types are .*inuse\\nspace\)\n$/);
});
