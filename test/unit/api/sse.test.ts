// The decoder must give the same events whatever the network does to the bytes: every fixture is
// split at every byte offset (inside multi-byte characters and between CR and LF included) and
// must produce the same final message, or the same error and partial message.
import { strict as assert } from 'node:assert';
import { SseDecoder, readSseEvents } from '../../../src/core/api/sse';
import { fixtureBytes, fixtureNames, replay } from './helpers';

const encoder = new TextEncoder();

function collect(chunks: Uint8Array[]) {
  const decoder = new SseDecoder();
  const events = chunks.flatMap((chunk) => decoder.push(chunk));
  return [...events, ...decoder.end()];
}

describe('SSE decoding', function () {
  // Thousands of replays per fixture: allow for a slow or busy machine (no speed is asserted).
  this.timeout(120_000);
  it('has recorded fixtures to replay, one with CRLF line endings', () => {
    const names = fixtureNames();
    assert.ok(names.length >= 11, `only ${names.length} fixtures`);
    assert.ok(names.some((name) => Buffer.from(fixtureBytes(name)).includes('\r\n')), 'no fixture uses CRLF');
  });

  for (const name of fixtureNames()) {
    it(`${name}: every two-way split gives the same result as the whole body`, () => {
      const bytes = fixtureBytes(name);
      const whole = replay([bytes]);
      assert.ok(whole.events.length > 0);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const split = replay([bytes.subarray(0, cut), bytes.subarray(cut)]);
        assert.deepEqual(split.message, whole.message, `split at byte ${cut}`);
        assert.deepEqual(split.partial, whole.partial, `split at byte ${cut}`);
        assert.equal(split.events.length, whole.events.length, `split at byte ${cut}`);
        assert.equal(String(split.error ?? ''), String(whole.error ?? ''), `split at byte ${cut}`);
      }
    });

    it(`${name}: one byte at a time gives the same result`, () => {
      const bytes = fixtureBytes(name);
      const whole = replay([bytes]);
      const single = replay(Array.from(bytes, (_, index) => bytes.subarray(index, index + 1)));
      assert.deepEqual(single.message, whole.message);
      assert.deepEqual(single.partial, whole.partial);
    });
  }

  it('splits inside a four-byte character without producing replacement characters', () => {
    const bytes = encoder.encode('event: x\ndata: {"t":"🎉"}\n\n');
    const emoji = bytes.indexOf(0xf0);
    for (let offset = 1; offset < 4; offset++) {
      const events = collect([bytes.subarray(0, emoji + offset), bytes.subarray(emoji + offset)]);
      assert.deepEqual(events.map((event) => event.data), ['{"t":"🎉"}']);
    }
  });

  it('treats CR and LF split across chunks as one line ending, not two', () => {
    const events = collect([encoder.encode('event: a\r'), encoder.encode('\ndata: 1\r'), encoder.encode('\n\r'), encoder.encode('\nevent: b\r\ndata: 2\r\n\r\n')]);
    assert.deepEqual(events.map((event) => [event.event, event.data]), [['a', '1'], ['b', '2']]);
  });

  it('accepts lone CR line endings and a leading byte order mark', () => {
    const events = collect([new Uint8Array([0xef, 0xbb, 0xbf]), encoder.encode('event: a\rdata: 1\r\r')]);
    assert.deepEqual(events.map((event) => [event.event, event.data]), [['a', '1']]);
  });

  it('drops an event cut off before its blank line', () => {
    const events = collect([encoder.encode('data: {"complete":true}\n\ndata: {"cut":')]);
    assert.deepEqual(events.map((event) => event.data), ['{"complete":true}']);
  });

  it('readSseEvents reads a ReadableStream body and cancels it when the reader stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: 1\n\ndata: 2\n\n'));
      },
      cancel() { cancelled = true; },
    });
    const seen: string[] = [];
    for await (const event of readSseEvents(body)) {
      seen.push(event.data);
      if (seen.length === 1) break;
    }
    assert.deepEqual(seen, ['1']);
    assert.equal(cancelled, true);
  });
});
