// Work split into slices around frames (stagedSnapshot.ts, streamingMarkdown.ts): the first slice
// after the next frame was painted, each further slice as its own task so input and frames run
// between them.
import type { SliceScheduler } from './stagedSnapshot';

/**
 * Runs `callback` in a task of its own as soon as the thread is free: a MessageChannel message.
 * setTimeout(0) would be clamped to 4 ms once nested, which adds up over the hundreds of slices of
 * a long answer's backlog. Callbacks asked for before that task runs share it, in order.
 */
export const nextTask: (callback: () => void) => void = (() => {
  let queue: (() => void)[] = [];
  let channel: MessageChannel | undefined;
  return (callback) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const run = queue;
        queue = [];
        for (const next of run) next();
      };
    }
    queue.push(callback);
    if (queue.length === 1) channel.port2.postMessage(null);
  };
})();

/** After the next frame (a rAF, then a task), so what was just rendered shows first; a hidden view gets no frames. */
function afterPaint(then: () => void): void {
  let done = false;
  const once = () => { if (!done) { done = true; then(); } };
  requestAnimationFrame(() => nextTask(once));
  setTimeout(once, 100);
}

export const frameSlices: SliceScheduler = { first: afterPaint, next: nextTask };
