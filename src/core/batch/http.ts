// The transport the batch client needs: JSON requests and a text download, relative to the base
// URL, with auth already applied. The host adapts the shared messages client to it; a plain fetch
// implementation is kept for tests and for when that client is not available.
import { describeLowLevelError, errorFromResponse, makeError } from '../api/errors';

export interface BatchHttp {
  /** Sends JSON (when `body` is given) and parses a JSON answer. Rejects on non-2xx. */
  request<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  /** GETs a text body (the JSON-lines results). Rejects on non-2xx. */
  requestText(method: 'GET', path: string, signal?: AbortSignal): Promise<string>;
}

/** A failed batch call. `retryable` marks errors worth another poll (network, 408/409/429/5xx). */
export class BatchHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'BatchHttpError';
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Whether a poll error is transient. Reads `retryable` from the error itself or from an
 * `info` object (the shape of the shared client's AimlApiError), so either transport works.
 */
export function isRetryableError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { retryable?: unknown; info?: { retryable?: unknown; kind?: unknown }; name?: unknown };
  if (e.name === 'AbortError') return false;
  if (typeof e.retryable === 'boolean') return e.retryable;
  if (e.info && typeof e.info.retryable === 'boolean') return e.info.retryable;
  if (e.info && (e.info.kind === 'network' || e.info.kind === 'timeout' || e.info.kind === 'overloaded' || e.info.kind === 'rate_limit' || e.info.kind === 'server')) return true;
  // A fetch network failure is a TypeError without a status.
  return error instanceof TypeError;
}

/** Retry-After hint carried by an error, in ms, if any. */
export function retryAfterOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { retryAfterMs?: unknown; info?: { retryAfterMs?: unknown } };
  const value = typeof e.retryAfterMs === 'number' ? e.retryAfterMs : e.info?.retryAfterMs;
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

export interface FetchBatchHttpOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Per-request timeout; polling requests are short, results downloads may be large. */
  timeoutMs?: number;
}

export function createFetchBatchHttp(options: FetchBatchHttpOptions): BatchHttp {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function send(method: string, path: string, body: unknown, signal: AbortSignal | undefined, accept: string): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}`, Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: combined });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) throw makeError('timeout');
      throw makeError('network', { detail: describeLowLevelError(error, [options.apiKey]) });
    }
    if (!response.ok) throw await httpError(response, options.apiKey);
    return response;
  }

  return {
    async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
      const response = await send(method, path, body, signal, 'application/json');
      const text = await response.text();
      try {
        return (text ? JSON.parse(text) : undefined) as T;
      } catch {
        throw new BatchHttpError(`${method} ${path} returned a body that is not JSON`, response.status, false);
      }
    },
    async requestText(method: 'GET', path: string, signal?: AbortSignal): Promise<string> {
      const response = await send(method, path, undefined, signal, 'application/x-jsonlines, application/json, text/plain');
      return response.text();
    },
  };
}

async function httpError(response: Response, apiKey: string): Promise<Error> {
  let bodyText = '';
  try {
    bodyText = await response.text();
  } catch {
    // Body unreadable: the status alone has to do.
  }
  // The shared error mapping gives the same kinds, wording and secret redaction as the chat.
  return errorFromResponse(response.status, response.headers, bodyText, [apiKey]);
}

/** The part of the shared messages client (src/core/api/client.ts) that batches use. */
export interface JsonRequester {
  requestJson<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown, options?: { signal?: AbortSignal }): Promise<T>;
  requestText(method: 'GET' | 'POST', path: string, body?: unknown, options?: { signal?: AbortSignal }, accept?: string): Promise<string>;
}

/** Batch calls through the shared client: the same auth, retries, timeouts and typed errors as chat. */
export function batchHttpFromClient(client: JsonRequester): BatchHttp {
  return {
    request: <T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal) => client.requestJson<T>(method, path, body, { signal }),
    requestText: (method: 'GET', path: string, signal?: AbortSignal) =>
      client.requestText(method, path, undefined, { signal }, 'application/x-jsonl, application/x-ndjson, application/json, text/plain'),
  };
}
