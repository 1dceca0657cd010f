// Validation of a messages request like a strict server: the seed schema (ajv) first, then the
// rules a schema cannot express. Every failure is one 400 invalid_request_error with a message
// that names the field, so a client bug shows up as a readable test failure.
import { catalogueModelIds } from './gateway';
import { defaultShape, describeSchemaErrors, knownModels, shapeForModel } from './schema';
import { isStrictBase64, readImageSize, sniffImageFormat, type ImageFormat } from './images';
import { thinkingSignatureValid } from './util';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_EDGE = 8000;
export const MAX_CACHE_BREAKPOINTS = 4;
const OPENAI_BLOCK_TYPES = new Set(['image_url', 'input_audio', 'file', 'video_url', 'refusal', 'input_text']);

export type Block = { type: string; [key: string]: unknown };
export interface Message { role: string; content: string | Block[] }
export interface ValidRequest {
  model: string;
  messages: Message[];
  max_tokens: number;
  stream?: boolean;
  system?: string | Block[];
  tools?: Block[];
  tool_choice?: { type: string; name?: string };
  thinking?: { type: string; budget_tokens?: number };
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  [key: string]: unknown;
}

export type ValidationResult = { ok: true; request: ValidRequest } | { ok: false; message: string };

class Invalid extends Error {}
function fail(message: string): never { throw new Invalid(message); }

export function blocksOf(message: Message): Block[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

export function validateMessagesRequest(body: unknown): ValidationResult {
  try {
    return { ok: true, request: checkRequest(body) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, message: error.message };
    throw error;
  }
}

function checkRequest(body: unknown): ValidRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) fail('Request body must be a JSON object.');
  const raw = body as Record<string, unknown>;
  if (typeof raw.model !== 'string') fail('model: Field required (a string).');
  // The seed enum is a snapshot; the gateway also serves the models of its catalogue (GET /models),
  // which take the default request shape.
  const catalogueOnly = !shapeForModel(raw.model) && catalogueModelIds().includes(raw.model);
  const shape = catalogueOnly ? defaultShape() : shapeForModel(raw.model);
  if (!shape) fail(`model: Unknown model '${raw.model}'. Known models: ${[...knownModels(), ...catalogueModelIds()].join(', ')}.`);
  if (!shape.acceptsSampling) {
    for (const field of ['temperature', 'top_p', 'top_k']) {
      if (field in raw) fail(`${field}: Extra inputs are not permitted: ${raw.model} does not accept temperature, top_p or top_k.`);
    }
  }
  if (!shape.validate(catalogueOnly ? { ...raw, model: shape.models[0] } : raw)) fail(describeSchemaErrors(shape.validate.errors));
  const request = { ...raw, max_tokens: (raw.max_tokens as number | undefined) ?? shape.defaultMaxTokens } as ValidRequest;

  if (!Number.isInteger(request.max_tokens) || request.max_tokens < 1) fail('max_tokens: must be a positive integer.');
  checkThinking(request);
  checkMessages(request);
  checkTools(request);
  checkCacheBreakpoints(request);
  return request;
}

function thinkingOn(request: ValidRequest): boolean {
  return request.thinking?.type === 'enabled' || request.thinking?.type === 'adaptive';
}

function checkThinking(request: ValidRequest): void {
  const thinking = request.thinking;
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens ?? 0;
    if (budget < 1024) fail('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (budget >= request.max_tokens) fail(`\`max_tokens\` must be greater than \`thinking.budget_tokens\` (${request.max_tokens} <= ${budget}).`);
  }
  if (!thinkingOn(request)) return;
  if (request.temperature !== undefined && request.temperature !== 1) fail('`temperature` may only be set to 1 when thinking is enabled.');
  if (request.top_k !== undefined) fail('`top_k` must be unset when thinking is enabled.');
  if (request.top_p !== undefined && request.top_p < 0.95) fail('`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.');
  const choice = request.tool_choice?.type;
  if (choice === 'any' || choice === 'tool') fail('Thinking may not be enabled when tool_choice forces tool use.');
}

