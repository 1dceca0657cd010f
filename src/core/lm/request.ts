// VS Code's language-model request (messages, tools, tool mode, model options) -> the body of
// POST /v1/messages. The messages become the same stored-message shape the chat view keeps, so one
// request builder applies every per-model rule (no sampling for Claude Opus 4.7, max_tokens within
// the model's limit, thinking budget, prompt caching, tool_use/tool_result pairing).
import type { ContentBlock, StoredMessage } from '../../shared/model';
import { sniffImageType } from '../../shared/images';
import type { ApiToolDefinition, MessagesRequest } from '../api/types';
import { buildMessagesRequest } from '../chat/requestBuilder';
import { ToolNameMap } from './toolNames';
import type { LmDataPart, LmInputPart, LmMessage, LmRequestOptions, LmTool } from './types';

export interface LmRequestSettings {
  model: string;
  acceptsSampling: boolean;
  /** max_tokens unless the caller's model options ask for another value. */
  maxTokens: number;
  /** The model's own output limit: max_tokens is never sent above it. */
  maxOutputTokens: number;
  temperature: number | null;
  thinking: { enabled: boolean; budgetTokens: number };
  promptCaching: boolean;
}

export interface LmBuiltRequest {
  request: MessagesRequest;
  /** Maps the model's tool names back to the caller's. */
  toolNames: ToolNameMap;
  /** Adjustments worth a log line. */
  notes: string[];
}

/** Data parts that carry no content for the model (Copilot's cache and state markers). */
const MARKER_MIME_TYPES = new Set(['cache_control', 'stateful_marker']);
const EMPTY_SCHEMA = { type: 'object', properties: {} };

export async function buildLmRequest(messages: readonly LmMessage[], options: LmRequestOptions, settings: LmRequestSettings): Promise<LmBuiltRequest> {
  const notes: string[] = [];
  const tools = options.tools ?? [];
  const toolNames = new ToolNameMap(tools.map((t) => t.name));
  const system = messages.filter((m) => m.role === 'system').map((m) => textOf(m.parts)).filter(Boolean).join('\n\n');
  const history = messages.filter((m) => m.role !== 'system').map((m, index) => toStoredMessage(m, index, toolNames, notes));

  const forceTool = options.toolMode === 'required' && tools.length > 0;
  let thinkingEnabled = settings.thinking.enabled;
  if (thinkingEnabled && forceTool) {
    thinkingEnabled = false;
    notes.push('thinking not sent: the caller requires a tool call, which the API does not allow with thinking.');
  } else if (thinkingEnabled && toolLoopLacksThinking(history)) {
    // The API wants the thinking block back at the start of an ongoing tool loop's assistant turn;
    // a caller that did not keep it leaves only one valid request: this round without thinking.
    thinkingEnabled = false;
    notes.push('thinking not sent: the caller did not keep the thinking of the tool call it is answering.');
  }

  const modelOptions = options.modelOptions ?? {};
  const built = await buildMessagesRequest(history, {
    model: settings.model,
    acceptsSampling: settings.acceptsSampling,
    maxTokens: positiveInteger(modelOptions.max_tokens ?? modelOptions.maxTokens) ?? settings.maxTokens,
    maxOutputTokens: settings.maxOutputTokens,
    temperature: finiteNumber(modelOptions.temperature) ?? settings.temperature,
    thinking: { enabled: thinkingEnabled, budgetTokens: settings.thinking.budgetTokens },
    promptCaching: settings.promptCaching,
    system,
    tools: tools.map((tool) => toApiTool(tool, toolNames)),
  }, async () => { throw new Error('no stored images in a language-model request'); });

  const request = built.request;
  // The builder always sends the chat's system prompt; a caller without one gets none (the API
  // rejects an empty text block).
  if (!system) delete request.system;
  const stop = modelOptions.stop_sequences ?? modelOptions.stop;
  if (Array.isArray(stop) && stop.every((s) => typeof s === 'string') && stop.length > 0) request.stop_sequences = stop as string[];
  if (forceTool) request.tool_choice = { type: 'any' };
  return { request, toolNames, notes: [...notes, ...built.notes] };
}

