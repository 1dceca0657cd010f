// Server-sent events from a fetch body. Bytes go through one streaming UTF-8 TextDecoder
// (`stream: true`), so a character split across network chunks is decoded once it is whole, and the
// text feeds eventsource-parser, which handles lines split anywhere, including between CR and LF.
// The parser buffers an unfinished line and an unfinished event; `maxBufferSize` bounds both, so a
// server (or proxy) that sends bytes without ever ending a line cannot grow memory without limit.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { makeError } from './errors';

export type { EventSourceMessage };

/**
 * Largest event accepted, in characters (about 8 MB of text). Real events are deltas of a few
 * hundred bytes; the largest, a server tool's result block, stays far below this.
 */
export const MAX_SSE_EVENT_CHARS = 8 * 1024 * 1024;

/** Push bytes in, get the complete events they finish. Keeps no reference to the chunks. */
export class SseDecoder {
  private readonly textDecoder = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private ready: EventSourceMessage[] = [];
  /** A CR at the very end of the text fed so far: the parser waits to see whether LF follows. */
  // Stryker disable next-line BooleanLiteral: before any text, end() would feed the parser a lone '\n', a blank line that completes no event.
  private endsWithCR = false;
  private overflowed = false;
  /** Characters since the last blank line (the raw size of the event being received). */
  private eventChars = 0;
  private lineChars = 0;
  // Stryker disable next-line BooleanLiteral: at the very start, an LF taken for a CRLF's second half only skips resetting counts that are 0 already.
  private afterCR = false;

  constructor(private readonly maxEventChars = MAX_SSE_EVENT_CHARS) {
    this.parser = createParser({
      onEvent: (event) => { this.ready.push(event); },
      // Stryker disable next-line BlockStatement,ConditionalExpression,StringLiteral: never reached: withinLimit stops an event before the parser buffers maxEventChars.
      onError: (error) => { if (error.type === 'max-buffer-size-exceeded') this.overflowed = true; },
      // A backstop: the count in `withinLimit` stops an event before the parser buffers this much.
      maxBufferSize: maxEventChars,
    });
  }

  push(chunk: Uint8Array): EventSourceMessage[] {
    this.feed(this.textDecoder.decode(chunk, { stream: true }));
    return this.take();
  }

  /**
   * Flushes the decoder at the end of the body. An event without its closing blank line is
   * dropped, as the SSE standard says: it may have been cut off.
   */
  end(): EventSourceMessage[] {
    this.feed(this.textDecoder.decode());
    // The body is over, so a trailing lone CR was a whole line ending: complete it as CRLF.
    if (this.endsWithCR && !this.overflowed) this.feed('\n');
    return this.take();
  }

  /**
   * Throws the `stream_too_large` error once an event (or a line) grew past the limit. Called
   * after the events of a push are handled, so those completed before the oversized one are kept.
   */
  checkLimit(): void {
    if (this.overflowed) throw this.overflowError();
  }

  private feed(text: string): void {
    this.checkLimit(); // nothing is parsed after an overflow
    // Only the text before the oversized event reaches the parser, so the events completed before
    // it are the same however the network cut the bytes.
    const fed = text.slice(0, this.withinLimit(text));
    // Empty text (the decoder's flush, mostly) must not clear endsWithCR.
    if (fed) {
      this.endsWithCR = fed.charCodeAt(fed.length - 1) === 13;
      this.parser.feed(fed);
    }
  }

  /**
   * How much of `text` keeps every event within the limit, counted on the text itself (not on what
   * the parser happens to buffer), so the outcome does not depend on where chunks were cut.
   */
  private withinLimit(text: string): number {
    // Runs of ordinary characters are measured between line breaks found by indexOf (native),
    // not character by character: this scan sees every byte of the stream.
    const end = text.length;
    let lf = text.indexOf('\n');
    if (lf < 0) lf = end;
    let cr = text.indexOf('\r');
    if (cr < 0) cr = end;
    for (let i = 0; i < end; i++) {
      // Stryker disable next-line EqualityOperator: `<=` differs only when lf === cr, i.e. both are `end` (neither found), and then either is end.
      const lineBreak = lf < cr ? lf : cr;
      const run = lineBreak - i;
      if (run > 0) {
        this.afterCR = false;
        if (this.eventChars + run > this.maxEventChars) {
          this.overflowed = true;
          return i + this.maxEventChars - this.eventChars; // the first character past the limit
        }
        // Stryker disable next-line AssignmentOperator: lineChars is only compared with 0, and run > 0 either way.
        this.lineChars += run;
        this.eventChars += run;
        if (lineBreak === end) return end;
        i = lineBreak;
      }
      if (text.charCodeAt(i) === 10 && this.afterCR) {
        this.afterCR = false; // the LF of a CRLF
      } else {
        if (this.lineChars === 0) this.eventChars = 0; // a blank line ends the event
        this.lineChars = 0;
        this.afterCR = text.charCodeAt(i) === 13;
      }
      // Stryker disable next-line ConditionalExpression: refreshing when not needed (`true`) searches from i + 1 and finds the same next break, since lf > i.
      if (lf <= i) {
        lf = text.indexOf('\n', i + 1);
        // Stryker disable next-line EqualityOperator: indexOf from i + 1 never answers 0, so `<= 0` is the same test as `< 0`.
        if (lf < 0) lf = end;
      }
      // Stryker disable next-line ConditionalExpression: refreshing when not needed (`true`) searches from i + 1 and finds the same next break, since cr > i.
      if (cr <= i) {
        cr = text.indexOf('\r', i + 1);
        // Stryker disable next-line EqualityOperator: indexOf from i + 1 never answers 0, so `<= 0` is the same test as `< 0`.
        if (cr < 0) cr = end;
      }
    }
    return end;
  }

  private overflowError(): Error {
    // Stated in megabytes: the limit counts characters, which are bytes for the JSON of events.
    const megabytes = Math.round(this.maxEventChars / (1024 * 1024));
    return makeError('stream_too_large', {
      message: `The answer stream sent one event larger than ${megabytes > 0 ? `${megabytes} MB` : `${this.maxEventChars} characters`} (or text without line breaks), so it was stopped. The text received so far is kept. Retry; if it happens again, check the proxy or gateway set in aimlChat.baseUrl.`,
    });
  }

  private take(): EventSourceMessage[] {
    // Stryker disable next-line ConditionalExpression: a shortcut only: without it (`false`) the empty list itself is returned and replaced by a new empty one.
    if (this.ready.length === 0) return noEvents;
    const events = this.ready;
    this.ready = [];
    return events;
  }
}

const noEvents: EventSourceMessage[] = [];

/** Yields the events of a whole body. Stopping early (break, throw) cancels the body. */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const reader = body.getReader();
  const decoder = new SseDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* decoder.push(value);
      decoder.checkLimit();
    }
    yield* decoder.end();
  } finally {
    // Cancels a body left unread (stopped early, an oversized event); on a body read to its end
    // cancel() does nothing, so no flag tells the two apart.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