function checkMessages(request: ValidRequest): void {
  const messages = request.messages;
  if (!Array.isArray(messages) || messages.length === 0) fail('messages: at least one message is required.');
  messages.forEach((message, index) => {
    if (message.role !== 'user' && message.role !== 'assistant') fail(`messages.${index}.role: Input should be 'user' or 'assistant'.`);
  });
  if (messages[0].role !== 'user') fail('messages.0.role: The first message must use the "user" role.');

  const seenToolUseIds = new Set<string>();
  messages.forEach((message, index) => {
    const isFinalAssistant = index === messages.length - 1 && message.role === 'assistant';
    const blocks = blocksOf(message);
    if (blocks.length === 0 && !isFinalAssistant) fail(`messages.${index}: all messages must have non-empty content except for the optional final assistant message.`);
    blocks.forEach((block, blockIndex) => {
      const where = `messages.${index}.content.${blockIndex}`;
      checkBlock(block, where, message.role, isFinalAssistant);
      if (block.type === 'tool_use') {
        const id = String(block.id);
        if (seenToolUseIds.has(id)) fail(`${where}: \`tool_use\` ids must be unique; '${id}' appears more than once.`);
        seenToolUseIds.add(id);
      }
    });
  });
  checkToolPairs(messages);
  checkThinkingInToolLoop(request);
}

function checkBlock(block: Block, where: string, role: string, isFinalAssistant: boolean): void {
  switch (block.type) {
    case 'text': {
      const text = String(block.text);
      // A final assistant message may end with whitespace-free prefill; anywhere else empty text is rejected.
      if (text.length === 0 && !isFinalAssistant) fail(`${where}: text content blocks must be non-empty.`);
      if (text.length > 0 && text.trim().length === 0 && !isFinalAssistant) fail(`${where}: text content blocks must contain non-whitespace text.`);
      return;
    }
    case 'image':
      if (role !== 'user') fail(`${where}: image blocks are only allowed in user messages.`);
      return checkImage(block, where);
    case 'document':
      return checkDocument(block, where);
    case 'tool_result':
      if (role !== 'user') fail(`${where}: tool_result blocks are only allowed in user messages.`);
      if (Array.isArray(block.content)) {
        (block.content as Block[]).forEach((inner, innerIndex) => {
          if (inner.type === 'image') checkImage(inner, `${where}.content.${innerIndex}`);
          if (inner.type === 'text' && String(inner.text).length === 0) fail(`${where}.content.${innerIndex}: text content blocks must be non-empty.`);
        });
      }
      return;
    case 'tool_use':
      if (role !== 'assistant') fail(`${where}: tool_use blocks are only allowed in assistant messages.`);
      if (!/^[a-zA-Z0-9_-]+$/.test(String(block.id))) fail(`${where}.id: String should match pattern '^[a-zA-Z0-9_-]+$'.`);
      return;
    case 'thinking':
      if (role !== 'assistant') fail(`${where}: thinking blocks are only allowed in assistant messages.`);
      if (!thinkingSignatureValid(String(block.thinking), String(block.signature))) fail(`${where}: Invalid \`signature\` in \`thinking\` block.`);
      return;
    case 'redacted_thinking':
      if (role !== 'assistant') fail(`${where}: redacted_thinking blocks are only allowed in assistant messages.`);
      return;
    default:
      // The seed schema's OpenAI-style alternative lets these through; /v1/messages does not take them.
      if (OPENAI_BLOCK_TYPES.has(block.type)) fail(`${where}.type: '${block.type}' is an OpenAI-style block; use Anthropic content blocks (text, image, tool_use, tool_result, ...).`);
      return;
  }
}

function checkImage(block: Block, where: string): void {
  const source = block.source as { type: string; media_type?: string; data?: string };
  if (source.type !== 'base64') return;
  const data = source.data ?? '';
  if (!isStrictBase64(data)) fail(`${where}.source.data: The image data is not valid base64.`);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) fail(`${where}.source.data: image exceeds 5 MB maximum: ${bytes.length} bytes > ${MAX_IMAGE_BYTES} bytes.`);
  const actual = sniffImageFormat(bytes);
  if (actual !== source.media_type) {
    fail(`${where}.source: Image does not match the provided media type ${source.media_type}${actual ? ` (the bytes are ${actual})` : ' (the bytes are not a supported image)'}.`);
  }
  const size = readImageSize(bytes, actual as ImageFormat);
  if (!size) fail(`${where}.source.data: Could not process image (unreadable header).`);
  if (size.width > MAX_IMAGE_EDGE || size.height > MAX_IMAGE_EDGE) fail(`${where}: image dimensions exceed max allowed size: ${MAX_IMAGE_EDGE} pixels.`);
}

