// The HTTP layer under the messages client: one fetch per attempt with its own AbortController
// (linked to the caller's signal), a timer for the response headers and one for silence while the
// body arrives, and the retry policy. Every attempt disposes its timer and listener, and cancels
// the body it did not read, so a stopped or failed request leaves no socket or timer behind.
import { describeLowLevelError, errorFromResponse, isAimlApiError, makeError, type AimlApiError } from './errors';

export type StopCause = 'user' | 'headers_timeout' | 'idle_timeout';

/** Statuses worth another try; anything else is final unless the server says `x-should-retry: true`. */
const RETRY_STATUSES = new Set([408, 409, 429, 529]);
const MAX_BACKOFF_MS = 8_000;
const INITIAL_BACKOFF_MS = 500;

export function isRetryableStatus(status: number, headers: Pick<Headers, 'get'>): boolean {
  const verdict = headers.get('x-should-retry');
  if (verdict === 'true') return true;
  if (verdict === 'false') return false;
  return RETRY_STATUSES.has(status) || (status >= 500 && status <= 599);
}

/** Exponential backoff (0.5 s, 1 s, 2 s … at most 8 s), minus up to 25 % jitter; or what the server asked. */
export function retryDelayMs(retryIndex: number, retryAfterMs: number | undefined, random: () => number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const base = Math.min(INITIAL_BACKOFF_MS * 2 ** retryIndex, MAX_BACKOFF_MS);
  return Math.round(base * (1 - random() * 0.25));
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new Error('aborted')); return; }
    const onAbort = () => { clearTimeout(timer); reject(new Error('aborted')); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One try at a request: owns the AbortController, the current timer and the body reader. */
export class Attempt {
  readonly controller = new AbortController();
  stopCause: StopCause | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerCause: StopCause | undefined;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private readonly onUserAbort = () => this.stop('user');

  constructor(private readonly userSignal: AbortSignal | undefined) {
    if (userSignal?.aborted) this.stop('user');
    else userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
  }

  get signal(): AbortSignal { return this.controller.signal; }

  /** (Re)starts the single timer: when it fires the attempt stops with `cause`. */
  arm(ms: number, cause: StopCause): void {
    // The idle timer is re-armed for every chunk: restarting the same timer is cheaper than a new one.
    if (this.timer !== undefined && this.timerCause === cause && typeof this.timer.refresh === 'function') {
      this.timer.refresh();
      return;
    }
    this.disarm();
    this.timerCause = cause;
    this.timer = setTimeout(() => this.stop(cause), ms);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerCause = undefined;
  }

  stop(cause: StopCause): void {
    if (this.stopCause) return;
    this.stopCause = cause;
    this.disarm();
    this.controller.abort();
    // Injected fetch implementations may ignore the signal; cancelling the reader always works.
    void this.reader?.cancel().catch(() => undefined);
  }

  readerFor(response: Response): ReadableStreamDefaultReader<Uint8Array> | undefined {
    if (!response.body) return undefined;
    this.reader = response.body.getReader();
    return this.reader;
  }

  /** Clears the timer and the listener; cancels a body that was not read to its end. */
  dispose(): void {
    this.disarm();
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
    const reader = this.reader;
    this.reader = undefined;
    if (reader) void reader.cancel().catch(() => undefined);
  }
}

export interface TimeoutSettings { headersTimeoutMs: number; idleTimeoutMs: number }

/** Reads a whole body as text, with the idle timer restarted on every chunk. */
export async function readBodyText(response: Response, attempt: Attempt, timeouts: TimeoutSettings): Promise<string> {
  const reader = attempt.readerFor(response);
  if (!reader) return '';
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  attempt.arm(timeouts.idleTimeoutMs, 'idle_timeout');
  for (;;) {
    const { done, value } = await reader.read();
    if (attempt.stopCause) throw new Error('stopped');
    if (done) break;
    attempt.arm(timeouts.idleTimeoutMs, 'idle_timeout');
    parts.push(decoder.decode(value, { stream: true }));
  }
  attempt.disarm();
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * The AimlApiError for anything an attempt threw. The stop cause wins over the thrown value,
 * since an abort surfaces as whatever error the fetch implementation chose.
 */
export function toApiError(error: unknown, attempt: Attempt, timeouts: TimeoutSettings, secrets: ReadonlyArray<string | undefined>): AimlApiError {
  switch (attempt.stopCause) {
    case 'user':
      return makeError('aborted');
    case 'headers_timeout':
      return makeError('timeout', { message: `The AI/ML API did not start answering within ${Math.round(timeouts.headersTimeoutMs / 1000)} seconds. Retry, or raise the aimlChat.requestTimeoutSeconds setting.` });
    case 'idle_timeout':
      return makeError('timeout', { message: `The answer stalled: nothing arrived for ${Math.round(timeouts.idleTimeoutMs / 1000)} seconds. Retry, or raise the aimlChat.requestTimeoutSeconds setting.` });
    default:
      if (isAimlApiError(error)) return error;
      return makeError('network', { detail: describeLowLevelError(error, secrets) });
  }
}

/** Result of a non-2xx response: the error and whether the policy allows another try. */
export async function failureFromResponse(response: Response, attempt: Attempt, timeouts: TimeoutSettings, secrets: ReadonlyArray<string | undefined>, now: () => number): Promise<{ error: AimlApiError; retryable: boolean }> {
  let bodyText = '';
  try { bodyText = await readBodyText(response, attempt, timeouts); } catch { /* the status alone still explains it */ }
  if (attempt.stopCause === 'user') return { error: makeError('aborted'), retryable: false };
  return {
    error: errorFromResponse(response.status, response.headers, bodyText, secrets, now),
    retryable: isRetryableStatus(response.status, response.headers),
  };
}
