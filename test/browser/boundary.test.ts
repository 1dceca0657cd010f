// The boundary scanner is pure (no DOM), so these run in plain Node next to the browser tests.
import assert from 'node:assert/strict';
import { createBoundaryState, scanBoundaries } from '../../webview/markdown/boundary';
import { mixedAnswer, generateAnswer } from './fixtures/markdownSamples';

function boundaryOf(source: string): number {
  return scanBoundaries(createBoundaryState(), source).boundary;
}

describe('markdown boundary scanner', () => {
  it('puts a boundary after a blank line before a column-0 block, once that line is complete', () => {
    assert.equal(boundaryOf('Para one.\n\nPara two'), 0);
    assert.equal(boundaryOf('Para one.\n\nPara two\n'), 'Para one.\n\n'.length);
  });

  it('does not cut a loose list or an indented continuation', () => {
    assert.equal(boundaryOf('- a\n\n- b\n'), 0);
    assert.equal(boundaryOf('1. a\n\n   more of a\n\n2. b\n'), 0);
    assert.equal(boundaryOf('    code\n\n    more code\n'), 0);
  });

  it('cuts a list from a following paragraph, and a new list after a paragraph', () => {
    assert.equal(boundaryOf('- a\n- b\n\nAfter\n'), '- a\n- b\n\n'.length);
    assert.equal(boundaryOf('- a\n\nPara\n\n- c\n'), '- a\n\nPara\n\n'.length);
  });

  it('never cuts inside a fence, and cuts around a column-0 fence', () => {
    const source = 'Intro\n```ts\nconst a = 1;\n\nconst b = 2;\n';
    const state = scanBoundaries(createBoundaryState(), source);
    assert.equal(state.boundary, 'Intro\n'.length, 'a fence opener starts a new block');
    assert.deepEqual(state.openFence, { start: 'Intro\n'.length, contentStart: 'Intro\n```ts\n'.length, language: 'ts' });
    scanBoundaries(state, `${source}\`\`\`\n`);
    assert.equal(state.boundary, source.length + 4, 'the closing fence ends the block');
    assert.equal(state.openFence, null);
  });

  it('needs a closing fence at least as long as the opener, of the same character', () => {
    assert.equal(scanBoundaries(createBoundaryState(), '````\na\n```\n~~~~\n\nx\n').openFence?.start, 0);
  });

  it('gives the same result scanning one character at a time as scanning at once', () => {
    for (const source of [mixedAnswer, generateAnswer(20_000)]) {
      const incremental = createBoundaryState();
      const seen: number[] = [];
      for (let end = 1; end <= source.length; end += 1) {
        scanBoundaries(incremental, source.slice(0, end));
        if (seen[seen.length - 1] !== incremental.boundary) seen.push(incremental.boundary);
      }
      assert.deepEqual(incremental, scanBoundaries(createBoundaryState(), source));
      assert.ok(seen.length > 3);
      assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'boundaries only move forward');
    }
  });
});