function toApiTool(tool: LmTool, names: ToolNameMap): ApiToolDefinition {
  const schema = tool.inputSchema as { type?: unknown } | undefined;
  // The API requires an object schema; tools without parameters often send none at all.
  const inputSchema = schema && schema.type === 'object' ? (schema as Record<string, unknown>) : EMPTY_SCHEMA;
  return { name: names.api(tool.name), description: tool.description || tool.name, input_schema: inputSchema };
}

function toStoredMessage(message: LmMessage, index: number, names: ToolNameMap, notes: string[]): StoredMessage {
  const content: ContentBlock[] = [];
  let thinking: { text: string; signature?: string; redactedData?: string } | undefined;
  const flushThinking = () => {
    if (thinking?.redactedData) content.push({ type: 'redacted_thinking', data: thinking.redactedData });
    else if (thinking?.signature) content.push({ type: 'thinking', thinking: thinking.text, signature: thinking.signature });
    thinking = undefined;
  };
  for (const part of message.parts) {
    if (part.kind === 'thinking') {
      // Streamed thinking may come back as many parts; the signature travels on the last one.
      thinking = { text: (thinking?.text ?? '') + part.value, signature: part.signature ?? thinking?.signature, redactedData: part.redactedData ?? thinking?.redactedData };
      continue;
    }
    flushThinking();
    const block = toBlock(part, message.role, names, notes);
    if (block) content.push(block);
  }
  flushThinking();
  // Stryker disable next-line StringLiteral: the id only tells stored messages apart; requests never carry it
  return { id: `lm-${index}`, role: message.role === 'assistant' ? 'assistant' : 'user', content, createdAt: 0 };
}

function toBlock(part: Exclude<LmInputPart, { kind: 'thinking' }>, role: LmMessage['role'], names: ToolNameMap, notes: string[]): ContentBlock | undefined {
  switch (part.kind) {
    case 'text':
      return { type: 'text', text: part.value };
    case 'data':
      return dataBlock(part, notes);
    case 'toolCall':
      if (role !== 'assistant') return { type: 'text', text: `[tool call ${part.name}: ${JSON.stringify(part.input)}]` };
      return { type: 'tool_use', id: part.callId, name: names.api(part.name), input: part.input ?? {} };
    case 'toolResult': {
      const blocks = part.content
        .map((c) => (c.kind === 'text' ? (c.value ? { type: 'text' as const, text: c.value } : undefined) : dataBlock(c, notes)))
        .filter((b): b is ContentBlock => b !== undefined);
      return {
        type: 'tool_result',
        tool_use_id: part.callId,
        ...(blocks.length > 0 ? { content: blocks as Extract<ContentBlock, { type: 'tool_result' }>['content'] } : {}),
        ...(part.isError ? { is_error: true } : {}),
      } as ContentBlock;
    }
  }
}

function dataBlock(part: LmDataPart, notes: string[]): ContentBlock | undefined {
  const mime = part.mimeType.toLowerCase();
  if (MARKER_MIME_TYPES.has(mime)) return undefined;
  if (mime.startsWith('image/')) {
    // Trust the bytes over the label: the API rejects an image whose bytes and media_type differ.
    const mediaType = sniffImageType(part.data);
    if (!mediaType) {
      notes.push(`an image of type ${mime} was not sent: the API takes PNG, JPEG, GIF and WebP.`);
      return { type: 'text', text: `[an image of type ${mime} was left out: only PNG, JPEG, GIF and WebP can be sent]` };
    }
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data: Buffer.from(part.data).toString('base64') } };
  }
  if (mime.startsWith('text/') || mime.includes('json')) return { type: 'text', text: new TextDecoder().decode(part.data) };
  notes.push(`a data part of type ${mime} was not sent: the API has no block for it.`);
  return undefined;
}

function textOf(parts: readonly LmInputPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.value : p.kind === 'data' && p.mimeType.startsWith('text/') ? new TextDecoder().decode(p.data) : '')).join('');
}

/** True when the last user message answers tool calls of an assistant turn that has no signed thinking. */
function toolLoopLacksThinking(history: StoredMessage[]): boolean {
  const last = history.at(-1);
  const previous = history.at(-2);
  if (!last || !previous || last.role !== 'user' || previous.role !== 'assistant') return false;
  if (!last.content.some((b) => b.type === 'tool_result')) return false;
  return !previous.content.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking');
}

function positiveInteger(value: unknown): number | undefined {
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything but a number, so the typeof check only narrows the type
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function finiteNumber(value: unknown): number | undefined {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number, so the typeof check only narrows the type
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
