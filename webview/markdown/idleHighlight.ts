// Code blocks are highlighted in idle time, not while their markdown renders (issue 15). In a
// 200 KB answer with 75 code blocks, highlighting was most of the renderer's work: markdown-it
// 45-54 ms with it against 6 without, DOMPurify 72-124 ms against 19-24 (9,240 of 12,126 nodes
// were highlight.js spans), layout 70-168 ms against 37-42. So a block is first shown as plain
// code, and idle callbacks then highlight the blocks still on the page, newest first: while an
// answer streams that is the block the reader is looking at, at the bottom.
// Blocks no longer on the page are dropped (a re-rendered tail, a turn that left the window: what
// renders it again queues its blocks again).

/** What requestIdleCallback passes; a timed-out callback gets no idle time (timeRemaining 0). */
export interface IdleDeadlineLike {
  readonly didTimeout: boolean;
  timeRemaining(): number;
}

export type IdleScheduler = (callback: (deadline: IdleDeadlineLike) => void) => void;

type RequestIdle = (callback: (deadline: IdleDeadlineLike) => void, options: { timeout: number }) => number;

/**
 * requestIdleCallback with a timeout, so that a thread that never idles (a firehose stream) still
 * gets its work done, in short tasks; looked up on globalThis: the callers are unit-tested in Node.
 */
export function idleScheduler(timeoutMs: number): IdleScheduler {
  return (callback) => {
    const requestIdle = (globalThis as { requestIdleCallback?: RequestIdle }).requestIdleCallback;
    if (requestIdle) requestIdle.call(globalThis, callback, { timeout: timeoutMs });
    else setTimeout(() => callback({ didTimeout: true, timeRemaining: () => 0 }), Math.min(timeoutMs, 50));
  };
}

/**
 * Work per callback: half a 60 Hz frame, whether it found idle time or timed out. The browser
 * grants up to 50 ms of idle time when nothing is animating (the end of an answer, 75 blocks
 * waiting): working until it ran out, plus the block that started last, made tasks of 51-68 ms,
 * and a key pressed meanwhile waited for them.
 */
const workBudgetMs = 8;
/** Idle time left below which no further block is started (one block takes ~1-3 ms). */
const minimumIdleMs = 2;

/** A code element, as far as the queue looks at it (this module is unit-tested in Node). */
export interface OnPage {
  readonly isConnected: boolean;
}

export class IdleHighlighter<Code extends OnPage> {
  /** Blocks waiting, oldest first; worked off from the end. */
  private pending: Code[] = [];
  private scheduled = false;

  constructor(
    private readonly highlight: (code: Code) => void,
    private readonly schedule: IdleScheduler = idleScheduler(250),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** How many blocks are waiting (tests, benchmarks). */
  get size(): number {
    return this.pending.length;
  }

  add(code: Code): void {
    this.pending.push(code);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule((deadline) => this.run(deadline));
  }

  /** Highlights every waiting block still on the page now (benchmarks count the whole work). */
  flush(): void {
    this.work(null);
  }

  private run(deadline: IdleDeadlineLike): void {
    this.scheduled = false;
    this.work(deadline);
    if (this.pending.length && !this.scheduled) {
      this.scheduled = true;
      this.schedule((next) => this.run(next));
    }
  }

  /** Newest first, for the budget and while idle time lasts (a timed-out callback has none); null: all. */
  private work(deadline: IdleDeadlineLike | null): void {
    const stopAt = this.now() + workBudgetMs;
    let code: Code | undefined;
    while ((code = this.pending.pop())) {
      if (code.isConnected) this.highlight(code);
      if (!deadline) continue;
      if (this.now() >= stopAt || (!deadline.didTimeout && deadline.timeRemaining() < minimumIdleMs)) break;
    }
  }
}
