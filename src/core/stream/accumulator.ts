// Builds the assistant message from streamed events: event + snapshot -> snapshot.
// The snapshot is updated in place (one object per answer, no copy per token). Tool input arrives
// as JSON text cut at arbitrary points; the fragments are collected (see ToolInputText) and joined
// and parsed once at content_block_stop, so the work is linear in the size of the input (re-parsing
// the growing text on every fragment would be quadratic).
import { makeError } from '../api/errors';
import { isTextBlock, isThinkingBlock, type ContentBlock } from '../../shared/model';
import type { ApiMessage, GatewayUsage, StreamEvent } from '../api/types';

function protocolError(detail: string) {
  return makeError('malformed_response', { detail });
}

function mergeGatewayUsage(message: ApiMessage, meta: { usage?: GatewayUsage } | undefined): void {
  if (!meta?.usage) return;
  message.meta = { ...message.meta, usage: { ...message.meta?.usage, ...meta.usage } };
}

/** Parses the joined fragments of a tool input; empty text means no arguments. */
export function parseToolInput(fragments: readonly string[]): unknown {
  // Stryker disable next-line ConditionalExpression: a shortcut; joining one fragment gives the same text
  const text = fragments.length === 1 ? fragments[0] : fragments.join('');
  if (text.trim() === '') return {};
  return JSON.parse(text);
}

/**
 * Characters of tool input after which the small fragments received so far are joined into one
 * piece. A large input arrives in tens of thousands of fragments of a few dozen characters; kept
 * one by one until the end, each would survive garbage collections (copied, then promoted), which
 * cost more than parsing the stream (docs/BENCHMARKS.md). Joined early, they die young.
 */
export const TOOL_INPUT_FOLD_CHARS = 8 * 1024;

/** The text of one tool input as it streams in. */
class ToolInputText {
  private readonly pieces: string[] = [];
  private recent: string[] = [];
  private recentChars = 0;

  add(fragment: string): void {
    this.recent.push(fragment);
    this.recentChars += fragment.length;
    if (this.recentChars >= TOOL_INPUT_FOLD_CHARS) {
      this.pieces.push(this.recent.join(''));
      this.recent = [];
      this.recentChars = 0;
    }
  }

  /** Everything received so far, in order. */
  fragments(): string[] {
    return this.recent.length === 0 ? this.pieces : [...this.pieces, ...this.recent];
  }
}

/**
 * Characters of streamed text after which a block's text is rebuilt from the pieces received since
 * the last time, joined into one. Appending each delta (1 to 6 characters, tens of thousands per
 * answer) to the block's string makes a chain of small strings that stays alive until the end, so
 * every garbage collection copies it (docs/BENCHMARKS.md, host side per event). Rebuilt every 8 K
 * characters, the chain of the last few thousand deltas dies young and the text is a few large pieces.
 */
export const TEXT_FOLD_CHARS = 8 * 1024;

/** The text of one block as it streams in: what it was at the last fold, and the deltas since. */
class StreamedText {
  private recent: string[] = [];
  private recentChars = 0;

  constructor(private folded: string) {}

  /** The block's text with `delta` appended. */
  append(current: string, delta: string): string {
    this.recent.push(delta);
    this.recentChars += delta.length;
    if (this.recentChars < TEXT_FOLD_CHARS) return current + delta;
    this.folded += this.recent.join('');
    this.recent = [];
    this.recentChars = 0;
    return this.folded;
  }
}

export class MessageAccumulator {
  private message: ApiMessage | undefined;
  /** Text of blocks not yet stopped, by block index (see StreamedText). */
  private readonly streamedTexts = new Map<number, StreamedText>();
  /** Tool input of blocks not yet stopped, by block index. */
  private readonly inputTexts = new Map<number, ToolInputText>();
  private readonly openBlocks = new Set<number>();
  private stopped = false;

  /** The snapshot so far (undefined before message_start). Do not mutate it. */
  get snapshot(): ApiMessage | undefined { return this.message; }

  /** True once message_stop has been applied. */
  get isComplete(): boolean { return this.stopped; }

  /** True once any event with content has arrived (message_start counts). */
  get hasStarted(): boolean { return this.message !== undefined; }

  /** Indexes of blocks that started but did not stop: what a broken stream left unfinished. */
  get unfinishedBlocks(): number[] { return [...this.openBlocks]; }

  apply(event: StreamEvent): ApiMessage | undefined {
    switch (event.type) {
      case 'message_start':
        if (this.message) throw protocolError('the stream started a second message');
        this.message = { ...event.message, content: [...event.message.content] };
        return this.message;
      case 'content_block_start': {
        const message = this.requireMessage(event.type);
        if (event.index !== message.content.length) throw protocolError(`a block started at index ${event.index}, expected ${message.content.length}`);
        message.content.push({ ...event.content_block });
        this.openBlocks.add(event.index);
        return message;
      }
      case 'content_block_delta':
        this.applyDelta(event);
        return this.message;
      case 'content_block_stop':
        this.stopBlock(event.index);
        return this.message;
      case 'message_delta': {
        const message = this.requireMessage(event.type);
        if (event.delta.stop_reason !== undefined) message.stop_reason = event.delta.stop_reason;
        if (event.delta.stop_sequence !== undefined) message.stop_sequence = event.delta.stop_sequence;
        if (event.usage) {
          // Totals are cumulative: overwrite what is present, keep what is absent.
          const usage = message.usage as Record<string, unknown>;
          for (const [key, value] of Object.entries(event.usage)) {
            if (value !== undefined && value !== null) usage[key] = value;
          }
        }
        mergeGatewayUsage(message, event.meta);
        return message;
      }
      case 'message_stop': {
        const message = this.requireMessage(event.type);
        if (this.openBlocks.size > 0) throw protocolError('the message stopped with unfinished blocks');
        mergeGatewayUsage(message, event.meta);
        this.stopped = true;
        return message;
      }
      case 'ping':
        return this.message;
    }
  }

