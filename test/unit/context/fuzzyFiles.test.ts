import * as assert from 'node:assert/strict';
import { FuzzyFileIndex } from '../../../src/core/context/fuzzyFiles';

const files = (...paths: string[]) => paths.map((path) => ({ path, isFolder: false }));

describe('FuzzyFileIndex', () => {
  const index = new FuzzyFileIndex([
    ...files('src/host/chatController.ts', 'src/core/chat/requestBuilder.ts', 'test/unit/chat/chatController.test.ts', 'README.md', 'docs/readme-old.md', 'src/shared/protocol.ts', 'webview/composer.ts'),
    { path: 'src/core', isFolder: true },
  ]);
  const paths = (query: string, limit?: number) => index.search(query, limit).map((m) => m.path);

  it('ranks an exact file name above a longer name and a path-only match', () => {
    const result = paths('readme');
    assert.equal(result[0], 'README.md');
    assert.ok(result.includes('docs/readme-old.md'));
  });

  it('matches abbreviations by word starts and camel case', () => {
    assert.equal(paths('chcon')[0], 'src/host/chatController.ts');
    assert.equal(paths('reqb')[0], 'src/core/chat/requestBuilder.ts');
  });

  it('matches by path when the query has a slash', () => {
    assert.deepEqual(paths('unit/chat'), ['test/unit/chat/chatController.test.ts']);
  });

  it('returns folders too, and nothing for a query no path contains', () => {
    assert.ok(index.search('core').some((m) => m.isFolder && m.path === 'src/core'));
    assert.deepEqual(paths('zzzq'), []);
  });

  it('keeps only the best `limit` results, best first', () => {
    const result = index.search('c', 3);
    assert.equal(result.length, 3);
    for (let i = 1; i < result.length; i++) assert.ok(result[i - 1].score >= result[i].score);
  });

  it('lists the shallowest paths for an empty query', () => {
    assert.equal(paths('', 1)[0], 'README.md');
  });
});
