// The contract between the messages client (src/core/api) and its users (chat controller, tool
// loop, batch jobs). Request shapes follow the seed OpenAPI schema of POST /v1/messages.
import type { ContentBlock, ErrorInfo, ToolUseBlock, Usage } from '../../shared/model';
import type { ResponseTracing } from './tracing';

export interface ApiMessageParam {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
}

export interface CacheControl { type: 'ephemeral'; ttl?: '5m' | '1h' }

export interface SystemTextBlock { type: 'text'; text: string; cache_control?: CacheControl }

/** A custom tool, or an Anthropic-defined one such as `{type: 'text_editor_20250728', name: 'str_replace_based_edit_tool'}`. */
export type ApiToolDefinition =
  | { name: string; description: string; input_schema: Record<string, unknown>; cache_control?: CacheControl; type?: 'custom' }
  | { type: string; name: string; cache_control?: CacheControl; [key: string]: unknown };

export type ThinkingConfig =
  | { type: 'enabled'; budget_tokens: number; display?: 'summarized' | 'omitted' }
  | { type: 'adaptive' }
  | { type: 'disabled' };

export interface MessagesRequest {
  model: string;
  messages: ApiMessageParam[];
  max_tokens: number;
  system?: string | SystemTextBlock[];
  stop_sequences?: string[];
  stream?: boolean;
  metadata?: { user_id?: string };
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: ApiToolDefinition[];
  tool_choice?: { type: 'auto' | 'any' | 'none'; disable_parallel_tool_use?: boolean } | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean };
  thinking?: ThinkingConfig;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | (string & {});

/** The gateway's own accounting, present on AIML responses as `meta.usage`. */
export interface GatewayUsage { usd_spent?: number; credits_used?: number }

export interface ApiMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
  meta?: { usage?: GatewayUsage };
  /** Not part of the body: the gateway's tracing headers of the response (set by the client). */
  tracing?: ResponseTracing;
}

/** Every streamed event after zod validation. Unknown event types never reach callers. */
export type StreamEvent =
  | { type: 'message_start'; message: ApiMessage }
  | { type: 'content_block_start'; index: number; content_block: ContentBlock }
  | { type: 'content_block_delta'; index: number; delta: StreamDelta }
  | { type: 'content_block_stop'; index: number }
  | { type: 'message_delta'; delta: { stop_reason?: StopReason | null; stop_sequence?: string | null }; usage?: UsageUpdate; meta?: { usage?: GatewayUsage } }
  | { type: 'message_stop'; meta?: { usage?: GatewayUsage } }
  | { type: 'ping' };

/** Usage in message_delta: cumulative totals; a field that is absent or null leaves the total as it was. */
export type UsageUpdate = { [K in keyof Usage]?: Usage[K] | null };

export type StreamDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'citations_delta'; citation: unknown };

export interface StreamOptions {
  signal?: AbortSignal;
  /**
   * Called after each event has been applied; `message` is the accumulated snapshot (do not mutate).
   * An exception thrown here stops the stream (closing the connection) and is rethrown as is.
   */
  onEvent?: (event: StreamEvent, message: ApiMessage) => void;
}

export interface RequestOptions { signal?: AbortSignal }

/** What the chat needs from the messages client (the real one, or a fake in unit tests). */
export interface MessagesApi {
  create(request: MessagesRequest, options?: RequestOptions): Promise<ApiMessage>;
  /** Resolves with the final message; rejects with an AimlApiError whose `partial` holds what streamed. */
  stream(request: MessagesRequest, options?: StreamOptions): Promise<ApiMessage>;
}

export type { ContentBlock, ErrorInfo, ToolUseBlock, Usage };
