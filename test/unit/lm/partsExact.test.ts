// The language-model provider's small parts asserted exactly: the parts each stream event yields
// (and the events that yield none), the model information's every field, token counts per part
// kind, and tool names that collide after shortening.
import * as assert from 'node:assert/strict';
import type { ApiMessage, ContentBlock, StreamEvent } from '../../../src/core/api/types';
import type { ModelInfo as CatalogueModel } from '../../../src/core/api/catalogue';
import { lmModelInformation, lmSourcesFromCatalogue } from '../../../src/core/lm/models';
import { LmStreamMapper } from '../../../src/core/lm/stream';
import { estimateTokenCount } from '../../../src/core/lm/tokens';
import { ToolNameMap } from '../../../src/core/lm/toolNames';

const snapshotWith = (...content: unknown[]): ApiMessage => ({ id: 'm', type: 'message', role: 'assistant', model: 'x', content: content as ContentBlock[], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });
const delta = (d: unknown): StreamEvent => ({ type: 'content_block_delta', index: 0, delta: d } as StreamEvent);
const stop = (index = 0): StreamEvent => ({ type: 'content_block_stop', index });

describe('language-model stream mapping: exact parts', () => {
  const mapper = new LmStreamMapper(new ToolNameMap(['my.tool']));
  const empty = snapshotWith({ type: 'text', text: '' });

  it('reports non-empty text and thinking deltas, nothing for other deltas or events', () => {
    assert.deepEqual(mapper.map(delta({ type: 'text_delta', text: 'hi' }), empty), [{ kind: 'text', value: 'hi' }]);
    assert.deepEqual(mapper.map(delta({ type: 'thinking_delta', thinking: 'hm' }), empty), [{ kind: 'thinking', value: 'hm' }]);
    for (const d of [{ type: 'text_delta', text: '' }, { type: 'thinking_delta', thinking: '' }, { type: 'signature_delta', signature: 's' }, { type: 'input_json_delta', partial_json: '{"a":' }, { type: 'citations_delta', citation: {} }]) {
      assert.deepEqual(mapper.map(delta(d), empty), [], JSON.stringify(d));
    }
    assert.deepEqual(mapper.map({ type: 'message_stop' }, empty), []);
    assert.deepEqual(mapper.map({ type: 'ping' }, empty), []);
  });

  it('reports a stopped tool call under the caller\'s name, wrapping input that is not an object', () => {
    const call = (input: unknown) => mapper.map(stop(), snapshotWith({ type: 'tool_use', id: 7, name: 'my_tool', input }));
    assert.deepEqual(call({ a: 1 }), [{ kind: 'toolCall', callId: '7', name: 'my.tool', input: { a: 1 } }]);
    assert.deepEqual(call([1, 2]), [{ kind: 'toolCall', callId: '7', name: 'my.tool', input: { value: [1, 2] } }]);
    assert.deepEqual(call(null), [{ kind: 'toolCall', callId: '7', name: 'my.tool', input: { value: null } }]);
    assert.deepEqual(call('text'), [{ kind: 'toolCall', callId: '7', name: 'my.tool', input: { value: 'text' } }]);
  });

  it('reports a signature or redacted data when a thinking block stops, and nothing for others', () => {
    const stopped = (block: unknown) => mapper.map(stop(), snapshotWith(block));
    assert.deepEqual(stopped({ type: 'thinking', thinking: 't', signature: 'sig' }), [{ kind: 'thinking', value: '', signature: 'sig' }]);
    assert.deepEqual(stopped({ type: 'thinking', thinking: 't', signature: '' }), []);
    assert.deepEqual(stopped({ type: 'thinking', thinking: 't', signature: 5 }), []);
    assert.deepEqual(stopped({ type: 'redacted_thinking', data: 'opaque' }), [{ kind: 'thinking', value: '', redactedData: 'opaque' }]);
    assert.deepEqual(stopped({ type: 'redacted_thinking', data: 5 }), []);
    assert.deepEqual(stopped({ type: 'text', text: 'done' }), []);
    assert.deepEqual(stopped({ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }), []);
    assert.deepEqual(mapper.map(stop(3), snapshotWith()), []);
  });
});

