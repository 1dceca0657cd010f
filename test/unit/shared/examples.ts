// Shared-schema values with every optional field filled, so that a schema that loses a field, a
// literal or an enum value no longer gives them back unchanged.
import type { ContextAttachment } from '../../../src/shared/context';
import type { Conversation, ErrorInfo, StoredMessage, ToolCallState } from '../../../src/shared/model';

export const contextChip = (): ContextAttachment => ({
  kind: 'selection',
  label: 'src/a.ts:1-2',
  path: 'src/a.ts',
  language: 'typescript',
  range: { startLine: 1, endLine: 2 },
  text: 'let a = 1;\nlet b = 2;',
  tokens: 9,
  truncated: true,
});

export const fullErrorInfo = (): ErrorInfo => ({ kind: 'rate_limit', message: 'slow down', status: 429, requestId: 'req-9', retryAfterMs: 1500, retryable: true });

export const fullToolCall = (): ToolCallState => ({
  toolUseId: 'tu1',
  tool: 'propose_edit',
  target: 'src/a.ts:10-40',
  status: 'awaiting_approval',
  summary: 'edit 2 hunks',
  details: 'diff',
  approval: {
    kind: 'apply_discard',
    reason: 'edits a file',
    command: { text: 'npm test', cwd: '/w' },
    hunks: [{ index: 0, header: '@@ -1 +1 @@', preview: '-a\n+b' }],
  },
});

/** An assistant message with one block of every known type and an unknown (server tool) block. */
export const fullMessage = (): StoredMessage => ({
  id: 'm1',
  role: 'assistant',
  content: [
    { type: 'thinking', thinking: 'hmm', signature: 'sig' },
    { type: 'redacted_thinking', data: 'opaque' },
    { type: 'text', text: 'hello', citations: [{ cited_text: 'x' }] },
    { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lG' } },
    { type: 'image_ref', id: 'img1', media_type: 'image/jpeg', width: 2, height: 3, bytes: 40, name: 'photo.jpg' },
    { type: 'tool_use', id: 'tu1', name: 'read_file', input: { path: 'a.ts' } },
    {
      type: 'tool_result',
      tool_use_id: 'tu1',
      is_error: true,
      content: [
        { type: 'text', text: 'result' },
        { type: 'image_ref', id: 'img2', media_type: 'image/png', width: 1, height: 1, bytes: 10 },
      ],
    },
    { type: 'server_tool_use', id: 'srv1', name: 'web_search', input: { query: 'q' } },
  ],
  createdAt: 1000,
  kind: 'prompt',
  model: 'claude-sonnet-4-6',
  stopReason: 'tool_use',
  usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: null, cache_read_input_tokens: 5 },
  usdSpent: 0.01,
  requestId: 'req-1',
  status: 'complete',
  error: fullErrorInfo(),
  toolCalls: { tu1: fullToolCall() },
  context: [contextChip()],
  mode: 'plan',
});

export const fullConversation = (): Conversation => ({
  version: 1,
  id: 'c1',
  title: 'A chat',
  createdAt: 1,
  updatedAt: 2,
  model: 'claude-sonnet-4-6',
  messages: [fullMessage(), { id: 'm2', role: 'user', kind: 'tool_results', content: [{ type: 'tool_result', tool_use_id: 'tu1', content: 'plain' }], createdAt: 3 }],
  totals: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, usdSpent: 0.25 },
  compaction: { summary: 'earlier', firstKeptMessageId: 'm2', createdAt: 5, tokensBefore: 900, tokensAfter: 90, usdSpent: 0.002, inputTokens: 800, outputTokens: 70 },
});
