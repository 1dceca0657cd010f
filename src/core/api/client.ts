// The AI/ML API messages client: POST {baseUrl}/v1/messages, streaming or not, with checks before
// sending, retries with backoff before any content has arrived (never after: the caller gets the
// error with what streamed in `partial`), timeouts for the headers and for silence mid-stream, and
// cancellation through AbortSignal. `requestJson` / `requestText` reuse the same auth, retries
// and errors for other endpoints (batches).
import { MessageAccumulator } from '../stream/accumulator';
import { AimlApiError, errorFromStreamEvent, isAimlApiError, makeError, parseErrorBody, redactSecrets, requestIdFrom } from './errors';
import { parseStreamEvent, type EventParseContext } from './events';
import { noopLogger, type ApiLogger } from './logger';
import { defaultMaxTokens, findModel, validateRequest } from './models';
import { ApiMessageSchema, UnknownTypeReporter } from './schemas';
import { SseDecoder } from './sse';
import { CLIENT_REQUEST_ID_HEADER, newClientRequestId, tracingFrom } from './tracing';
import {
  abortableSleep, Attempt, failureFromResponse, readBodyText, retryDelayMs, toApiError, type TimeoutSettings,
} from './transport';
import { IMAGE_LIMITS, formatBytes } from '../../shared/images';
import type { ApiMessage, MessagesApi, MessagesRequest, RequestOptions, StreamOptions } from './types';

export interface MessagesClientOptions {
  /** e.g. https://api.aimlapi.com (a trailing /v1 is tolerated). */
  baseUrl: string;
  /** The key, or a getter read before every request (so a key set later is picked up). */
  apiKey: string | (() => string | undefined | Promise<string | undefined>);
  fetch?: typeof fetch;
  /** Longest wait for the response headers. */
  headersTimeoutMs?: number;
  /** Longest wait for the next complete event of a stream (or chunk of a whole body). */
  idleTimeoutMs?: number;
  /** Longest time for reading one answer, from its headers to its end, however steadily it arrives. */
  answerTimeoutMs?: number;
  maxRetries?: number;
  logger?: ApiLogger;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** 30 minutes: a 64k-token answer at a slow 40 tokens a second still fits. */
export const DEFAULT_ANSWER_TIMEOUT_MS = 30 * 60_000;

type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

interface Exchange<T> {
  method: HttpMethod;
  url: string;
  body?: unknown;
  accept: string;
  signal?: AbortSignal;
  /** Handles a 2xx response. Throws FinalFailure for what must not be retried. */
  read(response: Response, attempt: Attempt): Promise<T>;
}

/**
 * Wraps what must reach the caller without another try: a failure after content arrived (a retry
 * would repeat text the user already saw, and bill it twice) or an exception of the caller's onEvent.
 */
class FinalFailure { constructor(readonly error: unknown) {} }

export class MessagesClient implements MessagesApi {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeouts: TimeoutSettings;
  private readonly maxRetries: number;
  private readonly logger: ApiLogger;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly reporter: UnknownTypeReporter;
  private lastKey: string | undefined;

  constructor(private readonly options: MessagesClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeouts = {
      headersTimeoutMs: options.headersTimeoutMs ?? 60_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      answerTimeoutMs: options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
    };
    this.maxRetries = Math.max(0, options.maxRetries ?? 2);
    const logger = options.logger ?? noopLogger;
    // Every line is redacted here, so no call site can leak the key by mistake.
    this.logger = {
      debug: (message) => logger.debug(redactSecrets(message, [this.lastKey])),
      warn: (message) => logger.warn(redactSecrets(message, [this.lastKey])),
    };
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.reporter = new UnknownTypeReporter(this.logger);
  }

  async create(request: MessagesRequest, options: RequestOptions = {}): Promise<ApiMessage> {
    const body = this.prepare(request, false);
    return this.exchange<ApiMessage>({
      method: 'POST', url: this.urlFor('/v1/messages'), body, accept: 'application/json', signal: options.signal,
      read: async (response, attempt) => withTracing(this.parseMessage(await readBodyText(response, attempt, this.timeouts), requestIdFrom(response.headers)), response.headers),
    });
  }

  async stream(request: MessagesRequest, options: StreamOptions = {}): Promise<ApiMessage> {
    const body = this.prepare(request, true);
    return this.exchange<ApiMessage>({
      method: 'POST', url: this.urlFor('/v1/messages'), body, accept: 'text/event-stream', signal: options.signal,
      read: async (response, attempt) => withTracing(await this.readStream(response, attempt, options), response.headers),
    });
  }

  /** A JSON request to another endpoint (e.g. /v1/batches) with the same auth, retries and errors. */
  async requestJson<T = unknown>(method: HttpMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const text = await this.requestText(method, path, body, options, 'application/json');
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw makeError('malformed_response', { detail: `the answer of ${method} ${new URL(this.urlFor(path)).pathname} is not JSON` });
    }
  }

