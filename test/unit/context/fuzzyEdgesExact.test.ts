// More exact scores of the #-mention file search: a first match at index 3 (no run bonus from the
// start value of the run tracker), capitals after capitals (no camel-case bonus), white space of
// any kind removed from the query, and a path query that ends in a slash.
import * as assert from 'node:assert/strict';
import { FuzzyFileIndex } from '../../../src/core/context/fuzzyFiles';

const build = (): FuzzyFileIndex => new FuzzyFileIndex(['README.md', 'x/ABC.ts', 'x/aBc.ts', 'q/zz.ts', 'a.b'].map((path) => ({ path, isFolder: false })));
const scored = (query: string): [string, number][] => build().search(query).map((m) => [m.path, m.score]);

describe('FuzzyFileIndex, more exactly', () => {
  it('gives no bonus to a first character found in the middle of a name after a capital', () => {
    // 2000 − 9 (name) − 0.9 (path) + 600 (substring later in the name); "D" follows "A": no hump.
    assert.deepEqual(scored('d'), [['README.md', 2590.1]]);
  });

  it('gives the camel-case bonus only to a capital after a lower-case letter', () => {
    assert.deepEqual(scored('b'), [['a.b', 2606.7], ['x/aBc.ts', 2603.2], ['x/ABC.ts', 2593.2]]);
    assert.deepEqual(scored('bc'), [['x/aBc.ts', 2611.2], ['x/ABC.ts', 2601.2]]);
    assert.deepEqual(scored('ab'), [['x/aBc.ts', 3021.2], ['x/ABC.ts', 3011.2], ['a.b', 2016.7]]);
  });

  it('removes every white space character of the query and lower-cases it', () => {
    assert.deepEqual(scored('z'), [['q/zz.ts', 3004.3]]);
    assert.deepEqual(scored(' \tZ\nz '), [['q/zz.ts', 3512.3]]);
    assert.deepEqual(scored('q/'), [['q/zz.ts', 917.3]]);
    assert.deepEqual(build().search(' \t '), build().search(''));
  });

  it('lists a match whose score is negative (a very long name), after the others', () => {
    const index = new FuzzyFileIndex([{ path: `${'a'.repeat(3000)}.ts`, isFolder: false }, { path: 'b.ts', isFolder: false }]);
    // 2000 + 18 (boundary, run) − 3003 (name) − 300.3 (path) + 600 (substring) = −685.3
    assert.deepEqual(index.search('ts').map((m) => [m.path.length, m.score]), [[4, 2613.6], [3003, -685.3]]);
  });

  it('gives a whole name without an extension 1500, a name continuing after the query 1000, and lists every path for an empty query', () => {
    const index = new FuzzyFileIndex(['src', 'src/a.ts', 'Makefile', 'lib/srcx.ts'].map((path) => ({ path, isFolder: path === 'src' })));
    assert.deepEqual(index.search('src').map((m) => [m.path, m.score]), [['src', 3522.7], ['lib/srcx.ts', 3017.9], ['src/a.ts', 925.2]]);
    assert.deepEqual(index.search('makefile').map((m) => [m.path, m.score]), [['Makefile', 3557.2]]);
    assert.deepEqual(index.search('').map((m) => m.path), ['src', 'Makefile', 'src/a.ts', 'lib/srcx.ts']);
  });
});
