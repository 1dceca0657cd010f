// MessagesClient over loopback HTTP, asserted exactly: the URL rules (trailing slashes, /v1, other
// origins), the request headers per method, the key read and trimmed per request, the log lines of
// attempts, retries and failures (with the key redacted), the body checks before sending, and what
// a misbehaving gateway's answer becomes (not JSON, an error body with status 200, no body, a stream
// that stops early, a stop between two events of one chunk, tracing headers).
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { MessagesClient, type MessagesClientOptions } from '../../../src/core/api/client';
import type { MessagesRequest } from '../../../src/core/api/types';
import { CapturingLogger, rejection, startLoopback, type Handler, type LoopbackServer } from './helpers';

const KEY = 'sk-exact-0123456789abcdef0123';
/** A key no redaction pattern recognises: only the client's own knowledge of it can hide it. */
const PLAIN_KEY = 'plain_Key-Q1w2E3';
const request: MessagesRequest = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };
const START = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_x","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n';
const BLOCK = 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
const delta = (text: string) => `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
const END = 'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n'
  + 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}\n\n'
  + 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
const message = { id: 'msg_j', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text: 'J' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };

function sse(response: ServerResponse, body: string, headers: Record<string, string> = {}) {
  response.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  response.end(body);
}
function json(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

describe('MessagesClient over loopback: exact', function () {
  this.timeout(20_000);
  let server: LoopbackServer | undefined;
  let logger: CapturingLogger;
  let sleeps: number[];

  async function serve(handle: Handler, options: Partial<MessagesClientOptions> = {}) {
    server = await startLoopback(handle);
    return new MessagesClient({ baseUrl: server.url, apiKey: KEY, logger, random: () => 0, sleep: async (ms) => { sleeps.push(ms); }, ...options });
  }
  beforeEach(() => { logger = new CapturingLogger(); sleeps = []; });
  afterEach(async () => { await server?.close(); server = undefined; });

  it('strips trailing slashes and a doubled /v1; paths without a leading slash are under the base', async () => {
    const client = await serve((_request, response) => json(response, 200, '{"ok":1}'));
    for (const base of [`${server!.url}//`, `${server!.url}/v1/`, `${server!.url}/v1`]) {
      const other = new MessagesClient({ baseUrl: base, apiKey: KEY, maxRetries: 0 });
      await other.requestJson('GET', '/v1/batches');
      await other.requestJson('GET', 'v1/batches/b');
    }
    await client.requestJson('GET', 'v1/files');
    assert.deepEqual(server!.requests.map((sent) => sent.url), ['/v1/batches', '/v1/batches/b', '/v1/batches', '/v1/batches/b', '/v1/batches', '/v1/batches/b', '/v1/files']);
    assert.equal(client.urlFor('/v2/billing'), `${server!.url}/v2/billing`);
  });

  it('takes an absolute URL on the same origin, in any case; refuses another origin with the reason', async () => {
    const client = await serve((_request, response) => json(response, 200, '[]'));
    const upper = server!.url.replace('http://', 'HTTP://');
    assert.equal(client.urlFor(`${upper}/v1/x`), `${upper}/v1/x`);
    const port = Number(new URL(server!.url).port);
    for (const other of [`http://127.0.0.1:${port + 1}/v1/x`, `https://127.0.0.1:${port}/v1/x`, 'http://localhost/v1/x']) {
      const error = await rejection(client.requestJson('GET', other));
      assert.equal(error.kind, 'config');
      assert.match(error.message, new RegExp(`refusing to send the API key to ${new URL(other).origin.replace(/[.]/g, '\\.')}, which is not the configured aimlChat\\.baseUrl`));
    }
    assert.equal(server!.requests.length, 0);
  });

  it('a GET has no body and no content-type; requestText asks for JSON, JSON lines or text', async () => {
    const client = await serve((_request, response) => { response.writeHead(200); response.end('line\n'); });
    assert.equal(await client.requestText('GET', '/v1/batches/b/results'), 'line\n');
    const [sent] = server!.requests;
    assert.equal(sent.headers['content-type'], undefined);
    assert.equal(sent.headers.accept, 'application/json, application/x-ndjson, text/plain');
    assert.equal(sent.body, '');
    assert.match(String(sent.headers['x-client-request-id']), /^\S+$/);
  });

  it('requestJson: an empty answer is undefined, a non-JSON one names the request', async () => {
    let body = '  \n';
    const client = await serve((_request, response) => json(response, 200, body));
    assert.equal(await client.requestJson('DELETE', '/v1/batches/b'), undefined);
    assert.equal(server!.requests[0].method, 'DELETE');
    body = '<html>';
    const error = await rejection(client.requestJson('GET', `${server!.url}/v1/batches/b`));
    assert.equal(error.kind, 'malformed_response');
    assert.match(error.message, /the answer of GET \/v1\/batches\/b is not JSON/);
  });

  it('the key is trimmed, and a blank one is no key', async () => {
    let key: string | undefined = `  ${KEY}\n`;
    const client = await serve((_request, response) => sse(response, START + BLOCK + delta('a') + END), { apiKey: async () => key });
    await client.stream(request);
    assert.equal(server!.requests[0].headers.authorization, `Bearer ${KEY}`);
    key = '   ';
    assert.equal((await rejection(client.stream(request))).kind, 'no_api_key');
    key = undefined;
    assert.equal((await rejection(client.stream(request))).kind, 'no_api_key');
    assert.equal(server!.requests.length, 1);
  });

  it('logs each attempt, each retry with its wait, and the failure, never the key', async () => {
    const client = await serve((_request, response) => json(response, 529, JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: `busy ${KEY}` } }), { 'request-id': 'req_9' }));
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'overloaded');
    assert.deepEqual(logger.lines, [
      'debug: POST /v1/messages: attempt 1 of 3',
      'debug: POST /v1/messages: overloaded (HTTP 529), retrying in 500 ms',
      'debug: POST /v1/messages: attempt 2 of 3',
      'debug: POST /v1/messages: overloaded (HTTP 529), retrying in 1000 ms',
      'debug: POST /v1/messages: attempt 3 of 3',
      'debug: POST /v1/messages: failed (overloaded, HTTP 529, request req_9)',
    ]);
    assert.deepEqual(sleeps, [500, 1000]);
    assert.ok(!error.message.includes(KEY));
  });

  it('logs a failure without status or request id as the kind alone; a negative maxRetries is no retry', async () => {
    const client = await serve(() => { /* never answers */ }, { headersTimeoutMs: 100, maxRetries: -3 });
    assert.equal((await rejection(client.stream(request))).kind, 'timeout');
    assert.deepEqual(logger.lines, ['debug: POST /v1/messages: attempt 1 of 1', 'debug: POST /v1/messages: failed (timeout)']);
    assert.equal(server!.requests.length, 1);
  });

  it('a retry of a network error logs the kind without a status', async () => {
    let calls = 0;
    const client = await serve((_request, response) => { if (++calls === 1) response.socket?.destroy(); else sse(response, START + BLOCK + delta('a') + END); });
    await client.stream(request);
    assert.equal(logger.lines[1], 'debug: POST /v1/messages: network, retrying in 500 ms');
  });

  it('the wait before a retry cut short by the caller, or the caller stopping during it, is aborted', async () => {
    const controller = new AbortController();
    const client = await serve((_request, response) => json(response, 529, '{"type":"error","error":{"type":"overloaded_error","message":"busy"}}'), {
      sleep: async () => { controller.abort(); },
    });
    assert.equal((await rejection(client.stream(request, { signal: controller.signal }))).kind, 'aborted');
    assert.equal(server!.requests.length, 1);
    const failing = new MessagesClient({ baseUrl: server!.url, apiKey: KEY, sleep: async () => { throw new Error('woken'); } });
    assert.equal((await rejection(failing.stream(request))).kind, 'aborted');
    assert.equal(server!.requests.length, 2);
  });

  it('clamps max_tokens to the model\'s limit and says so; drops null sampling values', async () => {
    const client = await serve((_request, response) => sse(response, START + BLOCK + delta('a') + END));
    await client.stream({ ...request, model: 'claude-haiku-4-5', max_tokens: 10_000_000, temperature: null, top_p: null, top_k: null } as unknown as MessagesRequest);
    const sent = JSON.parse(server!.requests[0].body) as Record<string, unknown>;
    assert.equal(sent.max_tokens, 64_000);
    assert.ok(!('temperature' in sent) && !('top_p' in sent) && !('top_k' in sent));
    assert.deepEqual(logger.lines.filter((line) => line.startsWith('warn')), ['warn: max_tokens 10000000 is above the 64000 that claude-haiku-4-5 allows; sending 64000']);
    await client.stream({ ...request, model: 'claude-haiku-4-5', max_tokens: 64_000 });
    assert.equal(JSON.parse(server!.requests[1].body).max_tokens, 64_000);
    assert.equal(logger.lines.filter((line) => line.startsWith('warn')).length, 1);
  });

  it('refuses an invalid request before sending, with the reason', async () => {
    const client = await serve((_request, response) => sse(response, ''));
    const error = await rejection(client.stream({ ...request, messages: [] }));
    assert.equal(error.kind, 'invalid_request');
    assert.match(error.message, /^The request was not sent: \S/);
    assert.equal(server!.requests.length, 0);
  });

  it('a 200 answer that is not JSON, an error body, or not a message', async () => {
    let body = 'not json';
    const client = await serve((_request, response) => json(response, 200, body, { 'request-id': 'req_200' }));
    let error = await rejection(client.create(request));
    assert.equal(error.kind, 'malformed_response');
    assert.match(error.message, /the answer is not JSON/);
    assert.equal(error.requestId, 'req_200');
    body = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Busy' } });
    error = await rejection(client.create(request));
    assert.equal(error.kind, 'overloaded');
    body = JSON.stringify({ id: 'x' });
    error = await rejection(client.create(request));
    assert.equal(error.kind, 'malformed_response');
    assert.match(error.message, /the answer is not a message/);
    assert.equal(error.requestId, 'req_200');
  });

  it('a streamed answer sent as one JSON document is read as the message, with its tracing', async () => {
    const client = await serve((_request, response) => json(response, 200, JSON.stringify(message), { 'x-inference-id': 'inf_1', 'x-aimlapi-usd-spent': '0.5' }));
    const result = await client.stream(request);
    assert.deepEqual(result.content, message.content);
    assert.equal(result.tracing?.inferenceId, 'inf_1');
    assert.equal(result.meta?.usage?.usd_spent, 0.5);
  });

  it('the body\'s own cost wins over the header; no tracing header adds nothing', async () => {
    let headers: Record<string, string> = { 'x-aimlapi-usd-spent': '0.5' };
    const client = await serve((_request, response) => json(response, 200, JSON.stringify({ ...message, meta: { usage: { usd_spent: 0.25, credits_used: 3 } } }), headers));
    const withBody = await client.create(request);
    assert.deepEqual(withBody.meta, { usage: { usd_spent: 0.25, credits_used: 3 } });
    assert.equal(withBody.tracing?.usdSpent, 0.5);
    headers = {};
    const plain = await client.create(request);
    assert.equal(plain.tracing, undefined);
    assert.ok(!('tracing' in plain));
  });

  it('a stream cut before message_stop is a network error saying so, with the request id and partial text', async () => {
    const client = await serve((_request, response) => sse(response, START + BLOCK + delta('Half'), { 'request-id': 'req_cut' }), { maxRetries: 0 });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /^The connection closed before the answer finished\. Retry to get the full answer\./);
    assert.equal(error.requestId, 'req_cut');
    assert.deepEqual(error.partial?.content, [{ type: 'text', text: 'Half' }]);
  });

  it('a body whose last blank line is a lone CR at its very end still completes', async () => {
    const client = await serve((_request, response) => sse(response, START + BLOCK + delta('a') + END.replace(/\n$/, '\r')));
    assert.equal((await client.stream(request)).stop_reason, 'end_turn');
  });

  it('an empty 200 body on a stream is a network error, retried before content', async () => {
    let calls = 0;
    const client = await serve((_request, response) => { if (++calls === 1) sse(response, ''); else sse(response, START + BLOCK + delta('b') + END); });
    assert.equal((await client.stream(request)).content.length, 1);
    assert.equal(server!.requests.length, 2);
  });

  it('a stop during one chunk takes effect before its next event', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const client = await serve((_request, response) => sse(response, START + BLOCK + delta('one') + delta('two') + delta('three') + END));
    const error = await rejection(client.stream(request, {
      signal: controller.signal,
      onEvent: (event) => { if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') { seen.push(event.delta.text); controller.abort(); } },
    }));
    assert.equal(error.kind, 'aborted');
    assert.deepEqual(seen, ['one']);
    assert.deepEqual(error.partial?.content, [{ type: 'text', text: 'one' }]);
  });

  it('onEvent sees every event with the snapshot after it; the message is final at message_stop even if bytes follow', async () => {
    const types: string[] = [];
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(START + BLOCK + delta('x') + END);
      // Bytes after message_stop are never waited for.
    });
    const result = await client.stream(request, { onEvent: (event, snapshot) => types.push(`${event.type}:${snapshot.content.length}`) });
    assert.equal(result.stop_reason, 'end_turn');
    assert.deepEqual(types, ['message_start:0', 'content_block_start:1', 'content_block_delta:1', 'content_block_stop:1', 'message_delta:1', 'message_stop:1']);
  });

  it('a key echoed by the gateway (in a request id) never reaches the log', async () => {
    const client = await serve((_request, response) => json(response, 400, '{"type":"error","error":{"type":"invalid_request_error","message":"bad"}}', { 'request-id': `echo-${PLAIN_KEY}` }), { apiKey: PLAIN_KEY });
    await rejection(client.stream(request));
    assert.equal(logger.lines[1], 'debug: POST /v1/messages: failed (invalid_request, HTTP 400, request echo-[redacted])');
    for (const line of logger.lines) assert.ok(!line.includes(PLAIN_KEY), line);
  });

  it('a key echoed in a mid-stream error event is redacted from the error', async () => {
    const client = await serve((_request, response) => sse(response, START + BLOCK + delta('a') + `event: error\ndata: {"type":"error","error":{"type":"api_error","message":"bad key ${PLAIN_KEY}"}}\n\n`), { apiKey: PLAIN_KEY });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'server');
    assert.ok(error.message.includes('bad key [redacted]'), error.message);
  });

  it('a retry-after date is measured against the real clock when no clock is given', async () => {
    let calls = 0;
    const client = await serve((_request, response) => (++calls === 1
      ? json(response, 429, '{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}', { 'retry-after': new Date(Date.now() + 3_000).toUTCString() })
      : sse(response, START + BLOCK + delta('a') + END)));
    await client.stream(request);
    assert.equal(sleeps.length, 1);
    assert.ok(sleeps[0] >= 1_000 && sleeps[0] <= 3_000, String(sleeps[0]));
  });

  it('an already aborted signal: aborted before the key is even read', async () => {
    let reads = 0;
    const controller = new AbortController();
    controller.abort();
    const client = await serve((_request, response) => sse(response, ''), { apiKey: () => { reads++; return undefined; } });
    assert.equal((await rejection(client.stream(request, { signal: controller.signal }))).kind, 'aborted');
    assert.equal(reads, 0);
  });

  it('lists every problem of a refused request, separated by a space', async () => {
    const client = await serve((_request, response) => sse(response, ''));
    const error = await rejection(client.stream({ ...request, temperature: 5, top_p: 7 }));
    assert.match(error.message, /The request was not sent: Temperature must be between 0 and 1 \(it is 5\)\. top_p must be between 0 and 1 \(it is 7\)\./);
  });

  it('a model without a known output limit is sent as asked', async () => {
    const client = await serve((_request, response) => sse(response, START + BLOCK + delta('a') + END));
    const outcome = await client.stream({ ...request, model: 'claude-future-9' }).then(() => 'sent', (error: unknown) => error);
    if (outcome !== 'sent') {
      assert.ok(outcome instanceof Error && (outcome as { kind?: string }).kind === 'invalid_request', String(outcome));
    } else {
      assert.equal(JSON.parse(server!.requests[0].body).max_tokens, 100);
    }
  });

  it('a malformed stream before any content is not retried', async () => {
    const client = await serve((_request, response) => sse(response, 'event: message_start\ndata: {not json\n\n'));
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'malformed_response');
    assert.equal(server!.requests.length, 1);
  });

  it('silence before the first event is the idle timeout, with its sentence', async () => {
    const client = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'text/event-stream' }); response.flushHeaders(); }, { idleTimeoutMs: 150, maxRetries: 0 });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^The answer stalled: no complete event arrived for 0 seconds\./);
  });

  it('events arriving steadily keep an answer alive past the idle limit', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(START + BLOCK);
      let sent = 0;
      const timer = setInterval(() => {
        if (++sent <= 8) response.write(delta(String(sent)));
        else { clearInterval(timer); response.end(END); }
      }, 50);
      response.once('close', () => clearInterval(timer));
    }, { idleTimeoutMs: 250, maxRetries: 0 });
    const result = await client.stream(request);
    assert.deepEqual(result.content, [{ type: 'text', text: '12345678' }]);
  });

  it('a 200 answer without a body is malformed (an injected fetch)', async () => {
    const client = new MessagesClient({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, maxRetries: 0, fetch: async () => new Response(null, { status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': 'req_nobody' } }) });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'malformed_response');
    assert.match(error.message, /the answer has no body/);
    assert.equal(error.requestId, 'req_nobody');
  });
});

