// Polls a batch until it ends. Batches take minutes to hours, so the delay doubles from a couple
// of seconds up to a minute, with jitter so many windows do not poll in step. Transient errors
// (network, 429, 5xx) are retried on the same schedule; anything else ends the polling.
import { isRetryableError, retryAfterOf } from './http';
import { isEnded, type BatchObject } from './schemas';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Uses the global timers at call time, so @sinonjs/fake-timers can drive it in tests. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  }),
};

export interface BackoffOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** 0.2 = each delay is randomly within ±20 %. */
  jitter?: number;
}

export interface PollOptions extends BackoffOptions {
  retrieve: (signal: AbortSignal) => Promise<BatchObject>;
  /** When polling is over; by default when the batch's processing_status is `ended`. */
  isDone?: (batch: BatchObject) => boolean;
  signal?: AbortSignal;
  clock?: Clock;
  random?: () => number;
  /** Consecutive transient failures tolerated before giving up. */
  maxConsecutiveErrors?: number;
  onProgress?: (batch: BatchObject) => void;
  onRetry?: (error: unknown, consecutiveErrors: number, delayMs: number) => void;
  /** Every delay actually slept (for logs and tests). */
  onWait?: (delayMs: number) => void;
}

export type PollOutcome =
  | { kind: 'ended'; batch: BatchObject }
  | { kind: 'aborted'; batch?: BatchObject };

export class BackoffSchedule {
  private next: number;
  private readonly initial: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initial = options.initialDelayMs ?? 2_000;
    this.max = options.maxDelayMs ?? 60_000;
    this.factor = options.factor ?? 2;
    this.jitter = Math.min(0.9, Math.max(0, options.jitter ?? 0.2));
    this.next = this.initial;
  }

  /** The next delay (jittered), advancing the schedule. */
  take(): number {
    const base = this.next;
    this.next = Math.min(this.max, this.next * this.factor);
    const spread = 1 - this.jitter + 2 * this.jitter * this.random();
    return Math.max(0, Math.round(Math.min(this.max, base) * spread));
  }

  reset(): void {
    this.next = this.initial;
  }
}

export class BatchPoller {
  private readonly schedule: BackoffSchedule;
  private readonly clock: Clock;
  private wake = new AbortController();

  constructor(private readonly options: PollOptions) {
    this.clock = options.clock ?? systemClock;
    this.schedule = new BackoffSchedule(options, options.random);
  }

  /** Polls again right away and restarts the backoff (after a cancel request, for instance). */
  nudge(): void {
    this.schedule.reset();
    this.wake.abort();
  }

  async run(): Promise<PollOutcome> {
    const { signal } = this.options;
    const maxErrors = this.options.maxConsecutiveErrors ?? 6;
    let last: BatchObject | undefined;
    let errors = 0;
    for (;;) {
      if (signal?.aborted) return { kind: 'aborted', batch: last };
      let retryAfter: number | undefined;
      let failure: unknown;
      try {
        last = await this.options.retrieve(signal ?? new AbortController().signal);
        errors = 0;
        this.options.onProgress?.(last);
        if ((this.options.isDone ?? isEnded)(last)) return { kind: 'ended', batch: last };
      } catch (error) {
        if (signal?.aborted) return { kind: 'aborted', batch: last };
        if (!isRetryableError(error)) throw error;
        errors++;
        if (errors >= maxErrors) throw error;
        retryAfter = retryAfterOf(error);
        failure = error;
      }
      const delay = Math.max(this.schedule.take(), retryAfter ?? 0);
      if (failure !== undefined) this.options.onRetry?.(failure, errors, delay);
      this.options.onWait?.(delay);
      // A nudge that came while the request was in flight skips the wait altogether.
      if (!this.wake.signal.aborted) {
        const sleepSignal = signal ? AbortSignal.any([signal, this.wake.signal]) : this.wake.signal;
        await this.clock.sleep(delay, sleepSignal);
      }
      this.wake = new AbortController();
    }
  }
}

/** Convenience wrapper: `new BatchPoller(options).run()`. */
export function pollUntilEnded(options: PollOptions): Promise<PollOutcome> {
  return new BatchPoller(options).run();
}
