// Virtualised list of turns inside a scrolling element: only the turns near the viewport (plus
// pinned ones: the streaming turn, the focused one) are in the DOM; the runs of turns between them
// are spacers whose height is the sum of the turns' measured (or, never seen yet, estimated)
// heights. The reading position is kept by hand (the log has `overflow-anchor: none`): before any
// change the turn at the top of the viewport and the offset into it are noted, afterwards the
// scroll position is put back so that turn stays exactly where it was, whatever was measured above.
// Find-in-page cannot see turns outside the window (a known limit, docs/ARCHITECTURE.md).

/** One turn's place in the list. `element` is set while the turn is in the DOM. */
export interface Slot<T> {
  item: T;
  /** Height in px including its margins: measured while rendered, else estimated. */
  height: number;
  measured: boolean;
  element?: HTMLElement;
}

export interface TurnWindowHooks<T> {
  /** Builds the element of a turn entering the DOM (a block that contains its own margins). */
  render(slot: Slot<T>, index: number): HTMLElement;
  /** The turn left the DOM: forget what points into its element. */
  release(slot: Slot<T>): void;
  /** A height guess for a turn never rendered at this width. */
  estimate(item: T, width: number): number;
  /** Turns that must stay in the DOM wherever the reader is (streaming, awaiting a decision). */
  pinned(item: T): boolean;
  /** Called after the set of rendered turns or their positions changed (aria-setsize etc.). */
  windowChanged?(): void;
}

/** Extra px rendered above and below the viewport, so scrolling and Tab rarely meet a spacer. */
const overscanMin = 600;
/** An upper bound on rendered turns whatever the heights say (DOM size stays bounded). */
const maxWindowTurns = 80;
const fallbackViewportPx = 800;

export class TurnWindow<T> {
  readonly slots: Slot<T>[] = [];
  private readonly spacers: HTMLElement[] = [];
  private readonly resizeObserver: ResizeObserver;
  private frameQueued = false;
  /** How much the last turn grew since the window was last computed. */
  private lastGrowth = 0;
  private updating = false;
  /** True while the reader follows the bottom (new content scrolls into view). */
  followBottom = true;

  constructor(private readonly scroller: HTMLElement, private readonly hooks: TurnWindowHooks<T>) {
    this.resizeObserver = new ResizeObserver((entries) => this.onResize(entries));
    this.resizeObserver.observe(scroller);
  }

  get length(): number {
    return this.slots.length;
  }

  reset(items: T[]): void {
    for (const slot of this.slots) this.releaseSlot(slot);
    this.slots.length = 0;
    const width = this.scroller.clientWidth || 400;
    for (const item of items) this.slots.push({ item, height: this.hooks.estimate(item, width), measured: false });
    this.scroller.replaceChildren();
    this.update();
  }

  push(item: T): void {
    this.slots.push({ item, height: this.hooks.estimate(item, this.scroller.clientWidth || 400), measured: false });
    this.update();
  }

  /** Older items above the first one; what the reader sees stays where it is. */
  prepend(items: T[]): void {
    if (!items.length) return;
    const anchor = this.anchor();
    const width = this.scroller.clientWidth || 400;
    this.slots.unshift(...items.map((item) => ({ item, height: this.hooks.estimate(item, width), measured: false })));
    this.update(anchor.bottom ? anchor : { ...anchor, index: anchor.index + items.length });
  }

  /** Re-computes the window at the next frame (scrolling, resizing). */
  schedule(): void {
    if (this.frameQueued) return;
    this.frameQueued = true;
    requestAnimationFrame(() => {
      this.frameQueued = false;
      this.update();
    });
  }

  /** Renders what the viewport needs now, measures it, and keeps the reading position. */
  update(readingPosition?: ReturnType<TurnWindow<T>['anchor']>): void {
    if (this.updating) return;
    this.updating = true;
    this.lastGrowth = 0;
    try {
      const anchor = readingPosition ?? this.anchor();
      // Measured heights can differ from the estimates: a few rounds until the window is stable.
      for (let round = 0; round < 3; round++) {
        const changed = this.applyWindow(this.wanted(anchor));
        this.measureRendered();
        this.restore(anchor);
        if (!changed) break;
      }
      this.hooks.windowChanged?.();
    } finally {
      this.updating = false;
    }
  }

  /** Top of slot `index` in the scroller's content (before its padding is added). */
  private topOf(index: number): number {
    let top = 0;
    for (let i = 0; i < index; i++) top += this.slots[i].height;
    return top;
  }

  private paddingTop(): number {
    return parseFloat(getComputedStyle(this.scroller).paddingTop) || 0;
  }

  /** What the reader sees: the bottom, or the first visible turn and how far into it. */
  private anchor(): { bottom: true } | { bottom: false; index: number; offset: number } {
    if (this.followBottom || !this.slots.length) return { bottom: true };
    const y = this.scroller.scrollTop - this.paddingTop();
    let top = 0;
    for (let index = 0; index < this.slots.length; index++) {
      const height = this.slots[index].height;
      if (top + height > y) return { bottom: false, index, offset: y - top };
      top += height;
    }
    return { bottom: true };
  }

  private restore(anchor: ReturnType<TurnWindow<T>['anchor']>): void {
    if (anchor.bottom) this.scroller.scrollTop = this.scroller.scrollHeight;
    else this.scroller.scrollTop = this.paddingTop() + this.topOf(anchor.index) + anchor.offset;
  }

