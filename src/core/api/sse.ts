// Server-sent events from a fetch body. Bytes go through one streaming UTF-8 TextDecoder
// (`stream: true`), so a character split across network chunks is decoded once it is whole, and the
// text feeds eventsource-parser, which handles lines split anywhere, including between CR and LF.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

export type { EventSourceMessage };

/** Push bytes in, get the complete events they finish. Keeps no reference to the chunks. */
export class SseDecoder {
  private readonly textDecoder = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private ready: EventSourceMessage[] = [];
  /** A CR at the very end of the text fed so far: the parser waits to see whether LF follows. */
  private endsWithCR = false;

  constructor() {
    this.parser = createParser({ onEvent: (event) => { this.ready.push(event); } });
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
    if (this.endsWithCR) this.feed('\n');
    return this.take();
  }

  private feed(text: string): void {
    if (!text) return;
    this.endsWithCR = text.charCodeAt(text.length - 1) === 13;
    this.parser.feed(text);
  }

  private take(): EventSourceMessage[] {
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
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* decoder.push(value);
    }
    finished = true;
    yield* decoder.end();
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
