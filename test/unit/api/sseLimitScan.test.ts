// The event-size limit is counted by scanning for line breaks with indexOf (src/core/api/sse.ts).
// These tests hold it to a character-by-character reference of the same rule: the characters of
// an event are counted from the last blank line, CR, LF and CRLF each end a line, and the first
// character past the limit is where the stream stops.
import { strict as assert } from 'node:assert';
import { SseDecoder } from '../../../src/core/api/sse';

/** Index of the first character past the limit, or -1: the rule counted one character at a time. */
function referenceCut(text: string, limit: number): number {
  let eventChars = 0;
  let lineChars = 0;
  let afterCR = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 && afterCR) { afterCR = false; continue; }
    if (c === 10 || c === 13) {
      if (lineChars === 0) eventChars = 0;
      lineChars = 0;
      afterCR = c === 13;
      continue;
    }
    afterCR = false;
    lineChars++;
    if (++eventChars > limit) return i;
  }
  return -1;
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Short SSE-like text, heavy in line endings of every kind so that every branch is crossed. */
function randomText(next: () => number): string {
  const parts = ['data: ', 'event: x', 'ab', 'é', '\n', '\r', '\r\n', '\n\n', '\r\r', 'data: {}', ':c'];
  let text = '';
  const length = 1 + Math.floor(next() * 40);
  for (let i = 0; i < length; i++) text += parts[Math.floor(next() * parts.length)];
  return text.endsWith('\r') ? `${text}\n` : text; // see the note on cuts below
}

function decode(text: string, limit: number, cuts: number[]): { events: string[]; overflowed: boolean } {
  const decoder = new SseDecoder(limit);
  const bytes = new TextEncoder().encode(text);
  const events: string[] = [];
  let from = 0;
  try {
    for (const cut of [...cuts, bytes.length]) {
      for (const event of decoder.push(bytes.subarray(from, cut))) events.push(`${event.event ?? ''}|${event.data}`);
      decoder.checkLimit();
      from = cut;
    }
    for (const event of decoder.end()) events.push(`${event.event ?? ''}|${event.data}`);
  } catch (error) {
    assert.equal((error as { kind?: string }).kind, 'stream_too_large');
    return { events, overflowed: true };
  }
  return { events, overflowed: false };
}

describe('SSE event limit scan', () => {
  it('stops at the same character as a character-by-character count (2,000 random texts, limits 1-12, random chunks)', () => {
    const next = random(15);
    let overflows = 0;
    for (let round = 0; round < 2000; round++) {
      const text = randomText(next);
      const limit = 1 + Math.floor(next() * 12);
      const cut = referenceCut(text, limit);
      const encoded = new TextEncoder().encode(text);
      // Not right after a CR (nor does a text end with one): there eventsource-parser's own buffer
      // limit (a backstop that counts the CR it holds back) may stop an event of exactly the limit.
      const cuts = [Math.floor(next() * encoded.length), Math.floor(next() * encoded.length)]
        .map((at) => (encoded[at - 1] === 13 ? at + 1 : at)).sort((a, b) => a - b);
      const actual = decode(text, limit, cuts);
      assert.equal(actual.overflowed, cut >= 0, `overflow of ${JSON.stringify(text)} at limit ${limit}`);
      if (cut < 0) continue;
      overflows++;
      // The events kept are those the text before the cut holds (parsed without a limit).
      const before = decode(text.slice(0, cut), Number.MAX_SAFE_INTEGER, []);
      assert.deepEqual(actual.events, before.events.slice(0, actual.events.length), JSON.stringify(text));
    }
    assert.ok(overflows > 200, `only ${overflows} texts crossed the limit`);
  });

  it('an event of exactly the limit passes; one character more stops', () => {
    assert.equal(decode('data: 1234\n\n', 10, []).overflowed, false);
    assert.equal(decode('data: 12345\n\n', 10, []).overflowed, true);
    // CRLF ends the line without counting; the blank line resets the count for the next event.
    assert.deepEqual(decode('data: 1234\r\n\r\ndata: 5678\r\n\r\n', 10, [3, 15]), { events: ['|1234', '|5678'], overflowed: false });
    // Two lines of one event count together.
    assert.equal(decode('data: 12\ndata: 34\n\n', 15, []).overflowed, true);
  });
});
