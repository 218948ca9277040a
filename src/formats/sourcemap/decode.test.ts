import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError } from '../errors.js';
import { decodeSourceMap, sniffSourceMap } from './decode.js';
import { decodeDataUrl, findMapReference } from './locate.js';

/** Segments as [line, column, source] triples, for comparing. */
function segments(text: string): number[][] {
  const m = decodeSourceMap(text, 'test.map');
  const out: number[][] = [];
  for (let l = 0; l + 1 < m.lineStarts.length; l++) for (let s = m.lineStarts[l]!; s < m.lineStarts[l + 1]!; s++) out.push([l, m.columns[s]!, m.sourceIndex[s]!]);
  return out;
}

test('VLQ: relative columns per line, relative sources across lines, 1-field segments have no source', () => {
  // Fields: column, source, original line, original column. AAAA = [0,0,0,0]; CAAA: column +1; ECAA: column +2,
  // source +1; ';' resets the column only; A: 1 field (no source). gB = 16 (g = 32: continue, low bits 0; B = 1 → 1<<5;
  // 32 >>> 1 = 16, sign bit clear). DDAA: column −1 (read as 0, warned), source −1 → 0.
  const map = JSON.stringify({ version: 3, sources: ['a.js', 'b.js'], mappings: 'AAAA,CAAA,ECAA;AAAA,A,gBAAA;;DDAA' });
  assert.deepEqual(segments(map), [
    [0, 0, 0],
    [0, 1, 0],
    [0, 3, 1],
    [1, 0, 1],
    [1, 0, -1],
    [1, 16, 1],
    [3, 0, 0],
  ]);
  assert.match(decodeSourceMap(map, 'x.map').warnings.join('\n'), /1 segment with a negative column/);
});

test('a source index out of range, bad characters and 2-field segments are warned about and dropped, never thrown', () => {
  // ACAA moves the relative source to 1 (out of range: no owner); ADAA moves it back to 0, as the spec's decoder does.
  const m = decodeSourceMap(JSON.stringify({ version: 3, sources: ['a.js'], mappings: 'AAAA,ACAA,A!AA,AA,ADAA' }), 'x.map');
  assert.deepEqual([...m.sourceIndex], [0, -1, 0]);
  assert.equal(m.warnings.length, 2);
  assert.match(m.warnings.join('\n'), /2 malformed segments/);
  assert.match(m.warnings.join('\n'), /source index the map does not have/);
});

test('segments out of column order within a line are sorted', () => {
  const m = decodeSourceMap(JSON.stringify({ version: 3, sources: ['a.js', 'b.js'], mappings: 'KCAA,LDAA' }), 'x.map');
  assert.deepEqual([...m.columns], [0, 5]);
  assert.deepEqual([...m.sourceIndex], [0, 1]);
  assert.match(m.warnings[0]!, /out of column order/);
});

test('sourceRoot, null sources, escaped JSON, the XSSI prefix and sourcesContent read on demand', () => {
  const text = `)]}'\n{"version":3,"sourceRoot":"src/","sources":["a.js",null],"sourcesContent":["const a = \\"\\u00e9\\";\\n",null],"mappings":"AAAA,CCAA","names":[]}`;
  assert.ok(sniffSourceMap(Buffer.from(text)));
  const m = decodeSourceMap(text, 'x.map');
  assert.deepEqual(m.sources, ['src/a.js', 'src/<source 1>']);
  assert.equal(m.content(0), 'const a = "é";\n');
  assert.equal(m.content(1), null);
  assert.equal(m.content(7), null);
  // An escape anywhere in a string (not only before a quote) is decoded.
  assert.equal(decodeSourceMap('{"version":3,"sources":["a.js"],"sourcesContent":["x\\ny"],"mappings":""}', 'x.map').content(0), 'x\ny');
  // A mappings string written with JSON escapes (legal, if odd) decodes the same.
  const escaped = decodeSourceMap('{"version":3,"sources":["a.js"],"mappings":"AAAA\\u002cCAAA"}', 'x.map');
  assert.deepEqual([...escaped.columns], [0, 1]);
});

