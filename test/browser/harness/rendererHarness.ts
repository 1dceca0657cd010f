// Test and benchmark entry (not part of the product bundle): exposes the markdown renderers on
// window.__renderer so browser tests and bench/render.bench.ts can drive them in a real Chromium.
import { blocksWaitingForHighlight, highlightWaitingBlocks, renderHighlighted, renderMarkdown, showHighlighted } from '../../../webview/markdown/render';
import { StreamingMarkdown } from '../../../webview/markdown/streamingMarkdown';
import { frameSlices, nextTask } from '../../../webview/frameSlices';
import { installMarkdownRenderer } from '../../../webview/markdown/renderer';

// In the product the renderer is a second bundle loaded after the first paint; here it is at hand.
installMarkdownRenderer(renderMarkdown);

/** The container's HTML with the md-chunk wrappers taken out: what rendering at once gives. */
function flatHtml(container: HTMLElement): string {
  const copy = container.cloneNode(true) as HTMLElement;
  for (const chunk of Array.from(copy.querySelectorAll(':scope > .md-chunk'))) chunk.replaceWith(...Array.from(chunk.childNodes));
  return copy.innerHTML;
}

function newContainer(): HTMLElement {
  const container = document.createElement('div');
  container.className = 'markdown-body';
  document.body.appendChild(container);
  return container;
}

/**
 * A streaming renderer whose frames run only when the caller says so (deterministic tests);
 * `drain()` runs frames until the backlog a frame's time budget left over is rendered.
 */
function manualStream(container: HTMLElement): { markdown: StreamingMarkdown; frame(): void; drain(): number } {
  let pending: (() => void)[] = [];
  const markdown = new StreamingMarkdown(container, () => {}, (callback) => { pending.push(callback); });
  const frame = () => { const run = pending; pending = []; for (const callback of run) callback(); };
  const drain = () => {
    let frames = 0;
    for (; markdown.pending && frames < 10_000; frames++) frame();
    return frames;
  };
  return { markdown, frame, drain };
}

