import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The pipeline's layering rule (DESIGN §2), checked mechanically: core code
 * (formats, model, report, analyze) imports no CLI, server or web code.
 */

const SRC = new URL('.//', import.meta.url).pathname;
const CORE = ['formats', 'model', 'report', 'analyze'];
const FORBIDDEN = /from\s+['"](\.\.\/)+(cli|server|web|collect|render)\//;

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** The source with line and block comments blanked (good enough for our own code). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('core modules import no CLI, server or web code', () => {
  const offenders: string[] = [];
  let checked = 0;
  for (const layer of CORE) {
    let files: string[] = [];
    try {
      files = tsFiles(join(SRC, layer));
    } catch {
      continue;
    }
    for (const f of files) {
      checked++;
      const text = readFileSync(f, 'utf8');
      if (FORBIDDEN.test(text)) offenders.push(f);
      // Prose says "window." (an MMU window) and "document."; only code counts.
      if (/\b(document|window|HTMLElement)\./.test(withoutComments(text))) offenders.push(`${f} (DOM)`);
    }
  }
  assert.ok(checked > 10, 'expected to check the core sources');
  assert.deepEqual(offenders, []);
});
