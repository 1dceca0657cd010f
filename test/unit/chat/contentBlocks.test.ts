import * as assert from 'node:assert/strict';
import { buildMessagesRequest } from '../../../src/core/chat/requestBuilder';
import {
  ContentBlock, isImageRefBlock, isKnownBlock, isTextBlock, isThinkingBlock, isToolResultBlock, isToolUseBlock, isUnknownBlock, toContentBlock, type StoredMessage,
} from '../../../src/shared/model';

const serverBlock = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://example.com', encrypted_content: 'abc' }] };

describe('content blocks: known types plus one unknown block kept verbatim', () => {
  it('parses each known type by its own schema and narrows with the guards', () => {
    const blocks = [
      { type: 'text', text: 'hi' },
      { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a' } },
      { type: 'tool_result', tool_use_id: 't1', content: 'ok' },
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'image_ref', id: 'a'.repeat(64), media_type: 'image/png', width: 1, height: 2, bytes: 3 },
    ].map((b) => ContentBlock.parse(b));
    assert.deepEqual(blocks.map(isKnownBlock), [true, true, true, true, true]);
    const [text, toolUse, toolResult, thinking, ref] = blocks;
    assert.ok(isTextBlock(text) && text.text === 'hi');
    assert.ok(isToolUseBlock(toolUse) && toolUse.name === 'read_file');
    assert.ok(isToolResultBlock(toolResult) && toolResult.tool_use_id === 't1');
    assert.ok(isThinkingBlock(thinking) && thinking.signature === 'sig');
    assert.ok(isImageRefBlock(ref) && ref.height === 2);
    assert.ok(!isTextBlock(toolUse) && !isToolUseBlock(text));
  });

  it('keeps a block of an unknown type verbatim, and only that', () => {
    const parsed = toContentBlock(serverBlock);
    assert.deepEqual(parsed, serverBlock);
    assert.ok(parsed && isUnknownBlock(parsed) && !isKnownBlock(parsed));
  });

  it('does not pass off a malformed block of a known type as unknown', () => {
    assert.equal(toContentBlock({ type: 'text' }), undefined);
    assert.equal(toContentBlock({ type: 'image_ref', id: 'x', media_type: 'image/avif', width: 1, height: 1, bytes: 1 }), undefined);
    assert.equal(toContentBlock({ type: 'tool_use', name: 'x' }), undefined);
  });

  it('a thinking block started by the stream without a signature is a thinking block', () => {
    const parsed = toContentBlock({ type: 'thinking', thinking: '' });
    assert.ok(parsed && isThinkingBlock(parsed));
    assert.equal(parsed.signature, '');
  });

  it('sends an unknown block of a finished answer back to the API unchanged', async () => {
    const history: StoredMessage[] = [
      { id: 'u', role: 'user', createdAt: 1, content: [{ type: 'text', text: 'search' }] },
      { id: 'a', role: 'assistant', createdAt: 2, status: 'complete', content: [ContentBlock.parse(serverBlock), { type: 'text', text: 'found' }] },
      { id: 'u2', role: 'user', createdAt: 3, content: [{ type: 'text', text: 'thanks' }] },
    ];
    const { request } = await buildMessagesRequest(history, {
      model: 'claude-sonnet-4-6', acceptsSampling: true, maxTokens: 100, temperature: null, thinking: { enabled: false, budgetTokens: 0 }, promptCaching: false, system: '', tools: [],
    }, async () => '');
    assert.deepEqual(request.messages[1].content, [serverBlock, { type: 'text', text: 'found' }]);
  });
});
