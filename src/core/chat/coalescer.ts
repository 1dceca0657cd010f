// Turns the per-token stream into at most one webview post per ~30 ms. Posting every token makes
// the webview re-render hundreds of times a second; batching keeps the UI smooth while still
// looking live. Consecutive appends to the same block are merged into one op so a flush carries
// one string per block instead of one per token.
// The interval is also checked as tokens arrive: while a fast stream keeps the extension host busy
// reading and parsing, a timer fires only between network reads, and posts came 55-115 ms apart
// with up to 61 KB each (issue 15), which the webview then had to render in one go.
// Text that arrives after a quiet interval (an answer's first token, the first after a tool call)
// is posted at once: waiting out the interval only delayed the first text the user sees, by about
// 30 ms on every answer (issue 15, session 11).
import type { DeltaOp } from '../../shared/protocol';
import { elideText } from '../../shared/textDigest';
import type { ApiMessage, StreamEvent } from '../api/types';

export interface FlushTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds on a monotonic clock; without it only the timer flushes. */
  now?(): number;
}

const realTimer: FlushTimer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export type DeltaSink = (messageId: string, ops: DeltaOp[]) => void;

export class DeltaCoalescer {
  /** Pending ops per message; Map keeps insertion order, so messages flush in the order they began. */
  private readonly pending = new Map<string, DeltaOp[]>();
  private timer: unknown;
  /** When the oldest pending op arrived (the timer was set). */
  private pendingSince = 0;
  /** When the last post went out; -Infinity before the first. */
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sink: DeltaSink,
    private readonly intervalMs = 30,
    private readonly timers: FlushTimer = realTimer,
  ) {}

  push(messageId: string, op: DeltaOp): void {
    let ops = this.pending.get(messageId);
    if (!ops) {
      ops = [];
      this.pending.set(messageId, ops);
    }
    const last = ops[ops.length - 1];
    if (op.op === 'append' && last?.op === 'append' && last.index === op.index) {
      ops[ops.length - 1] = { op: 'append', index: op.index, text: last.text + op.text };
    } else {
      ops.push(op);
    }
    const now = this.timers.now?.();
    // Only text triggers the leading post: a block's start alone shows the user nothing.
    if (now !== undefined && op.op === 'append' && now - this.lastFlushAt >= this.intervalMs) {
      this.flush();
    } else if (this.timer === undefined) {
      this.pendingSince = now ?? 0;
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.intervalMs);
    } else if (now !== undefined && now - this.pendingSince >= this.intervalMs) {
      // The timer is late: the thread has been busy (reading the stream) since it was set.
      this.flush();
    }
  }

  /** Posts everything pending now (on finish, stop or error, so the final state is never late). */
  flush(): void {
    this.cancelTimer();
    this.lastFlushAt = this.timers.now?.() ?? this.lastFlushAt;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [messageId, ops] of batches) {
      if (ops.length > 0) this.sink(messageId, ops);
    }
  }

  /**
   * Forgets pending ops without posting: used when the webview is about to receive a full
   * snapshot (init after a reload), which already contains them.
   */
  discard(): void {
    this.cancelTimer();
    this.pending.clear();
  }

  dispose(): void {
    this.discard();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

/**
 * The webview ops for one stream event. `snapshot` is the accumulated message after the event,
 * which gives a finished block in its final form (tool input parsed, signature attached).
 */
export function deltaOpsForEvent(event: StreamEvent, snapshot: ApiMessage): DeltaOp[] {
  switch (event.type) {
    case 'content_block_start':
      return [{ op: 'start', index: event.index, block: event.content_block }];
    case 'content_block_delta': {
      const d = event.delta;
      if (d.type === 'text_delta') return [{ op: 'append', index: event.index, text: d.text }];
      if (d.type === 'thinking_delta') return [{ op: 'append', index: event.index, text: d.thinking }];
      if (d.type === 'input_json_delta') return [{ op: 'append', index: event.index, text: d.partial_json }];
      // Signatures and citations are not shown while streaming; the finish op carries them.
      return [];
    }
    case 'content_block_stop': {
      const block = snapshot.content[event.index];
      if (!block) return [];
      // The appends carried the text: the finish carries its digest instead of the text again.
      const elided = elideText(block);
      return [elided.elided ? { op: 'finish', index: event.index, block: elided.block, elided: elided.elided } : { op: 'finish', index: event.index, block }];
    }
    default:
      return [];
  }
}
