// The transport the batch client needs: JSON requests and a text download, relative to the base
// URL, with auth already applied. In the extension it is the shared messages client (same auth,
// retries, timeouts and typed errors as the chat); unit tests can pass a fake.

export interface BatchHttp {
  /** Sends JSON (when `body` is given) and parses a JSON answer. Rejects on non-2xx. */
  request<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  /** GETs a text body (the JSON-lines results). Rejects on non-2xx. */
  requestText(method: 'GET', path: string, signal?: AbortSignal): Promise<string>;
}

/**
 * Whether a poll error is transient. Reads `retryable` from the error itself or from an
 * `info` object (the shape of the shared client's AimlApiError), so either transport works.
 */
export function isRetryableError(error: unknown): boolean {
  if (!error) return false; // a string or number has none of the fields below
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
  if (!error) return undefined;
  const e = error as { retryAfterMs?: unknown; info?: { retryAfterMs?: unknown } };
  const value = typeof e.retryAfterMs === 'number' ? e.retryAfterMs : e.info?.retryAfterMs;
  return typeof value === 'number' && value >= 0 ? value : undefined;
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
