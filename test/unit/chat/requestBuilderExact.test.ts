// The exact request body the builder sends, block by block: what each stored block becomes on its
// way to the API (and what is dropped), the exact notes, and the tool-pair repair and role merge.
// Each case asserts the whole shape so a dropped field (a tool result's is_error) cannot pass.
import * as assert from 'node:assert/strict';
import type { ContentBlock, ImageRefBlock, StoredMessage } from '../../../src/shared/model';
import type { ContextAttachment } from '../../../src/shared/context';
import { buildMessagesRequest, type RequestSettings } from '../../../src/core/chat/requestBuilder';
import { baseRequestSettings } from './requestSettings';

const base: RequestSettings = { ...baseRequestSettings, promptCaching: false, tools: [] };
const thinkingOn = { ...base, thinking: { enabled: true, budgetTokens: 2048 } };

let n = 0;
const user = (...content: ContentBlock[]): StoredMessage => ({ id: `u${++n}`, role: 'user', kind: 'prompt', content, createdAt: n });
const results = (...content: ContentBlock[]): StoredMessage => ({ id: `r${++n}`, role: 'user', kind: 'tool_results', content, createdAt: n });
const assistant = (content: ContentBlock[], extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: `a${++n}`, role: 'assistant', content, createdAt: n, status: 'complete', ...extra });
const text = (t: string): ContentBlock => ({ type: 'text', text: t });
const toolUse = (id: string, input: unknown = { path: 'a' }): ContentBlock => ({ type: 'tool_use', id, name: 'read_file', input } as ContentBlock);
const noImages = async (): Promise<string> => { throw new Error('no images here'); };
const EPHEMERAL = { type: 'ephemeral' };
const INTERRUPTED = 'This tool call was not run: the answer was interrupted before it could run.';

async function messages(history: StoredMessage[], settings: RequestSettings = base): Promise<unknown[]> {
  return (await buildMessagesRequest(history, settings, noImages)).request.messages;
}

