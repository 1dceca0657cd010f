// VS Code-shaped language-model messages -> Messages API requests. Every built request is also
// checked by the stand-in's validator (the seed schema plus the rules the gateway enforces).
import * as assert from 'node:assert/strict';
import { buildLmRequest, type LmRequestSettings } from '../../../src/core/lm/request';
import type { LmMessage } from '../../../src/core/lm/types';
import type { ContentBlock, MessagesRequest } from '../../../src/core/api/types';
import { validateMessagesRequest } from '../../support/standin';

const settings: LmRequestSettings = {
  model: 'claude-sonnet-4-6', acceptsSampling: true, maxTokens: 8192, maxOutputTokens: 64_000, temperature: 0.3,
  thinking: { enabled: false, budgetTokens: 2048 }, promptCaching: false,
};
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const user = (...parts: LmMessage['parts']): LmMessage => ({ role: 'user', parts });
const assistant = (...parts: LmMessage['parts']): LmMessage => ({ role: 'assistant', parts });
const text = (value: string) => ({ kind: 'text' as const, value });

function assertValid(request: MessagesRequest): void {
  const result = validateMessagesRequest(request);
  assert.ok(result.ok, result.ok ? '' : result.message);
}
const blocks = (request: MessagesRequest, index: number) => request.messages[index].content as ContentBlock[];

