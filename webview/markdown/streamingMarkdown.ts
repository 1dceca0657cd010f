// Incremental rendering of a streaming markdown text block.
//
// The full source is kept. Everything before the last stable boundary (see boundary.ts) is rendered
// once into "frozen" nodes that are never touched again (append-only); only the tail after the
// boundary is re-rendered, at most once per animation frame however many deltas arrive. A fenced
// code block still open in the tail is shown as plain text that grows by appending to a text node,
// and becomes a frozen code block when its closing fence arrives (highlighted in idle time, render.ts).
// Frozen nodes go into chunk elements (div.md-chunk, up to ~64 nodes each) rather than straight
// into the container: re-laying out a container with thousands of children on every frame was the
// dominant per-frame cost of long answers, a few dozen chunks keep it flat. Inside the chunks, in
// order, the nodes are exactly what rendering the whole text at once produces.
// A frame does at most ~frameBudgetMs of freezing (in batches of whole blocks): when text arrives
// faster than it renders (a burst after a stall, the end of a long answer) the rest is worked off in
// slices of the same budget, each its own task (frameSlices.ts's nextTask: runs as soon as the
// thread is free, not a frame later), so the browser paints and handles input in between and there
// is never one long task; the tail waits until it is caught up. Only the frame callback reports
// `onRendered` (the transcript's follow-the-bottom reads layout there), so however many slices run
// between two frames, layout is computed once per frame.
// Chunks of a live answer skip style, layout and paint while off screen (content-visibility: auto)
// from the start, so text that scrolled away before a frame came is never laid out on the way to
// the newest line (issue 15: laying out or pacing every chunk held the end of a 200 KB answer back
// by ~55 frames). Chunks whose size a frame never saw are sized afterwards (ChunkSizes).
import { createBoundaryState, scanBoundaries, type BoundaryState } from './boundary';
import { createCodeBlockShell, makeKeyboardScrollable } from './codeBlocks';
import { afterMarkdownLoads, renderMarkdown } from './renderer';
import { h } from '../dom';
import { nextTask } from '../frameSlices';

export type FrameScheduler = (callback: () => void) => void;

const animationFrame: FrameScheduler = (callback) => { requestAnimationFrame(callback); };

const referenceDefinition = /^ {0,3}\[[^\]\n]+\]:/m;

/** Frozen nodes per chunk before a new chunk starts. */
const chunkCapacity = 64;
/** Rendering time per animation frame while streaming: half a 60 Hz frame, the rest is layout. */
const frameBudgetMs = 8;
/** Text frozen per renderMarkdown call: enough blocks to amortise its fixed cost (DOMPurify's parse). */
const freezeBatchChars = 4096;

interface StreamingCode {
  wrapper: HTMLElement;
  text: Text;
  /** Source offset up to which the code has been appended to `text`. */
  shownUpTo: number;
}

export class StreamingMarkdown {
  private source = '';
  private state: BoundaryState = createBoundaryState();
  private frozenEnd = 0;
  private chunk: HTMLElement | null = null;
  private tailNodes: Node[] = [];
  private renderedTail: string | null = null;
  private streamingCode: StreamingCode | null = null;
  private frameRequested = false;
  private sliceRequested = false;
  private readonly sizes: ChunkSizes;
  private finished = false;
  /** A frame has rendered: the text is streaming live, so its end is rendered in frame slices too. */
  private live = false;
  /** The text came as a stream (finish said so): its end is rendered in slices like its middle. */
  private streamed = false;

  constructor(
    readonly element: HTMLElement,
    private readonly onRendered: () => void = () => {},
    private readonly scheduleFrame: FrameScheduler = animationFrame,
    /** Where backlog slices run; by default their own tasks, or the frame scheduler a test passed. */
    private readonly scheduleSlice: FrameScheduler = scheduleFrame === animationFrame ? nextTask : scheduleFrame,
  ) {
    this.sizes = new ChunkSizes(scheduleFrame);
    // Text shown plain before the markdown renderer loaded is rendered again, once (renderer.ts).
    afterMarkdownLoads(() => this.renderAgain());
  }

  get text(): string {
    return this.source;
  }

  append(text: string): void {
    if (!text) return;
    this.source += text;
    scanBoundaries(this.state, this.source);
    this.requestRender();
  }

