// Stored conversation -> the body of POST /v1/messages. The stored form keeps UI data (status,
// tool cards, image references); the request carries only what the API accepts, in the shape the
// chosen model accepts (NOTES.md: no sampling parameters for claude-opus-4-7).
import { isImageBlock, isImageRefBlock, isRedactedThinkingBlock, isTextBlock, isThinkingBlock, isToolResultBlock, isToolUseBlock, type ContentBlock, type ImageBlock, type ImageRefBlock, type StoredMessage, type TextBlock, type ToolResultBlock } from '../../shared/model';
import type { ApiMessageParam, ApiToolDefinition, CacheControl, MessagesRequest } from '../api/types';
import { formatContextPreamble } from '../context/contextBlocks';

export interface RequestSettings {
  model: string;
  /** false for models whose request shape has no temperature/top_p/top_k. */
  acceptsSampling: boolean;
  maxTokens: number;
  /** The model's own output limit, when known: max_tokens is never sent above it. */
  maxOutputTokens?: number;
  temperature: number | null;
  thinking: { enabled: boolean; budgetTokens: number };
  promptCaching: boolean;
  system: string;
  tools: ApiToolDefinition[];
}

export interface BuiltRequest {
  request: MessagesRequest;
  /** Adjustments worth a log line (max_tokens raised for thinking, temperature dropped...). */
  notes: string[];
}

export type ImageLoader = (ref: ImageRefBlock) => Promise<string>;

const EPHEMERAL: CacheControl = { type: 'ephemeral' };
export const MIN_THINKING_BUDGET = 1024;
/** Room left for the answer itself when max_tokens has to be raised above the thinking budget. */
const ANSWER_ROOM_TOKENS = 4096;
const INTERRUPTED_TOOL_NOTE = 'This tool call was not run: the answer was interrupted before it could run.';

export async function buildMessagesRequest(history: StoredMessage[], settings: RequestSettings, loadImage: ImageLoader): Promise<BuiltRequest> {
  const notes: string[] = [];
  // Merged first, so the repair sees all the results of a turn stored as consecutive user messages.
  const messages = repairToolPairs(mergeSameRole(history.map((m) => sendableMessage(m, settings.thinking.enabled)).filter((m): m is ApiMessageParam => m !== undefined)));
  for (const message of messages) message.content = await Promise.all(blocksOf(message).map((b) => resolveImages(b, loadImage)));

  const ceiling = settings.maxOutputTokens ?? Infinity;
  let maxTokens = Math.min(settings.maxTokens, ceiling);
  if (maxTokens < settings.maxTokens) notes.push(`max_tokens lowered from ${settings.maxTokens} to ${maxTokens}, the most ${settings.model} allows.`);
  const request: MessagesRequest = { model: settings.model, messages, max_tokens: maxTokens, stream: true };
  if (settings.thinking.enabled) {
    let budget = Math.max(MIN_THINKING_BUDGET, Math.floor(settings.thinking.budgetTokens));
    if (budget >= maxTokens) {
      // The API requires budget < max_tokens: make room for the answer rather than fail.
      const raised = Math.min(budget + ANSWER_ROOM_TOKENS, ceiling);
      notes.push(`max_tokens raised from ${maxTokens} to ${raised}: the thinking budget (${budget}) must be below it.`);
      maxTokens = raised;
      if (budget >= maxTokens) {
        budget = Math.max(MIN_THINKING_BUDGET, maxTokens - ANSWER_ROOM_TOKENS);
        notes.push(`thinking budget lowered to ${budget} to fit under ${maxTokens} output tokens.`);
      }
    }
    request.max_tokens = maxTokens;
    request.thinking = { type: 'enabled', budget_tokens: budget };
  }
  if (settings.temperature !== null && settings.temperature !== undefined) {
    if (!settings.acceptsSampling) notes.push(`temperature not sent: ${settings.model} does not accept it.`);
    else if (settings.thinking.enabled) notes.push('temperature not sent: it cannot be combined with extended thinking.');
    else request.temperature = settings.temperature;
  }

  const systemBlock = { type: 'text' as const, text: settings.system };
  request.system = [systemBlock];
  if (settings.tools.length > 0) request.tools = settings.tools.map((t) => ({ ...t }));
  if (settings.promptCaching) addCacheBreakpoints(request);
  return { request, notes };
}

/**
 * Up to four breakpoints (the API's limit): the system prompt, the tool definitions, and the
 * last block of the two latest user messages. Caching the previous user message as well as the
 * latest lets the next turn read the prefix this turn wrote.
 */
function addCacheBreakpoints(request: MessagesRequest): void {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: the builder always sets one system block before this
  if (Array.isArray(request.system) && request.system.length > 0) request.system[request.system.length - 1].cache_control = EPHEMERAL;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: tools are set only when there is at least one
  if (request.tools && request.tools.length > 0) request.tools[request.tools.length - 1].cache_control = EPHEMERAL;
  let marked = 0;
  for (let i = request.messages.length - 1; i >= 0 && marked < 2; i--) {
    const message = request.messages[i];
    // Stryker disable next-line ConditionalExpression: a message with no block is never built (sendableMessage), so content is never empty
    if (message.role !== 'user' || !Array.isArray(message.content) || message.content.length === 0) continue;
    const last = message.content.length - 1;
    message.content[last] = { ...message.content[last], cache_control: EPHEMERAL };
    marked++;
  }
}

