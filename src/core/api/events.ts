// Turns one raw server-sent event into a validated StreamEvent. Unknown event and delta types are
// skipped (null) and logged once; unknown block types are kept verbatim. `event: error` becomes an
// AimlApiError, and data that is not valid JSON or not the documented shape is 'malformed_response'.
import { literalDelta } from './deltaLiteral';
import { errorFromStreamEvent, makeError } from './errors';
import { deltaSchemas, eventSchemas, knownBlockTypes, type UnknownTypeReporter } from './schemas';
import type { StreamDelta, StreamEvent } from './types';

export interface RawSseEvent { event?: string; data: string }

export interface EventParseContext {
  reporter: UnknownTypeReporter;
  /** Strings to redact from error texts (the API key). */
  secrets: ReadonlyArray<string | undefined>;
  requestId?: string;
}

function malformed(what: string, context: EventParseContext) {
  return makeError('malformed_response', { detail: what, requestId: context.requestId });
}

function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * The two events that make up nearly every byte of a stream (text and tool-input deltas), checked
 * by hand with exactly the rules of their zod schemas (the same output: only the known keys).
 * Validating them through zod twice (event, then delta) cost more than decoding and parsing the
 * bytes (docs/BENCHMARKS.md); anything that fails these checks goes the zod way and gets its
 * precise error there.
 */
function hotDelta(json: unknown): StreamEvent | undefined {
  // Any JSON value: null has no fields, and a primitive's are undefined.
  const event = json as { type?: unknown; index?: unknown; delta?: { type?: unknown; text?: unknown; partial_json?: unknown } | null } | null;
  // Safe integers only: z.int() refuses 2^53 and beyond, so the fast path must too.
  if (event?.type !== 'content_block_delta' || !Number.isSafeInteger(event.index) || (event.index as number) < 0) return undefined;
  const delta = event.delta;
  if (typeof delta !== 'object' || delta === null) return undefined;
  const index = event.index as number;
  if (delta.type === 'text_delta' && typeof delta.text === 'string') return { type: 'content_block_delta', index, delta: { type: 'text_delta', text: delta.text } };
  if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') return { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: delta.partial_json } };
  return undefined;
}

export function parseStreamEvent(raw: RawSseEvent, context: EventParseContext): StreamEvent | null {
  if (raw.event !== 'error') {
    const literal = literalDelta(raw.data);
    if (literal) return literal;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.data);
  } catch {
    throw malformed(`the data of a "${(raw.event ?? 'message').slice(0, 40)}" event is not valid JSON`, context);
  }
  if (raw.event !== 'error') {
    const hot = hotDelta(json);
    if (hot) return hot;
  }
  const declared = (json as { type?: unknown } | null)?.type;
  const dataType = typeof declared === 'string' ? declared : undefined;
  const type = dataType ?? raw.event;
  if (type === 'error' || raw.event === 'error') {
    throw errorFromStreamEvent(json, context.secrets, context.requestId);
  }
  if (type === undefined) throw malformed('an event has no type', context);
  if (!Object.hasOwn(eventSchemas, type)) {
    context.reporter.report('event', type);
    return null;
  }
  const parsed = eventSchemas[type as keyof typeof eventSchemas].safeParse(json);
  if (!parsed.success) throw malformed(`a "${type}" event: ${describeIssues(parsed.error.issues)}`, context);
  const event = parsed.data;

  if (event.type === 'content_block_delta') {
    const deltaType = event.delta.type;
    if (!Object.hasOwn(deltaSchemas, deltaType)) {
      context.reporter.report('delta', deltaType);
      return null;
    }
    const delta = deltaSchemas[deltaType as keyof typeof deltaSchemas].safeParse(event.delta);
    if (!delta.success) throw malformed(`a "${deltaType}" delta: ${describeIssues(delta.error.issues)}`, context);
    return { type: 'content_block_delta', index: event.index, delta: delta.data as StreamDelta };
  }
  if (event.type === 'content_block_start' && !knownBlockTypes.has(event.content_block.type)) {
    context.reporter.report('block', event.content_block.type);
  }
  return event as StreamEvent;
}
