// Conversation data shared by the extension host, the core logic and the webview.
// Content blocks follow the Anthropic Messages API so that an assistant message can be sent back
// verbatim (thinking signatures, server-tool blocks). Images are stored by reference to an
// attachment file and turned into base64 `image` blocks only when a request is built.
import * as z from './zod';
import { ContextAttachment, ConversationCompaction } from './context';

export const imageMediaTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const ImageMediaType = z.enum(imageMediaTypes);
export type ImageMediaType = z.infer<typeof ImageMediaType>;

export const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string(), citations: z.nullish(z.array(z.unknown())) });
export const ImageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.object({ type: z.literal('base64'), media_type: ImageMediaType, data: z.string() }),
});
/** A stored image: the bytes live in an attachment file, not in the conversation file. */
export const ImageRefBlock = z.object({
  type: z.literal('image_ref'),
  id: z.string(),
  media_type: ImageMediaType,
  width: z.int().check(z.nonnegative()),
  height: z.int().check(z.nonnegative()),
  bytes: z.int().check(z.nonnegative()),
  name: z.optional(z.string()),
});
export const ToolUseBlock = z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() });
export const ToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.optional(z.union([z.string(), z.array(z.union([TextBlock, ImageBlock, ImageRefBlock]))])),
  is_error: z.optional(z.boolean()),
});
// The signature arrives by signature_delta; a stream's content_block_start may leave it out.
export const ThinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z._default(z.string(), '') });
export const RedactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });
export const knownBlockTypes = ['text', 'image', 'image_ref', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'] as const;
export type KnownBlockType = (typeof knownBlockTypes)[number];
const isKnownBlockType = (type: string): type is KnownBlockType => (knownBlockTypes as readonly string[]).includes(type);

/** The block types this release understands, told apart by `type`. */
export const KnownBlock = z.discriminatedUnion('type', [TextBlock, ImageBlock, ImageRefBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock, RedactedThinkingBlock]);
/**
 * Server-tool blocks and any block type added to the API later: kept verbatim, so it round-trips
 * unchanged to storage and back to the API. A block of a known type that fails its own schema is
 * not an unknown block: it is invalid.
 */
export const UnknownBlock = z.looseObject({ type: z.string().check(z.refine((type) => !isKnownBlockType(type), 'a known block type must match its own schema')) });
export const ContentBlock = z.union([KnownBlock, UnknownBlock]);
export type TextBlock = z.infer<typeof TextBlock>;
export type ImageBlock = z.infer<typeof ImageBlock>;
export type ImageRefBlock = z.infer<typeof ImageRefBlock>;
export type ToolUseBlock = z.infer<typeof ToolUseBlock>;
export type ToolResultBlock = z.infer<typeof ToolResultBlock>;
export type ThinkingBlock = z.infer<typeof ThinkingBlock>;
export type RedactedThinkingBlock = z.infer<typeof RedactedThinkingBlock>;
export type KnownBlock = z.infer<typeof KnownBlock>;
export type UnknownBlock = z.infer<typeof UnknownBlock>;
export type ContentBlock = z.infer<typeof ContentBlock>;
type ToolResultItem = Exclude<ToolResultBlock['content'], string | undefined>[number];

// Type guards. An UnknownBlock's `type` is a plain string, so `block.type === 'text'` alone cannot
// narrow the union; these can, because parsing never lets a known type through as unknown.
type Block = ContentBlock | ToolResultItem;
export const isTextBlock = (block: Block): block is TextBlock => block.type === 'text';
export const isImageBlock = (block: Block): block is ImageBlock => block.type === 'image';
export const isImageRefBlock = (block: Block): block is ImageRefBlock => block.type === 'image_ref';
export const isToolUseBlock = (block: Block): block is ToolUseBlock => block.type === 'tool_use';
export const isToolResultBlock = (block: Block): block is ToolResultBlock => block.type === 'tool_result';
export const isThinkingBlock = (block: Block): block is ThinkingBlock => block.type === 'thinking';
export const isRedactedThinkingBlock = (block: Block): block is RedactedThinkingBlock => block.type === 'redacted_thinking';
export const isKnownBlock = (block: Block): block is KnownBlock => isKnownBlockType(block.type);
export const isUnknownBlock = (block: ContentBlock): block is UnknownBlock => !isKnownBlockType(block.type);

/** A block from outside (an API event, a file): the known block it is, or an unknown block kept verbatim. */
export function toContentBlock(value: unknown): ContentBlock | undefined {
  const parsed = ContentBlock.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const tokenCount = z.number().check(z.nonnegative());
export const Usage = z.looseObject({
  input_tokens: z._default(tokenCount, 0),
  output_tokens: z._default(tokenCount, 0),
  cache_creation_input_tokens: z.nullish(tokenCount),
  cache_read_input_tokens: z.nullish(tokenCount),
});
export type Usage = z.infer<typeof Usage>;

export const errorKinds = [
  'no_api_key', 'authentication', 'permission', 'not_found', 'rate_limit', 'overloaded', 'invalid_request',
  'too_large', 'server', 'network', 'timeout', 'aborted', 'malformed_response', 'config', 'unknown',
  // Limits on what a gateway may send: one event too large, an answer too long in time, a body too large.
  'stream_too_large', 'answer_timeout', 'response_too_large',
] as const;
export const ErrorKind = z.enum(errorKinds);
export type ErrorKind = z.infer<typeof ErrorKind>;

/** What the UI needs to explain an error and offer the next step. Never contains the API key. */
export const ErrorInfo = z.object({
  kind: ErrorKind,
  message: z.string(),
  status: z.optional(z.int()),
  requestId: z.optional(z.string()),
  retryAfterMs: z.optional(z.number().check(z.nonnegative())),
  retryable: z.optional(z.boolean()),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const ToolCallStatus = z.enum(['validating', 'awaiting_approval', 'running', 'succeeded', 'failed', 'denied', 'discarded', 'applied', 'skipped']);
export type ToolCallStatus = z.infer<typeof ToolCallStatus>;

/** The chat card of one tool call. `approval` is set while the user must decide. */
export const ToolCallState = z.object({
  toolUseId: z.string(),
  tool: z.string(),
  /** Short human target, e.g. `src/app.ts:10-40` or `**\/*.test.ts`. */
  target: z.string(),
  status: ToolCallStatus,
  /** One line: "read 120 lines", "refused: outside the workspace". */
  summary: z.optional(z.string()),
  /** Expandable details (plain text, shown in a <pre>). */
  details: z.optional(z.string()),
  approval: z.optional(z.object({
    /** `command`: a shell command the user may Run or Deny (decisions `allow` / `deny`). */
    kind: z.enum(['allow_deny', 'apply_discard', 'command']),
    reason: z.string(),
    command: z.optional(z.object({ text: z.string(), cwd: z.string() })),
    hunks: z.optional(z.array(z.object({ index: z.int(), header: z.string(), preview: z.string() }))),
  })),
});
export type ToolCallState = z.infer<typeof ToolCallState>;

/** Agent: every tool the settings allow. Plan: read-only tools, and the model is asked for a plan (issue 13). */
export const ChatMode = z.enum(['agent', 'plan']);
export type ChatMode = z.infer<typeof ChatMode>;

export const MessageStatus = z.enum(['streaming', 'complete', 'interrupted', 'error']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const StoredMessage = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.array(ContentBlock),
  createdAt: z.number(),
  /** User messages that only carry tool results are not shown as a "You" turn. */
  kind: z.optional(z.enum(['prompt', 'tool_results'])),
  model: z.optional(z.string()),
  stopReason: z.nullish(z.string()),
  usage: z.optional(Usage),
  usdSpent: z.optional(z.number().check(z.nonnegative())),
  /** The gateway's x-inference-id of the request that produced this message (for support). */
  requestId: z.optional(z.string().check(z.maxLength(200))),
  status: z.optional(MessageStatus),
  error: z.optional(ErrorInfo),
  toolCalls: z.optional(z.record(z.string(), ToolCallState)),
  /** Context attached to a prompt (#-mentions): shown as chips, sent as delimited blocks before the text. */
  context: z.optional(z.array(ContextAttachment).check(z.maxLength(50))),
  /** Set to 'plan' on the prompt and the answers of a Plan-mode turn; absent means Agent. */
  mode: z.optional(ChatMode),
});
export type StoredMessage = z.infer<typeof StoredMessage>;

export const ConversationTotals = z.object({
  inputTokens: z._default(z.number(), 0),
  outputTokens: z._default(z.number(), 0),
  cacheReadTokens: z._default(z.number(), 0),
  cacheWriteTokens: z._default(z.number(), 0),
  usdSpent: z._default(z.number(), 0),
});
export type ConversationTotals = z.infer<typeof ConversationTotals>;

export const Conversation = z.object({
  version: z.literal(1),
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  model: z.string(),
  messages: z.array(StoredMessage),
  totals: ConversationTotals,
  /** Set once older turns were summarised (automatic compaction or /compact). */
  compaction: z.optional(ConversationCompaction),
});
export type Conversation = z.infer<typeof Conversation>;

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

export const ModelInfo = z.object({
  id: z.string(),
  label: z.string(),
  family: z.enum(['opus', 'sonnet', 'haiku']),
  /** false for the claude-opus-4-7 ids, which take no temperature/top_p/top_k. */
  acceptsSampling: z.boolean(),
  defaultMaxTokens: z.int(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export function emptyTotals(): ConversationTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 };
}
