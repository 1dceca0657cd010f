// Work split into slices around frames (stagedSnapshot.ts): the first slice after the next frame
// was painted, each further slice as its own task so input and frames run between them.
import type { SliceScheduler } from './stagedSnapshot';

/** After the next frame (a rAF, then a task), so what was just rendered shows first; a hidden view gets no frames. */
function afterPaint(then: () => void): void {
  let done = false;
  const once = () => { if (!done) { done = true; then(); } };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}

export const frameSlices: SliceScheduler = { first: afterPaint, next: (step) => { setTimeout(step, 0); } };
