// zod schemas for what the AI/ML API sends back on POST /v1/messages: the streamed events and their
// deltas, the non-streaming message, and the two error body shapes (Anthropic's and the gateway's).
// Objects are "loose" where the API may add fields that must survive a round trip (content blocks,
// usage); new event, block and delta types are tolerated by the parser in events.ts, not here.
import * as z from '../../shared/zod';
import { ContentBlock, Usage } from '../../shared/model';
import type { ApiLogger } from './logger';

/** The gateway's own accounting. Tolerant: a malformed `meta` must never fail a whole answer. */
export const GatewayUsageSchema = z.looseObject({
  usd_spent: z.optional(z.number()),
  credits_used: z.optional(z.number()),
});
export const GatewayMetaSchema = z.catch(z.optional(z.looseObject({ usage: z.optional(GatewayUsageSchema) })), undefined);

/** Usage as sent in message_delta: every field optional, values present are cumulative totals. */
export const PartialUsageSchema = z.looseObject({
  input_tokens: z.nullish(z.number()),
  output_tokens: z.nullish(z.number()),
  cache_creation_input_tokens: z.nullish(z.number()),
  cache_read_input_tokens: z.nullish(z.number()),
});

const nullableString = z.pipe(z.nullish(z.string()), z.transform((value) => value ?? null));

export const ApiMessageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(ContentBlock),
  stop_reason: nullableString,
  stop_sequence: nullableString,
  usage: Usage,
  meta: GatewayMetaSchema,
});

export const TextDeltaSchema = z.object({ type: z.literal('text_delta'), text: z.string() });
export const InputJsonDeltaSchema = z.object({ type: z.literal('input_json_delta'), partial_json: z.string() });
export const ThinkingDeltaSchema = z.object({ type: z.literal('thinking_delta'), thinking: z.string() });
export const SignatureDeltaSchema = z.object({ type: z.literal('signature_delta'), signature: z.string() });
export const CitationsDeltaSchema = z.object({ type: z.literal('citations_delta'), citation: z.unknown() });

/** Known delta schemas by type; a delta of any other type is skipped (and logged once). */
export const deltaSchemas = {
  text_delta: TextDeltaSchema,
  input_json_delta: InputJsonDeltaSchema,
  thinking_delta: ThinkingDeltaSchema,
  signature_delta: SignatureDeltaSchema,
  citations_delta: CitationsDeltaSchema,
} as const;

const blockIndex = z.int().check(z.nonnegative());

export const MessageStartEventSchema = z.object({ type: z.literal('message_start'), message: ApiMessageSchema });
export const ContentBlockStartEventSchema = z.object({ type: z.literal('content_block_start'), index: blockIndex, content_block: ContentBlock });
/** The delta is checked in two steps so that an unknown delta type is skipped, not rejected. */
export const ContentBlockDeltaEventSchema = z.object({
  type: z.literal('content_block_delta'),
  index: blockIndex,
  delta: z.looseObject({ type: z.string() }),
});
export const ContentBlockStopEventSchema = z.object({ type: z.literal('content_block_stop'), index: blockIndex });
export const MessageDeltaEventSchema = z.object({
  type: z.literal('message_delta'),
  delta: z.looseObject({ stop_reason: z.nullish(z.string()), stop_sequence: z.nullish(z.string()) }),
  usage: z.pipe(z.nullish(PartialUsageSchema), z.transform((value) => value ?? undefined)),
  meta: GatewayMetaSchema,
});
export const MessageStopEventSchema = z.object({ type: z.literal('message_stop'), meta: GatewayMetaSchema });
export const PingEventSchema = z.object({ type: z.literal('ping') });

/** Known event schemas by type. `error` is handled apart: it becomes an AimlApiError. */
export const eventSchemas = {
  message_start: MessageStartEventSchema,
  content_block_start: ContentBlockStartEventSchema,
  content_block_delta: ContentBlockDeltaEventSchema,
  content_block_stop: ContentBlockStopEventSchema,
  message_delta: MessageDeltaEventSchema,
  message_stop: MessageStopEventSchema,
  ping: PingEventSchema,
} as const;

/** Anthropic's error body, also sent as the data of a mid-stream `event: error`. */
export const AnthropicErrorBodySchema = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({ type: z.string(), message: z.optional(z.string()) }),
  request_id: z.optional(z.string()),
});

/** The gateway's own error body (a NestJS-style envelope); `message` may be a list of strings. */
export const GatewayErrorBodySchema = z.looseObject({
  message: z.union([z.string(), z.array(z.string())]),
  path: z.optional(z.string()),
  requestId: z.optional(z.string()),
  statusCode: z.optional(z.number()),
  timestamp: z.optional(z.string()),
  error: z.optional(z.unknown()),
});

/** Block types the API is documented to send: these are kept verbatim without a log line. */
export const knownBlockTypes = new Set([
  'text', 'tool_use', 'thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result',
  'web_fetch_tool_result', 'code_execution_tool_result', 'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result', 'mcp_tool_use', 'mcp_tool_result', 'container_upload',
]);

/**
 * Logs an unknown event, block or delta type the first time it is seen, so a new API feature shows
 * up once in the log instead of once per token.
 */
export class UnknownTypeReporter {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: ApiLogger) {}

  report(category: 'event' | 'block' | 'delta', type: string): void {
    const key = `${category}:${type}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const what = category === 'block' ? 'kept verbatim' : 'ignored';
    this.logger.debug(`AIML stream: unknown ${category} type "${type.slice(0, 80)}" ${what}.`);
  }
}
