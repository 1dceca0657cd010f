// The HTTP layer's rules at their edges: which statuses are retried and what the server's
// x-should-retry says, the backoff bounds and jitter, the sleep that an abort cuts short (and that
// leaves no listener), one attempt's timers and stop cause, bodies read up to their byte cap
// (clipped or refused), and the sentence each stop cause becomes.
import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { AimlApiError, errorFromResponse, makeError } from '../../../src/core/api/errors';
import {
  abortableSleep, Attempt, failureFromResponse, isRetryableStatus, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, readBodyText, retryDelayMs, toApiError, type TimeoutSettings,
} from '../../../src/core/api/transport';

const headers = (init: Record<string, string> = {}) => new Headers(init);
const timeouts: TimeoutSettings = { headersTimeoutMs: 5_000, idleTimeoutMs: 5_000, answerTimeoutMs: 60_000 };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function streamOf(chunks: Uint8Array[], keepOpen = false): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let wasCancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      if (!keepOpen) controller.close();
    },
    cancel() { wasCancelled = true; },
  });
  return { body, cancelled: () => wasCancelled };
}

describe('transport: retry policy, exact', () => {
  it('retries 408, 409, 429, 529 and every 5xx; nothing else', () => {
    for (const status of [408, 409, 429, 529, 500, 501, 503, 599]) assert.equal(isRetryableStatus(status, headers()), true, String(status));
    for (const status of [400, 401, 403, 404, 410, 413, 422, 428, 430, 499, 600, 200, 301]) assert.equal(isRetryableStatus(status, headers()), false, String(status));
  });

  it('x-should-retry decides when it says exactly true or false', () => {
    assert.equal(isRetryableStatus(400, headers({ 'x-should-retry': 'true' })), true);
    assert.equal(isRetryableStatus(529, headers({ 'x-should-retry': 'false' })), false);
    assert.equal(isRetryableStatus(503, headers({ 'x-should-retry': 'maybe' })), true);
    assert.equal(isRetryableStatus(400, headers({ 'x-should-retry': 'TRUE!' })), false);
  });

  it('backs off 0.5 s, 1 s, 2 s, 4 s, then 8 s at most', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map((index) => retryDelayMs(index, undefined, () => 0)), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('takes up to 25 % off as jitter, rounded to a millisecond', () => {
    assert.equal(retryDelayMs(0, undefined, () => 1), 375);
    assert.equal(retryDelayMs(4, undefined, () => 1), 6000);
    assert.equal(retryDelayMs(0, undefined, () => 0.5), 438); // 437.5 rounds up
    assert.equal(retryDelayMs(1, undefined, () => 0.1), 975);
  });

  it('waits exactly what the server asked, zero included', () => {
    assert.equal(retryDelayMs(3, 0, () => 1), 0);
    assert.equal(retryDelayMs(0, 12_345, () => 1), 12_345);
  });
});

describe('transport: abortableSleep, exact', () => {
  it('resolves after the time and removes its abort listener', async () => {
    const controller = new AbortController();
    await abortableSleep(5, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('rejects at once when already aborted, and when aborted while waiting', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(abortableSleep(10_000, controller.signal), { message: 'aborted' });
    const later = new AbortController();
    const started = Date.now();
    const sleeping = abortableSleep(10_000, later.signal);
    setTimeout(() => later.abort(), 10);
    await assert.rejects(sleeping, { message: 'aborted' });
    assert.ok(Date.now() - started < 5_000);
  });

  it('works without a signal', async () => {
    await abortableSleep(1);
  });
});

describe('transport: Attempt, exact', () => {
  it('an already aborted caller signal stops it as the user at once', () => {
    const controller = new AbortController();
    controller.abort();
    const attempt = new Attempt(controller.signal);
    assert.equal(attempt.stopCause, 'user');
    assert.equal(attempt.signal.aborted, true);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('a later abort of the caller stops it as the user; dispose removes the listener', () => {
    const controller = new AbortController();
    const attempt = new Attempt(controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort();
    assert.equal(attempt.stopCause, 'user');
    const other = new AbortController();
    const disposed = new Attempt(other.signal);
    disposed.dispose();
    assert.equal(getEventListeners(other.signal, 'abort').length, 0);
    other.abort();
    assert.equal(disposed.stopCause, undefined);
  });

  it('the first stop cause wins', () => {
    const attempt = new Attempt(undefined);
    attempt.stop('idle_timeout');
    attempt.stop('user');
    assert.equal(attempt.stopCause, 'idle_timeout');
    assert.equal(attempt.signal.aborted, true);
  });

  it('the armed timer fires with its cause; re-arming the same cause restarts it', async () => {
    const attempt = new Attempt(undefined);
    attempt.arm(60, 'idle_timeout');
    await tick(40);
    attempt.arm(60, 'idle_timeout');
    await tick(40);
    assert.equal(attempt.stopCause, undefined, 'restarted, so not yet fired');
    await tick(60);
    assert.equal(attempt.stopCause, 'idle_timeout');
  });

  it('re-arming the same cause restarts its timer instead of making one per chunk; another cause makes a new one', () => {
    const realSetTimeout = globalThis.setTimeout;
    let made = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => { made++; return realSetTimeout(...args); }) as typeof setTimeout;
    const attempt = new Attempt(undefined);
    try {
      for (let chunk = 0; chunk < 5; chunk++) attempt.arm(10_000, 'idle_timeout');
      assert.equal(made, 1);
      attempt.arm(10_000, 'headers_timeout');
      assert.equal(made, 2);
    } finally {
      globalThis.setTimeout = realSetTimeout;
      attempt.dispose();
    }
  });

  it('arming another cause replaces the timer; disarm stops it', async () => {
    const attempt = new Attempt(undefined);
    attempt.arm(20, 'headers_timeout');
    attempt.arm(10_000, 'idle_timeout');
    await tick(50);
    assert.equal(attempt.stopCause, undefined);
    attempt.disarm();
    const other = new Attempt(undefined);
    other.arm(20, 'headers_timeout');
    other.disarm();
    other.arm(20, 'headers_timeout');
    await tick(60);
    assert.equal(other.stopCause, 'headers_timeout');
    attempt.dispose();
  });

  it('the answer deadline fires once, is never restarted, and is not started for 0 or Infinity', async () => {
    const attempt = new Attempt(undefined);
    attempt.startDeadline(40);
    await tick(20);
    attempt.startDeadline(10_000);
    await tick(60);
    assert.equal(attempt.stopCause, 'answer_timeout');
    for (const ms of [0, -5, Number.POSITIVE_INFINITY, Number.NaN]) {
      const unbounded = new Attempt(undefined);
      unbounded.startDeadline(ms);
      await tick(5);
      assert.equal(unbounded.stopCause, undefined, String(ms));
    }
    const first = new Attempt(undefined);
    first.startDeadline(10_000);
    first.startDeadline(20);
    await tick(60);
    assert.equal(first.stopCause, undefined, 'a second start does not replace the first deadline');
    first.dispose();
    const disposed = new Attempt(undefined);
    disposed.startDeadline(20);
    disposed.dispose();
    await tick(50);
    assert.equal(disposed.stopCause, undefined, 'dispose clears the deadline');
  });

  it('stop clears the deadline and the timer, and cancels the body being read', async () => {
    const attempt = new Attempt(undefined);
    const { body, cancelled } = streamOf([new Uint8Array([1])], true);
    assert.ok(attempt.readerFor(new Response(body)));
    attempt.arm(10_000, 'idle_timeout');
    attempt.startDeadline(10_000);
    attempt.stop('user');
    await tick(1);
    assert.equal(cancelled(), true);
    assert.equal(attempt.stopCause, 'user');
  });

  it('dispose cancels a body that was not read to its end', async () => {
    const attempt = new Attempt(undefined);
    const { body, cancelled } = streamOf([new Uint8Array([1])], true);
    attempt.readerFor(new Response(body));
    attempt.dispose();
    await tick(1);
    assert.equal(cancelled(), true);
    assert.equal(new Attempt(undefined).readerFor(new Response(null)), undefined);
  });
});

describe('transport: readBodyText, exact', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('reads a body of exactly the cap; one byte more is refused with response_too_large and the rest cancelled', async () => {
    const atCap = await readBodyText(new Response(streamOf([bytes('abc'), bytes('de')]).body), new Attempt(undefined), timeouts, { maxBytes: 5, overflow: 'refuse' });
    assert.equal(atCap, 'abcde');
    const over = streamOf([bytes('abc'), bytes('def')], true);
    const error = await readBodyText(new Response(over.body), new Attempt(undefined), timeouts, { maxBytes: 5, overflow: 'refuse' }).then(() => assert.fail('read past the cap'), (e: unknown) => e);
    assert.ok(error instanceof AimlApiError);
    assert.equal(error.kind, 'response_too_large');
    assert.match(error.message, /the answer is larger than 0 MB; the rest was not read/);
    await tick(1);
    assert.equal(over.cancelled(), true);
  });

  it('states the default cap in megabytes', async () => {
    const attempt = new Attempt(undefined);
    const big = new Uint8Array(MAX_BODY_BYTES + 1);
    const error = await readBodyText(new Response(streamOf([big]).body), attempt, timeouts).then(() => assert.fail('read past the cap'), (e: unknown) => e);
    assert.ok(error instanceof AimlApiError);
    assert.match(error.message, /the answer is larger than 64 MB; the rest was not read/);
  });

  it('clips at the cap, keeping exactly the first bytes, and a character cut there', async () => {
    const clip = { maxBytes: 5, overflow: 'clip' } as const;
    assert.equal(await readBodyText(new Response(streamOf([bytes('ab'), bytes('cdefgh'), bytes('ij')]).body), new Attempt(undefined), timeouts, clip), 'abcde');
    assert.equal(await readBodyText(new Response(streamOf([bytes('abcd'), bytes('é')]).body), new Attempt(undefined), timeouts, clip), 'abcd\uFFFD');
    assert.equal(await readBodyText(new Response(streamOf([bytes('a'), bytes('é')]).body), new Attempt(undefined), timeouts, clip), 'aé');
    assert.equal(MAX_ERROR_BODY_BYTES, 64 * 1024);
  });

  it('decodes a character split across chunks, and a body without one is empty', async () => {
    const e = bytes('é');
    assert.equal(await readBodyText(new Response(streamOf([bytes('x'), e.subarray(0, 1), e.subarray(1)]).body), new Attempt(undefined), timeouts), 'xé');
    assert.equal(await readBodyText(new Response(null), new Attempt(undefined), timeouts), '');
  });

  it('a body silent from its start stops at the idle limit', async () => {
    const attempt = new Attempt(undefined);
    await assert.rejects(readBodyText(new Response(streamOf([], true).body), attempt, { ...timeouts, idleTimeoutMs: 50 }));
    assert.equal(attempt.stopCause, 'idle_timeout');
  });

  it('a body that goes silent stops at the idle limit; a steady one is read', async () => {
    const attempt = new Attempt(undefined);
    const silent = streamOf([bytes('a')], true);
    await assert.rejects(readBodyText(new Response(silent.body), attempt, { ...timeouts, idleTimeoutMs: 50 }), { message: 'stopped' });
    assert.equal(attempt.stopCause, 'idle_timeout');
    let sent = 0;
    const steady = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await tick(20);
        if (sent++ < 5) controller.enqueue(bytes('s')); else controller.close();
      },
    });
    const reader = new Attempt(undefined);
    assert.equal(await readBodyText(new Response(steady), reader, { ...timeouts, idleTimeoutMs: 200 }), 'sssss');
    assert.equal(reader.stopCause, undefined);
    await tick(250);
    assert.equal(reader.stopCause, undefined, 'the idle timer is cleared at the end');
  });
});

describe('transport: errors, exact', () => {
  const stopped = (cause?: 'user' | 'headers_timeout' | 'idle_timeout' | 'answer_timeout') => {
    const attempt = new Attempt(undefined);
    if (cause) attempt.stop(cause);
    return attempt;
  };

  it('the stop cause wins over the thrown value, with its own sentence', () => {
    const thrown = makeError('server');
    assert.equal(toApiError(thrown, stopped('user'), timeouts, []).kind, 'aborted');
    const headersError = toApiError(thrown, stopped('headers_timeout'), { ...timeouts, headersTimeoutMs: 1_500 }, []);
    assert.equal(headersError.kind, 'timeout');
    assert.equal(headersError.message, 'The AI/ML API did not start answering within 2 seconds. Retry, or raise the aimlChat.requestTimeoutSeconds setting.');
    const idle = toApiError(thrown, stopped('idle_timeout'), { ...timeouts, idleTimeoutMs: 90_400 }, []);
    assert.equal(idle.kind, 'timeout');
    assert.equal(idle.message, 'The answer stalled: no complete event arrived for 90 seconds. Retry, or raise the aimlChat.requestTimeoutSeconds setting.');
    const answer = toApiError(thrown, stopped('answer_timeout'), timeouts, []);
    assert.equal(answer.kind, 'answer_timeout');
    assert.equal(answer.message, 'The answer was stopped after 1 minute, the limit set by aimlChat.answerTimeoutMinutes. The text received so far is kept. Retry, or raise the setting.');
  });

  it('states the answer limit in whole or tenth minutes, or in seconds below a minute', () => {
    const sentence = (answerTimeoutMs: number) => /stopped after (.*), the limit/.exec(toApiError(undefined, stopped('answer_timeout'), { ...timeouts, answerTimeoutMs }, []).message)![1];
    assert.equal(sentence(30 * 60_000), '30 minutes');
    assert.equal(sentence(60_000), '1 minute');
    assert.equal(sentence(90_000), '1.5 minutes');
    assert.equal(sentence(61_000), '1.0 minutes');
    assert.equal(sentence(59_999), '60 seconds');
    assert.equal(sentence(400), '1 seconds');
    assert.equal(sentence(1_600), '2 seconds');
  });

  it('without a stop cause: an API error stays itself, anything else is a network error with the key redacted', () => {
    const own = makeError('overloaded');
    assert.equal(toApiError(own, stopped(), timeouts, []), own);
    const network = toApiError(new Error('connect ECONNREFUSED with sk-secret-key-1234567'), stopped(), timeouts, ['sk-secret-key-1234567']);
    assert.equal(network.kind, 'network');
    assert.equal(network.info.retryable, true);
    assert.match(network.message, /ECONNREFUSED/);
    assert.doesNotMatch(network.message, /sk-secret-key-1234567/);
  });

  it('a failed response: the error of its status and body, retryable by the policy', async () => {
    const response = new Response('{"type":"error","error":{"type":"overloaded_error","message":"Busy now"}}', { status: 529, headers: { 'content-type': 'application/json' } });
    const failure = await failureFromResponse(response, new Attempt(undefined), timeouts, [], Date.now);
    assert.equal(failure.error.kind, 'overloaded');
    assert.equal(failure.error.status, 529);
    assert.match(failure.error.message, /Busy now/);
    assert.equal(failure.retryable, true);
    const refused = await failureFromResponse(new Response('{"type":"error","error":{"type":"overloaded_error","message":"no"}}', { status: 529, headers: { 'x-should-retry': 'false' } }), new Attempt(undefined), timeouts, [], Date.now);
    assert.equal(refused.retryable, false);
  });

  it('a failed response whose body breaks off is still explained by its status', async () => {
    const broken = new ReadableStream<Uint8Array>({ start(controller) { controller.error(new Error('reset')); } });
    const failure = await failureFromResponse(new Response(broken, { status: 503 }), new Attempt(undefined), timeouts, [], Date.now);
    assert.equal(failure.error.kind, 'server');
    assert.equal(failure.error.status, 503);
    assert.equal(failure.retryable, true);
    assert.equal(failure.error.message, errorFromResponse(503, new Headers(), '', [], Date.now).message);
  });

  it('an endless error body is read only up to its cap', async () => {
    const chunk = new Uint8Array(40 * 1024).fill(120);
    const endless = new ReadableStream<Uint8Array>({ pull(controller) { controller.enqueue(chunk); } });
    const failure = await failureFromResponse(new Response(endless, { status: 500 }), new Attempt(undefined), timeouts, [], Date.now);
    assert.equal(failure.error.kind, 'server');
  });

  it('a failed response read after the user stopped is aborted, never retried', async () => {
    const attempt = stopped('user');
    const failure = await failureFromResponse(new Response('{}', { status: 529 }), attempt, timeouts, [], Date.now);
    assert.equal(failure.error.kind, 'aborted');
    assert.equal(failure.retryable, false);
  });
});
