// Every stream-protocol check of the accumulator on its own, each asserting WHICH check fired (its
// detail), so that removing one check cannot go unnoticed behind another that also refuses the
// stream; plus the exact effects of each delta type on the snapshot.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import type { StreamEvent } from '../../../src/core/api/types';
import { MessageAccumulator, accumulateEvents, parseToolInput } from '../../../src/core/stream/accumulator';

const start: StreamEvent = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } },
};
const textStart = (index: number): StreamEvent => ({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
const toolStart = (index: number): StreamEvent => ({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: `t${index}`, name: 'read_file', input: {} } });
const thinkingStart = (index: number): StreamEvent => ({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
const stop = (index: number): StreamEvent => ({ type: 'content_block_stop', index });
const text = (index: number, value: string): StreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: value } });
const messageStop: StreamEvent = { type: 'message_stop' };

function refusal(events: StreamEvent[], detail: RegExp): void {
  const accumulator = new MessageAccumulator();
  assert.throws(() => { for (const event of events) accumulator.apply(event); }, (error: unknown) => {
    assert.ok(error instanceof AimlApiError, String(error));
    assert.equal(error.kind, 'malformed_response');
    assert.match(error.message, detail);
    return true;
  });
}

describe('accumulator protocol checks, one at a time', () => {
  it('a block must start at the next index', () => {
    refusal([start, textStart(1)], /a block started at index 1, expected 0/);
    refusal([start, textStart(0), stop(0), textStart(0)], /a block started at index 0, expected 1/);
  });

  it('nothing may follow message_stop', () => {
    refusal([start, messageStop, textStart(0)], /"content_block_start" arrived after message_stop/);
    refusal([start, messageStop, { type: 'message_delta', delta: { stop_reason: 'end_turn' } } as StreamEvent], /"message_delta" arrived after message_stop/);
    refusal([start, messageStop, messageStop], /"message_stop" arrived after message_stop/);
  });

  it('nothing but ping may come before message_start', () => {
    refusal([textStart(0)], /"content_block_start" arrived before message_start/);
    refusal([{ type: 'message_delta', delta: { stop_reason: 'end_turn' } } as StreamEvent], /"message_delta" arrived before message_start/);
    refusal([messageStop], /"message_stop" arrived before message_start/);
    refusal([stop(0)], /"content_block_stop" arrived before message_start/);
  });

  it('a delta or stop needs an open block', () => {
    refusal([start, textStart(0), stop(0), text(0, 'late')], /"content_block_delta" for block 0, which is not open/);
    refusal([start, textStart(0), stop(0), stop(0)], /"content_block_stop" for block 0, which is not open/);
  });

  it('the message may not stop with a block open', () => {
    refusal([start, textStart(0), messageStop], /the message stopped with unfinished blocks/);
  });

  it('each delta type fits only its block type', () => {
    refusal([start, toolStart(0), text(0, 'x')], /text for a \\?"tool_use\\?" block/);
    refusal([start, textStart(0), { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } }], /thinking for a \\?"text\\?" block/);
    refusal([start, textStart(0), { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 's' } }], /a signature for a \\?"text\\?" block/);
    refusal([start, thinkingStart(0), { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: { type: 'char_location' } } } as StreamEvent], /a citation for a \\?"thinking\\?" block/);
    refusal([start, textStart(0), { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } }], /tool input for a \\?"text\\?" block/);
  });

  it('names the tool whose input is not JSON', () => {
    refusal([start, toolStart(0), { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } }, stop(0)], /the input of tool call \\?"read_file\\?" is not valid JSON/);
  });

  it('final() refuses a stream that did not reach message_stop, or never started', () => {
    const accumulator = new MessageAccumulator();
    assert.throws(() => accumulator.final(), /the stream ended before message_stop/);
    accumulator.apply(start);
    assert.throws(() => accumulator.final(), /the stream ended before message_stop/);
    accumulator.apply(messageStop);
    assert.equal(accumulator.final().id, 'msg_1');
  });
});

