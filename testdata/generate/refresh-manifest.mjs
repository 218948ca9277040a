// Sets each artefact's `bytes` in a capture folder's manifest.json to its file's size: regen-captures.sh
// rewrites the temporary binary path inside a few artefacts, which changes their sizes.
//
//   node testdata/generate/refresh-manifest.mjs CAPTURE_DIR
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: refresh-manifest.mjs CAPTURE_DIR');
const path = join(dir, 'manifest.json');
const manifest = JSON.parse(readFileSync(path, 'utf8'));
for (const a of manifest.artefacts) if (a.file && a.status === 'ok') a.bytes = statSync(join(dir, a.file)).size;
writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
