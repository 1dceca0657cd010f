// The language-model request mapping asserted exactly: model options that are ignored when not
// usable, tool definitions, parts the API has no block for, and when thinking is switched off.
import * as assert from 'node:assert/strict';
import { buildLmRequest, type LmRequestSettings } from '../../../src/core/lm/request';
import type { LmMessage } from '../../../src/core/lm/types';

const settings: LmRequestSettings = {
  model: 'claude-sonnet-4-6', acceptsSampling: true, maxTokens: 8192, maxOutputTokens: 64_000, temperature: null,
  thinking: { enabled: false, budgetTokens: 2048 }, promptCaching: false,
};
const thinkingOn = { ...settings, thinking: { enabled: true, budgetTokens: 2048 } };
const user = (...parts: LmMessage['parts']): LmMessage => ({ role: 'user', parts });
const assistant = (...parts: LmMessage['parts']): LmMessage => ({ role: 'assistant', parts });
const text = (value: string) => ({ kind: 'text' as const, value });
const bytes = (value: string) => new TextEncoder().encode(value);
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('language-model request: exact mapping', () => {
  it('ignores max_tokens and temperature options that are not usable numbers', async () => {
    for (const bad of [0, -5, 1.5, '100', null]) {
      const { request } = await buildLmRequest([user(text('q'))], { modelOptions: { max_tokens: bad, temperature: Number.NaN } }, settings);
      assert.equal(request.max_tokens, 8192, String(bad));
      assert.equal('temperature' in request, false);
    }
    const camel = await buildLmRequest([user(text('q'))], { modelOptions: { maxTokens: 100, temperature: 0 } }, settings);
    assert.equal(camel.request.max_tokens, 100);
    assert.equal(camel.request.temperature, 0);
    const both = await buildLmRequest([user(text('q'))], { modelOptions: { max_tokens: 200, maxTokens: 100 } }, settings);
    assert.equal(both.request.max_tokens, 200);
  });

  it('passes stop sequences only as a non-empty list of strings, under either name', async () => {
    const build = async (modelOptions: Record<string, unknown>) => (await buildLmRequest([user(text('q'))], { modelOptions }, settings)).request;
    assert.deepEqual((await build({ stop: ['END'] })).stop_sequences, ['END']);
    assert.deepEqual((await build({ stop_sequences: ['A'], stop: ['B'] })).stop_sequences, ['A']);
    assert.equal('stop_sequences' in (await build({ stop: [] })), false);
    assert.equal('stop_sequences' in (await build({ stop: ['a', 1] })), false);
    assert.equal('stop_sequences' in (await build({ stop: 'END' })), false);
  });

  it('defines tools with an object schema, an empty one otherwise, and the name when the description is empty', async () => {
    const schema = { type: 'object', properties: { path: { type: 'string' } } };
    const { request } = await buildLmRequest([user(text('q'))], { tools: [
      { name: 'a', description: 'Does a', inputSchema: schema },
      { name: 'b', description: '', inputSchema: { type: 'string' } },
      { name: 'c', description: 'Does c' },
    ] }, settings);
    assert.deepEqual(request.tools, [
      { name: 'a', description: 'Does a', input_schema: schema },
      { name: 'b', description: 'b', input_schema: { type: 'object', properties: {} } },
      { name: 'c', description: 'Does c', input_schema: { type: 'object', properties: {} } },
    ]);
    assert.equal('tool_choice' in request, false);
    const auto = await buildLmRequest([user(text('q'))], { tools: [{ name: 'a', description: 'd' }], toolMode: 'auto' }, settings);
    assert.equal('tool_choice' in auto.request, false);
  });

  it('joins the system messages, text data included, and skips empty ones', async () => {
    const { request } = await buildLmRequest([
      { role: 'system', parts: [text('One.'), { kind: 'data', mimeType: 'text/plain', data: bytes(' Two.') }, { kind: 'data', mimeType: 'image/png', data: PNG_1X1 }] },
      { role: 'system', parts: [text('')] },
      { role: 'system', parts: [text('Three.'), { kind: 'thinking', value: 'not sent' }] },
      user(text('q')),
    ], {}, settings);
    assert.deepEqual(request.system, [{ type: 'text', text: 'One. Two.\n\nThree.' }]);
    assert.deepEqual(request.messages, [{ role: 'user', content: [{ type: 'text', text: 'q' }] }]);
  });

  it('quotes a tool call found in a user message as text, and sends empty results without content', async () => {
    const { request } = await buildLmRequest([
      user(text('q'), { kind: 'toolCall', callId: 'x', name: 'look', input: { a: 1 } }),
      assistant({ kind: 'toolCall', callId: 't1', name: 'look', input: undefined as unknown as object }),
      user({ kind: 'toolResult', callId: 't1', content: [text('')], isError: false }),
    ], { tools: [{ name: 'look', description: 'Looks' }] }, settings);
    assert.deepEqual(request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'q' }, { type: 'text', text: '[tool call look: {"a":1}]' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'look', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] },
    ]);
  });

  it('says exactly what it left out', async () => {
    const { request, notes } = await buildLmRequest([user(
      text('Look'),
      { kind: 'data', mimeType: 'IMAGE/BMP', data: new Uint8Array([0x42, 0x4d, 1, 2]) },
      { kind: 'data', mimeType: 'image/png', data: bytes('not an image') },
      { kind: 'data', mimeType: 'stateful_marker', data: bytes('x') },
      { kind: 'data', mimeType: 'application/zip', data: new Uint8Array([1]) },
      { kind: 'data', mimeType: 'text/markdown', data: bytes('# t') },
    )], {}, settings);
    assert.deepEqual(notes, [
      'an image of type image/bmp was not sent: the API takes PNG, JPEG, GIF and WebP.',
      'an image of type image/png was not sent: the API takes PNG, JPEG, GIF and WebP.',
      'a data part of type application/zip was not sent: the API has no block for it.',
    ]);
    assert.deepEqual(request.messages[0].content, [
      { type: 'text', text: 'Look' },
      { type: 'text', text: '[an image of type image/bmp was left out: only PNG, JPEG, GIF and WebP can be sent]' },
      { type: 'text', text: '[an image of type image/png was left out: only PNG, JPEG, GIF and WebP can be sent]' },
      { type: 'text', text: '# t' },
    ]);
  });

  it('sends a thinking part without signature or redacted data not at all, and flushes thinking before other parts', async () => {
    const { request } = await buildLmRequest([
      user(text('q')),
      assistant({ kind: 'thinking', value: 'a' }, text('mid'), { kind: 'thinking', value: 'b', signature: 's' }, text('end')),
      user(text('next')),
    ], {}, thinkingOn);
    assert.deepEqual(request.messages[1].content, [{ type: 'text', text: 'mid' }, { type: 'thinking', thinking: 'b', signature: 's' }, { type: 'text', text: 'end' }]);
  });

  it('keeps thinking on unless the last message answers tool calls of an answer without thinking', async () => {
    const tools = { tools: [{ name: 'look', description: 'Looks' }] };
    const call = { kind: 'toolCall' as const, callId: 't1', name: 'look', input: {} };
    const result = { kind: 'toolResult' as const, callId: 't1', content: [text('seen')] };
    const on = async (messages: LmMessage[]) => (await buildLmRequest(messages, tools, thinkingOn));
    // A plain new prompt after an answer without thinking.
    assert.deepEqual((await on([user(text('q')), assistant(text('a')), user(text('again'))])).request.thinking, { type: 'enabled', budget_tokens: 2048 });
    // The only message, a tool result without a preceding answer, and redacted thinking kept.
    assert.ok((await on([user(text('q'))])).request.thinking);
    assert.ok((await on([user(result)])).request.thinking);
    assert.ok((await on([user(text('q')), assistant({ kind: 'thinking', value: '', redactedData: 'r' }, call), user(result)])).request.thinking);
    // An answer last (prefill) is not a tool loop.
    assert.ok((await on([user(text('q')), assistant(call), user(result), assistant(text('pre'))])).request.thinking);
    const off = await on([user(text('q')), assistant(call), user(result)]);
    assert.equal('thinking' in off.request, false);
    assert.deepEqual(off.notes, ['thinking not sent: the caller did not keep the thinking of the tool call it is answering.']);
    const forced = await buildLmRequest([user(text('q'))], { ...tools, toolMode: 'required' }, thinkingOn);
    assert.deepEqual(forced.notes, ['thinking not sent: the caller requires a tool call, which the API does not allow with thinking.']);
    assert.deepEqual(forced.request.tool_choice, { type: 'any' });
  });
});
