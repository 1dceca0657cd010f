// Each defence of the error module on its own: every redaction pattern is tested with text that no
// other pattern would catch, and with exact outputs, so removing or loosening any one of them fails
// a test (mutation testing found that each was only ever tested next to another that caught the
// same token). Also the exact edges of clipping, retry-after parsing, status mapping and messages.
import { strict as assert } from 'node:assert';
import {
  AimlApiError, describeLowLevelError, errorFromResponse, errorFromStreamEvent, isAimlApiError, isOutOfCreditsResponse, kindForStatus, makeError, parseErrorBody,
  parseRetryAfterMs, redactSecrets, requestIdFrom, userMessage,
} from '../../../src/core/api/errors';
import { errorKinds } from '../../../src/shared/model';

const headers = (values: Record<string, string>) => new Headers(values);
const HEX32 = '0123456789abcdef0123456789abcdef';

describe('redaction, one pattern at a time', () => {
  describe('a known secret', () => {
    it('replaces every occurrence, whatever its shape', () => {
      assert.equal(redactSecrets('a p@ss! b p@ss! c', ['p@ss!']), 'a [redacted] b [redacted] c');
    });
    it('replaces secrets of four characters or more, leaves shorter ones (too likely to be ordinary text)', () => {
      assert.equal(redactSecrets('wxyz here', ['wxyz']), '[redacted] here');
      assert.equal(redactSecrets('xyz here', ['xyz']), 'xyz here');
    });
    it('ignores missing secrets and applies every given one', () => {
      assert.equal(redactSecrets('uno1 dos2', [undefined, '', 'uno1', 'dos2']), '[redacted] [redacted]');
    });
  });

  describe('Bearer tokens', () => {
    it('redacts a JWT-like token whole, keeping the scheme word', () => {
      assert.equal(redactSecrets('sent Bearer eyJhbGciOi.eyJzdWIi.c2ln-_x ok'), 'sent Bearer [redacted] ok');
    });
    it('is case-insensitive and keeps the spacing', () => {
      assert.equal(redactSecrets('bearer tok1 BEARER   tok2'), 'bearer [redacted] BEARER   [redacted]');
    });
    it('stops at quotes, backticks, commas and semicolons', () => {
      assert.equal(redactSecrets('"Bearer t1", `Bearer t2`; Bearer t3\'x'), '"Bearer [redacted]", `Bearer [redacted]`; Bearer [redacted]\'x');
    });
    it('needs a token after the word', () => {
      assert.equal(redactSecrets('a bearer of news'), 'a bearer [redacted] news');
      assert.equal(redactSecrets('Bearer'), 'Bearer');
    });
  });

  describe('Authorization values', () => {
    it('redacts another scheme and its credentials', () => {
      assert.equal(redactSecrets('authorization: Basic Zm9vOmJhcg rest'), 'authorization: [redacted] rest');
    });
    it('redacts a bare value after = or :', () => {
      assert.equal(redactSecrets('Authorization=tok123 next'), 'Authorization=[redacted] next');
      assert.equal(redactSecrets('AUTHORIZATION:tok123'), 'AUTHORIZATION:[redacted]');
    });
    it('redacts quoted JSON values', () => {
      assert.equal(redactSecrets('{"authorization":"tok-1"}'), '{"authorization":"[redacted]"}');
      assert.equal(redactSecrets("{'authorization' : 'tok-1'}"), "{'authorization' : '[redacted]'}");
    });
    it('leaves a Bearer value to the Bearer pattern, which keeps the scheme word', () => {
      assert.equal(redactSecrets('Authorization: Bearer tok-9'), 'Authorization: Bearer [redacted]');
    });
    it('does not touch the word without a value', () => {
      assert.equal(redactSecrets('authorization failed'), 'authorization failed');
    });
  });

  describe('api key values', () => {
    const forms: Array<[string, string]> = [
      ['api_key=abc123', 'api_key=[redacted]'],
      ['api-key: abc123', 'api-key: [redacted]'],
      ['apikey=abc123', 'apikey=[redacted]'],
      ['x-api-key: abc123', 'x-api-key: [redacted]'],
      ['X-API-KEY:abc123', 'X-API-KEY:[redacted]'],
      ['{"x-api-key": "abc123"}', '{"x-api-key": "[redacted]"}'],
      ["{'api_key':'abc123'}", "{'api_key':'[redacted]'}"],
      ['API_KEY = abc123;next', 'API_KEY = [redacted];next'],
    ];
    for (const [input, output] of forms) it(`${input}`, () => assert.equal(redactSecrets(input), output));
    it('does not touch the word without a value', () => assert.equal(redactSecrets('the api key is missing'), 'the api key is missing'));
  });

  describe('key-like tokens', () => {
    it('redacts 32 or more hex characters, either case, and nothing shorter', () => {
      assert.equal(redactSecrets(`id=${HEX32}.`), 'id=[redacted].');
      assert.equal(redactSecrets(`${HEX32.toUpperCase()}${HEX32}`), '[redacted]');
      assert.equal(redactSecrets(HEX32.slice(1)), HEX32.slice(1));
    });
    it('redacts sk- keys of 12 or more key characters, and nothing shorter', () => {
      assert.equal(redactSecrets('k sk-ant_api03-AbC k'), 'k [redacted] k');
      assert.equal(redactSecrets('k sk-abcdefghijkl k'), 'k [redacted] k');
      assert.equal(redactSecrets('k sk-abcdefghijk k'), 'k sk-abcdefghijk k');
    });
    it('only whole tokens: hex inside a longer word is left alone', () => {
      assert.equal(redactSecrets(`g${HEX32}`), `g${HEX32}`);
      assert.equal(redactSecrets(`task-abcdefghijklmnop`), 'task-abcdefghijklmnop');
    });
  });
});

