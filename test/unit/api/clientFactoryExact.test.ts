// The one place a messages client is built, over loopback HTTP: the connection settings reach the
// client as its timeouts (requestTimeoutMs for the headers and for silence, answerTimeoutMs for the
// whole answer), the base URL and key are used, the logger receives the client's lines, and the
// test-only extras (retries, fetch, sleep) are honoured.
import { strict as assert } from 'node:assert';
import { messagesClientFactory } from '../../../src/core/api/clientFactory';
import type { MessagesRequest } from '../../../src/core/api/types';
import { CapturingLogger, rejection, startLoopback, type Handler, type LoopbackServer } from './helpers';

const request: MessagesRequest = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };
const START = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n';
const PING = 'event: ping\ndata: {"type":"ping"}\n\n';
const TEXT = START
  + 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n'
  + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}\n\n'
  + 'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n'
  + 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\n\n'
  + 'event: message_stop\ndata: {"type":"message_stop"}\n\n';

describe('messagesClientFactory: settings reach the client', function () {
  this.timeout(20_000);
  let server: LoopbackServer | undefined;
  let logger: CapturingLogger;

  beforeEach(() => { logger = new CapturingLogger(); });
  afterEach(async () => { await server?.close(); server = undefined; });

  async function serve(handle: Handler): Promise<string> {
    server = await startLoopback(handle);
    return server.url;
  }

  it('sends to the base URL with the key, and logs through the given logger', async () => {
    const baseUrl = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'text/event-stream' }); response.end(TEXT); });
    const client = messagesClientFactory(logger, { maxRetries: 0 })({ baseUrl: `${baseUrl}/`, requestTimeoutMs: 5_000 }, 'factory-key');
    const message = await client.stream(request);
    assert.deepEqual(message.content, [{ type: 'text', text: 'ok' }]);
    assert.equal(server!.requests.length, 1);
    assert.equal(server!.requests[0].url, '/v1/messages');
    assert.equal(server!.requests[0].headers.authorization, 'Bearer factory-key');
    assert.deepEqual(logger.lines, ['debug: POST /v1/messages: attempt 1 of 1']);
  });

  it('a key getter is read per request', async () => {
    const baseUrl = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'text/event-stream' }); response.end(TEXT); });
    let key = 'first';
    const client = messagesClientFactory(logger, { maxRetries: 0 })({ baseUrl, requestTimeoutMs: 5_000 }, () => key);
    await client.stream(request);
    key = 'second';
    await client.stream(request);
    assert.deepEqual(server!.requests.map((sent) => sent.headers.authorization), ['Bearer first', 'Bearer second']);
  });

  it('requestTimeoutMs bounds the wait for the response headers', async () => {
    const baseUrl = await serve(() => { /* never answers */ });
    const client = messagesClientFactory(logger, { maxRetries: 0 })({ baseUrl, requestTimeoutMs: 300 }, 'k');
    const started = Date.now();
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^The AI\/ML API did not start answering within 0 seconds\./);
    assert.ok(Date.now() - started < 10_000);
  });

  it('requestTimeoutMs is also the silence allowed between events', async () => {
    const baseUrl = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'text/event-stream' }); response.write(START); });
    const client = messagesClientFactory(logger, { maxRetries: 0 })({ baseUrl, requestTimeoutMs: 300 }, 'k');
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^The answer stalled: no complete event arrived for 0 seconds\./);
  });

  it('answerTimeoutMs bounds an answer that keeps streaming', async () => {
    const baseUrl = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(START);
      const timer = setInterval(() => response.write(PING), 20);
      response.once('close', () => clearInterval(timer));
    });
    const client = messagesClientFactory(logger, { maxRetries: 0 })({ baseUrl, requestTimeoutMs: 5_000, answerTimeoutMs: 400 }, 'k');
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'answer_timeout');
    assert.match(error.message, /^The answer was stopped after 1 seconds, the limit set by aimlChat\.answerTimeoutMinutes\./);
  });

  it('the extras: retries and sleep are honoured', async () => {
    const baseUrl = await serve((_request, response) => { response.writeHead(529, { 'content-type': 'application/json' }); response.end('{"type":"error","error":{"type":"overloaded_error","message":"busy"}}'); });
    const sleeps: number[] = [];
    const client = messagesClientFactory(logger, { maxRetries: 1, sleep: async (ms) => { sleeps.push(ms); } })({ baseUrl, requestTimeoutMs: 5_000 }, 'k');
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'overloaded');
    assert.equal(server!.requests.length, 2);
    assert.equal(sleeps.length, 1);
  });

  it('the extras: an injected fetch is used instead of the network', async () => {
    const urls: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(TEXT, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    };
    const client = messagesClientFactory(logger, { maxRetries: 0, fetch: fetchImpl })({ baseUrl: 'http://127.0.0.1:9/v1', requestTimeoutMs: 5_000 }, 'k');
    const message = await client.stream(request);
    assert.deepEqual(message.content, [{ type: 'text', text: 'ok' }]);
    assert.deepEqual(urls, ['http://127.0.0.1:9/v1/messages']);
  });

  it('without extras the client retries twice (its default)', async () => {
    const baseUrl = await serve((_request, response) => { response.writeHead(400, { 'content-type': 'application/json', 'x-should-retry': 'true', 'retry-after-ms': '1' }); response.end('{"type":"error","error":{"type":"invalid_request_error","message":"again"}}'); });
    const error = await rejection(messagesClientFactory(logger)({ baseUrl, requestTimeoutMs: 5_000 }, 'k').stream(request));
    assert.equal(error.kind, 'invalid_request');
    assert.equal(server!.requests.length, 3);
  });
});
