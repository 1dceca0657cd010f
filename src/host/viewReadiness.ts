// The webview view's lifecycle without the `vscode` module: the listeners that belong to the
// current view, whether its webview said `ready`, and callers waiting for it to be ready.
export interface DisposableLike {
  dispose(): void;
}

export class ViewReadiness {
  private ready = false;
  private readonly listeners: DisposableLike[] = [];
  private readonly waiting = new Set<(ready: boolean) => void>();

  get isReady(): boolean {
    return this.ready;
  }

  /** A (new) view was resolved: the earlier view's listeners are disposed, these belong to it. */
  attach(listeners: DisposableLike[]): void {
    this.disposeListeners();
    this.ready = false;
    this.listeners.push(...listeners);
  }

  markReady(): void {
    this.ready = true;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const settle of waiting) settle(true);
  }

  markNotReady(): void {
    this.ready = false;
  }

  /**
   * Resolves true once ready (at once when it is), or false after `timeoutMs`. A waiter that timed
   * out is forgotten, so nothing it was waiting to deliver arrives later.
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const settle = (ready: boolean): void => {
        clearTimeout(timer);
        this.waiting.delete(settle);
        resolve(ready);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.waiting.add(settle);
    });
  }

  dispose(): void {
    this.disposeListeners();
    for (const settle of [...this.waiting]) settle(false);
  }

  private disposeListeners(): void {
    for (const d of this.listeners.splice(0)) d.dispose();
  }
}

/** Posts `messages` once the view is ready; false (and nothing posted, then or later) when it was not ready within `timeoutMs`. */
export async function deliverWhenReady<M>(target: { whenReady(timeoutMs: number): Promise<boolean>; post(message: M): void }, messages: readonly M[], timeoutMs: number): Promise<boolean> {
  if (!(await target.whenReady(timeoutMs))) return false;
  for (const message of messages) target.post(message);
  return true;
}
