import * as assert from 'node:assert/strict';
import { createBoundaryState, nextBatchEnd, scanBoundaries } from '../../../webview/markdown/boundary';

describe('nextBatchEnd (what one task of the streaming renderer freezes)', () => {
  it('packs whole blocks up to the limit, and stops at the last boundary within it', () => {
    assert.equal(nextBatchEnd([10, 20, 30, 45], 0, 45, 30), 30);
    assert.equal(nextBatchEnd([10, 20, 30, 45], 0, 45, 29), 20);
    assert.equal(nextBatchEnd([10, 20, 30, 45], 0, 45, 45), 45);
  });

  it('takes one block alone when it is longer than the limit', () => {
    assert.equal(nextBatchEnd([5000, 5100], 0, 5100, 4096), 5000);
  });

  it('never goes past the target (what may be frozen now)', () => {
    assert.equal(nextBatchEnd([10, 20, 30], 0, 25, 100), 20);
    assert.equal(nextBatchEnd([30], 0, 25, 100), 25);
    assert.equal(nextBatchEnd([], 7, 25, 4), 25);
  });

  it('counts from where rendering stands, and drops the boundaries already passed', () => {
    const boundaries = [10, 20, 30, 40];
    assert.equal(nextBatchEnd(boundaries, 20, 40, 10), 30);
    assert.deepEqual(boundaries, [30, 40]);
    assert.equal(nextBatchEnd(boundaries, 30, 40, 10), 40);
    assert.deepEqual(boundaries, [40]);
  });

  it('splits a long streamed answer into batches of whole blocks of at most the limit', () => {
    const block = (n: number) => `Paragraph ${n} ${'word '.repeat(n % 40)}\n\n`;
    const source = Array.from({ length: 400 }, (_, n) => block(n)).join('');
    const state = scanBoundaries(createBoundaryState(), source);
    const starts = new Set([0, ...state.boundaries]);
    const target = state.boundary;
    const ends: number[] = [];
    for (let from = 0; from < target;) {
      const end = nextBatchEnd(state.boundaries, from, target, 1024);
      assert.ok(end > from && end - from <= 1024, `batch ${from}–${end}`);
      assert.ok(starts.has(end), `batch ends at ${end}, not at a block boundary`);
      ends.push(end);
      from = end;
    }
    assert.equal(ends[ends.length - 1], target);
    assert.ok(ends.length >= source.length / 1024, `${ends.length} batches`);
  });
});
