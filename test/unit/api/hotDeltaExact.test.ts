// Events that look almost like the two hot deltas (text, tool input) must get exactly what the
// documented schemas make of them: the fast path may only take what zod would accept, with the same
// output, and everything else keeps zod's verdict (an unknown event skipped, a typed error).
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import { parseStreamEvent } from '../../../src/core/api/events';
import { ContentBlockDeltaEventSchema, deltaSchemas, UnknownTypeReporter } from '../../../src/core/api/schemas';
import { CapturingLogger } from './helpers';

function parser() {
  const logger = new CapturingLogger();
  const context = { reporter: new UnknownTypeReporter(logger), secrets: [], requestId: 'req_hot' };
  return { logger, parse: (data: string, event?: string) => parseStreamEvent({ event, data }, context) };
}
const parse = (data: unknown, event?: string) => parser().parse(JSON.stringify(data), event);

function malformed(run: () => unknown, detail: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AimlApiError, `not an AimlApiError: ${String(error)}`);
    assert.equal(error.kind, 'malformed_response');
    assert.equal(error.requestId, 'req_hot');
    assert.match(error.message, detail);
    return true;
  });
}

describe('hot delta fast path: exactly the schemas\' verdict', () => {
  it('an index past the safe integers is refused, as z.int() refuses it', () => {
    malformed(() => parse({ type: 'content_block_delta', index: 2 ** 53, delta: { type: 'text_delta', text: 'x' } }), /a "content_block_delta" event: index: /);
    malformed(() => parse({ type: 'content_block_delta', index: 1e300, delta: { type: 'input_json_delta', partial_json: '{' } }), /a "content_block_delta" event: index: /);
    assert.deepEqual(parse({ type: 'content_block_delta', index: Number.MAX_SAFE_INTEGER, delta: { type: 'text_delta', text: 'x' } }),
      { type: 'content_block_delta', index: Number.MAX_SAFE_INTEGER, delta: { type: 'text_delta', text: 'x' } });
  });

  it('index 0 and a large index are kept as they are', () => {
    assert.deepEqual(parse({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } }),
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } });
    assert.deepEqual(parse({ type: 'content_block_delta', index: 41, delta: { type: 'text_delta', text: 'é' } }),
      { type: 'content_block_delta', index: 41, delta: { type: 'text_delta', text: 'é' } });
  });

  it('a delta-shaped event of another type is that type\'s event, never a delta', () => {
    const { parse: parseWith, logger } = parser();
    assert.equal(parseWith(JSON.stringify({ type: 'content_block_deltas', index: 0, delta: { type: 'text_delta', text: 'x' } })), null);
    assert.deepEqual(logger.lines, ['debug: AIML stream: unknown event type "content_block_deltas" ignored.']);
    assert.deepEqual(parse({ type: 'content_block_stop', index: 2, delta: { type: 'text_delta', text: 'x' } }), { type: 'content_block_stop', index: 2 });
    assert.deepEqual(parse({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' }, delta: { type: 'input_json_delta', partial_json: '{' } }),
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } });
  });

  it('the delta\'s type decides which field is read, and extra fields are dropped', () => {
    assert.deepEqual(parse({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', text: 'not this', partial_json: '{"a"' } }),
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a"' } });
    assert.deepEqual(parse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', partial_json: 'not this', text: 'this' } }),
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'this' } });
  });

  it('the field of the other delta type does not stand in for the missing one', () => {
    malformed(() => parse({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', text: '{}' } }), /^.*a "input_json_delta" delta: partial_json: /);
    malformed(() => parse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', partial_json: 'x' } }), /^.*a "text_delta" delta: text: /);
  });

  it('a delta that is not an object is a typed error, not a crash', () => {
    for (const delta of [null, 'text_delta', 7, true, ['text_delta']]) {
      malformed(() => parse({ type: 'content_block_delta', index: 0, delta }), /a "content_block_delta" event: delta: /);
    }
  });

  it('data that is not an object is a typed error, not a crash', () => {
    const { parse: parseWith } = parser();
    malformed(() => parseWith('null', 'content_block_delta'), /a "content_block_delta" event: \(root\): /);
    malformed(() => parseWith('"x"', 'content_block_delta'), /a "content_block_delta" event: \(root\): /);
    malformed(() => parseWith('3', 'content_block_delta'), /a "content_block_delta" event: \(root\): /);
  });

  it('a delta-shaped body of `event: error` is the API error, not text', () => {
    assert.throws(() => parse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }, 'error'), (error: unknown) => {
      assert.ok(error instanceof AimlApiError);
      assert.notEqual(error.kind, 'malformed_response');
      return true;
    });
  });

  it('text and tool-input deltas do not go through zod (the measured fast path), other deltas do', () => {
    // The fast path exists for speed (docs/BENCHMARKS.md): these events are nearly every byte of a
    // stream. The schemas are made to throw here, so a hot delta that fell back to zod would fail.
    const schemas = [ContentBlockDeltaEventSchema, deltaSchemas.text_delta, deltaSchemas.input_json_delta];
    for (const schema of schemas) {
      Object.defineProperty(schema, 'safeParse', { value: () => { throw new Error('zod was used for a hot delta'); }, configurable: true, writable: true });
    }
    try {
      // Spelled with spaces, so that the literal fast path (deltaLiteral.ts) leaves them to this one.
      const spaced = (data: unknown) => parser().parse(JSON.stringify(data, null, 1));
      for (const index of [0, 1, 7]) {
        for (const read of [parse, spaced]) {
          assert.deepEqual(read({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: 'a' } }), { type: 'content_block_delta', index, delta: { type: 'text_delta', text: 'a' } });
          assert.deepEqual(read({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '{' } }), { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '{' } });
        }
      }
      assert.throws(() => parse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } }), { message: 'zod was used for a hot delta' });
    } finally {
      for (const schema of schemas) delete (schema as { safeParse?: unknown }).safeParse;
    }
    assert.deepEqual(parse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } }), { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } });
  });

  it('a delta in the API\'s own spelling is parsed by its string literal only, never as a whole event', () => {
    // The measured fast path (docs/BENCHMARKS.md): only the delta's string goes through JSON.parse.
    const realParse = JSON.parse;
    const parsed: string[] = [];
    JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => { parsed.push(text); return realParse(text, reviver); }) as typeof JSON.parse;
    try {
      assert.deepEqual(parser().parse('{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"a\\nb"}}'), { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'a\nb' } });
      assert.deepEqual(parser().parse('{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"k"}}'), { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"k' } });
    } finally {
      JSON.parse = realParse;
    }
    assert.deepEqual(parsed, ['"a\\nb"', '"{\\"k"']);
  });
});
