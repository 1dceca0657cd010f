// Exact cases for the mutation run of src/shared/textDigest.ts (issue 17): blocks are loose objects
// (src/shared/model.ts), so a block of another type can carry a field named like a streamed one.
import * as assert from 'node:assert/strict';
import { digestText, elideFromChars, elideText, streamedText, withStreamedText } from '../../../src/shared/textDigest';
import type { ContentBlock } from '../../../src/shared/model';

const long = 'y'.repeat(elideFromChars + 10);

describe('textDigest (exact edges)', () => {
  it('streams no text for a block of another type that carries a `thinking` or `text` field', () => {
    const future = { type: 'future_thinking', thinking: long } as ContentBlock;
    const redacted = { type: 'redacted_thinking', data: 'd', thinking: long, text: long } as ContentBlock;
    for (const block of [future, redacted]) {
      assert.equal(streamedText(block), undefined, block.type);
      // No digest without a left-out text: the webview would otherwise ask for a resend it cannot use.
      assert.deepEqual(elideText(block), { block }, block.type);
      assert.equal(withStreamedText(block, 'z'), block, block.type);
    }
  });

  it('reads the streamed text of each kind from its own field only', () => {
    assert.equal(streamedText({ type: 'text', text: 'answer', thinking: 'not this' } as ContentBlock), 'answer');
    assert.equal(streamedText({ type: 'thinking', thinking: 'reasoning', signature: '', text: 'not this' } as ContentBlock), 'reasoning');
    assert.deepEqual(elideText({ type: 'thinking', thinking: long, signature: 's', text: 'kept' } as ContentBlock), {
      block: { type: 'thinking', thinking: '', signature: 's', text: 'kept' },
      elided: digestText(long),
    });
  });
});
