// Retry timing and timeouts with a fake clock (@sinonjs/fake-timers) and an in-process fetch:
// nothing really waits, and the test reads when each attempt happened on the fake clock.
import { strict as assert } from 'node:assert';
import * as FakeTimers from '@sinonjs/fake-timers';
import { MessagesClient, type MessagesClientOptions } from '../../../src/core/api/client';
import { AimlApiError } from '../../../src/core/api/errors';
import type { MessagesRequest } from '../../../src/core/api/types';
import { fixtureBytes } from './helpers';

const request: MessagesRequest = { model: 'claude-haiku-4-5', max_tokens: 512, messages: [{ role: 'user', content: 'Hi' }] };
const sseHeaders = { 'content-type': 'text/event-stream' };

type Reply = (init: RequestInit) => Response | Promise<Response>;

const errorReply = (status: number, headers: Record<string, string> = {}): Reply => () =>
  new Response(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), { status, headers: { 'content-type': 'application/json', ...headers } });
const okReply: Reply = () => new Response(fixtureBytes('text-answer'), { status: 200, headers: sseHeaders });
/** Never answers; rejects when the request's signal aborts, as fetch does. */
const hangingReply: Reply = (init) => new Promise((_resolve, reject) => {
  init.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
});

describe('MessagesClient retries and timeouts on a fake clock', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  let callTimes: number[];

  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
    callTimes = [];
  });
  afterEach(() => clock.uninstall());

  function client(replies: Reply[], options: Partial<MessagesClientOptions> = {}) {
    return new MessagesClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'test-key-123',
      random: () => 0,
      fetch: async (_url, init) => {
        callTimes.push(Date.now());
        const reply = replies[Math.min(callTimes.length - 1, replies.length - 1)];
        return reply(init ?? {});
      },
      ...options,
    });
  }

  /** Settles the promise while the fake clock advances; returns the error or the value. */
  async function settle<T>(promise: Promise<T>, advanceMs: number): Promise<{ value?: T; error?: AimlApiError }> {
    const outcome = promise.then((value) => ({ value }), (error: AimlApiError) => ({ error }));
    await clock.tickAsync(advanceMs);
    return outcome;
  }

  it('backs off 0.5 s then 1 s between attempts', async () => {
    const { value } = await settle(client([errorReply(529), errorReply(529), okReply]).stream(request), 5_000);
    assert.equal(value?.id, 'msg_01TextAnswer');
    assert.deepEqual(callTimes, [0, 500, 1500]);
  });

  it('applies up to 25 % jitter below the backoff', async () => {
    await settle(client([errorReply(500), errorReply(500), okReply], { random: () => 1 }).stream(request), 5_000);
    assert.deepEqual(callTimes, [0, 375, 1125]);
  });

  it('caps the backoff at 8 s', async () => {
    const replies = [errorReply(503), errorReply(503), errorReply(503), errorReply(503), errorReply(503), errorReply(503), okReply];
    await settle(client(replies, { maxRetries: 6 }).stream(request), 60_000);
    const gaps = callTimes.slice(1).map((time, index) => time - callTimes[index]);
    assert.deepEqual(gaps, [500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('stops after two retries (three attempts)', async () => {
    const { error } = await settle(client([errorReply(529)]).stream(request), 10_000);
    assert.equal(error?.kind, 'overloaded');
    assert.equal(callTimes.length, 3);
  });

  it('waits what retry-after-ms, retry-after seconds and an HTTP date ask, capped at 60 s', async () => {
    const replies = [
      errorReply(429, { 'retry-after-ms': '1234' }),
      errorReply(429, { 'retry-after': '3' }),
      errorReply(429, { 'retry-after': new Date(1234 + 3000 + 5000).toUTCString() }),
      errorReply(429, { 'retry-after': '3600' }),
      okReply,
    ];
    await settle(client(replies, { maxRetries: 4 }).stream(request), 120_000);
    const gaps = callTimes.slice(1).map((time, index) => time - callTimes[index]);
    // The HTTP date has whole seconds: 9234 ms after 0 is rounded down to 9000, 4766 ms after the 2nd call.
    assert.deepEqual(gaps, [1234, 3000, 4766, 60_000]);
  });

  it('honours x-should-retry: false even on 529', async () => {
    const { error } = await settle(client([errorReply(529, { 'x-should-retry': 'false' }), okReply]).stream(request), 5_000);
    assert.equal(error?.kind, 'overloaded');
    assert.deepEqual(callTimes, [0]);
  });

  it('header timeout: each attempt waits headersTimeoutMs, then the error is a timeout', async () => {
    const { error } = await settle(client([hangingReply], { headersTimeoutMs: 60_000 }).stream(request), 200_000);
    assert.equal(error?.kind, 'timeout');
    assert.deepEqual(callTimes, [0, 60_500, 121_500]);
  });

  it('idle timeout: fires only after idleTimeoutMs of silence, then no retry and the partial answer', async () => {
    let cancelled = false;
    const prefix = Buffer.from(fixtureBytes('text-answer'));
    const firstDelta = prefix.indexOf('\n\n', prefix.indexOf('"Hello"')) + 2;
    const stalled: Reply = () => new Response(new ReadableStream<Uint8Array>({
      start(controller) { controller.enqueue(prefix.subarray(0, firstDelta)); },
      cancel() { cancelled = true; },
    }), { status: 200, headers: sseHeaders });
    const promise = client([stalled], { idleTimeoutMs: 30_000 }).stream(request);
    let settled = false;
    void promise.catch(() => undefined).finally(() => { settled = true; });
    await clock.tickAsync(29_999);
    assert.equal(settled, false, 'gave up before the idle timeout');
    const { error } = await settle(promise, 1);
    assert.equal(error?.kind, 'timeout');
    assert.equal((error?.partial?.content[0] as { text: string }).text, 'Hello');
    assert.equal(cancelled, true, 'the body was not cancelled');
    assert.deepEqual(callTimes, [0]);
  });

  it('a body that errors after content is final: network error with partial, no retry', async () => {
    const prefix = Buffer.from(fixtureBytes('text-answer'));
    let pulls = 0;
    // First read: the start of the answer; second read: the connection breaks.
    const broken: Reply = () => new Response(new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(prefix.subarray(0, prefix.indexOf('\n\n', prefix.indexOf('"Hello"')) + 2));
        else controller.error(new TypeError('terminated'));
      },
    }), { status: 200, headers: sseHeaders });
    const { error } = await settle(client([broken, okReply]).stream(request), 5_000);
    assert.equal(error?.kind, 'network');
    assert.equal((error?.partial?.content[0] as { text: string }).text, 'Hello');
    assert.deepEqual(callTimes, [0]);
  });

  it('abort during the backoff wait rejects at once with aborted', async () => {
    const controller = new AbortController();
    const promise = client([errorReply(529), okReply]).stream(request, { signal: controller.signal });
    await clock.tickAsync(100);
    controller.abort();
    const { error } = await settle(promise, 0);
    assert.equal(error?.kind, 'aborted');
    assert.deepEqual(callTimes, [0]);
    assert.equal(clock.countTimers(), 0, 'a timer was left running');
  });
});
