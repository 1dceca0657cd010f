// Incremental rendering of a streaming markdown text block.
//
// The full source is kept. Everything before the last stable boundary (see boundary.ts) is rendered
// once into "frozen" nodes that are never touched again (append-only); only the tail after the
// boundary is re-rendered, at most once per animation frame however many deltas arrive. A fenced
// code block still open in the tail is shown as plain text that grows by appending to a text node,
// and is highlighted once, when its closing fence arrives (it then becomes frozen).
// Frozen nodes go into chunk elements (div.md-chunk, up to ~64 nodes each) rather than straight
// into the container: re-laying out a container with thousands of children on every frame was the
// dominant per-frame cost of long answers, a few dozen chunks keep it flat. Inside the chunks, in
// order, the nodes are exactly what rendering the whole text at once produces.
import { createBoundaryState, scanBoundaries, type BoundaryState } from './boundary';
import { createCodeBlockShell, makeKeyboardScrollable, renderMarkdown } from './render';
import { h } from '../dom';

export type FrameScheduler = (callback: () => void) => void;

const animationFrame: FrameScheduler = (callback) => { requestAnimationFrame(callback); };

const referenceDefinition = /^ {0,3}\[[^\]\n]+\]:/m;

/** Frozen nodes per chunk before a new chunk starts. */
const chunkCapacity = 64;

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
  private finished = false;

  constructor(
    readonly element: HTMLElement,
    private readonly onRendered: () => void = () => {},
    private readonly scheduleFrame: FrameScheduler = animationFrame,
  ) {}

  get text(): string {
    return this.source;
  }

  append(text: string): void {
    if (!text) return;
    this.source += text;
    scanBoundaries(this.state, this.source);
    this.requestRender();
  }

  /** The block is complete: renders the rest now. `finalText` replaces the streamed text if it differs. */
  finish(finalText?: string): void {
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
      this.chunk = null;
      this.frozenEnd = 0;
    }
    this.render();
  }

  /** Renders pending changes synchronously (the frame callback and tests use it). */
  render(): void {
    this.frameRequested = false;
    const boundary = this.finished ? this.source.length : this.state.boundary;
    if (boundary > this.frozenEnd) {
      this.clearTail();
      this.freeze(renderMarkdown(this.source.slice(this.frozenEnd, boundary)));
      this.frozenEnd = boundary;
    }
    const fence = this.finished ? null : this.state.openFence;
    if (fence && fence.start === this.frozenEnd) this.renderStreamingCode(fence.contentStart, fence.language);
    else this.renderTail();
    this.onRendered();
  }

  private freeze(fragment: DocumentFragment): void {
    if (!this.chunk || this.chunk.childNodes.length >= chunkCapacity) {
      this.chunk = h('div', { class: 'md-chunk' });
      this.element.appendChild(this.chunk);
    }
    this.chunk.appendChild(fragment);
  }

  private reset(text: string): void {
    this.clearTail();
    this.chunk = null;
    this.element.replaceChildren();
    this.source = '';
    this.state = createBoundaryState();
    this.frozenEnd = 0;
    this.append(text);
  }

  private requestRender(): void {
    if (this.frameRequested || this.finished) return;
    this.frameRequested = true;
    this.scheduleFrame(() => { if (this.frameRequested) this.render(); });
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
