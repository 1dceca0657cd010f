// The shapes of what the API sends, asserted exactly through the event parser: each event type's
// output, the tolerant gateway meta (a bad one is dropped, never fails the answer), the fields a
// stream must not get wrong (a typed error), the documented block types kept without a log line,
// and the two error body shapes.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import { parseStreamEvent } from '../../../src/core/api/events';
import { AnthropicErrorBodySchema, GatewayErrorBodySchema, UnknownTypeReporter } from '../../../src/core/api/schemas';
import { CapturingLogger } from './helpers';

function parser() {
  const logger = new CapturingLogger();
  const context = { reporter: new UnknownTypeReporter(logger), secrets: [] };
  return { logger, parse: (data: unknown) => parseStreamEvent({ data: JSON.stringify(data) }, context) };
}
const parse = (data: unknown) => parser().parse(data);
const refused = (data: unknown, detail: string) => assert.throws(() => parse(data), (error: unknown) => {
  assert.ok(error instanceof AimlApiError, String(error));
  assert.equal(error.kind, 'malformed_response');
  assert.ok(error.message.includes(detail), error.message);
  return true;
});
const message = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], usage: { input_tokens: 1, output_tokens: 2 } };

describe('stream schemas: exact', () => {
  it('message_start: a missing stop reason is null, a present one kept, and the usage kept', () => {
    assert.deepEqual(parse({ type: 'message_start', message }), { type: 'message_start', message: { ...message, stop_reason: null, stop_sequence: null } });
    assert.deepEqual(parse({ type: 'message_start', message: { ...message, stop_reason: 'end_turn', stop_sequence: '###' } }),
      { type: 'message_start', message: { ...message, stop_reason: 'end_turn', stop_sequence: '###' } });
  });

  it('message_delta: stop reason, cumulative usage and gateway meta kept; a null usage becomes undefined', () => {
    const meta = { usage: { usd_spent: 0.0123, credits_used: 12, note: 'kept' } };
    assert.deepEqual(parse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9, cache_read_input_tokens: null }, meta }),
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9, cache_read_input_tokens: null }, meta });
    assert.deepEqual(parse({ type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: null }),
      { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: undefined });
  });

  it('message_delta: a usage or stop reason of the wrong type is a typed error', () => {
    refused({ type: 'message_delta', delta: {}, usage: { output_tokens: 'nine' } }, 'usage.output_tokens');
    refused({ type: 'message_delta', delta: {}, usage: { input_tokens: 'one' } }, 'usage.input_tokens');
    refused({ type: 'message_delta', delta: { stop_reason: 5 } }, 'delta.stop_reason');
    refused({ type: 'message_delta', delta: { stop_sequence: 5 } }, 'delta.stop_sequence');
  });

  it('a malformed gateway meta is dropped, never fails the answer', () => {
    for (const meta of [{ usage: 5 }, { usage: { usd_spent: 'abc' } }, { usage: { credits_used: 'x' } }, 'meta']) {
      assert.deepEqual(parse({ type: 'message_stop', meta }), { type: 'message_stop', meta: undefined }, JSON.stringify(meta));
    }
    assert.deepEqual(parse({ type: 'message_stop', meta: { usage: { usd_spent: 1.5 } } }), { type: 'message_stop', meta: { usage: { usd_spent: 1.5 } } });
    assert.deepEqual(parse({ type: 'message_stop' }), { type: 'message_stop' });
  });

  it('content_block_stop and ping keep only their fields', () => {
    assert.deepEqual(parse({ type: 'content_block_stop', index: 4, extra: 1 }), { type: 'content_block_stop', index: 4 });
    assert.deepEqual(parse({ type: 'ping', extra: 1 }), { type: 'ping' });
    refused({ type: 'content_block_stop', index: -1 }, 'index');
  });

  it('a delta without a type is a typed error', () => {
    refused({ type: 'content_block_delta', index: 0, delta: {} }, 'a "content_block_delta" event: delta.type');
  });

  it('citations, thinking and signature deltas keep their own field', () => {
    const citation = { type: 'web_search_result_location', url: 'https://example.com', cited_text: 'x' };
    assert.deepEqual(parse({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation, x: 1 } }),
      { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation } });
    assert.deepEqual(parse({ type: 'content_block_delta', index: 1, delta: { type: 'signature_delta', signature: 'sig' } }),
      { type: 'content_block_delta', index: 1, delta: { type: 'signature_delta', signature: 'sig' } });
    refused({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta' } }, 'a "signature_delta" delta: signature');
  });

  it('every documented block type is kept without a log line; another is kept and logged once', () => {
    const documented = ['text', 'tool_use', 'thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result',
      'web_fetch_tool_result', 'code_execution_tool_result', 'bash_code_execution_tool_result',
      'text_editor_code_execution_tool_result', 'mcp_tool_use', 'mcp_tool_result', 'container_upload'];
    const { parse: parseWith, logger } = parser();
    for (const type of documented) {
      const block = type === 'text' ? { type, text: '' } : type === 'tool_use' ? { type, id: 't', name: 'n', input: {} } : type === 'thinking' ? { type, thinking: '', signature: '' } : type === 'redacted_thinking' ? { type, data: 'x' } : { type, id: 'x' };
      const event = parseWith({ type: 'content_block_start', index: 0, content_block: block });
      assert.equal(event?.type, 'content_block_start', type);
    }
    assert.deepEqual(logger.lines, []);
    const fresh = { type: 'hologram', id: 'h', depth: 3 };
    assert.deepEqual(parseWith({ type: 'content_block_start', index: 1, content_block: fresh }), { type: 'content_block_start', index: 1, content_block: fresh });
    parseWith({ type: 'content_block_start', index: 2, content_block: fresh });
    assert.deepEqual(logger.lines, ['debug: AIML stream: unknown block type "hologram" kept verbatim.']);
  });

  it('logs an unknown type cut to 80 characters, once per category and type', () => {
    const { parse: parseWith, logger } = parser();
    const long = 'x'.repeat(100);
    assert.equal(parseWith({ type: long }), null);
    assert.equal(parseWith({ type: long }), null);
    assert.equal(parseWith({ type: 'content_block_delta', index: 0, delta: { type: long } }), null);
    assert.deepEqual(logger.lines, [`debug: AIML stream: unknown event type "${'x'.repeat(80)}" ignored.`, `debug: AIML stream: unknown delta type "${'x'.repeat(80)}" ignored.`]);
  });
});