describe('requestBuilder: the exact body', () => {
  it('sends a stored tool result with its is_error, content and id, and nothing else', async () => {
    const sent = await messages([
      user(text('q')),
      assistant([toolUse('t1'), toolUse('t2'), toolUse('t3')], { stopReason: 'tool_use' }),
      results(
        { type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'Refused: outside the workspace.', ui: 'card' } as ContentBlock,
        { type: 'tool_result', tool_use_id: 't2', is_error: false, content: [{ type: 'text', text: 'ok', cache_control: EPHEMERAL } as ContentBlock] } as ContentBlock,
        { type: 'tool_result', tool_use_id: 't3' },
      ),
    ]);
    assert.deepEqual(sent[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'Refused: outside the workspace.' },
        { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'ok' }] },
        { type: 'tool_result', tool_use_id: 't3' },
      ],
    });
  });

  it('keeps citations on text, drops UI fields, and drops empty text', async () => {
    const citations = [{ type: 'char_location', cited_text: 'x' }];
    const sent = await messages([
      user({ type: 'text', text: 'q', cache_control: EPHEMERAL, ui: 1 } as ContentBlock),
      assistant([{ type: 'text', text: 'a', citations } as ContentBlock, text('')]),
    ]);
    assert.deepEqual(sent, [
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a', citations }] },
    ]);
  });

  it('sends an answer without a status (older conversations) as finished, tool calls included', async () => {
    const legacy: StoredMessage = { id: 'old', role: 'assistant', createdAt: 1, content: [{ type: 'tool_use', id: 't1', name: 'read_file', input: undefined } as unknown as ContentBlock] };
    const sent = await messages([user(text('q')), legacy, results({ type: 'tool_result', tool_use_id: 't1', content: 'x' })]);
    assert.deepEqual(sent[1], { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read_file', input: {} }] });
  });

  it('drops thinking from an unfinished answer, and unsigned thinking, but keeps signed and redacted thinking', async () => {
    const signed = { type: 'thinking', thinking: 'hmm', signature: 'sig', cache_control: EPHEMERAL } as ContentBlock;
    const unsigned = { type: 'thinking', thinking: 'cut', signature: '' } as ContentBlock;
    const redacted = { type: 'redacted_thinking', data: 'opaque' } as ContentBlock;
    const finished = await messages([user(text('q')), assistant([signed, unsigned, redacted, text('a')])], thinkingOn);
    assert.deepEqual(finished[1], { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }, redacted, text('a')] });
    const cut = await messages([user(text('q')), assistant([signed, redacted, text('a')], { status: 'interrupted' })], thinkingOn);
    assert.deepEqual(cut[1], { role: 'assistant', content: [text('a')] });
  });

  it('sends server-tool blocks verbatim from finished answers only, and images without cache_control', async () => {
    const server = { type: 'server_tool_use', id: 's1', name: 'web_search', input: { q: 'x' }, cache_control: EPHEMERAL } as ContentBlock;
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QQ==' }, cache_control: EPHEMERAL } as ContentBlock;
    const done = await messages([user(image, text('q')), assistant([server, text('a')])]);
    assert.deepEqual(done, [
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QQ==' } }, text('q')] },
      { role: 'assistant', content: [{ type: 'server_tool_use', id: 's1', name: 'web_search', input: { q: 'x' } }, text('a')] },
    ]);
    const cut = await messages([user(text('q')), assistant([server, text('a')], { status: 'interrupted' })]);
    assert.deepEqual(cut[1], { role: 'assistant', content: [text('a')] });
  });

  it('puts attached context before the prompt of a user message only', async () => {
    const chip: ContextAttachment = { kind: 'file', label: 'a.ts', path: 'a.ts', text: 'const a = 1;', tokens: 5 };
    const prompt: StoredMessage = { ...user(text('explain')), context: [chip] };
    const answer: StoredMessage = { ...assistant([text('it is one')]), context: [chip] };
    const sent = await messages([prompt, answer]) as { content: { text: string }[] }[];
    assert.equal(sent[0].content.length, 2);
    assert.equal((sent[0].content[0] as { type?: string }).type, 'text');
    assert.match(sent[0].content[0].text, /^The user attached this context:/);
    assert.match(sent[0].content[0].text, /const a = 1;/);
    assert.deepEqual(sent[0].content[1], text('explain'));
    assert.deepEqual(sent[1].content, [text('it is one')]);
    // An empty context list adds nothing.
    assert.deepEqual(await messages([{ ...user(text('q')), context: [] }]), [{ role: 'user', content: [text('q')] }]);
  });

  it('answers unanswered calls after the existing results and before the other blocks of the next message', async () => {
    const sent = await messages([
      user(text('q')),
      assistant([toolUse('t1'), toolUse('t2')], { stopReason: 'tool_use' }),
      results(text('by the way'), { type: 'tool_result', tool_use_id: 't2', content: 'two' }),
    ]);
    assert.deepEqual(sent[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't2', content: 'two' },
        { type: 'tool_result', tool_use_id: 't1', is_error: true, content: INTERRUPTED },
        text('by the way'),
      ],
    });
  });

  it('adds a user message answering the calls of a last answer, and leaves answered calls alone', async () => {
    const last = await messages([user(text('q')), assistant([text('x'), toolUse('t1')])]);
    assert.deepEqual(last, [
      { role: 'user', content: [text('q')] },
      { role: 'assistant', content: [text('x'), { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: INTERRUPTED }] },
    ]);
    const answered = await messages([user(text('q')), assistant([toolUse('t1')]), results({ type: 'tool_result', tool_use_id: 't1', content: 'ok' })]);
    assert.deepEqual(answered[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] });
    // A call followed by another answer (the result message was lost): one merged answer, then its result.
    const twoAnswers = await messages([user(text('q')), assistant([toolUse('t1')]), assistant([text('later')])]);
    assert.deepEqual(twoAnswers.slice(1), [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a' } }, text('later')] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: INTERRUPTED }] },
    ]);
  });

  // Bug found by mutation testing: the repair ran before the merge, so a call answered in the second
  // of two consecutive user messages got a second, "interrupted" result, which the API refuses.
  it('puts the results first in the user message after an answer, also when every call is answered', async () => {
    const sent = await messages([user(text('q')), assistant([toolUse('t1')]), results(text('note'), { type: 'tool_result', tool_use_id: 't1', content: 'ok' })]);
    assert.deepEqual(sent[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }, text('note')] });
  });

  it('sends every block of a user message, whatever status it carries', async () => {
    const odd = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } } as unknown as ContentBlock;
    const sent = await messages([{ ...user(odd, text('q')), status: 'interrupted' }]);
    assert.deepEqual(sent, [{ role: 'user', content: [odd, text('q')] }]);
  });

  it('merges consecutive answers in order and consecutive user messages with tool results first, answered once', async () => {
    const sent = await messages([
      user(text('q')),
      assistant([text('one')]),
      assistant([], { status: 'error', error: { kind: 'network', message: 'x' } }),
      assistant([text('two')]),
    ]);
    assert.deepEqual(sent[1], { role: 'assistant', content: [text('one'), text('two')] });
    const users = await messages([
      user(text('q')),
      assistant([toolUse('t1')]),
      user(text('also')),
      results({ type: 'tool_result', tool_use_id: 't1', content: 'ok' }),
    ]);
    assert.deepEqual(users[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }, text('also')] });
  });

  it('names a lost image by its name, else by the first 8 characters of its id; tool results in text stay as they are', async () => {
    const ref = (name?: string): ImageRefBlock => ({ type: 'image_ref', id: 'abcdef0123456789'.repeat(4), media_type: 'image/png', width: 1, height: 1, bytes: 1, ...(name ? { name } : {}) });
    assert.deepEqual(await messages([user(ref('shot.png'))]), [{ role: 'user', content: [text('[image shot.png is no longer available]')] }]);
    assert.deepEqual(await messages([user(ref())]), [{ role: 'user', content: [text('[image abcdef01 is no longer available]')] }]);
    const loaded = await buildMessagesRequest([user(text('q')), assistant([toolUse('t1')]), results({ type: 'tool_result', tool_use_id: 't1', content: [text('plain'), ref()] })], base, async () => 'QUJD');
    assert.deepEqual(loaded.request.messages[2].content, [{ type: 'tool_result', tool_use_id: 't1', content: [text('plain'), { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QUJD' } }] }]);
  });
});

describe('requestBuilder: limits, sampling and caching', () => {
  const h = [user(text('q'))];

  it('sends exactly model, messages, max_tokens, stream and system when nothing else applies', async () => {
    const { request, notes } = await buildMessagesRequest(h, { ...base, temperature: undefined as unknown as null }, noImages);
    assert.deepEqual(request, { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: [text('q')] }], max_tokens: 8192, stream: true, system: [{ type: 'text', text: 'You are helpful.' }] });
    assert.deepEqual(notes, []);
  });

  it('lowers max_tokens to the model limit with a note, and leaves it alone at the limit', async () => {
    const lowered = await buildMessagesRequest(h, { ...base, maxTokens: 100_000, maxOutputTokens: 64_000 }, noImages);
    assert.equal(lowered.request.max_tokens, 64_000);
    assert.deepEqual(lowered.notes, ['max_tokens lowered from 100000 to 64000, the most claude-sonnet-4-6 allows.']);
    const atLimit = await buildMessagesRequest(h, { ...base, maxTokens: 64_000, maxOutputTokens: 64_000 }, noImages);
    assert.equal(atLimit.request.max_tokens, 64_000);
    assert.deepEqual(atLimit.notes, []);
  });

  it('raises max_tokens when the budget equals it, and floors a fractional budget', async () => {
    const equal = await buildMessagesRequest(h, { ...base, maxTokens: 8192, thinking: { enabled: true, budgetTokens: 8192 } }, noImages);
    assert.equal(equal.request.max_tokens, 8192 + 4096);
    assert.deepEqual(equal.request.thinking, { type: 'enabled', budget_tokens: 8192 });
    assert.deepEqual(equal.notes, ['max_tokens raised from 8192 to 12288: the thinking budget (8192) must be below it.']);
    const below = await buildMessagesRequest(h, { ...base, maxTokens: 8192, thinking: { enabled: true, budgetTokens: 2048.9 } }, noImages);
    assert.deepEqual(below.request.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.equal(below.request.max_tokens, 8192);
    assert.deepEqual(below.notes, []);
  });

  it('lowers the budget with both notes when the model limit leaves no room', async () => {
    const squeezed = await buildMessagesRequest(h, { ...base, maxTokens: 64_000, maxOutputTokens: 64_000, thinking: { enabled: true, budgetTokens: 64_000 } }, noImages);
    assert.deepEqual(squeezed.notes, [
      'max_tokens raised from 64000 to 64000: the thinking budget (64000) must be below it.',
      'thinking budget lowered to 59904 to fit under 64000 output tokens.',
    ]);
    // A limit so small that the answer room would push the budget under the minimum keeps the minimum.
    const tiny = await buildMessagesRequest(h, { ...base, maxTokens: 2000, maxOutputTokens: 2000, thinking: { enabled: true, budgetTokens: 1024 } }, noImages);
    assert.deepEqual(tiny.request.thinking, { type: 'enabled', budget_tokens: 1024 });
    assert.equal(tiny.request.max_tokens, 2000);
  });

  it('says exactly why a temperature was not sent', async () => {
    const opus = await buildMessagesRequest(h, { ...base, model: 'claude-opus-4-7', acceptsSampling: false, temperature: 0.3 }, noImages);
    assert.deepEqual(opus.notes, ['temperature not sent: claude-opus-4-7 does not accept it.']);
    const thinking = await buildMessagesRequest(h, { ...thinkingOn, temperature: 0.3 }, noImages);
    assert.deepEqual(thinking.notes, ['temperature not sent: it cannot be combined with extended thinking.']);
    assert.equal('temperature' in thinking.request, false);
    const zero = await buildMessagesRequest(h, { ...base, temperature: 0 }, noImages);
    assert.equal(zero.request.temperature, 0);
  });

  it('marks the only user message, copies the tools and leaves the settings untouched', async () => {
    const tools = [{ name: 'read_file', description: 'r', input_schema: { type: 'object' } }];
    const settings = { ...base, promptCaching: true, tools };
    const { request } = await buildMessagesRequest(h, settings, noImages);
    assert.deepEqual(request.messages, [{ role: 'user', content: [{ type: 'text', text: 'q', cache_control: EPHEMERAL }] }]);
    assert.deepEqual(request.tools, [{ ...tools[0], cache_control: EPHEMERAL }]);
    assert.deepEqual(request.system, [{ type: 'text', text: 'You are helpful.', cache_control: EPHEMERAL }]);
    assert.deepEqual(settings.tools, [{ name: 'read_file', description: 'r', input_schema: { type: 'object' } }]);
    const noTools = await buildMessagesRequest(h, { ...base, promptCaching: true }, noImages);
    assert.equal('tools' in noTools.request, false);
  });
});
