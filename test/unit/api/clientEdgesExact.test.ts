// MessagesClient's edges, asserted exactly with an injected fetch (no network): a fetch that ignores
// the abort signal and answers after the headers limit, the key redacted from a 200 error body and
// from warnings, the injected clock for a retry-after date, a max_tokens that is not a number, and
// how the tracing headers' cost merges into a message's meta.
import { strict as assert } from 'node:assert';
import { MessagesClient, type MessagesClientOptions } from '../../../src/core/api/client';
import type { MessagesRequest } from '../../../src/core/api/types';
import { CapturingLogger, rejection } from './helpers';

/** A key no redaction pattern recognises: only the client's own knowledge of it can hide it. */
const PLAIN_KEY = 'plain_Key-Q1w2E3';
const request: MessagesRequest = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };
const message = { id: 'msg_e', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text: 'E' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
const overloaded = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } });

type Reply = () => Response | Promise<Response>;

describe('MessagesClient edges (injected fetch): exact', function () {
  this.timeout(10_000);
  let logger: CapturingLogger;
  let sleeps: number[];
  let calls: number;

  function client(replies: Reply[], options: Partial<MessagesClientOptions> = {}) {
    calls = 0;
    return new MessagesClient({
      baseUrl: 'http://127.0.0.1:9', apiKey: PLAIN_KEY, logger, random: () => 0,
      sleep: async (ms) => { sleeps.push(ms); },
      fetch: async () => replies[Math.min(calls++, replies.length - 1)](),
      ...options,
    });
  }
  beforeEach(() => { logger = new CapturingLogger(); sleeps = []; });

  it('a fetch that ignores the abort and answers after the headers limit is a timeout, not its status', async () => {
    const late: Reply = () => new Promise((resolve) => setTimeout(() => resolve(new Response(overloaded, { status: 500, headers: { 'content-type': 'application/json' } })), 120));
    const error = await rejection(client([late], { headersTimeoutMs: 20, maxRetries: 0 }).create(request));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.status, undefined);
    assert.match(error.message, /did not start answering within 0 seconds/);
  });

  it('an error body with status 200 names the error with the key redacted', async () => {
    const body = JSON.stringify({ type: 'error', error: { type: 'api_error', message: `rejected ${PLAIN_KEY} today` } });
    const error = await rejection(client([() => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })], { maxRetries: 0 }).create(request));
    assert.equal(error.kind, 'server');
    assert.ok(error.message.includes('rejected [redacted] today'), error.message);
    assert.ok(!error.message.includes(PLAIN_KEY), error.message);
  });

  it('warnings are redacted too, once the key is known (a key that happens to appear in one)', async () => {
    const sent: unknown[] = [];
    const clamping = new MessagesClient({
      baseUrl: 'http://127.0.0.1:9', apiKey: '10000000', logger, maxRetries: 0,
      fetch: async (_url, init) => { sent.push(JSON.parse(String(init?.body))); return new Response(JSON.stringify(message), { status: 200, headers: { 'content-type': 'application/json' } }); },
    });
    await clamping.create(request);
    await clamping.create({ ...request, model: 'claude-haiku-4-5', max_tokens: 10_000_000 });
    assert.deepEqual(logger.lines.filter((line) => line.startsWith('warn')), ['warn: max_tokens [redacted] is above the 64000 that claude-haiku-4-5 allows; sending 64000']);
    assert.equal((sent[1] as { max_tokens: number }).max_tokens, 64_000);
  });

  it('a retry-after date is measured against the injected clock', async () => {
    const now = Date.parse('2031-05-06T07:08:09Z');
    const rateLimited: Reply = () => new Response(overloaded, { status: 429, headers: { 'content-type': 'application/json', 'retry-after': new Date(now + 2_000).toUTCString() } });
    const answer: Reply = () => new Response(JSON.stringify(message), { status: 200, headers: { 'content-type': 'application/json' } });
    await client([rateLimited, answer], { now: () => now }).create(request);
    assert.deepEqual(sleeps, [2_000]);
  });

  it('a max_tokens that is not a number is refused, never clamped into a number', async () => {
    const error = await rejection(client([() => new Response(JSON.stringify(message))]).create({ ...request, model: 'claude-haiku-4-5', max_tokens: '10000000' as unknown as number }));
    assert.equal(error.kind, 'invalid_request');
    assert.match(error.message, /Max tokens must be a whole number of at least 1 \(it is 10000000\)/);
    assert.equal(calls, 0);
    assert.deepEqual(logger.lines.filter((line) => line.startsWith('warn')), []);
  });

  it('tracing without a cost header leaves meta alone; a cost header fills usd_spent and keeps the rest of meta', async () => {
    const reply = (body: object, headers: Record<string, string>): Reply => () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });
    const traced = await client([reply(message, { 'x-inference-id': 'inf_7' })]).create(request);
    assert.deepEqual(traced.tracing, { inferenceId: 'inf_7' });
    assert.ok(!('meta' in traced), JSON.stringify(traced));
    const withMeta = await client([reply({ ...message, meta: { usage: { credits_used: 4 } } }, { 'x-aimlapi-usd-spent': '0.125' })]).create(request);
    assert.deepEqual(withMeta.meta, { usage: { credits_used: 4, usd_spent: 0.125 } });
    assert.deepEqual(withMeta.tracing, { usdSpent: 0.125 });
    const emptyMeta = await client([reply({ ...message, meta: {} }, { 'x-aimlapi-usd-spent': '0.5' })]).create(request);
    assert.deepEqual(emptyMeta.meta, { usage: { usd_spent: 0.5 } });
  });

  it('the key echoed in an HTTP error body or in a low-level fetch error is redacted from the error', async () => {
    const echoed = JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `bad header ${PLAIN_KEY}` } });
    const http = await rejection(client([() => new Response(echoed, { status: 400, headers: { 'content-type': 'application/json' } })]).create(request));
    assert.equal(http.kind, 'invalid_request');
    assert.ok(http.message.includes('bad header [redacted]') && !http.message.includes(PLAIN_KEY), http.message);
    const low = await rejection(client([() => { throw new TypeError(`socket refused for ${PLAIN_KEY}`); }], { maxRetries: 0 }).create(request));
    assert.equal(low.kind, 'network');
    assert.ok(low.message.includes('socket refused for [redacted]') && !low.message.includes(PLAIN_KEY), low.message);
  });

  it('a ping before message_start reaches no onEvent: there is no snapshot yet', async () => {
    const start = { type: 'message_start', message: { ...message, content: [], stop_reason: null } };
    const body = ['event: ping\ndata: {"type":"ping"}\n\n', `event: message_start\ndata: ${JSON.stringify(start)}\n\n`, 'event: ping\ndata: {"type":"ping"}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}\n\n', 'event: message_stop\ndata: {"type":"message_stop"}\n\n'].join('');
    const seen: string[] = [];
    const result = await client([() => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })]).stream(request, {
      onEvent: (event, snapshot) => seen.push(`${event.type}:${snapshot.id}`),
    });
    assert.equal(result.stop_reason, 'end_turn');
    assert.deepEqual(seen, ['message_start:msg_e', 'ping:msg_e', 'message_delta:msg_e', 'message_stop:msg_e']);
  });

  it('a base URL ending in /v1: a versioned path replaces that version; other paths stay under it', () => {
    const at = (baseUrl: string) => new MessagesClient({ baseUrl, apiKey: PLAIN_KEY });
    const proxied = at('https://proxy.example/aiml/v1/');
    assert.equal(proxied.urlFor('/v2/billing'), 'https://proxy.example/aiml/v2/billing');
    assert.equal(proxied.urlFor('v1/messages'), 'https://proxy.example/aiml/v1/messages');
    assert.equal(proxied.urlFor('/v12/x'), 'https://proxy.example/aiml/v12/x');
    assert.equal(proxied.urlFor('/v1beta'), 'https://proxy.example/aiml/v1/v1beta');
    assert.equal(proxied.urlFor('/files/v2/x'), 'https://proxy.example/aiml/v1/files/v2/x');
    assert.equal(at('https://api.example').urlFor('/v2/billing'), 'https://api.example/v2/billing');
  });

  it('requestJson asks for JSON only', async () => {
    const accepts: Array<string | null> = [];
    const asking = new MessagesClient({ baseUrl: 'http://127.0.0.1:9', apiKey: PLAIN_KEY, fetch: async (_url, init) => { accepts.push(new Headers(init?.headers).get('accept')); return new Response('{"a":1}'); } });
    assert.deepEqual(await asking.requestJson('GET', '/v1/batches'), { a: 1 });
    assert.deepEqual(accepts, ['application/json']);
  });

  it('a caller stopping during the wait before a retry: no further fetch, even one that ignores the signal', async () => {
    const controller = new AbortController();
    const error = await rejection(client([() => new Response(overloaded, { status: 529, headers: { 'content-type': 'application/json' } })], {
      sleep: async () => { controller.abort(); },
    }).create(request, { signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    assert.equal(calls, 1);
  });

  it('a streamed answer without a content-type is read as events', async () => {
    const start = { type: 'message_start', message: { ...message, content: [], stop_reason: null } };
    const body = `event: message_start\ndata: ${JSON.stringify(start)}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`;
    const result = await client([() => new Response(new Blob([body]).stream(), { status: 200 })]).stream(request);
    assert.equal(result.id, 'msg_e');
  });
});
