// Bundles the UI app (web/src) into dist/ui with esbuild: one script, one
// stylesheet, index.html. Run by `npm run build` / `npm install` (prepare) and
// `npm test`; the server (src/server) serves dist/ui and nothing else.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const web = dirname(fileURLToPath(import.meta.url));
const out = join(web, '..', 'dist', 'ui');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(web, 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
writeFileSync(join(out, 'app.css'), uplotCss + '\n' + readFileSync(join(web, 'static', 'app.css'), 'utf8'));
copyFileSync(join(web, 'static', 'index.html'), join(out, 'index.html'));
