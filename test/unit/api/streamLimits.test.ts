// A misbehaving gateway or proxy cannot make the client buffer or wait without end: the stand-in's
// hostile faults over loopback HTTP, each ending in a typed error that keeps the partial answer.
import { strict as assert } from 'node:assert';
import { MessagesClient, type MessagesClientOptions } from '../../../src/core/api/client';
import { AimlApiError } from '../../../src/core/api/errors';
import { MAX_SSE_EVENT_CHARS } from '../../../src/core/api/sse';
import { MAX_ERROR_BODY_BYTES } from '../../../src/core/api/transport';
import type { MessagesRequest } from '../../../src/core/api/types';
import { startStandIn, type StandIn } from '../../support/standin';
import { rejection, startLoopback, type LoopbackServer } from './helpers';

const request = (prompt: string): MessagesRequest => ({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] });

const textOf = (error: AimlApiError): string => (error.partial?.content ?? []).map((block) => ('text' in block ? block.text : '')).join('');

describe('stream limits against a hostile gateway (stand-in over loopback)', function () {
  this.timeout(30_000);
  let standIn: StandIn;
  let log: string[];

  before(async () => { standIn = await startStandIn({ trickleMs: 20, log: (line) => log.push(line) }); });
  after(() => standIn.close());
  beforeEach(() => { standIn.reset(); log = []; });

  const client = (options: Partial<MessagesClientOptions> = {}) =>
    new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key', maxRetries: 0, ...options });

  const closedAfter = async (fault: string): Promise<number> => {
    for (let i = 0; i < 100 && !log.some((line) => line.startsWith(fault)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const line = log.find((entry) => entry.startsWith(fault)) ?? assert.fail(`the stand-in did not log ${fault}`);
    assert.match(line, /client closed after/, line);
    return Number(/(\d+) bytes/.exec(line)![1]);
  };

  it('a stream without line breaks stops at the event limit with stream_too_large', async () => {
    const before = process.memoryUsage().rss;
    const error = await rejection(client().stream(request('[[fault:noLineBreaks]] hello')));
    assert.equal(error.kind, 'stream_too_large');
    assert.match(error.message, /^The answer stream sent one event larger than 8 MB \(or text without line breaks\), so it was stopped\. The text received so far is kept\./);
    const sent = await closedAfter('noLineBreaks');
    // The client stopped soon after the limit, not at the stand-in's 256 MB.
    assert.ok(sent < MAX_SSE_EVENT_CHARS * 4, `the stand-in sent ${sent} bytes before the client closed`);
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024);
  });

  it('the limit keeps the text that streamed before the oversized event', async () => {
    const head = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n'
      + 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n'
      + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Kept text"}}\n\n';
    let server: LoopbackServer | undefined;
    try {
      server = await startLoopback((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(head + 'data: ');
        const blob = 'z'.repeat(1024 * 1024);
        const timer = setInterval(() => { if (res.destroyed) clearInterval(timer); else res.write(blob); }, 1);
        res.once('close', () => clearInterval(timer));
      });
      const error = await rejection(new MessagesClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 }).stream(request('hi')));
      assert.equal(error.kind, 'stream_too_large');
      assert.equal(textOf(error), 'Kept text');
    } finally {
      await server?.close();
    }
  });

  it('a server trickling one byte at a time times out on the idle limit, keeping the partial answer', async () => {
    // 20 ms a byte: an event of ~150 bytes takes 3 s, past the 1 s idle limit. Before the fix every
    // byte restarted the idle timer and this answer took minutes.
    const started = Date.now();
    const error = await rejection(client({ idleTimeoutMs: 1000 }).stream(request('[[fault:byteTrickle]] tell me a story')));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^The answer stalled: no complete event arrived for 1 seconds/);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  it('an answer that keeps streaming events stops at the overall answer limit with answer_timeout and the text so far', async () => {
    // slowTrickle sends every event, in small writes every 20 ms: always progressing, never done in 1.5 s.
    const error = await rejection(client({ idleTimeoutMs: 5000, answerTimeoutMs: 1500 }).stream(request('[[scenario:long]] [[fault:slowTrickle]] write a lot')));
    assert.equal(error.kind, 'answer_timeout');
    assert.match(error.message, /^The answer was stopped after 2 seconds, the limit set by aimlChat\.answerTimeoutMinutes\. The text received so far is kept\./);
    assert.ok(textOf(error).length > 0, 'the partial answer is kept');
  });

  it('a huge error body is read only up to its cap, and still explains the failure', async () => {
    const started = Date.now();
    const error = await rejection(client().stream(request('[[fault:hugeErrorBody]] hi')));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 500);
    assert.match(error.message, /^The AI\/ML API had an internal error \(HTTP 500\)\. Retry in a moment\. The API said: "\{"type":"error".*hugeErrorBody\) y+…"\.$/);
    const sent = await closedAfter('hugeErrorBody');
    assert.ok(sent < 64 * MAX_ERROR_BODY_BYTES, `the stand-in sent ${sent} bytes before the client closed`);
    assert.ok(Date.now() - started < 10_000);
  });

  it('a whole-body answer above the cap is refused with response_too_large (batch results)', async () => {
    let server: LoopbackServer | undefined;
    try {
      let written = 0;
      server = await startLoopback((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        const line = Buffer.from(`${JSON.stringify({ custom_id: 'x', result: { type: 'succeeded' } })}\n`.repeat(1000));
        const pump = () => { while (!res.destroyed && written < 512 * 1024 * 1024) { written += line.length; if (!res.write(line)) { res.once('drain', pump); return; } } };
        pump();
      });
      const limited = new MessagesClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
      const error = await rejection(limited.requestText('GET', '/v1/batches/b/results'));
      assert.equal(error.kind, 'response_too_large');
      assert.match(error.message, /^The AI\/ML API sent a response too large to read, so it was stopped\. Details: "the answer is larger than 64 MB; the rest was not read"\.$/);
      assert.ok(written < 256 * 1024 * 1024, `${written} bytes were sent`);
    } finally {
      await server?.close();
    }
  });
});
