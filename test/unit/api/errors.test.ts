// Error parsing: both body shapes, status to kind, request ids, retry-after forms, stream events,
// and that the API key never appears in a message, a serialized error or a log line.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import {
  AimlApiError, errorFromResponse, errorFromStreamEvent, kindForStatus, parseErrorBody, parseRetryAfterMs, redactSecrets, userMessage,
} from '../../../src/core/api/errors';
import { parseStreamEvent } from '../../../src/core/api/events';
import { UnknownTypeReporter } from '../../../src/core/api/schemas';
import { errorKinds } from '../../../src/shared/model';
import { CapturingLogger } from './helpers';

const KEY = '0123456789abcdef0123456789abcdef';
const headers = (values: Record<string, string>) => new Headers(values);

function assertNoKey(error: AimlApiError, key = KEY) {
  for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), String(error.stack), JSON.stringify(error.info)]) {
    assert.ok(!text.includes(key), `key leaked in: ${text}`);
  }
}

describe('error bodies and statuses', () => {
  it('reads the Anthropic shape', () => {
    assert.deepEqual(parseErrorBody('{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"req_1"}'),
      { type: 'rate_limit_error', message: 'Slow down', requestId: 'req_1' });
  });

  it('reads the gateway shape, with a message string or list', () => {
    const body = { message: 'Insufficient credits', path: '/v1/messages', requestId: 'gw-42', statusCode: 403, timestamp: '2026-11-21T10:00:00.000Z' };
    assert.deepEqual(parseErrorBody(JSON.stringify(body)), { message: 'Insufficient credits', requestId: 'gw-42' });
    assert.deepEqual(parseErrorBody(JSON.stringify({ ...body, message: ['max_tokens must be a number', 'model is required'] })).message, 'max_tokens must be a number; model is required');
  });

  it('keeps plain-text bodies as the detail and ignores empty ones', () => {
    assert.deepEqual(parseErrorBody('<html>Bad gateway</html>'), { message: '<html>Bad gateway</html>' });
    assert.deepEqual(parseErrorBody(''), {});
  });

  const statusTable: Array<[number, string]> = [[400, 'invalid_request'], [422, 'invalid_request'], [401, 'authentication'], [403, 'permission'], [404, 'not_found'], [413, 'too_large'], [429, 'rate_limit'], [500, 'server'], [502, 'server'], [503, 'server'], [529, 'overloaded']];
  for (const [status, kind] of statusTable) {
    it(`HTTP ${status} is ${kind}`, () => {
      assert.equal(kindForStatus(status), kind);
      const error = errorFromResponse(status, headers({}), '', []);
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
    });
  }

  it('401 tells the user how to set a key; 403 mentions credits; messages name a next step', () => {
    assert.equal(errorFromResponse(401, headers({}), '', []).message, 'The AI/ML API rejected the key. Set a valid key with AIML Chat: Set API Key.');
    const forbidden = errorFromResponse(403, headers({}), JSON.stringify({ message: 'Insufficient credits', path: '/v1/messages', requestId: 'gw-9', statusCode: 403, timestamp: 't' }), []);
    assert.match(forbidden.message, /credits/);
    assert.match(forbidden.message, /The API said: "Insufficient credits"/);
    assert.equal(forbidden.requestId, 'gw-9');
    assert.match(forbidden.message, /out of credits\. Top up your balance at https:\/\/aimlapi\.com\/app\/billing\//, 'a 403 for credits links to the top-up page');
    const notCredits = errorFromResponse(403, headers({}), JSON.stringify({ message: 'Model not allowed for this key' }), []);
    assert.doesNotMatch(notCredits.message, /Top up your balance at/, 'a 403 for another reason is not called a credits problem');
    for (const kind of errorKinds) assert.ok(userMessage(kind).length > 10, kind);
  });

  it('takes the request id from x-inference-id, then request-id, then x-request-id, then the body', () => {
    const body = JSON.stringify({ message: 'x', requestId: 'from-body' });
    assert.equal(errorFromResponse(500, headers({ 'x-inference-id': 'V1StGXR8Z5jdHi6BmyT8k', 'request-id': 'req_a' }), body, []).requestId, 'V1StGXR8Z5jdHi6BmyT8k');
    assert.equal(errorFromResponse(500, headers({ 'request-id': 'req_a', 'x-request-id': 'req_b' }), body, []).requestId, 'req_a');
    assert.equal(errorFromResponse(500, headers({ 'x-request-id': 'req_b' }), body, []).requestId, 'req_b');
    assert.equal(errorFromResponse(500, headers({}), body, []).requestId, 'from-body');
  });

  it('marks transient kinds retryable and others not', () => {
    assert.equal(errorFromResponse(529, headers({}), '', []).info.retryable, true);
    assert.equal(errorFromResponse(400, headers({}), '', []).info.retryable, false);
  });
});

describe('retry-after', () => {
  const now = () => Date.parse('2026-11-21T10:00:00Z');
  it('prefers retry-after-ms', () => assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now), 1500));
  it('reads seconds, including fractions', () => assert.equal(parseRetryAfterMs(headers({ 'retry-after': '2.5' }), now), 2500));
  it('reads an HTTP date relative to now', () => assert.equal(parseRetryAfterMs(headers({ 'retry-after': 'Sat, 21 Nov 2026 10:00:07 GMT' }), now), 7000));
  it('treats a date in the past as zero', () => assert.equal(parseRetryAfterMs(headers({ 'retry-after': 'Sat, 21 Nov 2026 09:00:00 GMT' }), now), 0));
  it('caps at 60 seconds', () => {
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': '3600' }), now), 60_000);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': '900000' }), now), 60_000);
  });
  it('ignores garbage and absence', () => {
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfterMs(headers({}), now), undefined);
  });
  it('a 429 error carries retryAfterMs and says how long to wait', () => {
    const error = errorFromResponse(429, headers({ 'retry-after': '12' }), '{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}', []);
    assert.equal(error.retryAfterMs, 12_000);
    assert.match(error.message, /Wait 12 seconds/);
  });
});

