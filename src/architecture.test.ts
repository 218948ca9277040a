import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The pipeline's layering, checked mechanically (README, "Architecture"):
 * which top-level folder of src/ may import which, and no import cycle
 * anywhere, type-only imports included.
 */

const SRC = resolve(new URL('../src/', import.meta.url).pathname);

/**
 * For each top-level folder, the folders its non-test code may import (its
 * own always). Core (model, formats, report, analyze) never reaches
 * presentation, CLI or test code. analyze may read formats: the trace
 * analysis pulls events from the streaming decoder in one pass.
 */
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  formats: ['model'],
  report: ['model'],
  analyze: ['model', 'formats', 'report'],
  present: ['model', 'report', 'analyze'],
  collect: ['model', 'formats', 'analyze'],
  /** The local HTTP API of `footprint ui`: reads inputs through the library, serves the built web app. */
  server: ['model', 'formats', 'report', 'analyze'],
  cli: ['model', 'formats', 'report', 'analyze', 'present', 'collect', 'server'],
  testkit: ['model', 'formats', 'report', 'analyze', 'present', 'collect', 'cli', 'server'],
  /** src/index.ts, the public library. */
  '.': ['model', 'formats', 'report', 'analyze', 'present', 'collect', 'server'],
};

/** Folders core code is never allowed to reach, whatever the table says. */
const CORE = ['model', 'formats', 'report', 'analyze'];
const NEVER_FROM_CORE = ['present', 'cli', 'testkit', 'server', 'web', 'collect'];

interface Source {
  file: string;
  isTest: boolean;
  imports: string[];
}

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The source with line and block comments blanked, so prose that quotes an import does not count. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every relative module a file names: import/export … from, import type, import('…') in code and in types. */
function importsOf(file: string): string[] {
  const code = withoutComments(readFileSync(file, 'utf8'));
  const specs = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => {
    const base = resolve(dirname(file), s.replace(/\.js$/, ''));
    return existsSync(`${base}.ts`) ? `${base}.ts` : existsSync(`${base}.d.ts`) ? `${base}.d.ts` : join(base, 'index.ts');
  });
}

function topFolder(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0]! : '.';
}

const sources: Source[] = tsFiles(SRC).map((file) => ({ file, isTest: /\.test\.ts$/.test(file), imports: importsOf(file) }));

test('every folder the layering names exists, and every folder of src/ is named', () => {
  for (const folder of Object.keys(ALLOWED)) assert.ok(existsSync(join(SRC, folder)), `src/${folder} is in the table but does not exist`);
  const present = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
  for (const folder of present) assert.ok(folder in ALLOWED, `src/${folder} has no row in the layering table`);
  assert.ok(sources.length > 100, 'expected to read the sources');
});

test('imports follow the layering: each folder reaches only the folders it may', () => {
  const offenders: string[] = [];
  for (const s of sources) {
    if (s.isTest) continue;
    const from = topFolder(s.file);
    const allowed = new Set([from, ...ALLOWED[from]!]);
    for (const target of s.imports) {
      const to = topFolder(target);
      const forbiddenCore = CORE.includes(from) && NEVER_FROM_CORE.includes(to);
      if (!allowed.has(to) || forbiddenCore) offenders.push(`${relative(SRC, s.file)} → ${relative(SRC, target)}`);
    }
  }
  assert.deepEqual(offenders, []);
});

/**
 * The web app (web/src) talks to src/ only through the server's HTTP API; the
 * exceptions are two pure modules: the units, so the app writes quantities as
 * every other part of footprint does, and the flame tree's wire declarations,
 * so writer and reader share one definition. Nothing in src/ imports
 * the app (the server serves its built files).
 */
const WEB = resolve(SRC, '../web/src');
const WEB_MAY_IMPORT = [join(SRC, 'model/units.ts'), join(SRC, 'model/flame-wire.ts')];

test('the web app reaches src/ only for the units and wire modules, and src/ never imports the app', () => {
  assert.ok(existsSync(WEB), 'web/src exists');
  const offenders: string[] = [];
  for (const file of tsFiles(WEB)) {
    if (/\.test\.ts$/.test(file)) continue;
    for (const target of importsOf(file)) {
      if (!target.startsWith(WEB + '/') && !WEB_MAY_IMPORT.includes(target)) offenders.push(`${relative(WEB, file)} → ${relative(WEB, target)}`);
    }
  }
  for (const s of sources) for (const target of s.imports) if (target.startsWith(WEB + '/')) offenders.push(`${relative(SRC, s.file)} → ${relative(SRC, target)}`);
  assert.deepEqual(offenders, []);
  assert.ok(tsFiles(WEB).length >= 10, 'expected to read the app');
});

test('core code uses no DOM', () => {
  const offenders = sources
    .filter((s) => !s.isTest && CORE.includes(topFolder(s.file)))
    .filter((s) => /(?<![.\w])(document|window|HTMLElement)\./.test(withoutComments(readFileSync(s.file, 'utf8'))))
    .map((s) => relative(SRC, s.file));
  assert.deepEqual(offenders, []);
});

test('no import cycles, type-only imports included', () => {
  const graph = new Map(sources.map((s) => [s.file, s.imports.filter((t) => t !== s.file)]));
  const cycles = stronglyConnected(graph).filter((c) => c.length > 1);
  assert.deepEqual(
    cycles.map((c) => c.map((f) => relative(SRC, f)).join(' → ')),
    [],
  );
});

/** Tarjan's algorithm, iterative (deep import chains would overflow a recursive one). */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; edge: number }[] = [{ node: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const edges = graph.get(top.node) ?? [];
      if (top.edge < edges.length) {
        const to = edges[top.edge++]!;
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== top.node);
        out.push(component);
      }
    }
  }
  return out;
}

test('the cycle finder finds a cycle (so an empty result above means something)', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  const cycles = stronglyConnected(g).filter((c) => c.length > 1);
  assert.equal(cycles.length, 1);
  assert.deepEqual([...cycles[0]!].sort(), ['a', 'b', 'c']);
});
