// The model table and the request rules asserted exactly: every label and list position, which id
// of a model is listed, the whole sentence of each problem, and the catalogue hooks' fallbacks.
import { strict as assert } from 'node:assert';
import {
  closestModelId, contextWindowTokens, defaultMaxTokens, findBuiltInModel, findModel, listModels, modelAcceptsSampling,
  registerCatalogueLookup, registerContextWindowLookup, validateRequest,
} from '../../../src/core/api/models';
import type { MessagesRequest } from '../../../src/core/api/types';

const SONNET = 'claude-sonnet-4-6';
const OPUS_47 = 'claude-opus-4-7';
const base = (extra: Partial<MessagesRequest> = {}, model = SONNET): MessagesRequest => ({ model, max_tokens: 4096, messages: [{ role: 'user', content: 'Hi' }], ...extra });
const thinking = { type: 'enabled' as const, budget_tokens: 2048 };

describe('model table: exact entries', () => {
  it('labels ids by family, version and date, and gives each shape its limits', () => {
    assert.deepEqual(findBuiltInModel('claude-sonnet-4-5-20250929'), { id: 'claude-sonnet-4-5-20250929', label: 'Claude Sonnet 4.5 (2025-09-29)', family: 'sonnet', acceptsSampling: true, defaultMaxTokens: 64_000 });
    assert.deepEqual(findBuiltInModel('anthropic/claude-opus-4.7'), { id: 'anthropic/claude-opus-4.7', label: 'Claude Opus 4.7', family: 'opus', acceptsSampling: false, defaultMaxTokens: 128_000 });
    assert.equal(findBuiltInModel('claude-opus-4-latest')?.label, 'Claude Opus 4');
    assert.equal(findBuiltInModel('claude-haiku-4-5')?.label, 'Claude Haiku 4.5');
    assert.equal(findBuiltInModel('claude-haiku-4-6'), undefined);
  });

  it('lists each model once under its plainest id, recommended first, then newest, then by family', () => {
    assert.deepEqual(listModels().map((m) => [m.id, m.label]), [
      ['claude-sonnet-4-6', 'Claude Sonnet 4.6'],
      ['claude-opus-4-7', 'Claude Opus 4.7'],
      ['claude-haiku-4-5', 'Claude Haiku 4.5'],
      ['claude-opus-4-6', 'Claude Opus 4.6'],
      ['claude-sonnet-4-5', 'Claude Sonnet 4.5'],
      ['claude-opus-4-5', 'Claude Opus 4.5'],
      ['claude-opus-4-1', 'Claude Opus 4.1'],
      ['claude-sonnet-4-latest', 'Claude Sonnet 4'],
      ['claude-opus-4-latest', 'Claude Opus 4'],
    ]);
  });

  it('suggests the closest id, ignoring case and surrounding spaces, the first of equals winning', () => {
    assert.equal(closestModelId('  CLAUDE-SONNET-4-6 '), SONNET);
    assert.equal(closestModelId('claude-haiku-4.5'), 'claude-haiku-4-5');
    assert.equal(closestModelId('anthropic/claude-sonet-4.6'), 'anthropic/claude-sonnet-4.6');
    assert.equal(closestModelId(''), 'claude-opus-4-6');
  });

  it('decides sampling by the catalogue, else by the naming rule', () => {
    assert.equal(modelAcceptsSampling(OPUS_47), false);
    assert.equal(modelAcceptsSampling(SONNET), true);
    assert.equal(modelAcceptsSampling('claude-opus-4.7-preview'), false);
    assert.equal(modelAcceptsSampling('claude-opus-4-8'), true);
    assert.equal(defaultMaxTokens(OPUS_47), 128_000);
    assert.equal(defaultMaxTokens('claude-unknown'), 64_000);
  });

  describe('with the gateway catalogue registered', () => {
    afterEach(() => {
      registerCatalogueLookup(() => undefined);
      registerContextWindowLookup(() => undefined);
    });

    it('asks the catalogue first and falls back to the table', () => {
      registerCatalogueLookup((id) => (id === 'claude-new-1' ? { id, label: 'Claude New 1', family: 'opus', acceptsSampling: false, defaultMaxTokens: 1000 } : undefined));
      assert.equal(findModel('claude-new-1')?.label, 'Claude New 1');
      assert.equal(modelAcceptsSampling('claude-new-1'), false);
      assert.equal(defaultMaxTokens('claude-new-1'), 1000);
      assert.equal(findModel(SONNET)?.id, SONNET);
      assert.equal(findBuiltInModel('claude-new-1'), undefined);
    });

    it('takes a context window only when it is a positive finite number', () => {
      const windows: Record<string, number> = { a: 1000, zero: 0, negative: -5, nan: Number.NaN, infinite: Number.POSITIVE_INFINITY };
      registerContextWindowLookup((id) => windows[id]);
      assert.equal(contextWindowTokens('a'), 1000);
      for (const id of ['zero', 'negative', 'nan', 'infinite', 'missing']) assert.equal(contextWindowTokens(id), 200_000, id);
    });
  });
});