test('with a way to read the map again, content() reads only the range it needs, the same text', () => {
  const text = JSON.stringify({ version: 3, sources: ['a.js', 'b.js'], sourcesContent: ['const é = "a";\n', 'b()'], mappings: 'AAAA,ECAA' });
  const bytes = Buffer.from(text);
  const reads: [number, number][] = [];
  const m = decodeSourceMap(bytes, 'x.map', (start, end) => {
    reads.push([start, end]);
    return bytes.subarray(start, end);
  });
  assert.deepEqual(reads, [], 'nothing read again while decoding');
  assert.equal(m.content(0), 'const é = "a";\n');
  assert.equal(m.content(1), 'b()');
  assert.equal(reads.length, 2);
  assert.equal(Buffer.from(bytes.subarray(reads[1]![0], reads[1]![1])).toString(), 'b()');
});

test('an index map is flattened: sections shifted to their offsets, sources merged by name, overlaps cut', () => {
  const section = (sources: string[], mappings: string) => ({ version: 3, sources, mappings });
  const index = {
    version: 3,
    sections: [
      { offset: { line: 0, column: 0 }, map: section(['a.js'], 'AAAA,KAAA;AAAA') },
      { offset: { line: 1, column: 4 }, map: section(['b.js', 'a.js'], 'AAAA,ECAA') },
      { offset: { line: 3, column: 0 }, url: 'elsewhere.map' },
    ],
  };
  const m = decodeSourceMap(JSON.stringify(index), 'index.map');
  assert.deepEqual(m.sources, ['a.js', 'b.js']);
  assert.deepEqual(segments(JSON.stringify(index)), [
    [0, 0, 0],
    [0, 5, 0],
    [1, 0, 0],
    [1, 4, 1],
    [1, 6, 0],
  ]);
  assert.match(m.warnings.join('\n'), /section 2 refers to elsewhere\.map by url/);
});

test('not a source map: a FormatError naming the file; a version other than 3 too', () => {
  assert.throws(() => decodeSourceMap('not json', 'x.map'), (e: unknown) => e instanceof FormatError && /x\.map: not a source map/.test(e.describe()));
  assert.throws(() => decodeSourceMap('{"version":3,"sources":[]}', 'x.map'), /no "mappings"/);
  assert.throws(() => decodeSourceMap('{"version":2,"mappings":""}', 'x.map'), /version 2/);
  assert.throws(() => decodeSourceMap('{"version":3,"mappings":"AAAA"', 'x.map'), FormatError);
  assert.throws(() => decodeSourceMap('{"version":3,"mappings":"AAAA"} trailing', 'x.map'), FormatError);
  assert.ok(!sniffSourceMap(Buffer.from('console.log(1)')));
});

test('the sourceMappingURL comment: JS and CSS forms, only at the end, with its byte range', () => {
  const js = Buffer.from('var a = "//# sourceMappingURL=fake.map";\n//# sourceMappingURL=app.js.map\n');
  assert.deepEqual(findMapReference(js), { url: 'app.js.map', start: 41, end: 72 });
  const css = Buffer.from('a{color:red}\n/*# sourceMappingURL=app.css.map */');
  assert.equal(findMapReference(css)?.url, 'app.css.map');
  assert.equal(findMapReference(Buffer.from('//# sourceMappingURL=x.map\nmore();\n')), null, 'code after it: not a reference');
  const inline = `data:application/json;charset=utf-8;base64,${Buffer.from('{"version":3}').toString('base64')}`;
  assert.equal(Buffer.from(decodeDataUrl(inline, 'x.js')).toString(), '{"version":3}');
  assert.equal(Buffer.from(decodeDataUrl('data:application/json,%7B%22version%22%3A3%7D', 'x.js')).toString(), '{"version":3}');
});