describe('error messages and their edges', () => {
  it('clips a detail at 300 characters after folding white space', () => {
    const exact = 'x'.repeat(300);
    assert.equal(userMessage('overloaded', { detail: exact }), `The model is overloaded right now. Retry in a moment or pick another model. The API said: "${exact}".`);
    assert.equal(userMessage('overloaded', { detail: `${exact}y` }), `The model is overloaded right now. Retry in a moment or pick another model. The API said: "${exact}…".`);
    assert.equal(userMessage('overloaded', { detail: '  a \n\t b  ' }), 'The model is overloaded right now. Retry in a moment or pick another model. The API said: "a b".');
  });

  it('network and config details are labelled as details, not as what the API said', () => {
    assert.match(userMessage('network', { detail: 'ECONNREFUSED' }), / Details: "ECONNREFUSED"\.$/);
    assert.match(userMessage('config', { detail: 'bad' }), / Details: "bad"\.$/);
    assert.equal(userMessage('timeout', { detail: 'ignored' }), 'The AI/ML API did not answer in time. Retry, or raise the aimlChat.requestTimeoutSeconds setting.');
    assert.equal(userMessage('aborted'), 'The response was stopped.');
  });

  it('says how long to wait in whole seconds, at least one', () => {
    assert.match(userMessage('rate_limit', { retryAfterMs: 0 }), /Wait 1 second,/);
    assert.match(userMessage('rate_limit', { retryAfterMs: 1499 }), /Wait 1 second,/);
    assert.match(userMessage('rate_limit', { retryAfterMs: 1500 }), /Wait 2 seconds,/);
    assert.equal(userMessage('rate_limit'), 'Too many requests to the AI/ML API. Wait a moment, then retry.');
  });

  it('names the HTTP status for server and unknown failures only when there is one', () => {
    assert.equal(userMessage('server', { status: 503 }), 'The AI/ML API had an internal error (HTTP 503). Retry in a moment.');
    assert.equal(userMessage('server'), 'The AI/ML API had an internal error. Retry in a moment.');
    assert.equal(userMessage('unknown', { status: 418 }), 'The AI/ML API request failed (HTTP 418). Retry in a moment.');
    assert.equal(userMessage('unknown'), 'The AI/ML API request failed. Retry in a moment.');
  });

  it('every kind has its own sentence that names a next step', () => {
    const sentences = errorKinds.map((kind) => userMessage(kind));
    assert.equal(new Set(sentences).size, errorKinds.length);
    for (const sentence of sentences) assert.match(sentence, /^[A-Z].{20,}\.$/);
  });
});

