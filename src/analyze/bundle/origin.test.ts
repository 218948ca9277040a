import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayPath, originOf } from './origin.js';

/** Package names, copies and versions from the paths bundlers write in `sources`, for each package manager's layout. */

test('npm: plain, scoped and nested node_modules; the package is what the last node_modules/ holds', () => {
  assert.deepEqual(originOf('../node_modules/lodash/debounce.js'), { kind: 'package', path: 'node_modules/lodash/debounce.js', package: 'lodash', root: 'node_modules/lodash' });
  assert.deepEqual(originOf('node_modules/@babel/runtime/helpers/esm/extends.js'), {
    kind: 'package',
    path: 'node_modules/@babel/runtime/helpers/esm/extends.js',
    package: '@babel/runtime',
    root: 'node_modules/@babel/runtime',
  });
  const nested = originOf('webpack://app/./node_modules/a/node_modules/b/index.js');
  assert.equal(nested.package, 'b');
  assert.equal(nested.root, 'node_modules/a/node_modules/b', 'a nested copy is its own root');
  assert.equal(originOf('node_modules/b/index.js').root, 'node_modules/b');
});

test('pnpm and Yarn paths name the real package and its version', () => {
  const pnpm = originOf('../../node_modules/.pnpm/@tanstack+query-core@5.17.9/node_modules/@tanstack/query-core/build/index.js');
  assert.equal(pnpm.package, '@tanstack/query-core');
  assert.equal(pnpm.version, '5.17.9');
  const peer = originOf('node_modules/.pnpm/react-dom@18.2.0_react@18.2.0/node_modules/react-dom/index.js');
  assert.equal(peer.package, 'react-dom');
  assert.equal(peer.version, '18.2.0', 'the peer suffix after _ is not part of the version');
  const yarn = originOf('.yarn/cache/lodash-npm-4.17.21-6382451519-eb835a2e51.zip/node_modules/lodash/lodash.js');
  assert.equal(yarn.package, 'lodash');
  assert.equal(yarn.version, '4.17.21');
  const scopedYarn = originOf('.yarn/unplugged/@scope-pkg-npm-1.0.0-beta-abcdef1234/node_modules/@scope/pkg/x.js');
  assert.equal(scopedYarn.package, '@scope/pkg');
  assert.equal(scopedYarn.version, '1.0.0-beta');
});

test('app code, the bundler runtime, and names that only look like node_modules', () => {
  assert.deepEqual(originOf('webpack://my-app/./src/App.tsx'), { kind: 'app', path: 'src/App.tsx' });
  assert.equal(originOf('webpack/bootstrap').kind, 'runtime');
  assert.equal(originOf('webpack://app/webpack/runtime/define property getters').kind, 'runtime');
  assert.equal(originOf('\0commonjsHelpers.js').kind, 'runtime');
  assert.equal(originOf('src/my_node_modules/x.js').kind, 'app', 'node_modules/ must be a whole folder name');
  assert.equal(originOf('node_modules/.bin/x.js').kind, 'app');
});

test('displayPath drops bundler prefixes and folds ./ and a/../ (leading ../ stay)', () => {
  assert.equal(displayPath('webpack:///./src/a.js'), 'src/a.js');
  assert.equal(displayPath('file:///home/u/p/src/a.js'), 'home/u/p/src/a.js');
  assert.equal(displayPath('../../src/x/../a.js'), '../../src/a.js');
  assert.equal(displayPath('src\\win\\a.js'), 'src/win/a.js');
});
