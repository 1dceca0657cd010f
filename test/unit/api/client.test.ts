// MessagesClient against a real HTTP server on 127.0.0.1: request shape, streaming, errors,
// retries (with a recording sleep, so nothing really waits), no retry after content streamed,
// timeouts, and abort closing the connection.
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { MessagesClient, type MessagesClientOptions } from '../../../src/core/api/client';
import type { ApiMessage, MessagesRequest, StreamEvent } from '../../../src/core/api/types';
import { CapturingLogger, fixtureBytes, rejection, startLoopback, type Handler, type LoopbackServer } from './helpers';

const KEY = 'fedcba9876543210fedcba9876543210';
const request: MessagesRequest = { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] };

function sse(response: ServerResponse, body: Uint8Array | string, status = 200) {
  response.writeHead(status, { 'content-type': 'text/event-stream', 'request-id': 'req_stream_1' });
  response.end(body);
}

function anthropicError(response: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

/** The first `cut` bytes of a fixture, sent and then the connection kept open or destroyed. */
function fixturePrefix(name: string, marker: string): Buffer {
  const bytes = Buffer.from(fixtureBytes(name));
  const at = bytes.indexOf(marker);
  assert.ok(at > 0, `marker ${marker} not in ${name}`);
  return bytes.subarray(0, bytes.indexOf('\n\n', at) + 2);
}

describe('MessagesClient over loopback HTTP', () => {
  let server: LoopbackServer | undefined;
  let sleeps: number[];
  let logger: CapturingLogger;

  async function serve(handle: Handler, options: Partial<MessagesClientOptions> = {}) {
    server = await startLoopback(handle);
    return new MessagesClient({ baseUrl: server.url, apiKey: KEY, logger, random: () => 0, sleep: async (ms) => { sleeps.push(ms); }, ...options });
  }

  beforeEach(() => { sleeps = []; logger = new CapturingLogger(); });
  afterEach(async () => { await server?.close(); server = undefined; });

  it('streams an answer: auth and request shape, onEvent snapshots, final message', async () => {
    const client = await serve((_request, response) => sse(response, fixtureBytes('text-answer')));
    const texts: string[] = [];
    const message = await client.stream(request, { onEvent: (event: StreamEvent, snapshot: ApiMessage) => {
      if (event.type === 'content_block_delta') texts.push((snapshot.content[0] as { text: string }).text);
    } });
    assert.deepEqual(message.content, [{ type: 'text', text: 'Hello! The capital of France is Paris.' }]);
    assert.deepEqual(texts, ['Hello', 'Hello! The', 'Hello! The capital of France', 'Hello! The capital of France is Paris.']);
    const [sent] = server!.requests;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.url, '/v1/messages');
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers.accept, 'text/event-stream');
    assert.deepEqual(JSON.parse(sent.body), { ...request, stream: true });
  });

  it('always sends max_tokens (the model maximum when the caller gave none) and drops null sampling', async () => {
    const client = await serve((_request, response) => sse(response, fixtureBytes('text-answer')));
    await client.stream({ model: 'claude-opus-4-7', messages: request.messages, temperature: null } as unknown as MessagesRequest);
    const body = JSON.parse(server!.requests[0].body);
    assert.equal(body.max_tokens, 128_000);
    assert.equal('temperature' in body, false);
  });

  it('streams every recorded fixture to the same message as the accumulator', async () => {
    const client = await serve((request, response) => sse(response, fixtureBytes(new URL(request.url!, 'http://x').searchParams.get('f') ?? 'text-answer')));
    const message = await client.stream(request);
    assert.equal(message.id, 'msg_01TextAnswer');
    const viaPath = new MessagesClient({ baseUrl: `${server!.url}/v1/`, apiKey: KEY });
    assert.equal((await viaPath.stream(request)).id, 'msg_01TextAnswer', 'a base URL ending in /v1 works');
    assert.equal(server!.requests[1].url, '/v1/messages');
  });

  it('does not send a request the API would reject, and says why', async () => {
    const client = await serve((_request, response) => sse(response, fixtureBytes('text-answer')));
    const error = await rejection(client.stream({ ...request, model: 'claude-opus-4-7', temperature: 0.3, max_tokens: 0 }));
    assert.equal(error.kind, 'invalid_request');
    assert.match(error.message, /^The request was not sent: .*does not accept temperature.*Max tokens must be a whole number of at least 1/);
    assert.equal(server!.requests.length, 0);
  });

  it('refuses a request over the gateway\'s 32 MB limit before sending it, and says what to do', async () => {
    const client = await serve((_request, response) => sse(response, fixtureBytes('text-answer')));
    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'A'.repeat(4_000_000) } };
    const big: MessagesRequest = { ...request, messages: [{ role: 'user', content: [...Array.from({ length: 9 }, () => image), { type: 'text', text: 'What changed?' }] }] };
    const error = await rejection(client.stream(big));
    assert.equal(error.kind, 'too_large');
    assert.match(error.message, /^The request was not sent: it is 3\d(\.\d)? MB .* at most 32(\.0)? MB\. Remove some images or start a new chat\.$/);
    assert.equal(server!.requests.length, 0);
  });

  it('without a key: no_api_key and nothing sent; a key getter is read per request', async () => {
    const stored: { key?: string } = {};
    const client = await serve((_request, response) => sse(response, fixtureBytes('text-answer')), { apiKey: () => stored.key });
    assert.equal((await rejection(client.stream(request))).kind, 'no_api_key');
    assert.equal(server!.requests.length, 0);
    stored.key = KEY;
    await client.stream(request);
    assert.equal(server!.requests[0].headers.authorization, `Bearer ${KEY}`);
  });

  it('401: authentication error, not retried, key never in the error or the log', async () => {
    const client = await serve((request, response) => anthropicError(response, 401, 'authentication_error', `invalid x-api-key (${request.headers.authorization})`, { 'request-id': 'req_401' }));
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'authentication');
    assert.equal(error.status, 401);
    assert.equal(error.requestId, 'req_401');
    assert.match(error.message, /^The AI\/ML API rejected the key\. Set a valid key with AIML Chat: Set API Key\./);
    assert.equal(server!.requests.length, 1);
    assert.deepEqual(sleeps, []);
    for (const text of [error.message, JSON.stringify(error), String(error.stack), ...logger.lines]) assert.ok(!text.includes(KEY), text);
  });

  it('retries 529 with exponential backoff, then succeeds', async () => {
    let calls = 0;
    const client = await serve((_request, response) => (++calls < 3 ? anthropicError(response, 529, 'overloaded_error', 'Overloaded') : sse(response, fixtureBytes('text-answer'))));
    const message = await client.stream(request);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(server!.requests.length, 3);
    assert.deepEqual(sleeps, [500, 1000]);
  });

  it('gives up after two retries with the last error', async () => {
    const client = await serve((_request, response) => { response.writeHead(503, { 'x-request-id': 'gw-503' }); response.end('Service Unavailable'); });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 503);
    assert.equal(error.requestId, 'gw-503');
    assert.equal(server!.requests.length, 3);
    assert.deepEqual(sleeps, [500, 1000]);
  });

  it('honours retry-after on 429', async () => {
    let calls = 0;
    const client = await serve((_request, response) => (++calls === 1 ? anthropicError(response, 429, 'rate_limit_error', 'Slow down', { 'retry-after': '3' }) : sse(response, fixtureBytes('text-answer'))));
    await client.stream(request);
    assert.deepEqual(sleeps, [3000]);
  });

  it('honours x-should-retry: false on a 500 and x-should-retry: true on a 400', async () => {
    const noRetry = await serve((_request, response) => anthropicError(response, 500, 'api_error', 'boom', { 'x-should-retry': 'false' }));
    assert.equal((await rejection(noRetry.stream(request))).kind, 'server');
    assert.equal(server!.requests.length, 1);
    await server!.close();
    let calls = 0;
    const retry = await serve((_request, response) => (++calls === 1 ? anthropicError(response, 400, 'invalid_request_error', 'flaky', { 'x-should-retry': 'true' }) : sse(response, fixtureBytes('text-answer'))));
    await retry.stream(request);
    assert.equal(server!.requests.length, 2);
  });

  it('does not retry 400, 403 or 404', async () => {
    for (const [status, kind] of [[400, 'invalid_request'], [403, 'permission'], [404, 'not_found']] as const) {
      const client = await serve((_request, response) => { response.writeHead(status, { 'content-type': 'application/json' }); response.end(JSON.stringify({ message: 'nope', path: '/v1/messages', requestId: `gw-${status}`, statusCode: status, timestamp: 't' })); });
      const error = await rejection(client.stream(request));
      assert.equal(error.kind, kind);
      assert.equal(error.requestId, `gw-${status}`);
      assert.equal(server!.requests.length, 1);
      await server!.close();
    }
  });

  it('never retries once content streamed: a dropped connection rejects with the partial answer', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(fixturePrefix('tool-use', '"text_delta"'));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'network');
    assert.deepEqual(error.partial?.content, [{ type: 'text', text: "I'll write the file." }]);
    assert.equal(server!.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('a stream that ends without message_stop is an error with the partial answer', async () => {
    const client = await serve((_request, response) => sse(response, fixturePrefix('text-answer', '"content_block_stop"')));
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'network');
    assert.equal(error.message, 'The connection closed before the answer finished. Retry to get the full answer.');
    assert.equal((error.partial?.content[0] as { text: string }).text, 'Hello! The capital of France is Paris.');
    assert.equal(server!.requests.length, 1);
  });

  it('a mid-stream error event after content: typed error with partial, not retried', async () => {
    const client = await serve((_request, response) => sse(response, fixtureBytes('mid-stream-error')));
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'overloaded');
    assert.equal(error.requestId, 'req_stream_1');
    assert.equal((error.partial?.content[0] as { text: string }).text, 'The first half of the answer and then');
    assert.equal(server!.requests.length, 1);
  });

  it('an error event before any content is retried like an HTTP 529', async () => {
    let calls = 0;
    const client = await serve((_request, response) => sse(response, ++calls === 1 ? 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n' : fixtureBytes('text-answer')));
    assert.equal((await client.stream(request)).id, 'msg_01TextAnswer');
    assert.equal(server!.requests.length, 2);
    assert.deepEqual(sleeps, [500]);
  });

  it('a refused connection is a network error, retried', async () => {
    server = await startLoopback((_request, response) => response.end());
    const url = server.url;
    await server.close();
    const client = new MessagesClient({ baseUrl: url, apiKey: KEY, random: () => 0, sleep: async (ms) => { sleeps.push(ms); } });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'network');
    assert.deepEqual(sleeps, [500, 1000]);
    server = undefined;
  });

  it('abort mid-stream: rejects with aborted and the partial answer, and the server sees the socket close', async () => {
    let socketClosed!: Promise<void>;
    const client = await serve((request, response) => {
      socketClosed = new Promise((resolve) => request.socket.once('close', () => resolve()));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(fixturePrefix('text-answer', '"Hello"'));
    });
    const controller = new AbortController();
    const error = await rejection(client.stream(request, { signal: controller.signal, onEvent: (event) => {
      if (event.type === 'content_block_delta') controller.abort();
    } }));
    assert.equal(error.kind, 'aborted');
    assert.equal((error.partial?.content[0] as { text: string }).text, 'Hello');
    await socketClosed;
    assert.equal(server!.requests.length, 1);
  });

  it('an exception thrown by onEvent stops the stream, closes the socket and is rethrown unchanged', async () => {
    let socketClosed!: Promise<void>;
    const client = await serve((request, response) => {
      socketClosed = new Promise((resolve) => request.socket.once('close', () => resolve()));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(fixturePrefix('text-answer', '"Hello"'));
    });
    const mine = new Error('UI went away');
    await assert.rejects(client.stream(request, { onEvent: (event) => { if (event.type === 'content_block_delta') throw mine; } }), (error: unknown) => error === mine);
    await socketClosed;
    assert.equal(server!.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('abort before the headers arrive: aborted, socket closed, no retry', async () => {
    let socketClosed!: Promise<void>;
    const controller = new AbortController();
    const client = await serve((request) => {
      socketClosed = new Promise((resolve) => request.socket.once('close', () => resolve()));
      controller.abort();
    });
    const error = await rejection(client.stream(request, { signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    assert.equal(error.partial, undefined);
    await socketClosed;
    assert.deepEqual(sleeps, []);
  });

  it('an already aborted signal sends nothing', async () => {
    const client = await serve((_request, response) => sse(response, fixtureBytes('text-answer')));
    const controller = new AbortController();
    controller.abort();
    assert.equal((await rejection(client.stream(request, { signal: controller.signal }))).kind, 'aborted');
    assert.equal(server!.requests.length, 0);
  });

  it('idle timeout: silence after content rejects with timeout and partial, closes the socket, no retry', async () => {
    let socketClosed!: Promise<void>;
    const client = await serve((request, response) => {
      socketClosed = new Promise((resolve) => request.socket.once('close', () => resolve()));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(fixturePrefix('text-answer', '"Hello"'));
    }, { idleTimeoutMs: 50 });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^The answer stalled: no complete event arrived for 0 seconds/);
    assert.equal((error.partial?.content[0] as { text: string }).text, 'Hello');
    await socketClosed;
    assert.equal(server!.requests.length, 1);
  });

  it('headers timeout: retried, then a timeout error; every socket closed', async () => {
    const closed: Array<Promise<void>> = [];
    const client = await serve((request) => {
      closed.push(new Promise((resolve) => request.socket.once('close', () => resolve())));
      // 250 ms, not less: on a loaded machine a shorter limit can pass before the request even
      // reaches the server, and the test then counts one request instead of two.
    }, { headersTimeoutMs: 250, maxRetries: 1 });
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /did not start answering/);
    assert.equal(server!.requests.length, 2);
    assert.deepEqual(sleeps, [500]);
    await Promise.all(closed);
  });

  it('leaves no timer behind after success, failure or abort', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    let calls = 0;
    const client = await serve((_request, response) => (++calls === 2 ? anthropicError(response, 400, 'invalid_request_error', 'bad') : sse(response, fixtureBytes('text-answer'))));
    // Measured after the server started: it keeps an interval of its own.
    const before = timers();
    await client.stream(request);
    assert.equal(timers(), before, 'after success');
    await rejection(client.stream(request));
    assert.equal(timers(), before, 'after failure');
    const controller = new AbortController();
    const aborted = client.stream(request, { signal: controller.signal, onEvent: () => controller.abort() });
    assert.equal((await rejection(aborted)).kind, 'aborted');
    assert.equal(timers(), before, 'after abort');
  });

  it('create(): non-streaming message with gateway meta', async () => {
    const reply = { id: 'msg_c', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text: 'Hi!' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 2 }, meta: { usage: { credits_used: 10, usd_spent: 0.00001 } } };
    const client = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.end(JSON.stringify(reply)); });
    const message = await client.create({ ...request, stream: true });
    assert.deepEqual(message, reply);
    const sent = server!.requests[0];
    assert.equal(JSON.parse(sent.body).stream, false);
    assert.equal(sent.headers.accept, 'application/json');
  });

  it('create(): a body that is not a message is malformed_response', async () => {
    const client = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.end('{"hello":'); });
    assert.equal((await rejection(client.create(request))).kind, 'malformed_response');
  });

  it('a JSON answer to a streaming request is read as the message', async () => {
    const reply = { id: 'msg_j', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
    const client = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.end(JSON.stringify(reply)); });
    assert.equal((await client.stream(request)).id, 'msg_j');
  });

  it('requestJson / requestText: same auth, retries and errors for other endpoints', async () => {
    let calls = 0;
    const client = await serve((request, response) => {
      if (request.url === '/v1/batches' && ++calls === 1) return anthropicError(response, 500, 'api_error', 'try again');
      if (request.url === '/v1/batches') { response.writeHead(200, { 'content-type': 'application/json' }); return response.end('{"id":"batch_1","processing_status":"in_progress"}'); }
      if (request.url === '/v1/batches/batch_1/results') { response.writeHead(200); return response.end('{"custom_id":"a"}\n{"custom_id":"b"}\n'); }
      return anthropicError(response, 404, 'not_found_error', 'no such batch');
    });
    assert.deepEqual(await client.requestJson('POST', '/v1/batches', { requests: [] }), { id: 'batch_1', processing_status: 'in_progress' });
    assert.deepEqual(sleeps, [500]);
    assert.equal(server!.requests[1].headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(JSON.parse(server!.requests[1].body), { requests: [] });
    assert.equal(await client.requestText('GET', `${server!.url}/v1/batches/batch_1/results`), '{"custom_id":"a"}\n{"custom_id":"b"}\n');
    assert.equal((await rejection(client.requestJson('GET', '/v1/batches/nope'))).kind, 'not_found');
  });

  it('refuses to send the key to another origin', async () => {
    const client = await serve((_request, response) => response.end('{}'));
    const error = await rejection(client.requestJson('GET', 'https://elsewhere.example/v1/batches/1/results'));
    assert.equal(error.kind, 'config');
    assert.equal(server!.requests.length, 0);
  });

  it('unknown stream types are logged once per client, not per event', async () => {
    const client = await serve((_request, response) => sse(response, fixtureBytes('unknown-types')));
    await client.stream(request);
    await client.stream(request);
    assert.equal(logger.lines.filter((line) => line.includes('future_event')).length, 1);
  });
});
