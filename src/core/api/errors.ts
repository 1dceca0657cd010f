// Every failure of the messages client becomes an AimlApiError whose `info` (ErrorInfo from the
// shared model) is what the chat shows: a kind, a message in plain words that names the next step,
// the HTTP status, the request id for support, and how long to wait when the API said so.
// The API key must never reach a message, a log line or a thrown object: everything that may echo
// it (server messages, low-level error texts) goes through `redactSecrets` first, and no raw
// `cause` object is attached.
import type { ErrorInfo, ErrorKind } from '../../shared/model';
import { AnthropicErrorBodySchema, GatewayErrorBodySchema } from './schemas';
import type { ApiMessage } from './types';

export const MAX_RETRY_AFTER_MS = 60_000;
const MAX_DETAIL_CHARS = 300;

export class AimlApiError extends Error {
  override readonly name = 'AimlApiError';
  readonly info: ErrorInfo;
  /** What had streamed before the failure, when anything had. */
  readonly partial?: ApiMessage;

  constructor(info: ErrorInfo, partial?: ApiMessage) {
    super(info.message);
    this.info = info;
    // Stryker disable next-line ConditionalExpression: the declared field already exists as undefined; assigning undefined changes nothing.
    if (partial) this.partial = partial;
  }

  get kind(): ErrorKind { return this.info.kind; }
  get status(): number | undefined { return this.info.status; }
  get requestId(): string | undefined { return this.info.requestId; }
  get retryAfterMs(): number | undefined { return this.info.retryAfterMs; }

  /** A copy carrying what streamed before the failure. */
  withPartial(partial: ApiMessage | undefined): AimlApiError {
    return partial ? new AimlApiError(this.info, partial) : this;
  }

  toJSON(): ErrorInfo & { name: string } {
    return { name: this.name, ...this.info };
  }
}

export function isAimlApiError(value: unknown): value is AimlApiError {
  return value instanceof AimlApiError;
}