  /** The raw text of an answer (e.g. JSON lines of batch results). */
  async requestText(method: HttpMethod, path: string, body?: unknown, options: RequestOptions = {}, accept = 'application/json, application/x-ndjson, text/plain'): Promise<string> {
    return this.exchange<string>({
      method, url: this.urlFor(path), body, accept, signal: options.signal,
      read: (response, attempt) => readBodyText(response, attempt, this.timeouts),
    });
  }

  /**
   * `path` is under baseUrl; an absolute URL (a batch's results_url) is accepted only on the same
   * origin, so the key is never sent to another host.
   */
  urlFor(path: string): string {
    if (/^https?:\/\//i.test(path)) {
      if (new URL(path).origin !== new URL(this.baseUrl).origin) {
        throw makeError('config', { detail: `refusing to send the API key to ${new URL(path).origin}, which is not the configured aimlChat.baseUrl` });
      }
      return path;
    }
    const relative = path.startsWith('/') ? path : `/${path}`;
    // A base ending in /v1 names the API's root plus a version: a versioned path (/v1/messages,
    // /v2/billing) replaces that version instead of being put under it.
    if (this.baseUrl.endsWith('/v1') && /^\/v\d+\//.test(relative)) return this.baseUrl.slice(0, -3) + relative;
    return this.baseUrl + relative;
  }

  private prepare(request: MessagesRequest, stream: boolean): Record<string, unknown> {
    const body: Record<string, unknown> = { ...request, max_tokens: request.max_tokens ?? defaultMaxTokens(request.model), stream };
    for (const key of ['temperature', 'top_p', 'top_k'] as const) if (body[key] === null) delete body[key];
    // The catalogue's output limit wins over a larger setting: clamp, and say so in the log.
    const limit = findModel(request.model)?.defaultMaxTokens;
    if (limit !== undefined && typeof body.max_tokens === 'number' && body.max_tokens > limit) {
      this.logger.warn(`max_tokens ${body.max_tokens} is above the ${limit} that ${request.model} allows; sending ${limit}`);
      body.max_tokens = limit;
    }
    const problems = validateRequest(body as unknown as MessagesRequest);
    if (problems.length > 0) throw makeError('invalid_request', { message: `The request was not sent: ${problems.join(' ')}` });
    return body;
  }

  private async apiKey(): Promise<string> {
    const value = typeof this.options.apiKey === 'function' ? await this.options.apiKey() : this.options.apiKey;
    const key = value?.trim();
    if (!key) throw makeError('no_api_key');
    this.lastKey = key;
    return key;
  }

  private async exchange<T>(spec: Exchange<T>): Promise<T> {
    if (spec.signal?.aborted) throw makeError('aborted');
    const key = await this.apiKey();
    const secrets = [key];
    // One id per logical request (retries repeat it), so the gateway's usage logs group the tries.
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: spec.accept, [CLIENT_REQUEST_ID_HEADER]: newClientRequestId() };
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    // Every request repeats the conversation's images; say so plainly instead of sending 32 MB for a 413.
    const payloadBytes = payload === undefined ? 0 : Buffer.byteLength(payload);
    if (payloadBytes > IMAGE_LIMITS.requestBudgetBytes) {
      throw makeError('too_large', { message: `The request was not sent: it is ${formatBytes(payloadBytes)} and the gateway accepts at most ${formatBytes(IMAGE_LIMITS.requestBudgetBytes)}. Remove some images or start a new chat.` });
    }
    const where = `${spec.method} ${new URL(spec.url).pathname}`;

    for (let attemptIndex = 0; ; attemptIndex++) {
      const attempt = new Attempt(spec.signal);
      let failure: { error: AimlApiError; retryable: boolean };
      try {
        this.logger.debug(`${where}: attempt ${attemptIndex + 1} of ${this.maxRetries + 1}`);
        attempt.arm(this.timeouts.headersTimeoutMs, 'headers_timeout');
        const response = await this.fetchImpl(spec.url, { method: spec.method, headers, body: payload, signal: attempt.signal });
        attempt.disarm();
        // Stryker disable next-line StringLiteral: the stop cause, never this message, decides the error (toApiError).
        if (attempt.stopCause) throw new Error('stopped');
        attempt.startDeadline(this.timeouts.answerTimeoutMs);
        if (response.ok) return await spec.read(response, attempt);
        failure = await failureFromResponse(response, attempt, this.timeouts, secrets, this.now);
      } catch (error) {
        if (error instanceof FinalFailure) throw error.error;
        const apiError = toApiError(error, attempt, this.timeouts, secrets);
        // A stop by the user is always 'aborted' here (toApiError), which is never retryable.
        failure = { error: apiError, retryable: apiError.info.retryable === true };
      } finally {
        attempt.dispose();
      }

      const { error } = failure;
      if (!failure.retryable || attemptIndex >= this.maxRetries) {
        this.logger.debug(`${where}: failed (${error.kind}${error.status ? `, HTTP ${error.status}` : ''}${error.requestId ? `, request ${error.requestId}` : ''})`);
        throw error;
      }
      const delay = retryDelayMs(attemptIndex, error.retryAfterMs, this.random);
      this.logger.debug(`${where}: ${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}, retrying in ${delay} ms`);
      try {
        await this.sleep(delay, spec.signal);
      } catch {
        throw makeError('aborted');
      }
      if (spec.signal?.aborted) throw makeError('aborted');
    }
  }