describe('stream error events', () => {
  const context = () => ({ reporter: new UnknownTypeReporter(new CapturingLogger()), secrets: [KEY], requestId: 'req_stream' });

  it('an `event: error` becomes the same typed error as an HTTP failure', () => {
    assert.throws(() => parseStreamEvent({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }, context()),
      (error: unknown) => error instanceof AimlApiError && error.kind === 'overloaded' && error.requestId === 'req_stream' && /Overloaded/.test(error.message));
  });

  it('maps each Anthropic error type', () => {
    const table: Record<string, string> = { invalid_request_error: 'invalid_request', authentication_error: 'authentication', permission_error: 'permission', billing_error: 'permission', not_found_error: 'not_found', request_too_large: 'too_large', rate_limit_error: 'rate_limit', overloaded_error: 'overloaded', api_error: 'server', timeout_error: 'timeout', brand_new_error: 'unknown' };
    for (const [type, kind] of Object.entries(table)) assert.equal(errorFromStreamEvent({ type: 'error', error: { type, message: 'm' } }, [], undefined).kind, kind, type);
  });

  it('malformed JSON in an event is malformed_response', () => {
    assert.throws(() => parseStreamEvent({ event: 'content_block_delta', data: '{"type":"content_block_delta",' }, context()),
      (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response');
  });

  it('a known event with the wrong shape is malformed_response', () => {
    assert.throws(() => parseStreamEvent({ event: 'content_block_delta', data: '{"type":"content_block_delta","index":"zero","delta":{"type":"text_delta","text":"x"}}' }, context()),
      (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response');
    assert.throws(() => parseStreamEvent({ data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}' }, context()),
      (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response');
  });
});

describe('API key redaction', () => {
  it('removes the key, Bearer tokens, Authorization values and key-like tokens', () => {
    const text = `key ${KEY} header "Authorization: Bearer ${KEY}" authorization=Basic Zm9vOmJhcg x-api-key: sk-ant-api03-abcdefghijklmnop api_key=${KEY}`;
    const redacted = redactSecrets(text, [KEY]);
    assert.ok(!redacted.includes(KEY));
    assert.ok(!redacted.includes('sk-ant-api03-abcdefghijklmnop'));
    assert.ok(!redacted.includes('Zm9vOmJhcg'));
    assert.match(redacted, /\[redacted\]/);
  });

  it('redacts a key of any shape when it is known', () => {
    const oddKey = 'my-key!';
    assert.equal(redactSecrets(`echo ${oddKey} back`, [oddKey]), 'echo [redacted] back');
  });

  it('an error body that echoes the key does not leak it (HTTP and stream)', () => {
    const anthropic = JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } });
    assertNoKey(errorFromResponse(401, headers({}), anthropic, [KEY]));
    const gateway = JSON.stringify({ message: `Bearer ${KEY} is not valid`, path: '/v1/messages', requestId: 'r', statusCode: 401, timestamp: 't' });
    assertNoKey(errorFromResponse(401, headers({}), gateway, [KEY]));
    assertNoKey(errorFromStreamEvent({ type: 'error', error: { type: 'api_error', message: `leak ${KEY}` } }, [KEY], undefined));
    // Without the key being passed, the key-like pattern still catches a 32-hex key.
    assertNoKey(errorFromResponse(401, headers({}), gateway, []));
  });

  it('serializes to ErrorInfo without a cause or stack of another error', () => {
    const error = errorFromResponse(500, headers({ 'request-id': 'req_x' }), '', []);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(error))).sort(), ['kind', 'message', 'name', 'requestId', 'retryable', 'status']);
  });
});