  /**
   * The block is complete: renders the rest. `finalText` replaces the streamed text if it differs.
   * A streamed block (`streamed`, once said, for good) is rendered in frame slices even when its end
   * came before any frame did (a busy view got the whole answer at once: 330 ms in one task);
   * others (a restored answer) at once.
   */
  finish(finalText?: string, streamed = false): void {
    if (streamed) this.streamed = true;
    if (finalText !== undefined && finalText !== this.source) {
      if (finalText.startsWith(this.source)) this.append(finalText.slice(this.source.length));
      else this.reset(finalText);
    }
    this.finished = true;
    // A link reference definition (`[x]: url`) applies to the whole text, including parts frozen
    // before it arrived: such (rare) answers are rendered again, once, as a whole.
    if (this.frozenEnd > 0 && referenceDefinition.test(this.source)) {
      this.clearTail();
      this.element.replaceChildren();
      this.sizes.clear();
      this.chunk = null;
      this.frozenEnd = 0;
      this.state.boundaries = [];
    }
    this.render(this.live || this.streamed ? frameBudgetMs : Infinity);
  }

  /** Text received but not rendered yet (a backlog being worked off frame by frame). */
  get pending(): boolean {
    return this.frameRequested || this.sliceRequested;
  }

  /**
   * Renders pending changes: all of them (tests, a finished restored answer), or as much as fits in
   * `budgetMs` (frames), asking for another frame for the rest.
   */
  render(budgetMs = Infinity): void {
    this.frameRequested = false;
    this.renderSlice(budgetMs);
    this.onRendered();
    // Caught up: the chunks skipped before any frame laid them out get their real size now.
    if (!this.pending) this.sizes.sizeSkipped();
  }

  /** Freezes what fits in the budget; when caught up shows the tail, else asks for another slice. */
  private renderSlice(budgetMs: number): void {
    if (this.freezeUntil(performance.now() + budgetMs)) {
      const fence = this.finished ? null : this.state.openFence;
      if (fence && fence.start === this.frozenEnd) this.renderStreamingCode(fence.contentStart, fence.language);
      else this.renderTail();
    } else this.requestSlice();
  }

  private requestSlice(): void {
    if (this.sliceRequested) return;
    this.sliceRequested = true;
    this.scheduleSlice(() => {
      if (!this.sliceRequested) return;
      this.sliceRequested = false;
      this.renderSlice(frameBudgetMs);
      // What the slices added is laid out (and followed) by the next frame.
      this.requestRender();
    });
  }

  /** Freezes complete blocks, a batch at a time, until caught up (true) or past the deadline. */
  private freezeUntil(deadline: number): boolean {
    const target = this.finished ? this.source.length : this.state.boundary;
    const boundaries = this.state.boundaries;
    while (this.frozenEnd < target) {
      if (performance.now() >= deadline) return false;
      while (boundaries.length && boundaries[0] <= this.frozenEnd) boundaries.shift();
      let end = Math.min(boundaries[0] ?? target, target);
      for (let n = 1; n < boundaries.length && boundaries[n] <= target && boundaries[n] - this.frozenEnd <= freezeBatchChars; n++) end = boundaries[n];
      this.clearTail();
      this.freeze(renderMarkdown(this.source.slice(this.frozenEnd, end)), deadline !== Infinity);
      this.frozenEnd = end;
    }
    return true;
  }

  private freeze(fragment: DocumentFragment, live: boolean): void {
    let chunk = this.chunk;
    if (!chunk || chunk.childNodes.length >= chunkCapacity) {
      // Only live chunks skip while off screen: a restored answer is rendered at once, outside
      // frames, and is laid out as a whole when shown.
      chunk = h('div', { class: live ? 'md-chunk md-chunk-streamed md-chunk-live' : 'md-chunk' });
      this.chunk = chunk;
      this.element.appendChild(chunk);
      if (live) this.sizes.track(chunk);
    }
    chunk.appendChild(fragment);
  }

  private renderAgain(): void {
    if (!this.source) return;
    this.reset(this.source);
    if (this.finished) this.render();
  }

  private reset(text: string): void {
    this.clearTail();
    this.chunk = null;
    this.element.replaceChildren();
    this.sizes.clear();
    this.source = '';
    this.state = createBoundaryState();
    this.frozenEnd = 0;
    this.append(text);
  }

