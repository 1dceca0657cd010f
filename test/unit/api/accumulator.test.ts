// The accumulator per recorded stream, and its rules: tool input parsed once at block stop,
// cumulative usage, gateway cost, protocol violations, and the partial message of a broken stream.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import type { ApiMessage, StreamEvent } from '../../../src/core/api/types';
import { MessageAccumulator, accumulateEvents } from '../../../src/core/stream/accumulator';
import { CapturingLogger, fixtureBytes, replay } from './helpers';

function finalOf(name: string): ApiMessage {
  const result = replay([fixtureBytes(name)]);
  assert.equal(result.error, undefined, `unexpected error: ${String(result.error)}`);
  assert.ok(result.message, `${name} did not complete`);
  return result.message;
}

const start: StreamEvent = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } },
};

describe('MessageAccumulator on recorded streams', () => {
  it('text answer: joins the deltas, ignores pings, takes stop reason and output usage', () => {
    const message = finalOf('text-answer');
    assert.deepEqual(message.content, [{ type: 'text', text: 'Hello! The capital of France is Paris.' }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.output_tokens, 12);
    assert.equal(message.usage.input_tokens, 25);
  });

  it('markdown with code (CRLF stream): keeps newlines, backticks and multi-byte characters intact', () => {
    const [block] = finalOf('markdown-code').content as Array<{ type: string; text: string }>;
    assert.match(block.text, /^Here is a \*\*fixed\*\* version — naïve code replaced:\n\n```ts\nexport function greet/);
    assert.ok(block.text.includes('return `Héllo, ${name} 👋`;\n}\n```\n\n'));
    assert.ok(block.text.endsWith('Notes: 日本語 text, emoji 🎉 and “quotes”.'));
    assert.ok(!block.text.includes('\r'), 'CR of the line endings leaked into the text');
  });

  it('tool_use: joins the many fragments and parses the input once at block stop', () => {
    const message = finalOf('tool-use');
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual(message.content[1], {
      type: 'tool_use', id: 'toolu_01A', name: 'write_file',
      input: { path: 'src/app.ts', content: 'const s = "ünïcødé ✓";\nconsole.log(s);\n', line: 42, options: { create: true, tags: ['a', 'b'] } },
    });
  });

  it('parallel tool_use: three calls, an empty input becomes {}', () => {
    const message = finalOf('parallel-tool-use');
    assert.deepEqual(message.content.map((block) => [block.type, (block as { name?: string }).name, (block as { input?: unknown }).input]), [
      ['tool_use', 'read_file', { path: 'README.md' }],
      ['tool_use', 'get_diagnostics', {}],
      ['tool_use', 'search_text', { query: 'TODO', glob: '**/*.ts' }],
    ]);
  });

  it('thinking: thinking text and signature, then the answer', () => {
    const message = finalOf('thinking');
    assert.deepEqual(message.content, [
      { type: 'thinking', thinking: 'Let me think about 27 × 453.\n27 × 453 = 12231.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds=' },
      { type: 'text', text: '27 × 453 = **12,231**.' },
    ]);
  });

  it('redacted_thinking: kept verbatim so it can be sent back', () => {
    const message = finalOf('redacted-thinking');
    assert.deepEqual(message.content[0], { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' });
    assert.deepEqual(message.content[1], { type: 'thinking', thinking: 'Visible reasoning.', signature: 'sigABC' });
  });

  it('server tools: server_tool_use input parsed, result block verbatim, citations collected, server usage kept', () => {
    const message = finalOf('server-tools');
    assert.deepEqual(message.content[1], { type: 'server_tool_use', id: 'srvtoolu_01W', name: 'web_search', input: { query: 'meaning of life' } });
    const result = message.content[2] as { type: string; content: Array<{ encrypted_content: string }> };
    assert.equal(result.type, 'web_search_tool_result');
    assert.equal(result.content[0].encrypted_content, 'EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5');
    const cited = message.content[3] as { text: string; citations: Array<{ cited_text: string }> };
    assert.equal(cited.text, 'The answer is 42.');
    assert.equal(cited.citations.length, 1);
    assert.equal(cited.citations[0].cited_text, 'The answer is 42.');
    assert.equal(message.usage.input_tokens, 2100, 'message_delta input_tokens overwrites the start value');
    assert.deepEqual((message.usage as Record<string, unknown>).server_tool_use, { web_search_requests: 1 });
  });

  it('unknown types: unknown events and deltas skipped, unknown block kept, each logged once', () => {
    const logger = new CapturingLogger();
    const result = replay([fixtureBytes('unknown-types')], logger);
    assert.ok(result.message);
    assert.deepEqual(result.message.content, [{ type: 'text', text: 'Known text.' }, { type: 'hologram', payload: { x: 1 } }]);
    assert.deepEqual(logger.lines, [
      'debug: AIML stream: unknown event type "future_event" ignored.',
      'debug: AIML stream: unknown delta type "sparkle_delta" ignored.',
      'debug: AIML stream: unknown block type "hologram" kept verbatim.',
    ]);
  });

  it('pings anywhere, even before message_start, change nothing', () => {
    assert.deepEqual(finalOf('pings').content, [{ type: 'text', text: 'ab' }]);
  });

  it('stop sequence: stop_reason and stop_sequence taken from message_delta', () => {
    const message = finalOf('stop-sequence');
    assert.equal(message.stop_reason, 'stop_sequence');
    assert.equal(message.stop_sequence, '4');
  });

  it('gateway meta.usage: merged from message_start, message_delta and message_stop', () => {
    const message = finalOf('gateway-meta-usage');
    assert.deepEqual(message.meta, { usage: { credits_used: 1050, usd_spent: 0.000525 } });
    assert.equal(message.usage.cache_read_input_tokens, 5);
    assert.equal(message.usage.output_tokens, 7);
  });

  it('mid-stream error event: a typed overloaded error, and the partial text so far', () => {
    const result = replay([fixtureBytes('mid-stream-error')]);
    assert.ok(result.error instanceof AimlApiError);
    assert.equal(result.error.kind, 'overloaded');
    assert.equal(result.partial?.content[0] && (result.partial.content[0] as { text: string }).text, 'The first half of the answer and then');
    assert.equal(result.partial?.stop_reason, null);
  });
});

describe('MessageAccumulator rules', () => {
  it('parses tool input with a single JSON.parse at block stop, not per fragment', () => {
    const input = JSON.stringify({ content: 'x'.repeat(10_000) });
    const events: StreamEvent[] = [start, { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'n', input: {} } }];
    for (let offset = 0; offset < input.length; offset += 7) events.push({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: input.slice(offset, offset + 7) } });
    const accumulator = new MessageAccumulator();
    const originalParse = JSON.parse;
    let parses = 0;
    JSON.parse = ((text: string, reviver?: (key: string, value: unknown) => unknown) => { parses++; return originalParse(text, reviver); }) as typeof JSON.parse;
    try {
      for (const event of events) accumulator.apply(event);
      assert.equal(parses, 0, 'input parsed before the block stopped');
      accumulator.apply({ type: 'content_block_stop', index: 0 });
    } finally {
      JSON.parse = originalParse;
    }
    assert.equal(parses, 1);
    assert.deepEqual((accumulator.snapshot?.content[0] as { input: unknown }).input, { content: 'x'.repeat(10_000) });
  });

  it('message_delta usage overwrites the fields present and keeps the others', () => {
    const message = accumulateEvents([
      { ...start, message: { ...start.message, usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 3 } } } as StreamEvent,
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } },
      { type: 'message_delta', delta: {}, usage: { output_tokens: 9, cache_read_input_tokens: null } },
      { type: 'message_stop' },
    ]);
    assert.deepEqual(message.usage, { input_tokens: 10, output_tokens: 9, cache_read_input_tokens: 3 });
    assert.equal(message.stop_reason, 'end_turn', 'a later delta without stop_reason keeps it');
  });

  it('partial(): unfinished tool input that is not yet valid JSON becomes {}, finished blocks stay', () => {
    const accumulator = new MessageAccumulator();
    accumulator.apply(start);
    accumulator.apply({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    accumulator.apply({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Writing' } });
    accumulator.apply({ type: 'content_block_stop', index: 0 });
    accumulator.apply({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't', name: 'write_file', input: {} } });
    accumulator.apply({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"path":"a' } });
    const partial = accumulator.partial();
    assert.deepEqual(accumulator.unfinishedBlocks, [1]);
    assert.deepEqual(partial?.content, [{ type: 'text', text: 'Writing' }, { type: 'tool_use', id: 't', name: 'write_file', input: {} }]);
    assert.equal(partial?.stop_reason, null);
    assert.notEqual(partial, accumulator.snapshot, 'partial is a copy');
    assert.throws(() => accumulator.final(), (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response');
  });

  for (const [what, events] of [
    ['a delta before message_start', [{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }]],
    ['a delta for a block that never started', [start, { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'x' } }]],
    ['text for a tool_use block', [start, { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'n', input: {} } }, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }]],
    ['tool input that is not JSON', [start, { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'n', input: {} } }, { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } }, { type: 'content_block_stop', index: 0 }]],
    ['a second message_start', [start, start]],
  ] as Array<[string, StreamEvent[]]>) {
    it(`rejects ${what} as malformed_response`, () => {
      const accumulator = new MessageAccumulator();
      assert.throws(() => { for (const event of events) accumulator.apply(event); }, (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response');
    });
  }
});
