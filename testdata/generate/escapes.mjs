// `go build -gcflags=-m=2` output with many inlined allocation sites, made
// from a real one: the lines testdata/go1.26/escapes/m2.txt holds for
// programs/escapes' newNode (an inlinable constructor whose &node{} escapes)
// and buildList (which inlines it in a loop, so the compiler reports a copy of
// the site there) are repeated, each copy a pair of functions of its own
// (newNodeK, buildListK) further down main.go. Every segment of the original
// (declarations, `inlining call to`, escape explanations) keeps its place, so
// the copies' lines come grouped as the compiler groups them.
//
//   node testdata/generate/escapes.mjs SITES > escapes.txt
//
// Plain Node ESM, no dependencies.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SOURCE = new URL('../go1.26/escapes/m2.txt', import.meta.url);
/** The two functions' lines in programs/escapes/main.go, and how far apart the copies are put. */
const FIRST = 80;
const LAST = 93;
const STRIDE = 20;
const POSITION = /main\.go:(\d+)/g;
const NAMES = /\b(newNode|buildList)\b/g;

/** The fixture's lines, with `true` for the ones to repeat (positioned inside the two functions). */
function template() {
  return readFileSync(SOURCE, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = /^\.\/main\.go:(\d+):/.exec(line);
      return { line, repeat: m !== null && Number(m[1]) >= FIRST && Number(m[1]) <= LAST };
    });
}

function copyOf(line, k) {
  if (k === 0) return line;
  return line
    .replace(POSITION, (all, n) => (Number(n) >= FIRST && Number(n) <= LAST ? `main.go:${Number(n) + k * STRIDE + 1000}` : all))
    .replace(NAMES, (name) => `${name}${k}`);
}

/**
 * -m=2 output with `sites` inlined copies of newNode's allocation (one per
 * buildListK), plus each newNodeK's own site and buildListK's append.
 */
export function escapesOutput(sites) {
  const out = [];
  const lines = template();
  for (let i = 0; i < lines.length; ) {
    if (!lines[i].repeat) {
      out.push(lines[i++].line);
      continue;
    }
    let end = i;
    while (end < lines.length && lines[end].repeat) end++;
    for (let k = 0; k < sites; k++) for (let j = i; j < end; j++) out.push(copyOf(lines[j].line, k));
    i = end;
  }
  return out.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(escapesOutput(Number(process.argv[2] ?? 8000)));
}