describe('accumulator effects', () => {
  it('reports its progress through hasStarted, isComplete and unfinishedBlocks', () => {
    const accumulator = new MessageAccumulator();
    assert.equal(accumulator.hasStarted, false);
    assert.equal(accumulator.snapshot, undefined);
    assert.equal(accumulator.partial(), undefined);
    assert.equal(accumulator.apply({ type: 'ping' }), undefined);
    accumulator.apply(start);
    assert.equal(accumulator.hasStarted, true);
    assert.equal(accumulator.isComplete, false);
    accumulator.apply(textStart(0));
    accumulator.apply(toolStart(1));
    assert.deepEqual(accumulator.unfinishedBlocks, [0, 1]);
    accumulator.apply(stop(0));
    assert.deepEqual(accumulator.unfinishedBlocks, [1]);
    accumulator.apply(stop(1));
    accumulator.apply(messageStop);
    assert.equal(accumulator.isComplete, true);
    assert.equal(accumulator.apply({ type: 'ping' }), accumulator.snapshot);
  });

  it('does not share the content array of the message_start event', () => {
    const event = structuredClone(start);
    const accumulator = new MessageAccumulator();
    accumulator.apply(event);
    accumulator.apply(textStart(0));
    assert.equal(event.type === 'message_start' && event.message.content.length, 0);
  });

  it('thinking, signature and citations land on their blocks', () => {
    const message = accumulateEvents([
      start,
      thinkingStart(0),
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
      stop(0),
      textStart(1),
      { type: 'content_block_delta', index: 1, delta: { type: 'citations_delta', citation: { type: 'char_location', cited_text: 'a' } } } as StreamEvent,
      { type: 'content_block_delta', index: 1, delta: { type: 'citations_delta', citation: { type: 'char_location', cited_text: 'b' } } } as StreamEvent,
      text(1, 'Done'),
      stop(1),
      messageStop,
    ]);
    assert.deepEqual(message.content, [
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
      { type: 'text', text: 'Done', citations: [{ type: 'char_location', cited_text: 'a' }, { type: 'char_location', cited_text: 'b' }] },
    ]);
  });

  it('a thinking block without thinking text starts from empty', () => {
    const message = accumulateEvents([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', signature: '' } } as StreamEvent,
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } },
      stop(0),
      messageStop,
    ]);
    assert.equal((message.content[0] as { thinking: string }).thinking, 'x');
  });

  it('a tool block that streamed no input and had none gets {}, one that had input keeps it', () => {
    const message = accumulateEvents([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'a', name: 'n', input: undefined } } as unknown as StreamEvent,
      stop(0),
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'b', name: 'n', input: { kept: true } } },
      stop(1),
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'c', name: 'n', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"pa' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'th":"x"}' } },
      stop(2),
      messageStop,
    ]);
    assert.deepEqual(message.content.map((b) => (b as { input?: unknown }).input), [{}, { kept: true }, { path: 'x' }]);
  });

  it('message_delta leaves absent fields, takes null usage values as absent, merges gateway meta', () => {
    const accumulator = new MessageAccumulator();
    accumulator.apply({ ...start, message: { ...(start as { message: object }).message, meta: { usage: { credits_used: 1 } } } } as StreamEvent);
    accumulator.apply({ type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 7, input_tokens: null } } as unknown as StreamEvent);
    accumulator.apply({ type: 'message_delta', delta: {}, meta: { usage: { usd_spent: 0.5 } } } as unknown as StreamEvent);
    const snapshot = accumulator.snapshot!;
    assert.equal(snapshot.stop_reason, 'max_tokens');
    assert.equal(snapshot.stop_sequence, null);
    assert.equal(snapshot.usage.input_tokens, 10);
    assert.equal(snapshot.usage.output_tokens, 7);
    assert.deepEqual(snapshot.meta, { usage: { credits_used: 1, usd_spent: 0.5 } });
    accumulator.apply({ type: 'message_stop', meta: { usage: { usd_spent: 0.75 } } } as unknown as StreamEvent);
    assert.deepEqual(accumulator.final().meta, { usage: { credits_used: 1, usd_spent: 0.75 } });
  });

  it('partial() parses unfinished tool input when it happens to be complete JSON', () => {
    const accumulator = new MessageAccumulator();
    accumulator.apply(start);
    accumulator.apply(toolStart(0));
    accumulator.apply({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"path":"a.ts"}' } });
    accumulator.apply(textStart(1));
    assert.deepEqual(accumulator.partial()?.content[0], { type: 'tool_use', id: 't0', name: 'read_file', input: { path: 'a.ts' } });
    assert.deepEqual(accumulator.partial()?.content[1], { type: 'text', text: '' });
  });

  it('parseToolInput: blank means no arguments, one fragment is parsed as is', () => {
    assert.deepEqual(parseToolInput([]), {});
    assert.deepEqual(parseToolInput(['  ']), {});
    assert.deepEqual(parseToolInput(['[1]']), [1]);
    assert.deepEqual(parseToolInput(['{"a"', ':1}']), { a: 1 });
  });
});