/** The API form of one stored message, or undefined when nothing of it should be sent. */
function sendableMessage(message: StoredMessage, thinkingEnabled: boolean): ApiMessageParam | undefined {
  const finished = message.role === 'user' || message.status === undefined || message.status === 'complete';
  const content: ContentBlock[] = [];
  // Attached context (#-mentions) goes first, as one delimited text block.
  const preamble = message.role === 'user' && message.context ? formatContextPreamble(message.context) : undefined;
  if (preamble) content.push({ type: 'text', text: preamble });
  for (const block of message.content) {
    const clean = sendableBlock(block, { finished, thinkingEnabled });
    if (clean) content.push(clean);
  }
  return content.length > 0 ? { role: message.role, content } : undefined;
}

function sendableBlock(block: ContentBlock, opts: { finished: boolean; thinkingEnabled: boolean }): ContentBlock | undefined {
  if (isTextBlock(block)) {
    // The API rejects empty text blocks; an interrupted answer can end with one.
    if (block.text.length === 0) return undefined;
    return block.citations ? { type: 'text', text: block.text, citations: block.citations } : { type: 'text', text: block.text };
  }
  if (isThinkingBlock(block) || isRedactedThinkingBlock(block)) {
    // Sent back unchanged when thinking is on (the API checks the signatures). When it is off they
    // are dropped: they are not needed then, and a thinking block cut short has no valid signature.
    if (!opts.thinkingEnabled || !opts.finished) return undefined;
    if (isThinkingBlock(block) && !block.signature) return undefined;
    return withoutCacheControl(block);
  }
  if (isToolUseBlock(block)) {
    // A tool call from an answer cut short may have half its input and never ran: not sent.
    if (!opts.finished) return undefined;
    return { type: 'tool_use', id: block.id, name: block.name, input: block.input ?? {} };
  }
  if (isToolResultBlock(block)) {
    const result: ToolResultBlock = { type: 'tool_result', tool_use_id: block.tool_use_id };
    if (block.content !== undefined) result.content = Array.isArray(block.content) ? block.content.map(withoutCacheControl) : block.content;
    if (block.is_error) result.is_error = true;
    return result;
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: images come only in user messages, always finished, where the verbatim branch below returns the same copy
  if (isImageRefBlock(block) || isImageBlock(block)) return withoutCacheControl(block);
  // Server-tool blocks and future types: verbatim, but only from finished answers.
  return opts.finished ? withoutCacheControl(block) : undefined;
}

/** A copy without the cache breakpoint an earlier request may have left on it. */
function withoutCacheControl<T extends object>(block: T): T {
  const copy = { ...block };
  Reflect.deleteProperty(copy, 'cache_control');
  return copy;
}

/** A message's blocks (the API also takes a bare string as one text block). */
function blocksOf(message: ApiMessageParam): ContentBlock[] {
  // Stryker disable next-line all: messages built here always hold an array; the string form is for the type only
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

/**
 * Every tool_use must be answered by a tool_result in the next user message, or the API rejects
 * the whole conversation. A turn stopped at the wrong moment can leave a call unanswered; such
 * calls get an error result so the conversation stays usable.
 */
function repairToolPairs(messages: ApiMessageParam[]): ApiMessageParam[] {
  const out: ApiMessageParam[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    out.push(message);
    if (message.role !== 'assistant') continue;
    // Same-role messages are merged already: an answer is followed by a user message or by nothing.
    const next = messages[i + 1];
    // Stryker disable next-line ArrayDeclaration: with no next message, a placeholder holds no tool result either
    const nextBlocks = next ? blocksOf(next) : [];
    // Stryker disable next-line MethodExpression: without the filter only undefined ids join the set, and no call has one
    const answered = new Set(nextBlocks.filter(isToolResultBlock).map((b) => b.tool_use_id));
    const missing: ToolResultBlock[] = blocksOf(message).filter(isToolUseBlock).filter((b) => !answered.has(b.id)).map((b) => ({ type: 'tool_result', tool_use_id: b.id, is_error: true, content: INTERRUPTED_TOOL_NOTE }));
    if (!next) {
      if (missing.length > 0) out.push({ role: 'user', content: missing });
      continue;
    }
    // Results must come before any other block of the user message.
    messages[i + 1] = { role: 'user', content: [...nextBlocks.filter(isToolResultBlock), ...missing, ...nextBlocks.filter((b) => !isToolResultBlock(b))] };
  }
  return out;
}

/** Consecutive messages of one role (a failed answer was skipped) become one, as the API expects. */
function mergeSameRole(messages: ApiMessageParam[]): ApiMessageParam[] {
  const out: ApiMessageParam[] = [];
  for (const message of messages) {
    const previous = out[out.length - 1];
    if (previous && previous.role === message.role) {
      // repairToolPairs puts the tool results of a merged user message first.
      previous.content = [...blocksOf(previous), ...blocksOf(message)];
    } else {
      out.push({ role: message.role, content: [...blocksOf(message)] });
    }
  }
  return out;
}

async function resolveImages(block: ContentBlock, loadImage: ImageLoader): Promise<ContentBlock> {
  if (isImageRefBlock(block)) return toImageBlock(block, loadImage);
  if (isToolResultBlock(block) && Array.isArray(block.content)) {
    const content = await Promise.all(block.content.map((c) => (isImageRefBlock(c) ? toImageBlock(c, loadImage) : c)));
    return { ...block, content };
  }
  return block;
}

async function toImageBlock(ref: ImageRefBlock, loadImage: ImageLoader): Promise<ImageBlock | TextBlock> {
  try {
    const data = await loadImage(ref);
    return { type: 'image', source: { type: 'base64', media_type: ref.media_type, data } };
  } catch {
    // A deleted attachment must not make the whole conversation unusable.
    return { type: 'text', text: `[image ${ref.name ?? ref.id.slice(0, 8)} is no longer available]` };
  }
}