describe('request rules: the exact sentences', () => {
  it('names the sampling parameters a model refuses, with it or them', () => {
    assert.deepEqual(validateRequest(base({ top_p: 0.5 }, OPUS_47)), ['Claude Opus 4.7 (claude-opus-4-7) does not accept top_p; remove it (leave temperature empty in the settings).']);
    assert.deepEqual(validateRequest(base({ temperature: 0.5, top_k: 3 }, 'claude-opus-4-7')), ['Claude Opus 4.7 (claude-opus-4-7) does not accept temperature, top_k; remove them (leave temperature empty in the settings).']);
    // null counts as absent.
    assert.deepEqual(validateRequest(base({ temperature: null as unknown as number }, OPUS_47)), []);
  });

  it('checks sampling ranges, refusing values that are not numbers', () => {
    assert.deepEqual(validateRequest(base({ temperature: '0.5' as unknown as number, top_p: Number.NaN, top_k: 1.5 })), [
      'Temperature must be between 0 and 1 (it is 0.5).',
      'top_p must be between 0 and 1 (it is NaN).',
    ]);
    assert.deepEqual(validateRequest(base({ top_p: -0.1, top_k: '2' as unknown as number })), [
      'top_p must be between 0 and 1 (it is -0.1).',
      'top_k must be 0 or more (it is 2).',
    ]);
    assert.deepEqual(validateRequest(base({ temperature: 1, top_p: 0, top_k: 0 })), []);
  });

  it('words each max_tokens problem, naming the model', () => {
    assert.deepEqual(validateRequest(base({ max_tokens: 64_001 })), ['Max tokens is 64001, above the 64000 that Claude Sonnet 4.6 (claude-sonnet-4-6) allows; lower aimlChat.maxTokens.']);
    assert.deepEqual(validateRequest(base({ max_tokens: 70_000 }, 'claude-sonnet-4-5-20250929')), ['Max tokens is 70000, above the 64000 that Claude Sonnet 4.5 (claude-sonnet-4-5-20250929) allows; lower aimlChat.maxTokens.']);
    assert.deepEqual(validateRequest(base({ max_tokens: null as unknown as number })), ['Max tokens is missing; set aimlChat.maxTokens.']);
    assert.deepEqual(validateRequest(base({ max_tokens: '5' as unknown as number })), ['Max tokens must be a whole number of at least 1 (it is 5).']);
    assert.deepEqual(validateRequest(base({ max_tokens: 1 })), []);
  });

  it('words the thinking budget problems', () => {
    assert.deepEqual(validateRequest(base({ thinking: { type: 'enabled', budget_tokens: 1023 } })), ['The thinking budget must be at least 1024 tokens (it is 1023).']);
    assert.deepEqual(validateRequest(base({ thinking: { type: 'enabled', budget_tokens: 2048.5 } })), ['The thinking budget must be at least 1024 tokens (it is 2048.5).']);
    assert.deepEqual(validateRequest(base({ max_tokens: 2048, thinking })), ['The thinking budget (2048) must be less than max tokens (2048); raise aimlChat.maxTokens or lower aimlChat.thinking.budgetTokens.']);
    assert.deepEqual(validateRequest(base({ max_tokens: 2049, thinking })), []);
    // A budget check needs a usable max_tokens; the missing one is reported once.
    assert.deepEqual(validateRequest(base({ max_tokens: undefined as unknown as number, thinking })), ['Max tokens is missing; set aimlChat.maxTokens.']);
  });

  it('allows only the default sampling while thinking is on', () => {
    assert.deepEqual(validateRequest(base({ thinking, temperature: 1, top_p: 0.95 })), []);
    assert.deepEqual(validateRequest(base({ thinking, temperature: 0.5, top_k: 5, top_p: 0.94 })), [
      'Temperature cannot be changed while extended thinking is on; leave it empty or turn thinking off.',
      'top_k cannot be set while extended thinking is on.',
      'top_p must be at least 0.95 while extended thinking is on.',
    ]);
    // Disabled thinking imposes nothing; an unknown model is held to the same rule.
    assert.deepEqual(validateRequest(base({ thinking: { type: 'disabled' }, temperature: 0.5, tool_choice: { type: 'any' } })), []);
    assert.ok(validateRequest(base({ thinking, temperature: 0.5 }, 'claude-x')).includes('Temperature cannot be changed while extended thinking is on; leave it empty or turn thinking off.'));
    assert.deepEqual(validateRequest(base({ thinking, tool_choice: { type: 'auto' } })), []);
    assert.deepEqual(validateRequest(base({ thinking, tool_choice: { type: 'tool', name: 't' }, tools: [{ name: 't', description: 'd', input_schema: { type: 'object' } }] })), [
      'Extended thinking cannot be on while the request forces a tool call; turn thinking off or let the model choose.',
    ]);
  });

  it('words the conversation problems, allowing only a final assistant message to be empty', () => {
    assert.deepEqual(validateRequest(base({ messages: undefined as unknown as MessagesRequest['messages'] })), ['There is no message to send.']);
    assert.deepEqual(validateRequest(base({ messages: [{ role: 'assistant', content: 'a' }] })), ['The conversation must start with a user message.']);
    assert.deepEqual(validateRequest(base({ messages: [{ role: 'user', content: [] }, { role: 'assistant', content: '' }, { role: 'user', content: 'x' }] })), [
      'Message 1 (user) is empty; only a final assistant message may be.',
      'Message 2 (assistant) is empty; only a final assistant message may be.',
    ]);
    assert.deepEqual(validateRequest(base({ messages: [{ role: 'user', content: 'x' }, { role: 'user', content: '' }] })), ['Message 2 (user) is empty; only a final assistant message may be.']);
    assert.deepEqual(validateRequest(base({ messages: [{ role: 'user', content: null as unknown as string }] })), ['Message 1 (user) is empty; only a final assistant message may be.']);
    assert.deepEqual(validateRequest(base({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: [] }] })), []);
  });

  it('refuses forcing a tool that was not sent, and accepts one that was', () => {
    const tools = [{ name: 'read_file', description: 'd', input_schema: { type: 'object' } }];
    assert.deepEqual(validateRequest(base({ tool_choice: { type: 'tool', name: 'write_file' }, tools })), ['The request forces the tool "write_file", which is not among the tools sent.']);
    assert.deepEqual(validateRequest(base({ tool_choice: { type: 'tool', name: 'read_file' }, tools })), []);
  });

  it('reports an unknown model first, then the other problems', () => {
    assert.deepEqual(validateRequest(base({ max_tokens: 0 }, 'claude-x')), [
      'The model "claude-x" is not one the AI/ML API offers here. Did you mean "claude-opus-4-6"?',
      'Max tokens must be a whole number of at least 1 (it is 0).',
    ]);
  });
});
