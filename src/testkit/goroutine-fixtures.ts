import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The committed goroutine fixtures (testdata/regen-goroutines.sh), shared by the format, analysis and CLI tests. */
export const VERSIONS = ['go1.23', 'go1.26'] as const;
export type GoVersion = (typeof VERSIONS)[number];

export function fixturePath(version: GoVersion, rel: string): string {
  return new URL(`../../testdata/${version}/${rel}`, import.meta.url).pathname;
}

export function readFixture(version: GoVersion, rel: string): Uint8Array {
  return readFileSync(fixturePath(version, rel));
}

/** The text of a fixture, gunzipped when its name ends in .gz. */
export function fixtureText(version: GoVersion, rel: string): string {
  const bytes = readFixture(version, rel);
  return new TextDecoder().decode(rel.endsWith('.gz') ? gunzipSync(bytes) : bytes);
}

/** What programs/stuck says it parked: one entry per spawn site. */
export interface TruthGroup {
  func: string;
  state: string;
  count: number;
  creator: string;
}

export function readTruth(version: GoVersion, rel: string): TruthGroup[] {
  return (JSON.parse(fixtureText(version, rel)) as { groups: TruthGroup[] }).groups;
}

/** Every traceback dump among the fixtures: [version, path]. */
export const DUMPS: [GoVersion, string][] = VERSIONS.flatMap((v): [GoVersion, string][] => [
  [v, 'stuck/goroutine.debug2.txt'],
  [v, 'stuck/goroutine.before.debug2.txt'],
  [v, 'stuck/sigquit.txt'],
  [v, 'stuck/panic.txt'],
  [v, 'deadlock/deadlock.txt'],
  [v, 'goroutines/goroutine.debug2.txt'],
  [v, 'rlockpile/goroutine.debug2.txt.gz'],
  [v, 'crashlog/panic.log.gz'],
]).concat([
  ['go1.26', 'stuckmany/goroutine.debug2.txt.gz'],
  ['go1.26', 'leakprofile/goroutineleak.debug2.txt'],
]);

/**
 * The goroutine headers of a dump, read with a regexp of the test's own
 * (not the parser's): id, bracket text, and the lines up to the next blank line.
 */
export function independentBlocks(text: string): { id: number; bracket: string; lines: string[] }[] {
  const out: { id: number; bracket: string; lines: string[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^goroutine (\d+) (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[(.*)\]:$/.exec(lines[i]!);
    if (!m) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j] !== '' && !lines[j]!.startsWith('goroutine '); j++) body.push(lines[j]!);
    out.push({ id: Number(m[1]), bracket: m[2]!, lines: body });
  }
  return out;
}

/** One JSON object per line: what programs/crashlog printed on stdout. */
export function readJsonLines<T>(version: GoVersion, rel: string): T[] {
  return fixtureText(version, rel)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** programs/crashlog's report of what it parked and logged before its dump. */
export interface CrashTruth {
  goroutines?: number;
  loggedBeforeDump?: number;
  parked?: Record<string, number>;
  logged?: number;
}