describe('error body schemas: exact', () => {
  it('Anthropic\'s error body needs a string error type; the message is optional', () => {
    assert.equal(AnthropicErrorBodySchema.safeParse({ type: 'error', error: { type: 'overloaded_error' } }).success, true);
    assert.equal(AnthropicErrorBodySchema.safeParse({ type: 'error', error: { type: 5, message: 'x' } }).success, false);
    assert.equal(AnthropicErrorBodySchema.safeParse({ type: 'error', error: { type: 'x', message: 5 } }).success, false);
    assert.equal(AnthropicErrorBodySchema.safeParse({ type: 'message', error: { type: 'x' } }).success, false);
  });

  it('the gateway\'s error body takes a message string or list, and nothing without one', () => {
    assert.equal(GatewayErrorBodySchema.safeParse({ message: 'Bad key', statusCode: 401 }).success, true);
    assert.equal(GatewayErrorBodySchema.safeParse({ message: ['a', 'b'] }).success, true);
    assert.equal(GatewayErrorBodySchema.safeParse({ statusCode: 401 }).success, false);
    assert.equal(GatewayErrorBodySchema.safeParse({ message: 5 }).success, false);
    assert.equal(GatewayErrorBodySchema.safeParse({ message: 'x', statusCode: '401' }).success, false);
    assert.equal(GatewayErrorBodySchema.safeParse({ message: 'x', path: 5 }).success, false);
  });
});
