// Token estimates and the context meter, exactly: what each block type counts, which reported
// usage may anchor the meter (a complete answer with a non-zero usage, newer than the summary),
// and every part of the usage it adds up.
import * as assert from 'node:assert/strict';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import { CHARS_PER_TOKEN, IMAGE_TOKENS, estimateMessagesTokens, estimateTokens } from '../../../src/core/context/tokens';
import { DEFAULT_CONTEXT_WINDOW, estimateContext, projectNextRequest, usageTokens } from '../../../src/core/context/meter';

const message = (content: StoredMessage['content'], extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: `m${Math.random()}`, role: 'user', createdAt: 0, content, ...extra });
const conversation = (messages: StoredMessage[], extra: Partial<Conversation> = {}): Conversation => ({ version: 1, id: 'c', title: 't', createdAt: 0, updatedAt: 0, model: 'm', messages, totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 }, ...extra });

describe('token estimates', () => {
  it('counts about four characters a token, rounded up', () => {
    assert.equal(CHARS_PER_TOKEN, 4);
    assert.deepEqual(['', 'a', 'abcd', 'abcde', 'x'.repeat(400)].map(estimateTokens), [0, 1, 1, 2, 100]);
  });

  it('counts each block type its own way, four tokens of framing a message, and the chips', () => {
    assert.equal(IMAGE_TOKENS, 1600);
    const one = (block: StoredMessage['content'][number]) => estimateMessagesTokens([message([block])]) - 4;
    assert.equal(one({ type: 'text', text: 'abcdefgh' }), 2);
    assert.equal(one({ type: 'thinking', thinking: 'abcdefghi', signature: 'a long signature that is not counted' }), 3);
    assert.equal(one({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(10_000) } }), 1600);
    assert.equal(one({ type: 'image_ref', id: 'i', media_type: 'image/png', width: 1, height: 1, bytes: 1 }), 1600);
    assert.equal(one({ type: 'tool_result', tool_use_id: 't', content: 'abcdefgh' }), 12);
    assert.equal(one({ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'abcd' }, { type: 'image_ref', id: 'i', media_type: 'image/png', width: 1, height: 1, bytes: 1 }] }), 10 + 1 + 1600);
    assert.equal(one({ type: 'tool_result', tool_use_id: 't' }), 10);
    const toolUse = { type: 'tool_use', id: 't', name: 'read_file', input: { path: 'a.ts' } } as const;
    assert.equal(one(toolUse), Math.ceil(JSON.stringify(toolUse).length / 4));
    const unknown = { type: 'server_tool_use', id: 's', name: 'web_search', input: { q: 'x' } };
    assert.equal(one(unknown), Math.ceil(JSON.stringify(unknown).length / 4));
    assert.equal(estimateMessagesTokens([]), 0);
    assert.equal(estimateMessagesTokens([message([]), message([], { context: [{ kind: 'file', label: 'a', text: '', tokens: 70 }, { kind: 'file', label: 'b', text: '', tokens: 30 }] })]), 4 + 4 + 100);
  });
});

describe('context meter anchors', () => {
  const usage = { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 3000, cache_creation_input_tokens: 400 };
  const answer = (extra: Partial<StoredMessage> = {}) => message([{ type: 'text', text: 'x' }], { role: 'assistant', status: 'complete', usage, createdAt: 50, ...extra });
  const later = message([{ type: 'text', text: 'abcdefgh' }]); // 4 + 2 tokens

  it('adds up every part of a reported usage', () => {
    assert.equal(usageTokens(usage), 3520);
    assert.equal(usageTokens({ input_tokens: 1, output_tokens: 2 }), 3);
    assert.equal(usageTokens({ input_tokens: 0, output_tokens: 0, cache_read_input_tokens: null, cache_creation_input_tokens: 5 }), 5);
  });

  it('anchors on the last complete answer with a usage, adding what came after', () => {
    const older = answer({ usage: { input_tokens: 7, output_tokens: 0 } });
    assert.deepEqual(estimateContext(conversation([older, answer(), later]), 999), { usedTokens: 3520 + 6, anchored: true });
    assert.deepEqual(estimateContext(conversation([answer(), later, older]), 999), { usedTokens: 7, anchored: true }, 'the last one wins');
  });

  it('does not anchor on a streaming or failed answer, an empty usage or a user message', () => {
    const estimated = (m: StoredMessage) => estimateContext(conversation([m]), 500);
    const plain = 500 + 4 + 1;
    assert.deepEqual(estimated(answer({ status: 'streaming' })), { usedTokens: plain, anchored: false });
    assert.deepEqual(estimated(answer({ status: 'error' })), { usedTokens: plain, anchored: false });
    assert.deepEqual(estimated(answer({ usage: undefined })), { usedTokens: plain, anchored: false });
    assert.deepEqual(estimated(answer({ usage: { input_tokens: 0, output_tokens: 0 } })), { usedTokens: plain, anchored: false });
    assert.deepEqual(estimated(answer({ role: 'user' })), { usedTokens: plain, anchored: false });
  });

  it('after a summary, anchors only on answers newer than it and estimates from the summary on', () => {
    const first = message([{ type: 'text', text: 'old' }], { id: 'old', role: 'user', kind: 'prompt' });
    const kept = message([{ type: 'text', text: 'kept' }], { id: 'kept', role: 'user', kind: 'prompt' });
    const compaction = { summary: 'S'.repeat(40), firstKeptMessageId: 'kept', createdAt: 50, tokensBefore: 1, tokensAfter: 1 };
    const atSummary = estimateContext(conversation([first, answer(), kept, answer({ createdAt: 50 })], { compaction }), 10);
    assert.equal(atSummary.anchored, false, 'an answer as old as the summary reported the long history');
    const summaryTokens = 4 + estimateTokens(`<conversation_summary>\nEarlier turns of this conversation, summarised:\n\n${'S'.repeat(40)}\n</conversation_summary>`);
    assert.equal(atSummary.usedTokens, 10 + summaryTokens + (4 + 1) + (4 + 1));
    assert.deepEqual(estimateContext(conversation([first, answer(), kept, answer({ createdAt: 51 })], { compaction }), 10), { usedTokens: 3520, anchored: true });
    assert.deepEqual(estimateContext(conversation([answer({ createdAt: 0 })], { compaction: { ...compaction, firstKeptMessageId: 'missing' } }), 10), { usedTokens: 3520, anchored: true }, 'no usable summary: every answer may anchor');
  });

  it('projects the next request with the prompt text or message', () => {
    const estimate = { usedTokens: 100, anchored: true };
    assert.equal(projectNextRequest(estimate, 'abcdefgh'), 102);
    assert.equal(projectNextRequest(estimate, { content: [{ type: 'text', text: 'abcdefgh' }], context: [{ kind: 'file', label: 'a', text: '', tokens: 50 }] }), 100 + 4 + 2 + 50);
    assert.equal(DEFAULT_CONTEXT_WINDOW, 200_000);
  });
});