describe('error construction', () => {
  it('marks exactly the transient kinds retryable', () => {
    const retryable = errorKinds.filter((kind) => makeError(kind).info.retryable);
    assert.deepEqual(retryable.sort(), ['network', 'overloaded', 'rate_limit', 'server', 'timeout']);
  });

  it('keeps zero values and drops an empty request id', () => {
    const error = makeError('rate_limit', { status: 0, retryAfterMs: 0, requestId: '' });
    assert.equal(error.status, 0);
    assert.equal(error.retryAfterMs, 0);
    assert.equal('requestId' in error.info, false);
    assert.deepEqual(Object.keys(makeError('unknown').info).sort(), ['kind', 'message', 'retryable']);
  });

  it('uses a given message verbatim', () => {
    assert.equal(makeError('config', { message: 'Exactly this.' }).message, 'Exactly this.');
  });

  it('carries the partial answer only on the copy that was given one', () => {
    const error = makeError('network');
    const partial = { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } as unknown as NonNullable<AimlApiError['partial']>;
    assert.equal(error.withPartial(undefined), error);
    const copy = error.withPartial(partial);
    assert.notEqual(copy, error);
    assert.equal(copy.partial, partial);
    assert.equal(error.partial, undefined);
    assert.equal(copy.info, error.info);
    assert.equal(copy.name, 'AimlApiError');
    assert.ok(isAimlApiError(copy));
    assert.ok(!isAimlApiError(new Error('x')));
    assert.ok(!isAimlApiError({ info: copy.info }));
  });

  const statuses: Array<[number, string]> = [[402, 'permission'], [408, 'timeout'], [499, 'unknown'], [200, 'unknown'], [418, 'unknown'], [599, 'server'], [529, 'overloaded'], [530, 'server']];
  for (const [status, kind] of statuses) it(`HTTP ${status} is ${kind}`, () => assert.equal(kindForStatus(status), kind));

  it('a 408 answer is a timeout error', () => assert.equal(errorFromResponse(408, headers({}), '', []).kind, 'timeout'));
});

describe('error bodies, request ids and retry-after edges', () => {
  it('keeps at most 1000 characters of a plain-text body, trimmed', () => {
    assert.deepEqual(parseErrorBody(`  ${'y'.repeat(1200)}  `), { message: 'y'.repeat(1000) });
    assert.deepEqual(parseErrorBody('   '), {});
  });

  it('returns nothing for JSON of another shape', () => {
    assert.deepEqual(parseErrorBody('{"error":"plain string"}'), {});
    assert.deepEqual(parseErrorBody('[1,2]'), {});
  });

  it('redacts the key in a detail only when a message is present', () => {
    const error = errorFromResponse(500, headers({}), JSON.stringify({ type: 'error', error: { type: 'api_error', message: `boom ${HEX32}` } }), []);
    assert.equal(error.message, 'The AI/ML API had an internal error (HTTP 500). Retry in a moment. The API said: "boom [redacted]".');
    assert.equal(errorFromResponse(500, headers({}), '', []).message, 'The AI/ML API had an internal error (HTTP 500). Retry in a moment.');
  });

  it('reads request ids from headers, or nothing', () => {
    assert.equal(requestIdFrom(undefined), undefined);
    assert.equal(requestIdFrom(headers({})), undefined);
    assert.equal(requestIdFrom(headers({ 'x-request-id': 'r2' })), 'r2');
  });

  it('falls back from a blank or invalid retry-after-ms to retry-after', () => {
    assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': ' ', 'retry-after': '3' })), 3000);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': '-5', 'retry-after': '3' })), 3000);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': 'soon', 'retry-after': '3' })), 3000);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': '0' })), 0);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': '60000' })), 60_000);
  });

  it('refuses negative and blank retry-after values and accepts zero', () => {
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': '-1' })), undefined);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': ' ' })), undefined);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': '0' })), 0);
    assert.equal(parseRetryAfterMs(undefined), undefined);
  });

  it('caps a far HTTP date at 60 seconds', () => {
    const now = () => Date.parse('2026-11-21T10:00:00Z');
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': 'Sat, 21 Nov 2026 11:00:00 GMT' }), now), 60_000);
  });
});

