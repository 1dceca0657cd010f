// Exact edges of the card's hunk previews and of the diff shown to the model (issue 17).
import * as assert from 'node:assert/strict';
import { applyHunks, computeHunks, summarizeHunks, unifiedDiff } from '../../../src/core/tools/hunks';

const lines = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join('\n') + '\n';

describe('tools: hunk previews and diffs, exact', () => {
  it('a preview shows 40 lines and counts the rest', () => {
    const [exact] = summarizeHunks(computeHunks('', lines(40, 'n')));
    assert.deepEqual(exact, { index: 0, header: '@@ -1,0 +1,40 @@', preview: lines(40, 'n').trimEnd().split('\n').map((l) => `+${l}`).join('\n') });
    const [over] = summarizeHunks(computeHunks('', lines(43, 'n')));
    assert.equal(over.preview.split('\n').length, 41);
    assert.equal(over.preview.split('\n')[40], '… 3 more lines');
    assert.equal(over.preview.split('\n')[39], '+n40');
  });
  it('drops "no newline" markers and carriage returns from the preview only', () => {
    const [hunk] = summarizeHunks(computeHunks('a\r\nb', 'a\r\nc'));
    assert.equal(hunk.preview, ' a\n-b\n+c');
    assert.equal(applyHunks('a\r\nb', 'a\r\nc', new Set([0])), 'a\r\nc');
  });
  it('numbers hunks in order', () => {
    const old = lines(30, 'l');
    const changed = old.replace('l2\n', 'L2\n').replace('l28\n', 'L28\n');
    assert.deepEqual(summarizeHunks(computeHunks(old, changed)).map((h) => h.index), [0, 1]);
  });
  it('identical texts: no hunks, an empty diff, the text unchanged', () => {
    assert.deepEqual(computeHunks('a\n', 'a\n'), []);
    assert.equal(unifiedDiff('f', 'a\n', 'a\n'), '');
    assert.equal(applyHunks('a\n', 'a\n', new Set()), 'a\n');
  });
  it('the diff for the model has two lines of context and no file header', () => {
    assert.equal(unifiedDiff('f.ts', 'a\nb\nc\nd\ne\n', 'a\nb\nc\nD\ne\n'), '@@ -2,4 +2,4 @@\n b\n c\n-d\n+D\n e');
  });
});

describe('tools: hunk previews keep a carriage return inside a line', () => {
  it('only a carriage return at the end of a line is dropped', () => {
    const [hunk] = summarizeHunks(computeHunks('x\n', 'a\rb\r\n'));
    assert.equal(hunk.preview, '-x\n+a\rb');
  });
  it('a partial apply keeps the untouched last line without a break', () => {
    const old = lines(20, 'l').trimEnd();
    const changed = old.replace('l2\n', 'L2\n').replace('l20', 'L20');
    assert.equal(applyHunks(old, changed, new Set([0])), old.replace('l2\n', 'L2\n'));
    assert.equal(applyHunks(old, changed, new Set([1])), old.replace('l20', 'L20'));
  });
});
