import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEscapeJsonFiles, decodeEscapes } from '../formats/escape/index.js';
import type { EscapeReport } from '../model/escapes.js';

/** The committed escape fixtures (testdata/regen-escapes.sh), shared by the escape tests. */
export const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
export const VERSIONS = ['go1.23', 'go1.26'] as const;
export type Version = (typeof VERSIONS)[number];

export function fixturePath(version: Version, name: string): string {
  return join(TESTDATA, version, 'escapes', name);
}

export function fixtureText(version: Version, name: 'm.txt' | 'm2.txt'): string {
  return readFileSync(fixturePath(version, name), 'utf8');
}

export function loadText(version: Version, name: 'm.txt' | 'm2.txt'): EscapeReport {
  return decodeEscapes(readFileSync(fixturePath(version, name)), name);
}

export function jsonFiles(version: Version): { source: string; bytes: Uint8Array }[] {
  const dir = fixturePath(version, 'json/main');
  return readdirSync(dir).map((n) => ({ source: join(dir, n), bytes: readFileSync(join(dir, n)) }));
}

export function loadJson(version: Version): EscapeReport {
  return decodeEscapeJsonFiles(jsonFiles(version));
}
