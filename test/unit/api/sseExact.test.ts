// SseDecoder's limit counted exactly (the boundary, per event, CRLF as one line ending), the
// stream_too_large sentence, a trailing CR completed at the end of the body, and readSseEvents
// cancelling the body only when it stops early.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import { MAX_SSE_EVENT_CHARS, SseDecoder, readSseEvents } from '../../../src/core/api/sse';

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
const data = (events: { data: string }[]) => events.map((event) => event.data);

function tooLarge(run: () => unknown, message?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AimlApiError, String(error));
    assert.equal(error.kind, 'stream_too_large');
    if (message) assert.equal(error.message, message);
    return true;
  });
}

describe('SseDecoder: the limit, exactly', () => {
  it('accepts an event of exactly the limit and refuses one character more', () => {
    const atLimit = new SseDecoder(10);
    assert.deepEqual(data(atLimit.push(bytes('data: 1234\n\n'))), ['1234']);
    atLimit.checkLimit();
    const over = new SseDecoder(10);
    assert.deepEqual(over.push(bytes('data: 12345\n\n')), []);
    tooLarge(() => over.checkLimit());
  });

  it('counts each event on its own, and CRLF as one line ending', () => {
    const decoder = new SseDecoder(10);
    assert.deepEqual(data(decoder.push(bytes('data: 1234\r\n\r\ndata: 5678\r\n\r\n'))), ['1234', '5678']);
    decoder.checkLimit();
    // Two lines of one event add up, across CRLF line endings.
    const lines = new SseDecoder(15);
    lines.push(bytes('data: 12345\r\ndata: 12345\r\n\r\n'));
    tooLarge(() => lines.checkLimit());
  });

  it('keeps the events before the oversized one, then refuses every further push', () => {
    const decoder = new SseDecoder(10);
    assert.deepEqual(data(decoder.push(bytes('data: 1\n\ndata: 1234567890\n\n'))), ['1']);
    tooLarge(() => decoder.checkLimit());
    tooLarge(() => decoder.push(bytes('data: 2\n\n')));
    tooLarge(() => decoder.end());
  });

  it('states the limit in characters below a megabyte, in megabytes above', () => {
    const advice = ' (or text without line breaks), so it was stopped. The text received so far is kept. Retry; if it happens again, check the proxy or gateway set in aimlChat.baseUrl.';
    const small = new SseDecoder(10);
    small.push(bytes('data: 12345'));
    tooLarge(() => small.checkLimit(), `The answer stream sent one event larger than 10 characters${advice}`);
    const big = new SseDecoder(3 * 1024 * 1024);
    big.push(bytes(`data: ${'a'.repeat(3 * 1024 * 1024)}`));
    tooLarge(() => big.checkLimit(), `The answer stream sent one event larger than 3 MB${advice}`);
    assert.equal(MAX_SSE_EVENT_CHARS, 8 * 1024 * 1024);
  });
});

describe('SseDecoder: the end of the body', () => {
  it('completes a trailing lone CR as a line ending', () => {
    const decoder = new SseDecoder();
    assert.deepEqual(decoder.push(bytes('data: 1\r\r')), []);
    assert.deepEqual(data(decoder.end()), ['1']);
  });

  it('drops an event whose body ended after a line break but before the blank line', () => {
    for (const tail of ['data: cut\n', 'data: cut\r\n', 'event: x\ndata: cut\n']) {
      const decoder = new SseDecoder();
      assert.deepEqual(data(decoder.push(bytes(`data: whole\n\n${tail}`))), ['whole'], JSON.stringify(tail));
      assert.deepEqual(decoder.end(), [], JSON.stringify(tail));
    }
  });

  it('returns nothing more at the end of a body that ended cleanly', () => {
    const decoder = new SseDecoder();
    assert.deepEqual(data(decoder.push(bytes('data: 1\n\n'))), ['1']);
    assert.deepEqual(decoder.end(), []);
  });

  it('flushes a character cut at the end into the last event', () => {
    const decoder = new SseDecoder();
    const whole = bytes('data: é\n\n');
    assert.deepEqual(decoder.push(whole.subarray(0, 7)), []);
    assert.deepEqual(data(decoder.push(whole.subarray(7))), ['é']);
  });
});

describe('readSseEvents: the body', () => {
  const body = (chunks: string[], onCancel: () => void) => new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(bytes(chunk));
      controller.close();
    },
    cancel: onCancel,
  });

  it('reads to the end, the last event included, without cancelling', async () => {
    let cancelled = false;
    const seen: string[] = [];
    for await (const event of readSseEvents(body(['data: 1\n\nda', 'ta: 2\r\r'], () => { cancelled = true; }))) seen.push(event.data);
    assert.deepEqual(seen, ['1', '2']);
    assert.equal(cancelled, false);
  });

  it('stops with stream_too_large on an oversized event and cancels the body', async () => {
    let cancelled = false;
    const seen: string[] = [];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('data: first\n\n'));
        controller.enqueue(bytes(`data: ${'x'.repeat(MAX_SSE_EVENT_CHARS)}`));
      },
      cancel() { cancelled = true; },
    });
    await assert.rejects(async () => { for await (const event of readSseEvents(stream)) seen.push(event.data); }, (error: unknown) => error instanceof AimlApiError && error.kind === 'stream_too_large');
    assert.deepEqual(seen, ['first']);
    assert.equal(cancelled, true);
  });
});
