// Exact scores of the #-mention file search: each word boundary, camel case, a name prefix, a
// substring in the name, a path query, the depth order of an empty query, the `limit` with ties,
// and that narrowing from the previous query never changes a result.
import * as assert from 'node:assert/strict';
import { FuzzyFileIndex } from '../../../src/core/context/fuzzyFiles';

const PATHS = ['README.md', 'docs/readme-old.md', 'src/host/chatController.ts', 'a/b_c.ts', 'a/b-c.ts', 'a/b c.ts', 'a/b.c.ts', 'a\\b\\c.ts', 'x/myChat.ts', 'x/mychat.ts', 'x/achat.ts', 'src', 'src/core/deep/file.ts'];
const build = (): FuzzyFileIndex => new FuzzyFileIndex(PATHS.map((path) => ({ path, isFolder: path === 'src' })));
const scored = (index: FuzzyFileIndex, query: string, limit?: number): [string, number][] => index.search(query, limit).map((m) => [m.path, m.score]);

describe('FuzzyFileIndex, exactly', () => {
  it('scores a whole name before its extension highest: 2000 + 10 (start) + 5 × 8 (run) − 9 (name) − 0.9 (path) + 1500', () => {
    assert.deepEqual(scored(build(), 'readme'), [['README.md', 3540.1], ['docs/readme-old.md', 3035.2]]);
  });

  it('gives each word boundary (/ \\ . _ - space) and a camel-case hump the same bonus', () => {
    assert.deepEqual(scored(build(), 'bc'), [['a/b_c.ts', 2013.2], ['a/b-c.ts', 2013.2], ['a/b c.ts', 2013.2], ['a/b.c.ts', 2013.2], ['a\\b\\c.ts', 2011.2]]);
    assert.deepEqual(scored(build(), 'mc'), [['x/myChat.ts', 2009.9], ['x/mychat.ts', 1999.9]]);
  });

  it('a name prefix gets 1000, a substring later in the name 600', () => {
    assert.deepEqual(scored(build(), 'chat'), [['src/host/chatController.ts', 3014.4], ['x/myChat.ts', 2623.9], ['x/achat.ts', 2615], ['x/mychat.ts', 2613.9]]);
    assert.deepEqual(scored(build(), 'hat'), [['x/achat.ts', 2607], ['x/myChat.ts', 2605.9], ['x/mychat.ts', 2605.9], ['src/host/chatController.ts', 2596.4]]);
  });

  it('scores a query with a slash against the whole path, with 400 for a contiguous match', () => {
    assert.deepEqual(scored(build(), 'src/c'), [['src/core/deep/file.ts', 949.9], ['src/host/chatController.ts', 541.4]]);
    assert.deepEqual(scored(build(), 'core/deep'), [['src/core/deep/file.ts', 963.9]]);
    // A backslash in the query is a slash, and white space is ignored.
    assert.deepEqual(scored(build(), 'core\\ deep'), [['src/core/deep/file.ts', 963.9]]);
    assert.deepEqual(scored(build(), 'READ me'), scored(build(), 'readme'));
  });

  it('falls back to the path when the name does not contain the query', () => {
    assert.deepEqual(scored(build(), 'c'), [
      ['src/host/chatController.ts', 2990.4], ['a/b_c.ts', 2603.2], ['a/b-c.ts', 2603.2], ['a/b c.ts', 2603.2], ['a/b.c.ts', 2603.2], ['a\\b\\c.ts', 2601.2],
      ['x/myChat.ts', 2599.9], ['src', 2596.7], ['x/achat.ts', 2591], ['x/mychat.ts', 2589.9], ['docs/readme-old.md', 898.2], ['src/core/deep/file.ts', 897.9],
    ]);
  });

  it('lists an empty query by depth, then length, and marks folders', () => {
    assert.deepEqual(scored(build(), '', 4), [['src', -3], ['a\\b\\c.ts', -8], ['README.md', -9], ['a/b_c.ts', -1008]]);
    assert.deepEqual(build().search('', 1), [{ path: 'src', isFolder: true, score: -3 }]);
    assert.equal(build().search('deep')[0].isFolder, false);
    assert.equal(build().size, PATHS.length);
  });

  it('keeps the first of equal scores when the limit is reached', () => {
    assert.deepEqual(scored(build(), 'bc', 2), [['a/b_c.ts', 2013.2], ['a/b-c.ts', 2013.2]]);
    assert.deepEqual(scored(build(), 'c', 1), [['src/host/chatController.ts', 2990.4]]);
    assert.deepEqual(build().search('c', 0), []);
  });

  it('gives the same results after any earlier query as on a fresh index', () => {
    const index = build();
    for (const query of ['c', 'ch', 'chat', 'c', 'r', 'readme', '', 'src/', 'src/c', 'x', 'bc', 'b', 'zz', 'zzz', 'c']) {
      assert.deepEqual(scored(index, query), scored(build(), query), query);
    }
  });
});
