// Stored conversation -> the body of POST /v1/messages. The stored form keeps UI data (status,
// tool cards, image references); the request carries only what the API accepts, in the shape the
// chosen model accepts (NOTES.md: no sampling parameters for claude-opus-4-7).
import type { ContentBlock, ImageRefBlock, StoredMessage, ToolResultBlock } from '../../shared/model';
import type { ApiMessageParam, ApiToolDefinition, CacheControl, MessagesRequest } from '../api/types';

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
  const messages = mergeSameRole(repairToolPairs(history.map((m) => sendableMessage(m, settings.thinking.enabled)).filter((m): m is ApiMessageParam => m !== undefined)));
  for (const message of messages) message.content = await Promise.all((message.content as ContentBlock[]).map((b) => resolveImages(b, loadImage)));

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
  if (Array.isArray(request.system) && request.system.length > 0) request.system[request.system.length - 1].cache_control = EPHEMERAL;
  if (request.tools && request.tools.length > 0) request.tools[request.tools.length - 1].cache_control = EPHEMERAL;
  let marked = 0;
  for (let i = request.messages.length - 1; i >= 0 && marked < 2; i--) {
    const message = request.messages[i];
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
  for (const block of message.content) {
    const clean = sendableBlock(block, { finished, thinkingEnabled });
    if (clean) content.push(clean);
  }
  return content.length > 0 ? { role: message.role, content } : undefined;
}

function sendableBlock(block: ContentBlock, opts: { finished: boolean; thinkingEnabled: boolean }): ContentBlock | undefined {
  const b = block as ContentBlock & Record<string, unknown>;
  switch (b.type) {
    case 'text': {
      // The API rejects empty text blocks; an interrupted answer can end with one.
      if (typeof b.text !== 'string' || b.text.length === 0) return undefined;
      return b.citations ? { type: 'text', text: b.text, citations: b.citations } : { type: 'text', text: b.text };
    }
    case 'thinking':
    case 'redacted_thinking':
      // Sent back unchanged when thinking is on (the API checks the signatures). When it is off they
      // are dropped: they are not needed then, and a thinking block cut short has no valid signature.
      if (!opts.thinkingEnabled || !opts.finished) return undefined;
      if (b.type === 'thinking' && !b.signature) return undefined;
      return stripCacheControl(b);
    case 'tool_use':
      // A tool call from an answer cut short may have half its input and never ran: not sent.
      if (!opts.finished) return undefined;
      return { type: 'tool_use', id: String(b.id), name: String(b.name), input: b.input ?? {} };
    case 'tool_result': {
      const r = b as ToolResultBlock;
      const result: ToolResultBlock = { type: 'tool_result', tool_use_id: r.tool_use_id };
      if (r.content !== undefined) result.content = Array.isArray(r.content) ? r.content.map((c) => stripCacheControl(c as ContentBlock)) as ToolResultBlock['content'] : r.content;
      if (r.is_error) result.is_error = true;
      return result;
    }
    case 'image_ref':
    case 'image':
      return stripCacheControl(b);
    default:
      // Server-tool blocks and future types: verbatim, but only from finished answers.
      return opts.finished ? stripCacheControl(b) : undefined;
  }
}

function stripCacheControl<T extends object>(block: T): T {
  if (!('cache_control' in block)) return { ...block };
  const { cache_control: _ignored, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
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
    const callIds = (message.content as ContentBlock[]).filter((b) => b.type === 'tool_use').map((b) => String((b as { id: unknown }).id));
    if (callIds.length === 0) continue;
    const next = messages[i + 1];
    const nextBlocks = next?.role === 'user' ? (next.content as ContentBlock[]) : [];
    const answered = new Set(nextBlocks.filter((b) => b.type === 'tool_result').map((b) => (b as ToolResultBlock).tool_use_id));
    const missing: ToolResultBlock[] = callIds.filter((id) => !answered.has(id)).map((id) => ({ type: 'tool_result', tool_use_id: id, is_error: true, content: INTERRUPTED_TOOL_NOTE }));
    if (missing.length === 0) continue;
    if (next?.role === 'user') {
      // Results must come before any other block of the user message.
      const results = nextBlocks.filter((b) => b.type === 'tool_result');
      const others = nextBlocks.filter((b) => b.type !== 'tool_result');
      messages[i + 1] = { role: 'user', content: [...results, ...missing, ...others] };
    } else {
      out.push({ role: 'user', content: missing });
    }
  }
  return out;
}

/** Consecutive messages of one role (a failed answer was skipped) become one, as the API expects. */
function mergeSameRole(messages: ApiMessageParam[]): ApiMessageParam[] {
  const out: ApiMessageParam[] = [];
  for (const message of messages) {
    const previous = out[out.length - 1];
    if (previous && previous.role === message.role) {
      const prevBlocks = previous.content as ContentBlock[];
      const blocks = message.content as ContentBlock[];
      // Keep tool results first in a merged user message.
      const merged = [...prevBlocks, ...blocks];
      previous.content = message.role === 'user'
        ? [...merged.filter((b) => b.type === 'tool_result'), ...merged.filter((b) => b.type !== 'tool_result')]
        : merged;
    } else {
      out.push({ role: message.role, content: [...(message.content as ContentBlock[])] });
    }
  }
  return out;
}

async function resolveImages(block: ContentBlock, loadImage: ImageLoader): Promise<ContentBlock> {
  if (block.type === 'image_ref') return toImageBlock(block as ImageRefBlock, loadImage);
  if (block.type === 'tool_result' && Array.isArray((block as ToolResultBlock).content)) {
    const result = block as ToolResultBlock;
    const content = await Promise.all((result.content as ContentBlock[]).map((c) => (c.type === 'image_ref' ? toImageBlock(c as ImageRefBlock, loadImage) : c)));
    return { ...result, content } as ContentBlock;
  }
  return block;
}

async function toImageBlock(ref: ImageRefBlock, loadImage: ImageLoader): Promise<ContentBlock> {
  try {
    const data = await loadImage(ref);
    return { type: 'image', source: { type: 'base64', media_type: ref.media_type, data } };
  } catch {
    // A deleted attachment must not make the whole conversation unusable.
    return { type: 'text', text: `[image ${ref.name ?? ref.id.slice(0, 8)} is no longer available]` };
  }
}