describe('language-model model information: every field', () => {
  it('describes a model in full', () => {
    assert.deepEqual(lmModelInformation([{ id: 'claude-sonnet-4-5-20250929', label: 'Claude Sonnet 4.5 (2025-09-29)', family: 'sonnet', defaultMaxTokens: 64_000, contextWindow: 1_000_000, capabilities: { tools: false, images: false } }], 8192), [{
      id: 'claude-sonnet-4-5-20250929',
      name: 'Claude Sonnet 4.5 (2025-09-29)',
      family: 'claude-sonnet-4.5',
      version: 'claude-sonnet-4-5-20250929',
      tooltip: 'Claude Sonnet 4.5 (2025-09-29) (claude-sonnet-4-5-20250929) through the AI/ML API: 1000K-token context, up to 64000 output tokens.',
      detail: 'AIML API',
      maxInputTokens: 1_000_000 - 8192,
      maxOutputTokens: 64_000,
      capabilities: { toolCalling: false, imageInput: false },
    }]);
  });

  it('takes the version from the label\'s last number, else the id, and reserves at least one token', () => {
    const info = (label: string, requestMaxTokens = 8192) => lmModelInformation([{ id: 'the-id', label, family: 'opus', defaultMaxTokens: 1000 }], requestMaxTokens)[0];
    assert.equal(info('Claude Opus 10.25').family, 'claude-opus-10.25');
    assert.equal(info('Claude Opus 4 ').family, 'claude-opus-4');
    assert.equal(info('Claude Opus').family, 'claude-opus-the-id');
    assert.equal(info('Claude Opus 4', 0).maxInputTokens, 200_000 - 1);
    assert.equal(info('Claude Opus 4', 500).maxInputTokens, 200_000 - 500);
    assert.equal(info('Claude Opus 4', 5000).maxInputTokens, 200_000 - 1000);
    assert.match(info('Claude Opus 4').tooltip, /: 200K-token context, up to 1000 output tokens\.$/);
  });

  it('finds a catalogue model\'s family in any of its ids, else calls it other', () => {
    const model = (id: string, aliases: string[] = []): CatalogueModel => ({ id, name: id, maxOutput: 10, contextWindow: 100, capabilities: { tools: true, images: false, thinking: false }, aliases, source: 'catalogue' });
    const sources = lmSourcesFromCatalogue([model('vendor/new-model', ['claude-mythos-5']), model('gpt-x'), model('claude-opus-9-1')]);
    assert.deepEqual(sources.map((s) => [s.id, s.family]), [['vendor/new-model', 'mythos'], ['gpt-x', 'other'], ['claude-opus-9-1', 'opus']]);
    assert.deepEqual(sources[0].capabilities, { tools: true, images: false });
  });
});

describe('language-model token estimate: per part', () => {
  const bytes = (n: number) => new Uint8Array(n);

  it('counts thinking as text, markers as nothing, other data by its bytes', () => {
    assert.equal(estimateTokenCount({ role: 'assistant', parts: [{ kind: 'thinking', value: 'x'.repeat(35) }] }), 4 + 10);
    assert.equal(estimateTokenCount({ role: 'user', parts: [{ kind: 'data', mimeType: 'cache_control', data: bytes(70) }] }), 4);
    assert.equal(estimateTokenCount({ role: 'user', parts: [{ kind: 'data', mimeType: 'stateful_marker', data: bytes(70) }] }), 4);
    assert.equal(estimateTokenCount({ role: 'user', parts: [{ kind: 'data', mimeType: 'application/json', data: bytes(70) }] }), 4 + 20);
    assert.equal(estimateTokenCount({ role: 'user', parts: [{ kind: 'data', mimeType: 'image/png', data: bytes(3) }] }), 4 + 1600);
  });
});

describe('tool names: collisions after shortening', () => {
  it('numbers each further collision, keeping the name within 64 characters', () => {
    const long = 'a'.repeat(70);
    const names = new ToolNameMap([`${long}.1`, `${long}.2`, `${long}.3`, 'a'.repeat(64)]);
    assert.equal(names.api('a'.repeat(64)), 'a'.repeat(64));
    assert.equal(names.api(`${long}.1`), `${'a'.repeat(62)}_2`);
    assert.equal(names.api(`${long}.2`), `${'a'.repeat(62)}_3`);
    assert.equal(names.api(`${long}.3`), `${'a'.repeat(62)}_4`);
    assert.equal(names.caller(`${'a'.repeat(62)}_3`), `${long}.2`);
  });

  it('keeps a valid name that only looks like a rewritten one', () => {
    const names = new ToolNameMap(['a.b', 'a_b']);
    assert.equal(names.api('a_b'), 'a_b');
    assert.equal(names.api('a.b'), 'a_b_2');
  });
});