  /** Indexes of the turns to render for the given reading position, in order. */
  private wanted(anchor: ReturnType<TurnWindow<T>['anchor']>): number[] {
    const count = this.slots.length;
    if (!count) return [];
    const viewport = this.scroller.clientHeight || fallbackViewportPx;
    const overscan = Math.max(overscanMin, viewport);
    let viewTop: number;
    if (anchor.bottom) viewTop = this.topOf(count) - viewport;
    else viewTop = this.topOf(anchor.index) + anchor.offset;
    const from = viewTop - overscan;
    const to = viewTop + viewport + overscan;
    const wanted = new Set<number>();
    let top = 0;
    for (let index = 0; index < count; index++) {
      const height = this.slots[index].height;
      if (top + height > from && top < to) wanted.add(index);
      top += height;
    }
    // Bounded whatever the heights: keep the turns nearest the reading position.
    if (wanted.size > maxWindowTurns) {
      const centre = anchor.bottom ? count - 1 : anchor.index;
      const sorted = [...wanted].sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre)).slice(0, maxWindowTurns);
      wanted.clear();
      for (const index of sorted) wanted.add(index);
    }
    const focused = this.focusedIndex();
    if (focused >= 0) wanted.add(focused);
    for (let index = count - 1; index >= 0 && index >= count - 3; index--) if (this.hooks.pinned(this.slots[index].item)) wanted.add(index);
    wanted.add(count - 1);
    return [...wanted].sort((a, b) => a - b);
  }

  private focusedIndex(): number {
    const active = document.activeElement;
    if (!active || !this.scroller.contains(active) || active === this.scroller) return -1;
    for (let index = 0; index < this.slots.length; index++) if (this.slots[index].element?.contains(active)) return index;
    return -1;
  }

  /** Puts exactly the wanted turns (and spacers for the gaps) in the DOM, moving as little as possible. */
  private applyWindow(wanted: number[]): boolean {
    const keep = new Set(wanted);
    let changed = false;
    this.slots.forEach((slot, index) => {
      if (slot.element && !keep.has(index)) { this.releaseSlot(slot); changed = true; }
    });
    const nodes: HTMLElement[] = [];
    let spacerCount = 0;
    let previous = -1;
    for (const index of wanted) {
      if (index > previous + 1) nodes.push(this.spacer(spacerCount++, previous + 1, index));
      const slot = this.slots[index];
      if (!slot.element) {
        slot.element = this.hooks.render(slot, index);
        this.resizeObserver.observe(slot.element);
        changed = true;
      }
      nodes.push(slot.element);
      previous = index;
    }
    if (previous < this.slots.length - 1) nodes.push(this.spacer(spacerCount, previous + 1, this.slots.length));
    this.reconcile(nodes);
    return changed;
  }

  private spacer(n: number, from: number, to: number): HTMLElement {
    let spacer = this.spacers[n];
    if (!spacer) {
      spacer = document.createElement('div');
      spacer.className = 'turn-spacer';
      spacer.setAttribute('aria-hidden', 'true');
      this.spacers[n] = spacer;
    }
    let height = 0;
    for (let i = from; i < to; i++) height += this.slots[i].height;
    spacer.style.height = `${height}px`;
    return spacer;
  }

  /** Makes the scroller's children exactly `nodes`; nodes already in place are never moved (focus stays). */
  private reconcile(nodes: HTMLElement[]): void {
    const wantedSet = new Set<Node>(nodes);
    for (const child of Array.from(this.scroller.children)) if (!wantedSet.has(child)) child.remove();
    let cursor = this.scroller.firstElementChild;
    for (const node of nodes) {
      if (cursor === node) cursor = cursor.nextElementSibling;
      else this.scroller.insertBefore(node, cursor);
    }
  }

  private measureRendered(): void {
    for (const slot of this.slots) {
      if (!slot.element) continue;
      const height = slot.element.offsetHeight;
      if (height > 0) { slot.height = height; slot.measured = true; }
    }
  }

  /** A rendered turn changed size (streaming, an image loaded, details opened): keep the reading position. */
  private onResize(entries: ResizeObserverEntry[]): void {
    if (this.updating) return;
    const anchor = this.anchor();
    let changed = false;
    let windowMayChange = false;
    const last = this.slots[this.slots.length - 1];
    for (const entry of entries) {
      if (entry.target === this.scroller) { windowMayChange = true; continue; }
      const slot = this.slots.find((candidate) => candidate.element === entry.target);
      const height = (entry.target as HTMLElement).offsetHeight;
      if (!slot || height <= 0 || height === slot.height) continue;
      // The streaming answer grows every frame: the window needs a new look only once it grew by a screen.
      this.lastGrowth += slot === last ? height - slot.height : 0;
      windowMayChange ||= slot !== last || Math.abs(this.lastGrowth) > this.scroller.clientHeight;
      slot.height = height;
      slot.measured = true;
      changed = true;
    }
    if (changed) this.restore(anchor);
    if (windowMayChange) this.schedule();
  }

  private releaseSlot(slot: Slot<T>): void {
    if (!slot.element) return;
    this.resizeObserver.unobserve(slot.element);
    slot.element.remove();
    slot.element = undefined;
    this.hooks.release(slot);
  }
}