  /** The final message; throws if the stream did not finish. */
  final(): ApiMessage {
    if (!this.message || !this.stopped) throw protocolError('the stream ended before message_stop');
    return this.message;
  }

  /**
   * A copy of what streamed so far, for an answer that broke off: finished blocks as they are,
   * unfinished text and thinking as far as they got, unfinished tool input parsed if it happens
   * to be complete JSON (else `{}`). `stop_reason` stays null, which marks it as incomplete.
   */
  partial(): ApiMessage | undefined {
    // Stryker disable next-line ConditionalExpression: without a message the clone is undefined and no block is open, so undefined either way
    if (!this.message) return undefined;
    const copy = structuredClone(this.message);
    for (const index of this.openBlocks) {
      const text = this.inputTexts.get(index);
      if (!text) continue;
      let input: unknown = {};
      try { input = parseToolInput(text.fragments()); } catch { /* incomplete JSON: nothing usable */ }
      const block = copy.content[index];
      // Stryker disable next-line ConditionalExpression,LogicalOperator: fragments exist only for open blocks with an input (checked at input_json_delta)
      if (block && 'input' in block) Reflect.set(block, 'input', input);
    }
    return copy;
  }

  private requireMessage(eventType: string): ApiMessage {
    if (!this.message) throw protocolError(`"${eventType}" arrived before message_start`);
    if (this.stopped) throw protocolError(`"${eventType}" arrived after message_stop`);
    return this.message;
  }

  private openBlock(index: number, eventType: string): ContentBlock {
    const message = this.requireMessage(eventType);
    if (!this.openBlocks.has(index)) throw protocolError(`"${eventType}" for block ${index}, which is not open`);
    return message.content[index];
  }

  private applyDelta(event: Extract<StreamEvent, { type: 'content_block_delta' }>): void {
    const block = this.openBlock(event.index, event.type);
    const delta = event.delta;
    switch (delta.type) {
      case 'text_delta': {
        if (!isTextBlock(block)) throw protocolError(`text for a "${block.type}" block`);
        let text = this.streamedTexts.get(event.index);
        if (!text) this.streamedTexts.set(event.index, text = new StreamedText(block.text));
        block.text = text.append(block.text, delta.text);
        return;
      }
      case 'thinking_delta':
        if (!isThinkingBlock(block)) throw protocolError(`thinking for a "${block.type}" block`);
        // A start event may omit the empty thinking text; never let it become "undefined".
        block.thinking = (block.thinking ?? '') + delta.thinking;
        return;
      case 'signature_delta':
        if (!isThinkingBlock(block)) throw protocolError(`a signature for a "${block.type}" block`);
        block.signature = delta.signature;
        return;
      case 'citations_delta': {
        if (!isTextBlock(block)) throw protocolError(`a citation for a "${block.type}" block`);
        const citations = Array.isArray(block.citations) ? block.citations : [];
        citations.push(delta.citation);
        block.citations = citations;
        return;
      }
      case 'input_json_delta': {
        // tool_use, server_tool_use, mcp_tool_use and any later block with an `input` stream JSON.
        if (!('input' in block)) throw protocolError(`tool input for a "${block.type}" block`);
        let text = this.inputTexts.get(event.index);
        if (!text) this.inputTexts.set(event.index, text = new ToolInputText());
        text.add(delta.partial_json);
        return;
      }
    }
  }

  private stopBlock(index: number): void {
    const block = this.openBlock(index, 'content_block_stop');
    this.streamedTexts.delete(index);
    const text = this.inputTexts.get(index);
    // tool_use and the server-tool blocks (unknown blocks, kept verbatim) carry `input`.
    if (text) {
      let input: unknown;
      try {
        input = parseToolInput(text.fragments());
      } catch {
        const name = 'name' in block && typeof block.name === 'string' ? block.name : block.type;
        throw protocolError(`the input of tool call "${name}" is not valid JSON`);
      }
      Reflect.set(block, 'input', input);
      this.inputTexts.delete(index);
    } else if ('input' in block && block.input === undefined) {
      Reflect.set(block, 'input', {});
    }
    this.openBlocks.delete(index);
  }
}

/** Accumulates a whole list of events (tests, recorded streams). */
export function accumulateEvents(events: Iterable<StreamEvent>): ApiMessage {
  const accumulator = new MessageAccumulator();
  for (const event of events) accumulator.apply(event);
  return accumulator.final();
}
