// A large tool input arrives in tens of thousands of small fragments; the accumulator joins them
// into larger pieces as they come (TOOL_INPUT_FOLD_CHARS) so they do not survive garbage
// collections one by one. These tests check that the folding never changes what comes out: the
// input, the partial input of a broken stream, and the error of invalid JSON.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import type { StreamEvent } from '../../../src/core/api/types';
import { MessageAccumulator, TOOL_INPUT_FOLD_CHARS } from '../../../src/core/stream/accumulator';

const start: StreamEvent = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } },
};
const toolStart = (index: number): StreamEvent => ({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: `t${index}`, name: 'write_file', input: {} } });
const json = (index: number, partial: string): StreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } });

/** Cuts text into pieces of 1..max characters (deterministic), including inside escapes and surrogate pairs. */
function fragments(text: string, max: number): string[] {
  const result: string[] = [];
  for (let at = 0, step = 1; at < text.length; at += step, step = (step * 7 + 3) % max + 1) result.push(text.slice(at, at + step));
  return result;
}

const bigInput = { path: 'src/a.ts', content: 'línea "quoted" \\ back ✓ 😀\n'.repeat(Math.ceil((3 * TOOL_INPUT_FOLD_CHARS) / 25)) };

describe('tool input folding', () => {
  it('gives the same input across several folds, with fragments cut anywhere', () => {
    const text = JSON.stringify(bigInput);
    assert.ok(text.length > 3 * TOOL_INPUT_FOLD_CHARS, 'the input spans several folds');
    for (const max of [1, 7, 32, 4096]) {
      const accumulator = new MessageAccumulator();
      accumulator.apply(start);
      accumulator.apply(toolStart(0));
      for (const piece of fragments(text, max)) accumulator.apply(json(0, piece));
      accumulator.apply({ type: 'content_block_stop', index: 0 });
      accumulator.apply({ type: 'message_stop' });
      assert.deepEqual((accumulator.final().content[0] as { input: unknown }).input, bigInput, `fragments of up to ${max}`);
    }
  });

  it('keeps two tool inputs streaming side by side apart', () => {
    const other = { n: [1, 2, 3], s: 'x'.repeat(TOOL_INPUT_FOLD_CHARS) };
    const [a, b] = [fragments(JSON.stringify(bigInput), 40), fragments(JSON.stringify(other), 40)];
    const accumulator = new MessageAccumulator();
    accumulator.apply(start);
    accumulator.apply(toolStart(0));
    accumulator.apply(toolStart(1));
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) accumulator.apply(json(0, a[i]));
      if (i < b.length) accumulator.apply(json(1, b[i]));
    }
    accumulator.apply({ type: 'content_block_stop', index: 0 });
    accumulator.apply({ type: 'content_block_stop', index: 1 });
    accumulator.apply({ type: 'message_stop' });
    const content = accumulator.final().content as Array<{ input: unknown }>;
    assert.deepEqual(content.map((block) => block.input), [bigInput, other]);
  });

  it('a stream broken after several folds: partial() has the input if it is complete JSON, {} if not', () => {
    const text = JSON.stringify(bigInput);
    const accumulator = new MessageAccumulator();
    accumulator.apply(start);
    accumulator.apply(toolStart(0));
    const pieces = fragments(text, 32);
    for (const piece of pieces.slice(0, -1)) accumulator.apply(json(0, piece));
    assert.deepEqual((accumulator.partial()!.content[0] as { input: unknown }).input, {});
    accumulator.apply(json(0, pieces[pieces.length - 1]));
    assert.deepEqual((accumulator.partial()!.content[0] as { input: unknown }).input, bigInput);
    // partial() only reads: the input still completes normally afterwards.
    accumulator.apply({ type: 'content_block_stop', index: 0 });
    assert.deepEqual((accumulator.snapshot!.content[0] as { input: unknown }).input, bigInput);
  });

  it('invalid JSON after several folds is the same malformed_response', () => {
    const accumulator = new MessageAccumulator();
    accumulator.apply(start);
    accumulator.apply(toolStart(0));
    for (const piece of fragments(`${JSON.stringify(bigInput)},`, 32)) accumulator.apply(json(0, piece));
    assert.throws(() => accumulator.apply({ type: 'content_block_stop', index: 0 }), (error: unknown) => {
      assert.ok(error instanceof AimlApiError);
      assert.equal(error.kind, 'malformed_response');
      assert.match(error.message, /the input of tool call "write_file" is not valid JSON/);
      return true;
    });
  });
});
