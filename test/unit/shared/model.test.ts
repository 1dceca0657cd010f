// The stored-conversation schemas (src/shared/model.ts, src/shared/context.ts): every enum value a
// release writes must read back, the type guards must tell each block type apart, and the limits
// must refuse what breaks them. A conversation file that no longer parses is set aside, so a lost
// enum value or literal here would hide a user's chat.
import * as assert from 'node:assert/strict';
import {
  ContextAttachment, ContextKind, ContextMeter, ConversationCompaction, SLASH_COMMANDS, contextKinds, meterPercent, slashCommandNames,
} from '../../../src/shared/context';
import {
  ChatMode, ContentBlock, Conversation, ConversationTotals, ErrorInfo, ErrorKind, ImageMediaType, MessageStatus, ModelInfo, StoredMessage, ToolCallState, ToolCallStatus, Usage,
  emptyTotals, errorKinds, imageMediaTypes, isImageBlock, isImageRefBlock, isKnownBlock, isRedactedThinkingBlock, isTextBlock, isThinkingBlock,
  isToolResultBlock, isToolUseBlock, isUnknownBlock, knownBlockTypes, toContentBlock, type ContentBlock as Block,
} from '../../../src/shared/model';
import { contextChip, fullConversation, fullMessage, fullToolCall } from './examples';

