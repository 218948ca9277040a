// The huge heap profile shared by the benchmarks (bench/top-large.mjs,
// bench/ui-flame.mjs): ~400k distinct call stacks from bench/gen/main.go,
// generated once into bench/out/ and cached with its sample count.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { BENCH, failer, GO, OUT, ROOT, run } from './lib.mjs';

const GEN_SRC = path.join(BENCH, 'gen', 'main.go');
const GEN_BIN = path.join(OUT, 'gen');
export const PROFILE = path.join(OUT, 'heap400k.pb.gz');
export const META = path.join(OUT, 'meta.json');

const rel = (p) => path.relative(process.cwd(), p) || '.';
const fail = failer('bench');

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function readMeta() {
  try { return JSON.parse(fs.readFileSync(META, 'utf8')); } catch { return null; }
}


// ---------------------------------------------------------------- the profile

export async function goVersion() {
  const r = await run(GO, ['env', 'GOVERSION'], { stdout: 'pipe', stderr: 'ignore' });
  return r.code === 0 ? r.out.trim() : 'unknown';
}

/** Counts the samples of a profile with `go tool pprof -raw` (sample lines between "Samples:" and "Locations"). */
async function countSamples(file) {
  const child = spawn(GO, ['tool', 'pprof', '-raw', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => {
    child.on('error', (e) => resolve({ code: -1, error: e }));
    child.on('close', (code) => resolve({ code }));
  });
  // Layout: "Samples:", a header naming the sample types, then one line per
  // sample ("  v1 v2 ...: loc ids", possibly followed by indented label lines),
  // up to the next unindented line ("Locations").
  let state = 'before';
  let sample = null;
  let n = 0;
  for await (const line of readline.createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (state === 'before') {
      if (line === 'Samples:') state = 'header';
    } else if (state === 'header') {
      const k = line.trim().split(/\s+/).length;
      sample = new RegExp(`^\\s*-?\\d+(\\s+-?\\d+){${k - 1}}:`);
      state = 'samples';
    } else if (state === 'samples') {
      if (/^\S/.test(line)) state = 'after';
      else if (sample.test(line)) n++;
    }
  }
  const r = await exited;
  if (r.code !== 0) fail(`go tool pprof -raw failed (${r.error ?? `exit ${r.code}`}):\n${err}`);
  return n;
}

/** The profile's metadata, after generating it when missing, stale, or `regen` asks. */
export async function ensureProfile(regen = false) {
  fs.mkdirSync(OUT, { recursive: true });
  const genSha = sha256(GEN_SRC);
  let meta = readMeta();
  const have = fs.existsSync(PROFILE);
  const stale = have && meta && meta.genSha256 !== genSha;
  if (stale && !regen) console.log(`note: ${rel(GEN_SRC)} changed since ${rel(PROFILE)} was generated; regenerating`);
  if (regen || !have || stale) {
    const ver = await goVersion();
    console.log(`generating ${rel(PROFILE)} with ${ver} (${GO}); this takes a while, the result is cached...`);
    const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
    const b = await run(GO, ['build', '-trimpath', '-o', GEN_BIN, GEN_SRC], { env });
    if (b.code !== 0) fail(`building ${rel(GEN_SRC)} failed (${b.error ?? `exit ${b.code}`})`);
    const tmp = `${PROFILE}.tmp`;
    const t0 = performance.now();
    const g = await run(GEN_BIN, [tmp], { cwd: OUT });
    if (g.code !== 0) fail(`running the generator failed (${g.error ?? `exit ${g.code}`})`);
    fs.renameSync(tmp, PROFILE);
    console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    meta = { profile: path.basename(PROFILE), genSha256: genSha, goVersion: ver, generated: new Date().toISOString() };
  }
  const bytes = fs.statSync(PROFILE).size;
  if (!meta || meta.bytes !== bytes || !(meta.sampleCount > 0)) {
    console.log('counting the samples once with go tool pprof -raw (cached in ' + rel(META) + ')...');
    meta = { profile: path.basename(PROFILE), genSha256: genSha, ...meta, bytes, sampleCount: await countSamples(PROFILE) };
    fs.writeFileSync(META, JSON.stringify(meta, null, 2) + '\n');
  }
  return meta;
}