  private parseMessage(text: string, requestId: string | undefined): ApiMessage {
    let json: unknown;
    try { json = JSON.parse(text); } catch {
      throw makeError('malformed_response', { detail: 'the answer is not JSON', requestId });
    }
    const parsed = ApiMessageSchema.safeParse(json);
    if (parsed.success) return parsed.data as ApiMessage;
    const errorBody = parseErrorBody(text);
    if (errorBody.type) throw errorFromStreamEvent(json, [this.lastKey], requestId);
    throw makeError('malformed_response', { detail: 'the answer is not a message', requestId });
  }

  private async readStream(response: Response, attempt: Attempt, options: StreamOptions): Promise<ApiMessage> {
    const requestId = requestIdFrom(response.headers);
    if (response.headers.get('content-type')?.includes('application/json')) {
      // Some proxies answer a streaming request with one JSON document (a message or an error).
      return this.parseMessage(await readBodyText(response, attempt, this.timeouts), requestId);
    }
    const reader = attempt.readerFor(response);
    if (!reader) throw makeError('malformed_response', { detail: 'the answer has no body', requestId });
    const accumulator = new MessageAccumulator();
    const decoder = new SseDecoder();
    const context: EventParseContext = { reporter: this.reporter, secrets: [this.lastKey], requestId };
    const fail = (error: unknown): never => {
      const apiError = toApiError(error, attempt, this.timeouts, context.secrets).withPartial(accumulator.partial());
      if (accumulator.hasStarted) throw new FinalFailure(apiError);
      throw apiError;
    };
    const handle = (raw: { event?: string; data: string }): boolean => {
      // One chunk may hold many events: a stop (abort, timeout) takes effect before the next one.
      // Stryker disable next-line StringLiteral: the stop cause, never this message, decides the error (toApiError).
      if (attempt.stopCause) throw new Error('stopped');
      const event = parseStreamEvent(raw, context);
      if (!event) return false;
      accumulator.apply(event);
      const snapshot = accumulator.snapshot;
      if (snapshot && options.onEvent) {
        try { options.onEvent(event, snapshot); } catch (callbackError) { throw new FinalFailure(callbackError); }
      }
      return accumulator.isComplete;
    };

    try {
      attempt.arm(this.timeouts.idleTimeoutMs, 'idle_timeout');
      for (;;) {
        const { done, value } = await reader.read();
        // A shortcut: a stop cancels the reader, so without it the loop ends at `done` and `handle`
        // or `fail` still turns the stop cause into the error (toApiError), with the same partial.
        // Stryker disable next-line ConditionalExpression,StringLiteral: see above; only the way out differs.
        if (attempt.stopCause) throw new Error('stopped');
        if (done) break;
        const events = decoder.push(value);
        // Only a complete event counts as progress: a server trickling bytes must still time out.
        if (events.length > 0) attempt.arm(this.timeouts.idleTimeoutMs, 'idle_timeout');
        for (const raw of events) if (handle(raw)) return accumulator.final();
        decoder.checkLimit();
      }
      attempt.disarm();
      for (const raw of decoder.end()) if (handle(raw)) return accumulator.final();
    } catch (error) {
      if (error instanceof FinalFailure) throw error;
      return fail(error);
    }
    return fail(makeError('network', {
      message: 'The connection closed before the answer finished. Retry to get the full answer.',
      requestId,
    }));
  }
}

/**
 * Keeps the response's tracing headers on the message; a non-streaming answer whose body has no
 * meta.usage.usd_spent takes its cost from x-aimlapi-usd-spent, so callers read one place.
 */
function withTracing(message: ApiMessage, headers: Pick<Headers, 'get'>): ApiMessage {
  const tracing = tracingFrom(headers);
  if (Object.keys(tracing).length === 0) return message;
  const result: ApiMessage = { ...message, tracing };
  if (tracing.usdSpent !== undefined && typeof message.meta?.usage?.usd_spent !== 'number') {
    result.meta = { ...message.meta, usage: { ...message.meta?.usage, usd_spent: tracing.usdSpent } };
  }
  return result;
}

export { AimlApiError, isAimlApiError };