const parses = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe('shared conversation schemas', () => {
  it('reads back every value of every enum', () => {
    assert.deepEqual([...imageMediaTypes], ['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
    for (const type of imageMediaTypes) assert.ok(parses(ImageMediaType, type), type);
    assert.deepEqual([...errorKinds], [
      'no_api_key', 'authentication', 'permission', 'not_found', 'rate_limit', 'overloaded', 'invalid_request', 'too_large', 'server', 'network',
      'timeout', 'aborted', 'malformed_response', 'config', 'unknown', 'stream_too_large', 'answer_timeout', 'response_too_large',
    ]);
    for (const kind of errorKinds) assert.ok(parses(ErrorKind, kind), kind);
    for (const status of ['validating', 'awaiting_approval', 'running', 'succeeded', 'failed', 'denied', 'discarded', 'applied', 'skipped']) assert.ok(parses(ToolCallStatus, status), status);
    for (const kind of ['allow_deny', 'apply_discard', 'command']) assert.ok(parses(ToolCallState, { ...fullToolCall(), approval: { kind, reason: 'r' } }), kind);
    for (const mode of ['agent', 'plan']) assert.ok(parses(ChatMode, mode), mode);
    for (const status of ['streaming', 'complete', 'interrupted', 'error']) assert.ok(parses(MessageStatus, status), status);
    for (const family of ['opus', 'sonnet', 'haiku']) assert.ok(parses(ModelInfo, { id: 'm', label: 'M', family, acceptsSampling: true, defaultMaxTokens: 1 }), family);
    for (const role of ['user', 'assistant']) for (const kind of ['prompt', 'tool_results']) assert.ok(parses(StoredMessage, { id: 'm', role, kind, content: [], createdAt: 0 }), `${role} ${kind}`);
    assert.deepEqual([...contextKinds], ['file', 'folder', 'selection', 'problems', 'changes', 'terminal']);
    for (const kind of contextKinds) assert.ok(parses(ContextKind, kind), kind);
    for (const bad of ['', 'image/bmp']) assert.equal(parses(ImageMediaType, bad), false);
    assert.equal(parses(ErrorKind, 'teapot'), false);
    assert.equal(parses(StoredMessage, { id: 'm', role: 'system', content: [], createdAt: 0 }), false);
  });

  it('keeps a full conversation, every block type included, unchanged', () => {
    const conversation = fullConversation();
    assert.deepEqual(Conversation.parse(structuredClone(conversation)), conversation);
    assert.equal(parses(Conversation, { ...conversation, version: 2 }), false, 'only version 1 is this format');
  });

  it('fills defaults where older files left fields out', () => {
    assert.deepEqual(ConversationTotals.parse({}), emptyTotals());
    assert.deepEqual(emptyTotals(), { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 });
    assert.deepEqual(Usage.parse({}), { input_tokens: 0, output_tokens: 0 });
    assert.deepEqual(Usage.parse({ input_tokens: 3, server_tool_use: { web_search_requests: 1 } }), { input_tokens: 3, output_tokens: 0, server_tool_use: { web_search_requests: 1 } }, 'unknown usage fields are kept');
    assert.deepEqual(toContentBlock({ type: 'thinking', thinking: 't' }), { type: 'thinking', thinking: 't', signature: '' });
  });

  it('refuses negative counts and sizes', () => {
    assert.equal(parses(Usage, { input_tokens: -1 }), false);
    assert.equal(parses(Usage, { cache_read_input_tokens: -1 }), false);
    assert.equal(parses(ErrorInfo, { kind: 'server', message: 'm', retryAfterMs: -1 }), false);
    assert.equal(parses(StoredMessage, { ...fullMessage(), usdSpent: -0.01 }), false);
    assert.equal(parses(StoredMessage, { ...fullMessage(), requestId: 'r'.repeat(201) }), false);
    assert.equal(parses(StoredMessage, { ...fullMessage(), context: Array(51).fill(contextChip()) }), false);
    assert.ok(parses(StoredMessage, { ...fullMessage(), context: Array(50).fill(contextChip()) }));
    for (const field of ['width', 'height', 'bytes']) {
      assert.equal(toContentBlock({ type: 'image_ref', id: 'i', media_type: 'image/png', width: 1, height: 1, bytes: 1, [field]: -1 }), undefined, field);
      assert.ok(toContentBlock({ type: 'image_ref', id: 'i', media_type: 'image/png', width: 1, height: 1, bytes: 1, [field]: 0 }), field);
    }
  });

  it('tells every block type apart with its guard', () => {
    const blocks = fullMessage().content;
    const guards: Array<[string, (b: Block) => boolean]> = [
      ['thinking', isThinkingBlock], ['redacted_thinking', isRedactedThinkingBlock], ['text', isTextBlock], ['image', isImageBlock],
      ['image_ref', isImageRefBlock], ['tool_use', isToolUseBlock], ['tool_result', isToolResultBlock],
    ];
    for (const [type, guard] of guards) assert.deepEqual(blocks.filter(guard).map((b) => b.type), [type], type);
    assert.deepEqual(blocks.filter(isKnownBlock).map((b) => b.type), [...guards.map(([t]) => t)]);
    assert.deepEqual(blocks.filter(isUnknownBlock).map((b) => b.type), ['server_tool_use']);
    assert.deepEqual([...knownBlockTypes].sort(), guards.map(([t]) => t).sort());
  });

  it('refuses a block of a known type that fails its own schema, with the reason', () => {
    for (const type of knownBlockTypes) assert.equal(toContentBlock({ type }), undefined, type);
    const parsed = ContentBlock.safeParse({ type: 'text', text: 5 });
    assert.equal(parsed.success, false);
    assert.ok(parsed.error?.issues.some((issue) => JSON.stringify(issue).includes('a known block type must match its own schema')));
    assert.deepEqual(toContentBlock({ type: 'web_search_tool_result', content: [1] }), { type: 'web_search_tool_result', content: [1] });
  });

  it('holds the limits of a context chip, its compaction record and the meter', () => {
    const chip = contextChip();
    assert.deepEqual(ContextAttachment.parse(structuredClone(chip)), chip);
    assert.equal(parses(ContextAttachment, { ...chip, label: '' }), false);
    assert.equal(parses(ContextAttachment, { ...chip, label: 'l'.repeat(301) }), false);
    assert.ok(parses(ContextAttachment, { ...chip, label: 'l'.repeat(300) }));
    assert.equal(parses(ContextAttachment, { ...chip, path: 'p'.repeat(1001) }), false);
    assert.equal(parses(ContextAttachment, { ...chip, language: 'l'.repeat(81) }), false);
    assert.equal(parses(ContextAttachment, { ...chip, range: { startLine: 0, endLine: 1 } }), false);
    assert.equal(parses(ContextAttachment, { ...chip, range: { startLine: 1, endLine: 0 } }), false);
    assert.equal(parses(ContextAttachment, { ...chip, text: 'x'.repeat(400_001) }), false);
    assert.equal(parses(ContextAttachment, { ...chip, tokens: -1 }), false);
    const compaction = fullConversation().compaction!;
    for (const field of ['tokensBefore', 'tokensAfter', 'usdSpent', 'inputTokens', 'outputTokens']) assert.equal(parses(ConversationCompaction, { ...compaction, [field]: -1 }), false, field);
    assert.ok(parses(ContextMeter, { usedTokens: 0, windowTokens: 1, compactAtPercent: 0 }));
    assert.ok(parses(ContextMeter, { usedTokens: 0, windowTokens: 1, compactAtPercent: 100 }));
    assert.equal(parses(ContextMeter, { usedTokens: 0, windowTokens: 0, compactAtPercent: 50 }), false);
    assert.equal(parses(ContextMeter, { usedTokens: 0, windowTokens: 1, compactAtPercent: 101 }), false);
  });

  it('lists the slash commands with what each does', () => {
    assert.deepEqual(SLASH_COMMANDS, [
      { name: 'explain', description: 'Explain the selected code or the attached context' },
      { name: 'fix', description: 'Fix the problems in the selection or file' },
      { name: 'tests', description: 'Propose tests for the selection or file' },
      { name: 'doc', description: 'Write documentation comments' },
      { name: 'compact', description: 'Summarise older turns to free the context window' },
      { name: 'new', description: 'Start a new chat' },
    ]);
    assert.deepEqual(SLASH_COMMANDS.map((c) => c.name), [...slashCommandNames]);
  });

  it('gives the meter percentage rounded down and clamped to 0-100', () => {
    assert.equal(meterPercent(50, 200), 25);
    assert.equal(meterPercent(199, 200), 99, 'rounded down: 100 means really full');
    assert.equal(meterPercent(200, 200), 100);
    assert.equal(meterPercent(500, 200), 100);
    assert.equal(meterPercent(-10, 200), 0);
    assert.equal(meterPercent(10, 0), 0);
    assert.equal(meterPercent(10, Number.NaN), 0);
  });
});
