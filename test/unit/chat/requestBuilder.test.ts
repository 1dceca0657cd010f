import * as assert from 'node:assert/strict';
import type { ContentBlock, ImageRefBlock, StoredMessage } from '../../../src/shared/model';
import type { MessagesRequest } from '../../../src/core/api/types';
import { buildMessagesRequest, type RequestSettings } from '../../../src/core/chat/requestBuilder';
import { baseRequestSettings } from './requestSettings';

const base: RequestSettings = baseRequestSettings;

let n = 0;
const user = (...content: ContentBlock[]): StoredMessage => ({ id: `u${++n}`, role: 'user', kind: 'prompt', content, createdAt: n });
const assistant = (content: ContentBlock[], extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: `a${++n}`, role: 'assistant', content, createdAt: n, status: 'complete', ...extra });
const text = (t: string): ContentBlock => ({ type: 'text', text: t });
const noImages = async (): Promise<string> => { throw new Error('no images here'); };

function countBreakpoints(request: MessagesRequest): number {
  return (JSON.stringify(request).match(/"cache_control"/g) ?? []).length;
}

describe('requestBuilder', () => {
  it('always sets model and max_tokens, and sends only role and content', async () => {
    const { request } = await buildMessagesRequest([user(text('hi'))], { ...base, tools: [] }, noImages);
    assert.equal(request.model, 'claude-sonnet-4-6');
    assert.equal(request.max_tokens, 8192);
    assert.equal(request.stream, true);
    assert.deepEqual(Object.keys(request.messages[0]).sort(), ['content', 'role']);
    assert.equal(request.temperature, undefined);
    assert.equal(request.thinking, undefined);
    assert.equal(request.tools, undefined);
  });

  it('puts cache breakpoints on the system prompt, the last tool and the two latest user messages (4 at most)', async () => {
    const history = [user(text('q1')), assistant([text('a1')]), user(text('q2')), assistant([text('a2')]), user(text('q3a'), text('q3b'))];
    const { request } = await buildMessagesRequest(history, base, noImages);
    const system = request.system as { cache_control?: unknown }[];
    assert.deepEqual(system.at(-1)?.cache_control, { type: 'ephemeral' });
    assert.equal(request.tools?.[0].cache_control, undefined);
    assert.deepEqual(request.tools?.[1].cache_control, { type: 'ephemeral' });
    const blocks = (i: number) => request.messages[i].content as Record<string, unknown>[];
    assert.deepEqual(blocks(4)[1].cache_control, { type: 'ephemeral' });
    assert.equal(blocks(4)[0].cache_control, undefined);
    assert.deepEqual(blocks(2)[0].cache_control, { type: 'ephemeral' });
    assert.equal(blocks(0)[0].cache_control, undefined);
    assert.equal(countBreakpoints(request), 4);
    // The stored history is not modified.
    assert.equal(JSON.stringify(history).includes('cache_control'), false);
  });

  it('drops stale cache_control from stored blocks and sends none when caching is off', async () => {
    const history = [user({ type: 'text', text: 'q', cache_control: { type: 'ephemeral' } } as ContentBlock)];
    const { request } = await buildMessagesRequest(history, { ...base, promptCaching: false }, noImages);
    assert.equal(countBreakpoints(request), 0);
  });

  it('sends temperature only when set, accepted by the model, and thinking is off', async () => {
    const h = [user(text('q'))];
    assert.equal((await buildMessagesRequest(h, { ...base, temperature: 0.3 }, noImages)).request.temperature, 0.3);
    const opus = await buildMessagesRequest(h, { ...base, model: 'claude-opus-4-7', acceptsSampling: false, temperature: 0.3 }, noImages);
    assert.equal(opus.request.temperature, undefined);
    assert.match(opus.notes.join(), /does not accept/);
    const thinking = await buildMessagesRequest(h, { ...base, temperature: 0.3, thinking: { enabled: true, budgetTokens: 2048 } }, noImages);
    assert.equal(thinking.request.temperature, undefined);
  });

  it('enables thinking with a budget below max_tokens, raising max_tokens when needed', async () => {
    const h = [user(text('q'))];
    const ok = await buildMessagesRequest(h, { ...base, thinking: { enabled: true, budgetTokens: 2048 } }, noImages);
    assert.deepEqual(ok.request.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.equal(ok.request.max_tokens, 8192);
    const raised = await buildMessagesRequest(h, { ...base, maxTokens: 4096, thinking: { enabled: true, budgetTokens: 8000 } }, noImages);
    assert.equal(raised.request.thinking?.type === 'enabled' && raised.request.thinking.budget_tokens, 8000);
    assert.ok(raised.request.max_tokens > 8000);
    assert.match(raised.notes.join(), /max_tokens raised from 4096/);
    const capped = await buildMessagesRequest(h, { ...base, maxTokens: 100_000, maxOutputTokens: 64_000, thinking: { enabled: true, budgetTokens: 63_000 } }, noImages);
    assert.equal(capped.request.max_tokens, 64_000);
    assert.equal(capped.request.thinking?.type === 'enabled' && capped.request.thinking.budget_tokens, 63_000);
    const squeezed = await buildMessagesRequest(h, { ...base, maxTokens: 64_000, maxOutputTokens: 64_000, thinking: { enabled: true, budgetTokens: 64_000 } }, noImages);
    assert.equal(squeezed.request.max_tokens, 64_000);
    assert.equal(squeezed.request.thinking?.type === 'enabled' && squeezed.request.thinking.budget_tokens, 64_000 - 4096);
    const tiny = await buildMessagesRequest(h, { ...base, thinking: { enabled: true, budgetTokens: 10 } }, noImages);
    assert.equal(tiny.request.thinking?.type === 'enabled' && tiny.request.thinking.budget_tokens, 1024);
  });

  it('sends thinking blocks back unchanged when thinking is on and strips them when off', async () => {
    const thinking = { type: 'thinking', thinking: 'hmm', signature: 'sig123' } as ContentBlock;
    const redacted = { type: 'redacted_thinking', data: 'opaque' } as ContentBlock;
    const history = [user(text('q')), assistant([thinking, redacted, text('a')]), user(text('q2'))];
    const on = await buildMessagesRequest(history, { ...base, thinking: { enabled: true, budgetTokens: 2048 } }, noImages);
    assert.deepEqual(on.request.messages[1].content, [thinking, redacted, text('a')]);
    const off = await buildMessagesRequest(history, base, noImages);
    assert.deepEqual(off.request.messages[1].content, [text('a')]);
  });

  it('turns image references into base64 image blocks, also inside tool results', async () => {
    const ref: ImageRefBlock = { type: 'image_ref', id: 'a'.repeat(64), media_type: 'image/png', width: 10, height: 10, bytes: 3, name: 'shot.png' };
    const history: StoredMessage[] = [
      user(ref, text('what is this?')),
      assistant([{ type: 'tool_use', id: 't1', name: 'screenshot', input: {} }], { stopReason: 'tool_use' }),
      { id: 'r', role: 'user', kind: 'tool_results', createdAt: 9, content: [{ type: 'tool_result', tool_use_id: 't1', content: [ref] }] },
    ];
    const loads: string[] = [];
    const { request } = await buildMessagesRequest(history, { ...base, promptCaching: false }, async (r) => { loads.push(r.id); return 'QUJD'; });
    assert.deepEqual(request.messages[0].content, [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QUJD' } }, text('what is this?')]);
    const result = (request.messages[2].content as Record<string, unknown>[])[0];
    assert.deepEqual(result.content, [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QUJD' } }]);
    assert.equal(loads.length, 2);
    const missing = await buildMessagesRequest([user(ref)], base, noImages);
    assert.match(JSON.stringify(missing.request.messages[0].content), /no longer available/);
  });

  it('skips failed answers, drops unfinished tool calls and empty text, and merges same-role turns', async () => {
    const history = [
      user(text('q1')),
      assistant([], { status: 'error', error: { kind: 'network', message: 'x' } }),
      user(text('q2')),
      assistant([text('partial'), text(''), { type: 'tool_use', id: 'half', name: 'read_file', input: {} }, { type: 'thinking', thinking: 'cut', signature: '' } as ContentBlock], { status: 'interrupted' }),
      user(text('q3')),
    ];
    const { request } = await buildMessagesRequest(history, { ...base, promptCaching: false, thinking: { enabled: true, budgetTokens: 2048 } }, noImages);
    assert.deepEqual(request.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.deepEqual(request.messages[0].content, [text('q1'), text('q2')]);
    assert.deepEqual(request.messages[1].content, [text('partial')]);
  });

  it('answers a tool call left without a result so the API accepts the history', async () => {
    const history = [
      user(text('q1')),
      assistant([text('looking'), { type: 'tool_use', id: 't9', name: 'read_file', input: { path: 'a' }, extra_ui: 1 } as ContentBlock], { stopReason: 'tool_use' }),
      user(text('never mind')),
    ];
    const { request } = await buildMessagesRequest(history, { ...base, promptCaching: false }, noImages);
    assert.deepEqual((request.messages[1].content as ContentBlock[])[1], { type: 'tool_use', id: 't9', name: 'read_file', input: { path: 'a' } });
    const next = request.messages[2].content as Record<string, unknown>[];
    assert.equal(next[0].type, 'tool_result');
    assert.equal(next[0].tool_use_id, 't9');
    assert.equal(next[0].is_error, true);
    assert.deepEqual(next[1], text('never mind'));
  });
});