describe('stream error events and low-level errors', () => {
  it('takes the request id from the call, else from the event body', () => {
    const event = { type: 'error', error: { type: 'api_error', message: 'm' }, request_id: 'from-body' };
    assert.equal(errorFromStreamEvent(event, [], 'from-call').requestId, 'from-call');
    assert.equal(errorFromStreamEvent(event, [], undefined).requestId, 'from-body');
  });

  it('an unreadable event is an unknown error with no detail', () => {
    const error = errorFromStreamEvent({ nonsense: true }, [], undefined);
    assert.equal(error.kind, 'unknown');
    assert.equal(error.message, 'The AI/ML API request failed. Retry in a moment.');
  });

  it('describes an error and its cause with the cause code, redacted', () => {
    const cause = Object.assign(new Error(`connect to ${HEX32}`), { code: 'ECONNREFUSED' });
    assert.equal(describeLowLevelError(new Error('fetch failed', { cause }), []), 'fetch failed: ECONNREFUSED connect to [redacted]');
    assert.equal(describeLowLevelError(new Error('fetch failed', { cause: new Error('reset') }), []), 'fetch failed:  reset');
    assert.equal(describeLowLevelError(new Error('plain'), []), 'plain');
    assert.equal(describeLowLevelError(new Error('with key sk-abcdefghijklmnop'), ['unused']), 'with key [redacted]');
  });

  it('says nothing for non-errors, empty errors and non-error causes', () => {
    assert.equal(describeLowLevelError('a string', []), undefined);
    assert.equal(describeLowLevelError(new Error(''), []), undefined);
    assert.equal(describeLowLevelError(new Error('m', { cause: 'text cause' }), []), 'm');
  });
});

describe('errors: the remaining edges (issue 17)', () => {
  it('an Authorization scheme followed by several spaces is redacted with its credentials', () => {
    assert.equal(redactSecrets('authorization: Basic   Zm9vOmJhcg'), 'authorization: [redacted]');
  });
  it('retry-after values are trimmed before they are read, whatever supplies the headers', () => {
    const plain = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
    assert.equal(parseRetryAfterMs(plain({ 'retry-after-ms': '  ', 'retry-after': '2' })), 2000);
    assert.equal(parseRetryAfterMs(plain({ 'retry-after': '  ' })), undefined);
  });
  it('out of credits: a 402, or a 403 that talks of credits, top-ups, the balance or payment', () => {
    for (const detail of [undefined, 'anything']) assert.equal(isOutOfCreditsResponse(402, detail), true);
    for (const detail of ['No CREDITS left', 'please top up', 'top-up', 'topup needed', 'low balance', 'payment required']) assert.equal(isOutOfCreditsResponse(403, detail), true, detail);
    for (const detail of [undefined, 'forbidden', 'top  up']) assert.equal(isOutOfCreditsResponse(403, detail), false, String(detail));
    assert.equal(isOutOfCreditsResponse(401, 'credit'), false);
  });
  it('low-level errors: only real Error objects, trimmed', () => {
    assert.equal(describeLowLevelError({ message: 'looks like an error' }, []), undefined);
    assert.equal(describeLowLevelError(new Error('  padded  '), []), 'padded');
  });
});
