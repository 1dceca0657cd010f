// parseStreamEvent asserted exactly: the detail each refusal names (event name, issue paths, at
// most three issues), the request id carried along, unknown types reported once and skipped or kept.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import { parseStreamEvent, type RawSseEvent } from '../../../src/core/api/events';
import { UnknownTypeReporter } from '../../../src/core/api/schemas';
import { CapturingLogger } from './helpers';

function setup() {
  const logger = new CapturingLogger();
  const context = { reporter: new UnknownTypeReporter(logger), secrets: ['sk-secret-key-123'], requestId: 'req_1' };
  return { logger, parse: (raw: RawSseEvent) => parseStreamEvent(raw, context) };
}

function malformed(run: () => unknown, detail: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AimlApiError, String(error));
    assert.equal(error.kind, 'malformed_response');
    assert.equal(error.info.requestId, 'req_1');
    assert.ok(error.message.includes(`The API said: "${detail}".`), error.message);
    return true;
  });
}

describe('stream events: exact', () => {
  it('names the event whose data is not JSON, "message" when it has no name, cut to 40 characters', () => {
    const { parse } = setup();
    malformed(() => parse({ event: 'ping', data: '{' }), 'the data of a "ping" event is not valid JSON');
    malformed(() => parse({ data: 'nope' }), 'the data of a "message" event is not valid JSON');
    malformed(() => parse({ event: 'e'.repeat(50), data: '' }), `the data of a "${'e'.repeat(40)}" event is not valid JSON`);
  });

  it('takes the type from the data, else from the event name, and refuses an event with neither', () => {
    const { parse } = setup();
    assert.deepEqual(parse({ event: 'message_stop', data: '{"type":"ping"}' }), { type: 'ping' });
    // A type named only by the event still has to be in the data to pass its schema.
    malformed(() => parse({ event: 'ping', data: '{}' }), 'a "ping" event: type: Invalid input: expected "ping"');
    assert.equal(parse({ event: 'named_only', data: '{}' }), null);
    malformed(() => parse({ data: '{}' }), 'an event has no type');
    malformed(() => parse({ data: '[1]' }), 'an event has no type');
    malformed(() => parse({ data: '{"type":5}' }), 'an event has no type');
  });

  it('takes data that is JSON but no object (null, a string, a number) as an event without a type', () => {
    const { parse } = setup();
    // Neither the delta fast path nor the type lookup may read a field of null.
    for (const data of ['null', '"content_block_delta"', '5']) malformed(() => parse({ data }), 'an event has no type');
    malformed(() => parse({ event: 'content_block_delta', data: 'null' }), 'a "content_block_delta" event: (root): Invalid input: expected object, received null');
  });

  it('lists at most three issues with their paths', () => {
    const { parse } = setup();
    malformed(() => parse({ data: '{"type":"message_start","message":{}}' }), 'a "message_start" event: message.id: Invalid input: expected string, received undefined; message.type: Invalid input: expected "message"; message.role: Invalid input: expected "assistant"');
    malformed(() => parse({ data: '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":5}}' }), 'a "thinking_delta" delta: thinking: Invalid input: expected string, received number');
  });

  it('turns an error event into the API error it describes, redacting the key', () => {
    const { parse } = setup();
    for (const raw of [{ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"busy sk-secret-key-123"}}' }, { data: '{"type":"error","error":{"type":"overloaded_error","message":"busy sk-secret-key-123"}}' }]) {
      assert.throws(() => parse(raw), (error: unknown) => {
        assert.ok(error instanceof AimlApiError);
        assert.equal(error.kind, 'overloaded');
        assert.equal(error.message.includes('sk-secret-key-123'), false);
        return true;
      });
    }
  });

  it('skips unknown events and deltas, keeps unknown blocks, and reports each type once', () => {
    const { parse, logger } = setup();
    assert.equal(parse({ data: '{"type":"future_event"}' }), null);
    assert.equal(parse({ data: '{"type":"future_event"}' }), null);
    assert.equal(parse({ data: '{"type":"content_block_delta","index":0,"delta":{"type":"future_delta"}}' }), null);
    assert.deepEqual(parse({ data: '{"type":"content_block_start","index":0,"content_block":{"type":"future_block","x":1}}' }), { type: 'content_block_start', index: 0, content_block: { type: 'future_block', x: 1 } });
    assert.deepEqual(parse({ data: '{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}' }), { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } });
    assert.deepEqual(logger.lines, [
      'debug: AIML stream: unknown event type "future_event" ignored.',
      'debug: AIML stream: unknown delta type "future_delta" ignored.',
      'debug: AIML stream: unknown block type "future_block" kept verbatim.',
    ]);
  });

  it('checks a delta of a known type through its own schema', () => {
    const { parse } = setup();
    assert.deepEqual(parse({ data: '{"type":"content_block_delta","index":2,"delta":{"type":"signature_delta","signature":"s","x":1}}' }), { type: 'content_block_delta', index: 2, delta: { type: 'signature_delta', signature: 's' } });
  });
});