  private requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.scheduleFrame(() => {
      if (!this.frameRequested) return;
      this.live = true;
      this.render(frameBudgetMs);
    });
  }

  private clearTail(): void {
    for (const node of this.tailNodes) node.parentNode?.removeChild(node);
    this.tailNodes = [];
    this.renderedTail = null;
    this.streamingCode = null;
  }

  private renderTail(): void {
    const tail = this.source.slice(this.frozenEnd);
    if (tail === this.renderedTail) return;
    this.clearTail();
    const fragment = renderMarkdown(tail);
    this.tailNodes = Array.from(fragment.childNodes);
    this.element.appendChild(fragment);
    this.renderedTail = tail;
  }

  private renderStreamingCode(contentStart: number, language: string): void {
    if (!this.streamingCode) {
      this.clearTail();
      const text = document.createTextNode('');
      const wrapper = createCodeBlockShell(language);
      wrapper.classList.add('streaming');
      wrapper.appendChild(makeKeyboardScrollable(h('pre', null, h('code', null, text)), language ? `Code, ${language}` : 'Code'));
      this.element.appendChild(wrapper);
      this.tailNodes = [wrapper];
      this.streamingCode = { wrapper, text, shownUpTo: contentStart };
    }
    const code = this.streamingCode;
    if (this.source.length > code.shownUpTo) {
      code.text.appendData(this.source.slice(code.shownUpTo));
      code.shownUpTo = this.source.length;
    }
  }
}

/**
 * A live chunk keeps the size it was last rendered with (contain-intrinsic-size: auto). One that
 * was skipped before any frame rendered it counts with a guessed height (1200px), and one filled
 * further after its last layout (rendered half full, then skipped) with its old height: either
 * would make the transcript jump when the reader scrolls back to it. A ResizeObserver notes, each
 * time a rendered chunk's size changes, how many nodes that layout saw; once the text is caught up,
 * the chunks holding more are laid out one per frame (content-visibility taken off for one frame
 * records its size) and skip again. One chunk costs a frame ~15-25 ms of layout in the workbench
 * (four made 60-100 ms frames after a 200 KB answer).
 * (Chromium's contentvisibilityautostatechange says when a chunk starts to skip, but as a task
 * after that frame: nodes added in between were missed, and chunks kept half their height.)
 */
class ChunkSizes {
  private readonly chunks = new Set<HTMLElement>();
  /** Per chunk, its number of nodes when a frame last laid it out. */
  private readonly laidOut = new WeakMap<HTMLElement, number>();
  private observer: ResizeObserver | undefined;
  private sizing = false;

  constructor(private readonly scheduleFrame: FrameScheduler) {}

  track(chunk: HTMLElement): void {
    this.observer ??= new ResizeObserver((entries) => {
      for (const { target } of entries) {
        const chunk = target as HTMLElement;
        // A skipped chunk reports its remembered or guessed size, not its content's.
        const probe = chunk.firstElementChild;
        if (!probe || probe.checkVisibility({ contentVisibilityAuto: true })) this.laidOut.set(chunk, chunk.childNodes.length);
      }
    });
    this.chunks.add(chunk);
    this.observer.observe(chunk);
  }

  /** The chunks were removed (the text is rendered again): nothing left to size. */
  clear(): void {
    for (const chunk of this.chunks) this.observer?.unobserve(chunk);
    this.chunks.clear();
  }

  private nextStale(): HTMLElement | undefined {
    for (const chunk of this.chunks) {
      if (!chunk.isConnected) this.chunks.delete(chunk);
      else if (this.laidOut.get(chunk) !== chunk.childNodes.length) return chunk;
    }
    return undefined;
  }

  /** Lays out the chunks with stale sizes, one per frame, from the next frame on. */
  sizeSkipped(): void {
    if (this.sizing || this.chunks.size === 0) return;
    this.sizing = true;
    this.scheduleFrame(() => {
      const chunk = this.nextStale();
      if (!chunk) {
        this.sizing = false;
        return;
      }
      chunk.classList.remove('md-chunk-live');
      // This frame lays it out and records its size; the next one lets it skip again. (Noted here
      // too: the observer is not told when the size came out the same.)
      this.scheduleFrame(() => {
        this.laidOut.set(chunk, chunk.childNodes.length);
        chunk.classList.add('md-chunk-live');
        this.sizing = false;
        this.sizeSkipped();
      });
    });
  }
}