const BEARER_TOKEN = /(bearer\s+)[^\s"'`,;]+/gi;
// `Authorization: <scheme> <credentials>`, or a bare value; Bearer tokens are handled above.
const AUTHORIZATION_VALUE = /(authorization["']?\s*[:=]\s*["']?)(?!bearer\s)(?:[A-Za-z]+\s+)?[^\s"'`,;]+/gi;
const API_KEY_VALUE = /((?:api[_-]?key|x-api-key)["']?\s*[:=]\s*["']?)[^\s"'`,;]+/gi;
// AI/ML API keys are 32 hex characters; Anthropic-style keys start with "sk-".
const KEY_LIKE_TOKEN = /\b(?:sk-[A-Za-z0-9_-]{12,}|[A-Fa-f0-9]{32,})\b/g;

/** Removes the given secrets and anything that looks like a key or an Authorization value. */
// Stryker disable next-line ArrayDeclaration: a placeholder default secret only redacts that phrase.
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result
    .replace(BEARER_TOKEN, '$1[redacted]')
    .replace(AUTHORIZATION_VALUE, '$1[redacted]')
    .replace(API_KEY_VALUE, '$1[redacted]')
    .replace(KEY_LIKE_TOKEN, '[redacted]');
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS)}…` : oneLine;
}

function withDetail(sentence: string, detail: string | undefined, source = 'The API said'): string {
  return detail ? `${sentence} ${source}: "${clip(detail)}".` : sentence;
}

function seconds(ms: number): string {
  const value = Math.max(1, Math.round(ms / 1000));
  return value === 1 ? '1 second' : `${value} seconds`;
}

/** The sentence shown for each kind; `detail` is the server's (redacted) explanation. */
export function userMessage(kind: ErrorKind, context: { status?: number; detail?: string; retryAfterMs?: number } = {}): string {
  const { status, detail, retryAfterMs } = context;
  switch (kind) {
    case 'no_api_key':
      return 'No AI/ML API key is set. Set one with AIML Chat: Set API Key.';
    case 'authentication':
      return withDetail('The AI/ML API rejected the key. Set a valid key with AIML Chat: Set API Key.', detail);
    case 'permission':
      return withDetail('The AI/ML API refused this request: the account may be out of credits or not allowed to use this model. Check your balance on aimlapi.com or pick another model with AIML Chat: Select Model.', detail);
    case 'not_found':
      return withDetail('The AI/ML API could not find this model or address. Pick another model with AIML Chat: Select Model, or check the aimlChat.baseUrl setting.', detail);
    case 'rate_limit':
      return withDetail(retryAfterMs !== undefined
        ? `Too many requests to the AI/ML API. Wait ${seconds(retryAfterMs)}, then retry.`
        : 'Too many requests to the AI/ML API. Wait a moment, then retry.', detail);
    case 'overloaded':
      return withDetail('The model is overloaded right now. Retry in a moment or pick another model.', detail);
    case 'invalid_request':
      return withDetail('The AI/ML API rejected the request. Check the model settings (max tokens, temperature, thinking budget) and retry.', detail);
    case 'too_large':
      return withDetail('The request is too large for the API. Remove large attachments or start a new chat, then retry.', detail);
    case 'server':
      return withDetail(`The AI/ML API had an internal error${status ? ` (HTTP ${status})` : ''}. Retry in a moment.`, detail);
    case 'network':
      return withDetail('Could not reach the AI/ML API. Check your connection and the aimlChat.baseUrl setting, then retry.', detail, 'Details');
    case 'timeout':
      return 'The AI/ML API did not answer in time. Retry, or raise the aimlChat.requestTimeoutSeconds setting.';
    case 'aborted':
      return 'The response was stopped.';
    case 'malformed_response':
      return withDetail('The AI/ML API sent a response the extension could not read. Retry; if it keeps happening, check that aimlChat.baseUrl points at the AI/ML API.', detail);
    case 'config':
      return withDetail('The request settings are not valid. Fix them in the AIML Chat settings.', detail, 'Details');
    case 'stream_too_large':
      return 'The answer stream sent an event too large to read, so it was stopped. The text received so far is kept. Retry.';
    case 'answer_timeout':
      return 'The answer took longer than the aimlChat.answerTimeoutMinutes setting allows, so it was stopped. The text received so far is kept. Retry, or raise the setting.';
    case 'response_too_large':
      return withDetail('The AI/ML API sent a response too large to read, so it was stopped.', detail, 'Details');
    default:
      return withDetail(`The AI/ML API request failed${status ? ` (HTTP ${status})` : ''}. Retry in a moment.`, detail);
  }
}

const retryableKinds = new Set<ErrorKind>(['rate_limit', 'overloaded', 'server', 'network', 'timeout']);

export function makeError(kind: ErrorKind, context: { status?: number; detail?: string; retryAfterMs?: number; requestId?: string; message?: string } = {}, partial?: ApiMessage): AimlApiError {
  const info: ErrorInfo = {
    kind,
    message: context.message ?? userMessage(kind, context),
    retryable: retryableKinds.has(kind),
  };
  if (context.status !== undefined) info.status = context.status;
  if (context.requestId) info.requestId = context.requestId;
  if (context.retryAfterMs !== undefined) info.retryAfterMs = context.retryAfterMs;
  return new AimlApiError(info, partial);
}

export function kindForStatus(status: number): ErrorKind {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 402 || status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limit';
  if (status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'unknown';
}

/** Anthropic's `error.type` values, for mid-stream errors that come without an HTTP status. */
export function kindForErrorType(type: string | undefined): ErrorKind {
  switch (type) {
    case 'invalid_request_error': return 'invalid_request';
    case 'authentication_error': return 'authentication';
    case 'permission_error':
    case 'billing_error': return 'permission';
    case 'not_found_error': return 'not_found';
    case 'request_too_large': return 'too_large';
    case 'rate_limit_error': return 'rate_limit';
    case 'overloaded_error': return 'overloaded';
    case 'timeout_error': return 'timeout';
    case 'api_error': return 'server';
    default: return 'unknown';
  }
}

export interface ParsedErrorBody { type?: string; message?: string; requestId?: string }

/** Reads either error shape; returns an empty object for anything else (HTML pages, plain text). */
export function parseErrorBody(bodyText: string): ParsedErrorBody {
  let json: unknown;
  try { json = JSON.parse(bodyText); } catch { return bodyText.trim() ? { message: bodyText.trim().slice(0, 1000) } : {}; }
  const anthropic = AnthropicErrorBodySchema.safeParse(json);
  if (anthropic.success) {
    return { type: anthropic.data.error.type, message: anthropic.data.error.message, requestId: anthropic.data.request_id };
  }
  const gateway = GatewayErrorBodySchema.safeParse(json);
  if (gateway.success) {
    const message = Array.isArray(gateway.data.message) ? gateway.data.message.join('; ') : gateway.data.message;
    return { message, requestId: gateway.data.requestId };
  }
  return {};
}

type HeaderSource = Pick<Headers, 'get'>;

/** The id support can look up: the gateway's x-inference-id first (docs/API-NOTES.md), else Anthropic's request-id. */
export function requestIdFrom(headers: HeaderSource | undefined): string | undefined {
  return headers?.get('x-inference-id') ?? headers?.get('request-id') ?? headers?.get('x-request-id') ?? undefined;
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date; capped at 60 s. */
export function parseRetryAfterMs(headers: HeaderSource | undefined, now: () => number = Date.now): number | undefined {
  const millis = headers?.get('retry-after-ms');
  if (millis != null && millis.trim() !== '') {
    const value = Number(millis);
    if (Number.isFinite(value) && value >= 0) return Math.min(value, MAX_RETRY_AFTER_MS);
  }
  const after = headers?.get('retry-after');
  if (after == null || after.trim() === '') return undefined;
  const asSeconds = Number(after);
  if (Number.isFinite(asSeconds)) return asSeconds >= 0 ? Math.min(asSeconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now()), MAX_RETRY_AFTER_MS);
}

/** The Billing page the gateway's own 403 points at (its docs, "Errors with status code 4xx"). */
export const TOP_UP_URL = 'https://aimlapi.com/app/billing/';

/** A 402, or a 403 whose text talks of credits or the balance: the account has to be topped up. */
export function isOutOfCreditsResponse(status: number, detail: string | undefined): boolean {
  // Stryker disable next-line StringLiteral: equivalent; Stryker's placeholder text names no credit word, just as '' does.
  return status === 402 || (status === 403 && /credit|top.?up|balance|payment/i.test(detail ?? ''));
}

/** The error for a non-2xx HTTP answer. */
export function errorFromResponse(status: number, headers: HeaderSource | undefined, bodyText: string, secrets: ReadonlyArray<string | undefined>, now?: () => number): AimlApiError {
  const body = parseErrorBody(bodyText);
  const kind = kindForStatus(status);
  const detail = body.message ? redactSecrets(body.message, secrets) : undefined;
  const outOfCredits = isOutOfCreditsResponse(status, detail);
  return makeError(kind, {
    ...(outOfCredits ? { message: withDetail(`Your AI/ML API account is out of credits. Top up your balance at ${TOP_UP_URL}, then retry.`, detail) } : {}),
    status,
    detail,
    requestId: requestIdFrom(headers) ?? body.requestId,
    retryAfterMs: parseRetryAfterMs(headers, now),
  });
}

/** The error for `event: error` after a 200, e.g. `overloaded_error` mid-answer. */
export function errorFromStreamEvent(data: unknown, secrets: ReadonlyArray<string | undefined>, requestId: string | undefined, partial?: ApiMessage): AimlApiError {
  const parsed = AnthropicErrorBodySchema.safeParse(data);
  const type = parsed.success ? parsed.data.error.type : undefined;
  const message = parsed.success ? parsed.data.error.message : undefined;
  return makeError(kindForErrorType(type), {
    detail: message ? redactSecrets(message, secrets) : undefined,
    requestId: requestId ?? (parsed.success ? parsed.data.request_id : undefined),
  }, partial);
}

/** Describes a low-level failure (DNS, refused connection, reset) without exposing objects. */
export function describeLowLevelError(error: unknown, secrets: ReadonlyArray<string | undefined>): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const parts = [error.message];
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) parts.push(((cause as { code?: string }).code ?? '') + ' ' + cause.message);
  return redactSecrets(parts.join(': ').trim(), secrets) || undefined;
}
