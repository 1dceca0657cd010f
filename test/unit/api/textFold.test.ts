// A long answer arrives in tens of thousands of deltas of a few characters; the accumulator rebuilds a
// block's text from the deltas since the last rebuild every TEXT_FOLD_CHARS characters, so the chain of
// small strings dies young. These tests check that folding never changes the text anyone sees: after
// every event, at the end, in a broken stream's partial message, and with two blocks in turn.
import { strict as assert } from 'node:assert';
import type { StreamEvent } from '../../../src/core/api/types';
import { MessageAccumulator, TEXT_FOLD_CHARS } from '../../../src/core/stream/accumulator';

const start: StreamEvent = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } },
};
const textStart = (index: number, text = ''): StreamEvent => ({ type: 'content_block_start', index, content_block: { type: 'text', text } });
const text = (index: number, piece: string): StreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });

/** Cuts text into pieces of 1..max characters (deterministic). */
function pieces(whole: string, max: number): string[] {
  const result: string[] = [];
  for (let at = 0, step = 1; at < whole.length; at += step, step = (step * 7 + 3) % max + 1) result.push(whole.slice(at, at + step));
  return result;
}

const answer = 'Línea con **markdown** ✓ 😀 and `code`.\n'.repeat(Math.ceil((3.5 * TEXT_FOLD_CHARS) / 40));

describe('text folding', () => {
  it('shows exactly the text so far after every delta, across several folds', () => {
    assert.ok(answer.length > 3 * TEXT_FOLD_CHARS, 'the answer spans several folds');
    for (const max of [1, 6, 4096, TEXT_FOLD_CHARS + 5]) {
      const accumulator = new MessageAccumulator();
      accumulator.apply(start);
      accumulator.apply(textStart(0, 'Start: '));
      let expected = 'Start: ';
      for (const piece of pieces(answer, max)) {
        expected += piece;
        const snapshot = accumulator.apply(text(0, piece));
        assert.equal((snapshot?.content[0] as { text: string }).text, expected);
      }
      accumulator.apply({ type: 'content_block_stop', index: 0 });
      accumulator.apply({ type: 'message_stop' });
      assert.equal((accumulator.final().content[0] as { text: string }).text, `Start: ${answer}`, `deltas of up to ${max}`);
    }
  });

  it('keeps two text blocks apart, each folded on its own', () => {
    const accumulator = new MessageAccumulator();
    accumulator.apply(start);
    accumulator.apply(textStart(0));
    accumulator.apply(textStart(1));
    const first = pieces(answer, 6);
    const second = pieces(answer.toUpperCase(), 5);
    for (let n = 0; n < Math.max(first.length, second.length); n++) {
      if (n < first.length) accumulator.apply(text(0, first[n]));
      if (n < second.length) accumulator.apply(text(1, second[n]));
    }
    accumulator.apply({ type: 'content_block_stop', index: 0 });
    accumulator.apply({ type: 'content_block_stop', index: 1 });
    accumulator.apply({ type: 'message_stop' });
    assert.deepEqual(accumulator.final().content.map((block) => (block as { text: string }).text), [answer, answer.toUpperCase()]);
  });

  it('a stream broken after several folds keeps all its text in the partial message', () => {
    const accumulator = new MessageAccumulator();
    accumulator.apply(start);
    accumulator.apply(textStart(0));
    const cut = Math.floor(2.5 * TEXT_FOLD_CHARS);
    for (const piece of pieces(answer.slice(0, cut), 6)) accumulator.apply(text(0, piece));
    assert.equal((accumulator.partial()?.content[0] as { text: string }).text, answer.slice(0, cut));
    // And it goes on correctly after the partial copy was taken.
    for (const piece of pieces(answer.slice(cut), 6)) accumulator.apply(text(0, piece));
    accumulator.apply({ type: 'content_block_stop', index: 0 });
    accumulator.apply({ type: 'message_stop' });
    assert.equal((accumulator.final().content[0] as { text: string }).text, answer);
  });
});
