// The accumulator's remaining edges, each asserted exactly: a second message_start, content the
// start event already carries, usage values that are null, gateway usage on a message without
// meta, partial() on an open tool block that streamed nothing, and the name in a bad-JSON refusal.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import type { StreamEvent } from '../../../src/core/api/types';
import { MessageAccumulator, accumulateEvents } from '../../../src/core/stream/accumulator';

const start = (content: unknown[] = []): StreamEvent => ({
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content, stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } },
} as StreamEvent);
const stop = (index: number): StreamEvent => ({ type: 'content_block_stop', index });
const json = (index: number, partial_json: string): StreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
const messageStop: StreamEvent = { type: 'message_stop' };

function refusal(events: StreamEvent[], detail: string): void {
  const accumulator = new MessageAccumulator();
  assert.throws(() => { for (const event of events) accumulator.apply(event); }, (error: unknown) => {
    assert.ok(error instanceof AimlApiError, String(error));
    assert.equal(error.kind, 'malformed_response');
    assert.ok(error.message.includes(detail), `${error.message} does not say ${detail}`);
    return true;
  });
}

describe('accumulator: exact edges', () => {
  it('refuses a second message_start, saying so', () => {
    refusal([start(), start()], 'the stream started a second message');
  });

  it('keeps the content a message_start already carries, and the next block follows it', () => {
    const message = accumulateEvents([
      start([{ type: 'text', text: 'pre' }]),
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'more' } },
      stop(1),
      messageStop,
    ]);
    assert.deepEqual(message.content, [{ type: 'text', text: 'pre' }, { type: 'text', text: 'more' }]);
  });

  it('keeps usage figures that a message_delta sends as null or leaves out', () => {
    const message = accumulateEvents([
      start(),
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7, input_tokens: null, cache_read_input_tokens: undefined } } as unknown as StreamEvent,
      messageStop,
    ]);
    assert.deepEqual(message.usage, { input_tokens: 10, output_tokens: 7 });
    assert.equal(message.stop_reason, 'end_turn');
  });

  it('adds gateway usage to a message that had no meta, and merges later figures into it', () => {
    const message = accumulateEvents([
      start(),
      { type: 'message_delta', delta: {}, meta: { usage: { usd_spent: 0.5 } } },
      { type: 'message_stop', meta: { usage: { credits_used: 3 } } },
    ]);
    assert.deepEqual(message.meta, { usage: { usd_spent: 0.5, credits_used: 3 } });
  });

  it('partial() keeps the input an open tool block started with when no input streamed yet', () => {
    const accumulator = new MessageAccumulator();
    accumulator.apply(start());
    accumulator.apply({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'n', input: { given: 1 } } });
    assert.deepEqual(accumulator.partial()?.content, [{ type: 'tool_use', id: 't', name: 'n', input: { given: 1 } }]);
  });

  it('names a block without a string name by its type when its input is not JSON', () => {
    refusal([start(), { type: 'content_block_start', index: 0, content_block: { type: 'mystery_tool', input: {} } } as unknown as StreamEvent, json(0, '{'), stop(0)], 'the input of tool call "mystery_tool" is not valid JSON');
    refusal([start(), { type: 'content_block_start', index: 0, content_block: { type: 'odd_tool', name: 42, input: {} } } as unknown as StreamEvent, json(0, '['), stop(0)], 'the input of tool call "odd_tool" is not valid JSON');
  });
});
