// The hand-checked fast path for text and tool-input deltas must give exactly what the zod path
// gives, and leave everything else (wrong shapes included) to the zod path and its errors.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import { parseStreamEvent } from '../../../src/core/api/events';
import { ContentBlockDeltaEventSchema, deltaSchemas, UnknownTypeReporter } from '../../../src/core/api/schemas';
import { CapturingLogger } from './helpers';

const context = () => ({ reporter: new UnknownTypeReporter(new CapturingLogger()), secrets: [], requestId: 'req_hot' });
const parse = (data: unknown, event?: string) => parseStreamEvent({ event, data: JSON.stringify(data) }, context());

/** What the zod schemas alone make of an event (the behaviour before the fast path). */
function viaZod(data: unknown) {
  const event = ContentBlockDeltaEventSchema.parse(data);
  const delta = deltaSchemas[event.delta.type as 'text_delta' | 'input_json_delta'].parse(event.delta);
  return { type: 'content_block_delta', index: event.index, delta };
}

describe('hot delta fast path', () => {
  const valid = [
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
    { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: '' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"pa' } },
    { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'x', extra: 1 }, extra: true },
  ];
  for (const data of valid) {
    it(`equals the zod result: ${JSON.stringify(data)}`, () => assert.deepEqual(parse(data), viaZod(data)));
  }

  const invalid: Array<[string, unknown]> = [
    ['a negative index', { type: 'content_block_delta', index: -1, delta: { type: 'text_delta', text: 'x' } }],
    ['a fractional index', { type: 'content_block_delta', index: 1.5, delta: { type: 'text_delta', text: 'x' } }],
    ['a string index', { type: 'content_block_delta', index: '0', delta: { type: 'text_delta', text: 'x' } }],
    ['text that is not a string', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 5 } }],
    ['tool input that is not a string', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: {} } }],
    ['a null delta', { type: 'content_block_delta', index: 0, delta: null }],
  ];
  for (const [what, data] of invalid) {
    it(`leaves ${what} to zod, which refuses it`, () => {
      assert.throws(() => parse(data), (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response' && /content_block_delta|delta/.test(error.message));
    });
  }

  it('an `event: error` with a delta-shaped body is still an error', () => {
    assert.throws(() => parse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }, 'error'), (error: unknown) => error instanceof AimlApiError);
  });

  it('other delta types still go through zod (thinking keeps its own schema)', () => {
    assert.deepEqual(parse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm', x: 1 } }), { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } });
  });
});
