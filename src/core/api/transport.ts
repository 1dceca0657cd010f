// The HTTP layer under the messages client: one fetch per attempt with its own AbortController
// (linked to the caller's signal), a timer for the response headers and one for silence while the
// body arrives, and the retry policy. Every attempt disposes its timer and listener, and cancels
// the body it did not read, so a stopped or failed request leaves no socket or timer behind.
// A second, overall timer bounds the whole answer (a server trickling bytes keeps no idle timer
// from firing), and bodies are read with a byte cap, so a gateway cannot make the host wait or
// buffer without end.
import { describeLowLevelError, errorFromResponse, isAimlApiError, makeError, type AimlApiError } from './errors';

export type StopCause = 'user' | 'headers_timeout' | 'idle_timeout' | 'answer_timeout';

/** Error bodies are clipped to 300 characters anyway: reading 64 KB is plenty to find the message. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Whole-body answers (a message, batch status, batch results) larger than this are refused. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

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
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once, so a listener left registered never runs again.
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One try at a request: owns the AbortController, the current timer and the body reader. */
export class Attempt {
  readonly controller = new AbortController();
  stopCause: StopCause | undefined;
  /** The single timer and the cause it stops the attempt with (one field: no half-set pair to check). */
  private timer: { handle: ReturnType<typeof setTimeout>; cause: StopCause } | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private readonly onUserAbort = () => this.stop('user');

  constructor(private readonly userSignal: AbortSignal | undefined) {
    if (userSignal?.aborted) {
      this.stop('user');
      return;
    }
    // Not in an `else`: there this comment would trail the `if` branch, and Stryker would not apply it.
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once (and dispose removes the listener).
    userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
  }

  get signal(): AbortSignal { return this.controller.signal; }

  /** (Re)starts the single timer: when it fires the attempt stops with `cause`. */
  arm(ms: number, cause: StopCause): void {
    // The idle timer is re-armed for every chunk: restarting the same timer (every Node timer has
    // refresh()) is cheaper than a new one.
    if (this.timer?.cause === cause) {
      this.timer.handle.refresh();
      return;
    }
    this.disarm();
    this.timer = { handle: setTimeout(() => this.stop(cause), ms), cause };
  }

  disarm(): void {
    clearTimeout(this.timer?.handle);
    this.timer = undefined;
  }

  /** Starts the overall limit for reading the answer; it is never restarted by arriving data. */
  startDeadline(ms: number): void {
    if (this.deadline === undefined && Number.isFinite(ms) && ms > 0) this.deadline = setTimeout(() => this.stop('answer_timeout'), ms);
  }

  private clearDeadline(): void {
    clearTimeout(this.deadline); // clearTimeout(undefined) does nothing
    this.deadline = undefined;
  }

  stop(cause: StopCause): void {
    if (this.stopCause) return;
    this.stopCause = cause;
    this.disarm();
    this.clearDeadline();
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
    this.clearDeadline();
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
    const reader = this.reader;
    this.reader = undefined;
    if (reader) void reader.cancel().catch(() => undefined);
  }
}

export interface TimeoutSettings {
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  /** Longest time for one answer's body, from the response headers to its end. */
  answerTimeoutMs: number;
}

/**
 * What to do when a body is larger than `maxBytes`: `clip` keeps the first bytes (an error body,
 * read only to explain the failure), `refuse` fails with `response_too_large`.
 */
export interface BodyLimit { maxBytes: number; overflow: 'clip' | 'refuse' }

/**
 * Reads a body as text, with the idle timer restarted on every chunk (the answer deadline still
 * bounds the whole read), and stops at `limit.maxBytes` without buffering the rest.
 */
export async function readBodyText(response: Response, attempt: Attempt, timeouts: TimeoutSettings, limit: BodyLimit = { maxBytes: MAX_BODY_BYTES, overflow: 'refuse' }): Promise<string> {
  const reader = attempt.readerFor(response);
  if (!reader) return '';
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let received = 0;
  attempt.arm(timeouts.idleTimeoutMs, 'idle_timeout');
  for (;;) {
    const { done, value } = await reader.read();
    if (attempt.stopCause) throw new Error('stopped');
    if (done) break;
    attempt.arm(timeouts.idleTimeoutMs, 'idle_timeout');
    const room = limit.maxBytes - received;
    received += value.byteLength;
    if (value.byteLength > room) {
      attempt.disarm();
      void reader.cancel().catch(() => undefined);
      if (limit.overflow === 'refuse') {
        throw makeError('response_too_large', { detail: `the answer is larger than ${Math.round(limit.maxBytes / (1024 * 1024))} MB; the rest was not read` });
      }
      parts.push(decoder.decode(value.subarray(0, room)));
      return parts.join('');
    }
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
      return makeError('timeout', { message: `The answer stalled: no complete event arrived for ${Math.round(timeouts.idleTimeoutMs / 1000)} seconds. Retry, or raise the aimlChat.requestTimeoutSeconds setting.` });
    case 'answer_timeout':
      return makeError('answer_timeout', { message: `The answer was stopped after ${formatDuration(timeouts.answerTimeoutMs)}, the limit set by aimlChat.answerTimeoutMinutes. The text received so far is kept. Retry, or raise the setting.` });
    default:
      if (isAimlApiError(error)) return error;
      return makeError('network', { detail: describeLowLevelError(error, secrets) });
  }
}

/** Result of a non-2xx response: the error and whether the policy allows another try. */
export async function failureFromResponse(response: Response, attempt: Attempt, timeouts: TimeoutSettings, secrets: ReadonlyArray<string | undefined>, now: () => number): Promise<{ error: AimlApiError; retryable: boolean }> {
  let bodyText = '';
  // Stryker disable next-line StringLiteral: readBodyText refuses only on 'refuse'; any other value clips.
  try { bodyText = await readBodyText(response, attempt, timeouts, { maxBytes: MAX_ERROR_BODY_BYTES, overflow: 'clip' }); } catch { /* the status alone still explains it */ }
  if (attempt.stopCause === 'user') return { error: makeError('aborted'), retryable: false };
  return {
    error: errorFromResponse(response.status, response.headers, bodyText, secrets, now),
    retryable: isRetryableStatus(response.status, response.headers),
  };
}

function formatDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes >= 1) return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.max(1, Math.round(ms / 1000))} seconds`;
}