function checkDocument(block: Block, where: string): void {
  const source = block.source as { type: string; media_type?: string; data?: string };
  if (source.type !== 'base64') return;
  const data = source.data ?? '';
  if (!isStrictBase64(data)) fail(`${where}.source.data: The document data is not valid base64.`);
  if (source.media_type === 'application/pdf' && !Buffer.from(data, 'base64').subarray(0, 5).equals(Buffer.from('%PDF-'))) {
    fail(`${where}.source: The PDF specified was not valid (no %PDF- header).`);
  }
}

/**
 * The pairing rules of tool use: every tool_use of an assistant message is answered by a
 * tool_result in the very next (user) message, tool_results come first there, and a tool_result
 * answers only a tool_use of the message right before it.
 */
function checkToolPairs(messages: Message[]): void {
  messages.forEach((message, index) => {
    const blocks = blocksOf(message);
    if (message.role === 'assistant') {
      const ids = blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id));
      if (ids.length === 0) return;
      const next = messages[index + 1];
      const answered = next?.role === 'user' ? new Set(blocksOf(next).filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id))) : new Set<string>();
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length) fail(`messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
      return;
    }
    const resultIds = blocks.filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id));
    if (resultIds.length === 0) return;
    const previous = messages[index - 1];
    const offered = previous?.role === 'assistant' ? new Set(blocksOf(previous).filter((b) => b.type === 'tool_use').map((b) => String(b.id))) : new Set<string>();
    const unexpected = resultIds.filter((id) => !offered.has(id));
    if (unexpected.length) fail(`messages.${index}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
    if (new Set(resultIds).size !== resultIds.length) fail(`messages.${index}.content: each \`tool_use\` id may be answered by only one \`tool_result\` block.`);
    const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
    const lastResult = blocks.map((b) => b.type).lastIndexOf('tool_result');
    if (firstOther !== -1 && firstOther < lastResult) fail(`messages.${index}.content.${firstOther}: \`tool_result\` blocks must come first in the user message, before any other content.`);
  });
}

/** With thinking on, the assistant turn of an ongoing tool loop must keep its thinking block first. */
function checkThinkingInToolLoop(request: ValidRequest): void {
  if (!thinkingOn(request)) return;
  const messages = request.messages;
  const last = messages[messages.length - 1];
  const previous = messages[messages.length - 2];
  if (last.role !== 'user' || previous?.role !== 'assistant') return;
  if (!blocksOf(last).some((b) => b.type === 'tool_result')) return;
  const first = blocksOf(previous)[0];
  if (first && first.type !== 'thinking' && first.type !== 'redacted_thinking') {
    fail(`messages.${messages.length - 2}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`);
  }
}

function checkTools(request: ValidRequest): void {
  const tools = request.tools ?? [];
  const names = tools.map((tool) => String(tool.name ?? tool.type));
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) fail(`tools: Tool names must be unique; '${duplicate}' appears more than once.`);
  tools.forEach((tool, index) => {
    if (tool.type === 'function' || 'function' in tool) fail(`tools.${index}: OpenAI-style function tools are not accepted here; use {name, description, input_schema}.`);
    if (typeof tool.name === 'string' && !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name)) fail(`tools.${index}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'.`);
  });
  const usesTools = request.messages.some((m) => blocksOf(m).some((b) => b.type === 'tool_use' || b.type === 'tool_result'));
  if (usesTools && tools.length === 0) fail('Requests which include `tool_use` or `tool_result` blocks must define tools.');
  if (request.tool_choice?.type === 'tool' && !names.includes(String(request.tool_choice.name))) fail(`tool_choice.name: Tool '${request.tool_choice.name}' not found in tools.`);
}

function checkCacheBreakpoints(request: ValidRequest): void {
  let count = 0;
  const visit = (block: Block) => { if (block.cache_control) count += 1; };
  (request.tools ?? []).forEach(visit);
  if (Array.isArray(request.system)) request.system.forEach(visit);
  request.messages.forEach((message) => { if (Array.isArray(message.content)) message.content.forEach(visit); });
  if (count > MAX_CACHE_BREAKPOINTS) fail(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${count}.`);
}