describe('language-model request mapping', () => {
  it('maps text turns, puts system messages into system, and streams', async () => {
    const { request } = await buildLmRequest([
      { role: 'system', parts: [text('Be brief.')] },
      user(text('Hello')),
      assistant(text('Hi!')),
      user(text('What is 2+2?')),
    ], {}, settings);
    assertValid(request);
    assert.equal(request.model, 'claude-sonnet-4-6');
    assert.equal(request.stream, true);
    assert.equal(request.max_tokens, 8192);
    assert.equal(request.temperature, 0.3);
    assert.deepEqual(request.system, [{ type: 'text', text: 'Be brief.' }]);
    assert.deepEqual(request.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.deepEqual(blocks(request, 2), [{ type: 'text', text: 'What is 2+2?' }]);
  });

  it('sends no system block when the caller has no system message', async () => {
    const { request } = await buildLmRequest([user(text('Hi'))], {}, settings);
    assert.equal(request.system, undefined);
    assertValid(request);
  });

  it('sends no sampling parameters to Claude Opus 4.7, whatever the settings or model options say', async () => {
    const { request, notes } = await buildLmRequest([user(text('Hi'))], { modelOptions: { temperature: 0.9 } }, {
      ...settings, model: 'claude-opus-4-7', acceptsSampling: false, maxOutputTokens: 128_000,
    });
    assert.equal('temperature' in request, false);
    assert.equal('top_p' in request, false);
    assert.equal('top_k' in request, false);
    assert.ok(notes.some((n) => /temperature not sent/.test(n)), notes.join('; '));
    assertValid(request);
  });

  it('takes max_tokens and temperature from model options, capped at the model limit', async () => {
    const { request, notes } = await buildLmRequest([user(text('Hi'))], { modelOptions: { max_tokens: 100_000, temperature: 0.1 } }, settings);
    assert.equal(request.max_tokens, 64_000);
    assert.equal(request.temperature, 0.1);
    assert.ok(notes.some((n) => /max_tokens lowered/.test(n)));
    assertValid(request);
    const invalid = await buildLmRequest([user(text('Hi'))], { modelOptions: { max_tokens: -5, temperature: 'hot' } }, settings);
    assert.equal(invalid.request.max_tokens, 8192);
    assert.equal(invalid.request.temperature, 0.3);
  });

  it('passes stop sequences from model options', async () => {
    const { request } = await buildLmRequest([user(text('Hi'))], { modelOptions: { stop: ['END'] } }, settings);
    assert.deepEqual(request.stop_sequences, ['END']);
  });

  it('round-trips a tool call and its result, with tools defined', async () => {
    const tools = [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
    const { request } = await buildLmRequest([
      user(text('Read a.ts')),
      assistant(text('Reading.'), { kind: 'toolCall', callId: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } }),
      user({ kind: 'toolResult', callId: 'toolu_1', content: [text('export const a = 1;')] }),
    ], { tools }, settings);
    assertValid(request);
    assert.deepEqual(request.tools, [{ name: 'read_file', description: 'Reads a file', input_schema: tools[0].inputSchema }]);
    assert.deepEqual(blocks(request, 1)[1], { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } });
    assert.deepEqual(blocks(request, 2), [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'export const a = 1;' }] }]);
  });

  it('marks failed tool results and answers tool calls the caller left unanswered', async () => {
    const tools = [{ name: 'run', description: 'Runs' }];
    const { request } = await buildLmRequest([
      user(text('Go')),
      assistant({ kind: 'toolCall', callId: 'a', name: 'run', input: {} }, { kind: 'toolCall', callId: 'b', name: 'run', input: {} }),
      user({ kind: 'toolResult', callId: 'a', content: [text('boom')], isError: true }, text('and then?')),
    ], { tools }, settings);
    assertValid(request);
    const results = blocks(request, 2);
    assert.deepEqual(results.map((b) => b.type), ['tool_result', 'tool_result', 'text']);
    assert.equal((results[0] as { is_error?: boolean }).is_error, true);
    assert.equal((results[1] as { tool_use_id: string }).tool_use_id, 'b');
    // Tools without a schema get an empty object schema, which the API requires.
    assert.deepEqual((request.tools?.[0] as { input_schema: unknown }).input_schema, { type: 'object', properties: {} });
  });

  it('renames tools the API would refuse and maps the history to the same names', async () => {
    const tools = [{ name: 'mcp.server/echo', description: 'Echo' }, { name: 'mcp_server_echo', description: 'Other' }];
    const { request, toolNames } = await buildLmRequest([
      user(text('Echo')),
      assistant({ kind: 'toolCall', callId: 'x', name: 'mcp.server/echo', input: { text: 'hi' } }),
      user({ kind: 'toolResult', callId: 'x', content: [text('hi')] }),
    ], { tools }, settings);
    assertValid(request);
    const names = request.tools!.map((t) => t.name);
    assert.deepEqual(names, ['mcp_server_echo_2', 'mcp_server_echo']);
    assert.equal((blocks(request, 1)[0] as { name: string }).name, 'mcp_server_echo_2');
    assert.equal(toolNames.caller('mcp_server_echo_2'), 'mcp.server/echo');
    assert.equal(toolNames.caller('mcp_server_echo'), 'mcp_server_echo');
  });

  it('forces a tool call for toolMode required', async () => {
    const { request } = await buildLmRequest([user(text('Go'))], { tools: [{ name: 't', description: 'd' }], toolMode: 'required' }, settings);
    assert.deepEqual(request.tool_choice, { type: 'any' });
    assertValid(request);
    const noTools = await buildLmRequest([user(text('Go'))], { toolMode: 'required' }, settings);
    assert.equal(noTools.request.tool_choice, undefined);
  });

  it('turns image data parts into base64 image blocks, labelled by their bytes', async () => {
    const { request } = await buildLmRequest([user(text('What is this?'), { kind: 'data', mimeType: 'image/jpeg', data: PNG_1X1 })], {}, settings);
    assertValid(request);
    assert.deepEqual(blocks(request, 0)[1], { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1.toString('base64') } });
  });

  it('leaves out what the API cannot take, saying so, and drops cache markers silently', async () => {
    const { request, notes } = await buildLmRequest([user(
      text('Look'),
      { kind: 'data', mimeType: 'image/bmp', data: new Uint8Array([0x42, 0x4d, 1, 2]) },
      { kind: 'data', mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') },
      { kind: 'data', mimeType: 'application/octet-stream', data: new Uint8Array([1]) },
      { kind: 'data', mimeType: 'application/json', data: new TextEncoder().encode('{"a":1}') },
    )], {}, settings);
    assertValid(request);
    const content = blocks(request, 0);
    assert.deepEqual(content.map((b) => b.type), ['text', 'text', 'text']);
    assert.match((content[1] as { text: string }).text, /image\/bmp was left out/);
    assert.equal((content[2] as { text: string }).text, '{"a":1}');
    assert.equal(notes.length, 2, notes.join('; '));
  });

  it('sends images inside tool results', async () => {
    const { request } = await buildLmRequest([
      user(text('Screenshot?')),
      assistant({ kind: 'toolCall', callId: 's', name: 'shot', input: {} }),
      user({ kind: 'toolResult', callId: 's', content: [{ kind: 'data', mimeType: 'image/png', data: PNG_1X1 }] }),
    ], { tools: [{ name: 'shot', description: 'Takes a screenshot' }] }, settings);
    assertValid(request);
    const result = blocks(request, 2)[0] as { content: ContentBlock[] };
    assert.equal(result.content[0].type, 'image');
  });

  describe('thinking', () => {
    const thinkingOn = { ...settings, temperature: null, thinking: { enabled: true, budgetTokens: 2048 } };

    it('sends signed thinking back in a tool loop, joining streamed pieces', async () => {
      const { request } = await buildLmRequest([
        user(text('Go')),
        assistant({ kind: 'thinking', value: 'Let me ' }, { kind: 'thinking', value: 'look.' }, { kind: 'thinking', value: '', signature: 'sig' },
          { kind: 'toolCall', callId: 't1', name: 'look', input: {} }),
        user({ kind: 'toolResult', callId: 't1', content: [text('seen')] }),
      ], { tools: [{ name: 'look', description: 'Looks' }] }, thinkingOn);
      assert.deepEqual(request.thinking, { type: 'enabled', budget_tokens: 2048 });
      assert.deepEqual(blocks(request, 1)[0], { type: 'thinking', thinking: 'Let me look.', signature: 'sig' });
    });

    it('keeps redacted thinking as it came', async () => {
      const { request } = await buildLmRequest([
        user(text('Go')),
        assistant({ kind: 'thinking', value: '', redactedData: 'opaque' }, text('Done')),
        user(text('Next')),
      ], {}, thinkingOn);
      assert.deepEqual(blocks(request, 1)[0], { type: 'redacted_thinking', data: 'opaque' });
    });

    it('turns thinking off for a tool loop whose thinking the caller did not keep', async () => {
      const { request, notes } = await buildLmRequest([
        user(text('Go')),
        assistant({ kind: 'thinking', value: 'unsigned' }, { kind: 'toolCall', callId: 't1', name: 'look', input: {} }),
        user({ kind: 'toolResult', callId: 't1', content: [text('seen')] }),
      ], { tools: [{ name: 'look', description: 'Looks' }] }, thinkingOn);
      assert.equal(request.thinking, undefined);
      assert.ok(notes.some((n) => /did not keep the thinking/.test(n)));
      assert.equal(blocks(request, 1).some((b) => b.type === 'thinking'), false);
      assertValid(request);
    });

    it('turns thinking off when a tool call is required', async () => {
      const { request } = await buildLmRequest([user(text('Go'))], { tools: [{ name: 'look', description: 'Looks' }], toolMode: 'required' }, thinkingOn);
      assert.equal(request.thinking, undefined);
      assertValid(request);
    });
  });

  it('marks cache breakpoints when prompt caching is on', async () => {
    const { request } = await buildLmRequest([{ role: 'system', parts: [text('sys')] }, user(text('a')), assistant(text('b')), user(text('c'))],
      { tools: [{ name: 't', description: 'd' }] }, { ...settings, promptCaching: true });
    assertValid(request);
    assert.deepEqual((request.system as { cache_control?: unknown }[])[0].cache_control, { type: 'ephemeral' });
    assert.deepEqual(request.tools?.[0].cache_control, { type: 'ephemeral' });
    assert.deepEqual((blocks(request, 2)[0] as { cache_control?: unknown }).cache_control, { type: 'ephemeral' });
  });
});
