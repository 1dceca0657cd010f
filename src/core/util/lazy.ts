// A part of the extension built on first use instead of at activation (issue 15: activate() in at
// most 15 ms). Whatever is registered at activation holds a Lazy and calls get() when the user
// first needs the part; code that must wire itself to the part waits with onBuilt().

export class Lazy<T> {
  private value: T | undefined;
  private failure: Error | undefined;
  private readonly listeners: Array<(value: T) => void> = [];

  /**
   * `report` is told of a failed build, on every get() that meets it: the user must see it (a
   * lazily built part that fails silently would look like a dead button). The same error is thrown
   * from every later get(), since a half-wired part must not be built twice.
   */
  constructor(private readonly build: () => T, private readonly report: (error: Error) => void) {}

  /** The part if it has been built, without building it. */
  get built(): T | undefined {
    return this.value;
  }

  get(): T {
    if (this.value !== undefined) return this.value;
    if (this.failure) {
      this.report(this.failure);
      throw this.failure;
    }
    try {
      const value = this.build();
      // Listeners run before anyone else sees the part, so none of its events is missed.
      for (const listener of this.listeners.splice(0)) listener(value);
      this.value = value;
      return value;
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.report(this.failure);
      throw this.failure;
    }
  }

  /** Runs `listener` once the part is built (at once if it already is). */
  onBuilt(listener: (value: T) => void): void {
    if (this.value !== undefined) listener(this.value);
    else this.listeners.push(listener);
  }
}