function splitAt(source: string, positions: number[]): string[] {
  const cuts = [...new Set(positions.filter((p) => p > 0 && p < source.length))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const cut of [...cuts, source.length]) { pieces.push(source.slice(start, cut)); start = cut; }
  return pieces;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

const api = {
  /** The reference: the whole text rendered at once. */
  renderAll(source: string): string {
    const container = newContainer();
    container.appendChild(renderMarkdown(source));
    const html = container.innerHTML;
    container.remove();
    return html;
  },

  /** Streams `source` cut at `positions`, rendering a frame every `frameEvery` pieces. */
  stream(source: string, positions: number[], frameEvery = 1): string {
    const container = newContainer();
    const { markdown, frame, drain } = manualStream(container);
    splitAt(source, positions).forEach((piece, index) => {
      markdown.append(piece);
      if (index % frameEvery === 0) frame();
    });
    markdown.finish();
    drain();
    const html = flatHtml(container);
    container.remove();
    return html;
  },

  /**
   * Node identity: renders `head`, records the frozen nodes (those inside chunks),
   * streams `rest`, and reports whether each frozen node is still the same, still attached object.
   */
  identity(head: string, rest: string, pieceSize: number): { frozenCount: number; keptCount: number; removedFrozen: number } {
    const container = newContainer();
    const { markdown, frame, drain } = manualStream(container);
    markdown.append(head);
    frame();
    const frozen: Node[] = Array.from(container.querySelectorAll('.md-chunk > *'));
    let removedFrozen = 0;
    const countRemovals = (records: MutationRecord[]) => {
      for (const record of records) for (const node of Array.from(record.removedNodes)) if (frozen.includes(node)) removedFrozen += 1;
    };
    const observer = new MutationObserver(countRemovals);
    observer.observe(container, { childList: true, subtree: true });
    for (let i = 0; i < rest.length; i += pieceSize) { markdown.append(rest.slice(i, i + pieceSize)); frame(); }
    markdown.finish();
    drain();
    countRemovals(observer.takeRecords());
    observer.disconnect();
    const keptCount = frozen.filter((node) => node.isConnected && container.contains(node)).length;
    container.remove();
    return { frozenCount: frozen.length, keptCount, removedFrozen };
  },

  /**
   * A backlog far larger than a frame can render (text arriving after a stall): how many frames
   * it takes, how much the first frame rendered, and the final HTML.
   */
  backlog(source: string): { framesToDrain: number; firstFrameShare: number; html: string } {
    const container = newContainer();
    const { markdown, frame, drain } = manualStream(container);
    markdown.append('Start.\n\n');
    frame();
    markdown.append(source);
    frame();
    const firstFrameText = (container.textContent ?? '').length;
    const framesToDrain = 1 + drain();
    markdown.finish();
    drain();
    const firstFrameShare = firstFrameText / (container.textContent ?? '').length;
    const html = flatHtml(container);
    container.remove();
    return { framesToDrain, firstFrameShare, html };
  },

  /**
   * The end of a live stream: streams `source` frame by frame, then counts the nodes added and
   * removed in the container from finish() until everything is rendered (the "final pass").
   */
  finishMutations(source: string, pieceSize: number): { blocks: number; added: number; removed: number } {
    const container = newContainer();
    const { markdown, frame, drain } = manualStream(container);
    for (let i = 0; i < source.length; i += pieceSize) { markdown.append(source.slice(i, i + pieceSize)); frame(); }
    drain();
    const observer = new MutationObserver(() => {});
    observer.observe(container, { childList: true, subtree: true, characterData: true });
    markdown.finish(source);
    drain();
    let added = 0, removed = 0;
    for (const record of observer.takeRecords()) { added += record.addedNodes.length; removed += record.removedNodes.length; }
    observer.disconnect();
    const blocks = container.querySelectorAll('.md-chunk > *').length;
    container.remove();
    return { blocks, added, removed };
  },

  /**
   * The default scheduling (frames for the tail and follow-the-bottom, their own tasks for the
   * backlog) with both queues in the caller's hands: a backlog is appended, then slices run until
   * none is left, and only then a frame, again and again. Reports how many of each ran, how often
   * `onRendered` ran (the transcript reads layout there), the most chunks started between two
   * frames, the live chunks, and the HTML once finished.
   */
  slices(source: string): { slices: number; frames: number; rendered: number; maxChunksPerFrame: number; chunks: number; liveChunks: number; renderedOutsideFrames: number; html: string } {
    const container = newContainer();
    let frames: (() => void)[] = [];
    let slices: (() => void)[] = [];
    let rendered = 0, renderedOutsideFrames = 0, inFrame = false;
    const markdown = new StreamingMarkdown(container, () => { rendered += 1; if (!inFrame) renderedOutsideFrames += 1; }, (callback) => { frames.push(callback); }, (callback) => { slices.push(callback); });
    const chunkCount = () => container.querySelectorAll(':scope > .md-chunk').length;
    let sliceCount = 0, frameCount = 0, maxChunksPerFrame = 0;
    // Chunks started from one frame to the next (the frame's own work and the slices after it).
    let chunksAtFrame = chunkCount();
    const frameBoundary = () => {
      maxChunksPerFrame = Math.max(maxChunksPerFrame, chunkCount() - chunksAtFrame);
      chunksAtFrame = chunkCount();
    };
    const run = () => {
      for (let n = 0; (slices.length || frames.length) && n < 100_000; n++) {
        while (slices.length) { const queue = slices; slices = []; sliceCount += queue.length; for (const callback of queue) callback(); }
        if (!frames.length) continue;
        frameBoundary();
        const queue = frames; frames = []; frameCount += queue.length;
        inFrame = true;
        for (const callback of queue) callback();
        inFrame = false;
      }
      frameBoundary();
    };
    markdown.append(source);
    run();
    const renderedBeforeFinish = rendered;
    const outsideFramesBeforeFinish = renderedOutsideFrames;
    const framesBeforeFinish = frameCount;
    markdown.finish();
    run();
    const html = flatHtml(container);
    const result = { slices: sliceCount, frames: framesBeforeFinish, rendered: renderedBeforeFinish, maxChunksPerFrame, chunks: chunkCount(), liveChunks: container.querySelectorAll(':scope > .md-chunk-live').length, renderedOutsideFrames: outsideFramesBeforeFinish, html };
    container.remove();
    return result;
  },

  /**
   * The browser renders for real (its frames decide which chunks are on screen) while the
   * renderer's own frame callbacks run only when this says: `source` arrives at once, slices work
   * it off into chunks while the renderer's frames wait, so every chunk but the first is off
   * screen, skipped, before any of them was laid out. Then the renderer's frames run, each
   * followed by a real frame, until all is quiet; each chunk's height is then compared with its
   * height laid out.
   */
  async sizesAfterBurst(source: string): Promise<{ chunks: number; skippedBeforeRendered: number; wrongHeights: string[] }> {
    const scroller = document.createElement('div');
    scroller.style.height = '400px';
    scroller.style.width = '500px';
    scroller.style.overflow = 'auto';
    const container = newContainer();
    scroller.appendChild(container);
    document.body.appendChild(scroller);
    const firstState = new Map<EventTarget, boolean>();
    // The event does not bubble; a capturing listener on the scroller hears every chunk's.
    scroller.addEventListener('contentvisibilityautostatechange', (event) => {
      if (event.target && !firstState.has(event.target)) firstState.set(event.target, (event as ContentVisibilityAutoStateChangeEvent).skipped);
    }, { capture: true });
    let frames: (() => void)[] = [];
    const runFrames = () => { const queue = frames; frames = []; for (const callback of queue) callback(); };
    const markdown = new StreamingMarkdown(container, () => { scroller.scrollTop = scroller.scrollHeight; }, (callback) => { frames.push(callback); }, nextTask);
    const realFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    const chunks = () => Array.from(container.querySelectorAll<HTMLElement>(':scope > .md-chunk'));
    markdown.append(source);
    runFrames();
    // The slices run as real tasks; the renderer's frames are held until they are done.
    for (let still = 0, count = -1, n = 0; still < 3 && n < 1000; n++) {
      await realFrame();
      still = chunks().length === count ? still + 1 : 0;
      count = chunks().length;
    }
    markdown.finish();
    for (let n = 0; frames.length > 0 && n < 1000; n++) {
      runFrames();
      await realFrame();
    }
    const shown = chunks().map((chunk) => chunk.getBoundingClientRect().height);
    const skipping = chunks().filter((chunk) => chunk.classList.contains('md-chunk-live')).length;
    for (const chunk of chunks()) chunk.classList.remove('md-chunk-live');
    const wrongHeights = chunks().flatMap((chunk, n) => {
      const laidOut = chunk.getBoundingClientRect().height;
      return Math.abs(laidOut - shown[n]) > 0.5 ? [`chunk ${n}: ${shown[n]} px shown, ${laidOut} px laid out`] : [];
    });
    if (skipping !== chunks().length) wrongHeights.push(`${chunks().length - skipping} chunks do not skip while off screen`);
    const skippedBeforeRendered = Array.from(firstState.values()).filter(Boolean).length;
    const result = { chunks: chunks().length, skippedBeforeRendered, wrongHeights };
    scroller.remove();
    return result;
  },

  /**
   * The whole text and its end arriving before any frame (a busy view): the chunks rendered at
   * once, whether the rest waits for frames, and the chunks and HTML once drained.
   */
  finishBeforeFirstFrame(source: string, streamed: boolean): { chunksAtOnce: number; pending: boolean; chunks: number; html: string } {
    const container = newContainer();
    const { markdown, drain } = manualStream(container);
    markdown.append(source);
    markdown.finish(undefined, streamed);
    const chunksAtOnce = container.querySelectorAll(':scope > .md-chunk').length;
    const pending = markdown.pending;
    drain();
    const result = { chunksAtOnce, pending, chunks: container.querySelectorAll(':scope > .md-chunk').length, html: flatHtml(container) };
    container.remove();
    return result;
  },

  /** A finished answer rendered at once (a restored conversation): its chunks and live chunks. */
  restoredChunks(source: string): { chunks: number; liveChunks: number } {
    const container = newContainer();
    const markdown = new StreamingMarkdown(container);
    markdown.append(source);
    markdown.finish();
    const result = { chunks: container.querySelectorAll(':scope > .md-chunk').length, liveChunks: container.querySelectorAll(':scope > .md-chunk-live').length };
    container.remove();
    return result;
  },

  /**
   * Streams `source` in `pieceSize` pieces with a frame after each, watching every node that enters
   * the container: the tags and attributes of any element that is not what the sanitiser allows.
   */
  hostileStream(source: string, pieceSize: number): { unsafe: string[]; maxImages: number; tailHtml: string } {
    const container = newContainer();
    const { markdown, frame } = manualStream(container);
    const unsafe: string[] = [];
    const check = (node: Node) => {
      if (!(node instanceof Element)) return;
      for (const element of [node, ...Array.from(node.querySelectorAll('*'))]) {
        if (/^(script|img|iframe|style|svg|object|embed)$/i.test(element.tagName)) unsafe.push(element.outerHTML);
        for (const attribute of Array.from(element.attributes)) if (/^(on|style$|src$)/i.test(attribute.name)) unsafe.push(`${element.tagName} ${attribute.name}`);
      }
    };
    // Every node added during a frame, even one replaced before the frame ended (the live tail is
    // re-rendered frame by frame), read synchronously after each frame with takeRecords().
    const observer = new MutationObserver(() => {});
    observer.observe(container, { childList: true, subtree: true, attributes: true });
    let maxImages = 0;
    for (let i = 0; i < source.length; i += pieceSize) {
      markdown.append(source.slice(i, i + pieceSize));
      frame();
      for (const record of observer.takeRecords()) {
        if (record.type === 'attributes') check(record.target);
        for (const node of Array.from(record.addedNodes)) check(node);
      }
      maxImages = Math.max(maxImages, container.querySelectorAll('img').length);
    }
    observer.disconnect();
    const tailHtml = container.innerHTML;
    container.remove();
    return { unsafe: [...new Set(unsafe)], maxImages, tailHtml };
  },

  /** What an open fenced block looks like mid-stream: plain text, no highlighting spans yet. */
  midFence(source: string): { streamingBlocks: number; highlightSpans: number; codeText: string } {
    const container = newContainer();
    const { markdown, frame } = manualStream(container);
    for (let i = 0; i < source.length; i += 7) { markdown.append(source.slice(i, i + 7)); frame(); }
    const streaming = container.querySelectorAll('.code-block.streaming');
    const result = {
      streamingBlocks: streaming.length,
      highlightSpans: streaming[0]?.querySelectorAll('span[class^="hljs"]').length ?? -1,
      codeText: streaming[0]?.querySelector('code')?.textContent ?? '',
    };
    container.remove();
    return result;
  },

  /**
   * Code rendered plain, then highlighted by the idle callbacks (really waited for): spans before
   * and after, the HTML against the same text highlighted at once, and a rendered copy taken off
   * the page before they ran.
   */
  async idleHighlighting(source: string): Promise<{ spansBefore: number; spansAfter: number; html: string; highlightedAtOnce: string; removedSpans: number; waiting: number }> {
    const spans = (root: ParentNode) => root.querySelectorAll('span[class^="hljs"]').length;
    const container = newContainer();
    container.appendChild(renderMarkdown(source));
    const removed = newContainer();
    removed.appendChild(renderMarkdown(source));
    removed.remove();
    const spansBefore = spans(container);
    for (let waited = 0; blocksWaitingForHighlight() > 0 && waited < 5_000; waited += 20) await new Promise((done) => setTimeout(done, 20));
    const reference = newContainer();
    reference.appendChild(renderHighlighted(source));
    const result = { spansBefore, spansAfter: spans(container), html: container.innerHTML, highlightedAtOnce: reference.innerHTML, removedSpans: spans(removed), waiting: blocksWaitingForHighlight() };
    container.remove();
    reference.remove();
    return result;
  },

  /** What a code element holds after highlighting markup `html` was put in it. */
  showHighlighted(html: string): string {
    const code = document.createElement('code');
    showHighlighted(code, html);
    return code.innerHTML;
  },

  /** Incremental renderer: `deltaSize`-character deltas, a frame every `frameEvery` deltas. */
  benchIncremental(source: string, deltaSize: number, frameEvery: number, forceLayout: boolean): { totalMs: number; p95Ms: number; maxMs: number; deltas: number; p95FrameMs: number } {
    const container = newContainer();
    const markdown = new StreamingMarkdown(container, () => {}, () => {});
    const times: number[] = [];
    const frameTimes: number[] = [];
    let index = 0;
    for (let i = 0; i < source.length; i += deltaSize, index += 1) {
      const start = performance.now();
      markdown.append(source.slice(i, i + deltaSize));
      if (index % frameEvery === 0) {
        markdown.render();
        if (forceLayout) void container.offsetHeight;
        frameTimes.push(performance.now() - start);
      }
      times.push(performance.now() - start);
    }
    const start = performance.now();
    markdown.finish();
    // The code blocks' highlighting, done in idle time in the product, counts here too.
    highlightWaitingBlocks();
    if (forceLayout) void container.offsetHeight;
    times.push(performance.now() - start);
    container.remove();
    return { totalMs: times.reduce((a, b) => a + b, 0), p95Ms: percentile(times, 0.95), maxMs: Math.max(...times), deltas: times.length, p95FrameMs: percentile(frameTimes, 0.95) };
  },

  /**
   * Naive baseline: the whole text through markdown-it + DOMPurify + highlight.js into the container on every
   * frame (same configuration, same code-block decoration). With sampleEvery > 1 only every n-th
   * frame is rendered and timed, and the total is extrapolated from the mean of the samples.
   */
  benchNaive(source: string, deltaSize: number, frameEvery: number, sampleEvery: number, forceLayout: boolean): { totalMs: number; p95Ms: number; maxMs: number; frames: number; sampled: number; extrapolated: boolean } {
    const container = newContainer();
    const frameTimes: number[] = [];
    let frames = 0;
    let index = 0;
    const renderWhole = (text: string) => {
      // Highlighted at once, as a renderer without idle time would.
      container.replaceChildren(renderHighlighted(text));
      if (forceLayout) void container.offsetHeight;
    };
    for (let end = deltaSize; end - deltaSize < source.length; end += deltaSize, index += 1) {
      if (index % frameEvery !== 0) continue;
      frames += 1;
      if ((frames - 1) % sampleEvery !== 0) continue;
      const start = performance.now();
      renderWhole(source.slice(0, end));
      frameTimes.push(performance.now() - start);
    }
    container.remove();
    const measured = frameTimes.reduce((a, b) => a + b, 0);
    const extrapolated = sampleEvery > 1;
    return {
      totalMs: extrapolated ? (measured / frameTimes.length) * frames : measured,
      p95Ms: percentile(frameTimes, 0.95),
      maxMs: Math.max(...frameTimes),
      frames,
      sampled: frameTimes.length,
      extrapolated,
    };
  },
};

/**
 * The shared slice scheduler (frameSlices.ts): a chain of `depth` nextTask slices against a chain of
 * setTimeout(0)s started with it (clamped to 4 ms once nested), the order of callbacks asked for
 * together, whether any ran synchronously, and that frameSlices.first runs once.
 */
function taskChains(depth: number): Promise<{ order: string[]; synchronous: boolean; firstRuns: number }> {
  return new Promise((done) => {
    const order: string[] = [];
    let synchronous = true;
    let firstRuns = 0;
    nextTask(() => order.push('a'));
    nextTask(() => order.push('b'));
    const chain = (name: string, schedule: (step: () => void) => void) => {
      let left = depth;
      const step = () => { if (--left > 0) schedule(step); else { order.push(name); if (order.includes('slices') && order.includes('timeouts')) setTimeout(() => done({ order, synchronous, firstRuns }), 150); } };
      schedule(step);
    };
    chain('timeouts', (step) => setTimeout(step, 0));
    chain('slices', (step) => frameSlices.next(step));
    frameSlices.first(() => { firstRuns += 1; });
    synchronous = order.length > 0;
  });
}

const harness = { ...api, taskChains };
export type RendererHarness = typeof harness;
(window as unknown as { __renderer: RendererHarness }).__renderer = harness;
