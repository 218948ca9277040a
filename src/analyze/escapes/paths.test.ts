import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PathMatcher, symbolPackage } from './paths.js';

test('one file in every spelling the compiler and profiles use', () => {
  const spellings = ['./main.go', 'cmd/app/main.go', '/home/u/src/mod/cmd/app/main.go', 'example.com/mod/cmd/app/main.go', 'file:///home/u/src/mod/cmd/app/main.go', 'C:\\src\\mod\\cmd\\app\\main.go'];
  const profileFiles = ['example.com/mod/cmd/app/main.go', '/build/mod/cmd/app/main.go', 'C:/src/mod/cmd/app/main.go'];
  for (const file of spellings) {
    const m = new PathMatcher([{ file, package: 'example.com/mod/cmd/app' }]);
    for (const pf of profileFiles) assert.equal(m.match(pf, 'main.main')?.file, file, `${file} vs ${pf}`);
    assert.equal(m.match('example.com/mod/cmd/app/other.go', 'main.main'), undefined);
  }
});

test('several main.go: the longest shared tail wins, then the function\'s package, else nothing', () => {
  const m = new PathMatcher([
    { file: 'a/main.go', package: 'example.com/a' },
    { file: 'b/main.go', package: 'example.com/b' },
  ]);
  assert.equal(m.match('/src/example.com/b/main.go', 'example.com/b.F')?.file, 'b/main.go');
  assert.equal(m.match('/x/main.go', 'example.com/a.F')?.file, 'a/main.go', 'package decides a tie');
  assert.equal(m.match('/x/main.go', 'main.main'), undefined, 'an unresolvable tie matches nothing');
  assert.equal(m.match('fmt/main.go', 'fmt.F'), undefined, 'another package never matches');
});

test('relative paths count as <import path>/<name>, which is how -trimpath spells them', () => {
  const m = new PathMatcher([
    { file: './x.go', package: 'example.com/p' },
    { file: './x.go', package: 'example.com/q' },
  ]);
  assert.equal(m.match('example.com/q/x.go')?.package, 'example.com/q');
});

test('symbol packages', () => {
  assert.equal(symbolPackage('example.com/x.(*T).M'), 'example.com/x');
  assert.equal(symbolPackage('main.f.func1'), 'main');
  assert.equal(symbolPackage('gopkg.in/yaml%2ev3.Unmarshal'), 'gopkg.in/yaml%2ev3');
  assert.equal(symbolPackage('example.com/x.Map[...]'), 'example.com/x');
});
