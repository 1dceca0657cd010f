// Model information, token estimates, tool-name mapping and the spend ledger.
import * as assert from 'node:assert/strict';
import { listModels } from '../../../src/core/api/models';
import { CLAUDE_CONTEXT_WINDOW, lmModelInformation, lmSourcesFromCatalogue } from '../../../src/core/lm/models';
import { builtInModels, parseCatalogue } from '../../../src/core/api/catalogue';
import { catalogueBody } from '../../support/standin/gateway';
import { estimateTokenCount } from '../../../src/core/lm/tokens';
import { ToolNameMap } from '../../../src/core/lm/toolNames';
import { SpendLedger, describeSpend, spendEntryOf, spendEntryOfAnswer } from '../../../src/core/spend/spendLedger';

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('language-model model information', () => {
  it('lists every catalogue model once, with tools, images and limits', () => {
    const infos = lmModelInformation(listModels(), 8192);
    assert.equal(infos.length, listModels().length);
    assert.equal(new Set(infos.map((i) => i.id)).size, infos.length);
    const sonnet = infos.find((i) => i.id === 'claude-sonnet-4-6')!;
    assert.deepEqual(
      { name: sonnet.name, family: sonnet.family, version: sonnet.version, maxInputTokens: sonnet.maxInputTokens, maxOutputTokens: sonnet.maxOutputTokens },
      { name: 'Claude Sonnet 4.6', family: 'claude-sonnet-4.6', version: 'claude-sonnet-4-6', maxInputTokens: CLAUDE_CONTEXT_WINDOW - 8192, maxOutputTokens: 64_000 },
    );
    assert.ok(infos.every((i) => i.capabilities.toolCalling && i.capabilities.imageInput));
    const opus = infos.find((i) => /opus-4-7/.test(i.id))!;
    assert.equal(opus.maxOutputTokens, 128_000);
  });

  it('leaves the caller the window minus what the answer may take, and honours a known window', () => {
    const [info] = lmModelInformation([{ id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', family: 'haiku', defaultMaxTokens: 64_000, contextWindow: 1_000_000 }], 200_000);
    assert.equal(info.maxInputTokens, 1_000_000 - 64_000);
    assert.equal(info.family, 'claude-haiku-4.5');
  });

  it('lists the gateway catalogue with its limits, under the built-in ids where the catalogue names one', () => {
    const sources = lmSourcesFromCatalogue(parseCatalogue(JSON.stringify(catalogueBody('capabilities'))));
    const infos = lmModelInformation(sources, 8192);
    assert.deepEqual(infos.map((i) => i.id), ['claude-sonnet-4-6', 'claude-opus-4-7', 'claude-haiku-4-5', 'anthropic/claude-sonnet-4.7']);
    const newest = infos[3];
    assert.deepEqual(
      { name: newest.name, family: newest.family, maxInputTokens: newest.maxInputTokens, maxOutputTokens: newest.maxOutputTokens },
      { name: 'Claude Sonnet 4.7', family: 'claude-sonnet-4.7', maxInputTokens: 1_000_000 - 8192, maxOutputTokens: 32_000 },
    );
    assert.equal(infos[1].maxOutputTokens, 128_000);
    assert.equal(infos[1].maxInputTokens, 1_000_000 - 8192);
  });

  it('declares what a catalogue entry says the model takes, and lists a model once', () => {
    const body = JSON.stringify({ data: [
      { id: 'anthropic/claude-haiku-9', type: 'anthropic/messages', info: { name: 'Claude Haiku 9', contextLength: 100_000, outputMax: 8000 }, capabilities: ['tools'] },
      { id: 'claude-sonnet-4-6', aliases: ['claude-sonnet-4-6'], type: 'anthropic/messages' },
      { id: 'anthropic/claude-sonnet-4.6', aliases: ['claude-sonnet-4-6'], type: 'anthropic/messages' },
    ] });
    const infos = lmModelInformation(lmSourcesFromCatalogue(parseCatalogue(body)), 8192);
    assert.deepEqual(infos.map((i) => i.id), ['anthropic/claude-haiku-9', 'claude-sonnet-4-6']);
    assert.deepEqual(infos[0].capabilities, { toolCalling: true, imageInput: false });
    assert.equal(infos[0].family, 'claude-haiku-9');
    assert.equal(infos[0].maxInputTokens, 100_000 - 8000);
  });

  it('the built-in list in catalogue form gives the same models as the built-in table', () => {
    assert.deepEqual(lmModelInformation(lmSourcesFromCatalogue(builtInModels()), 8192), lmModelInformation(listModels(), 8192));
  });
});

describe('language-model token estimate', () => {
  it('counts text, tool calls and results, and images by their size', () => {
    assert.equal(estimateTokenCount(''), 0);
    assert.equal(estimateTokenCount('x'.repeat(35)), 10);
    const textOnly = estimateTokenCount({ role: 'user', parts: [{ kind: 'text', value: 'x'.repeat(350) }] });
    assert.ok(textOnly >= 100 && textOnly < 110, String(textOnly));
    const withImage = estimateTokenCount({ role: 'user', parts: [{ kind: 'data', mimeType: 'image/png', data: PNG_1X1 }] });
    assert.ok(withImage >= 1 && withImage < 10, `a 1x1 image is cheap (${withImage})`);
    const unreadable = estimateTokenCount({ role: 'user', parts: [{ kind: 'data', mimeType: 'image/png', data: new Uint8Array(10) }] });
    assert.ok(unreadable >= 1600);
    const call = estimateTokenCount({ role: 'assistant', parts: [{ kind: 'toolCall', callId: '1', name: 'read_file', input: { path: 'x'.repeat(70) } }] });
    assert.ok(call > 20);
    const result = estimateTokenCount({ role: 'user', parts: [{ kind: 'toolResult', callId: '1', content: [{ kind: 'text', value: 'y'.repeat(700) }] }] });
    assert.ok(result > 200);
    assert.equal(estimateTokenCount({ role: 'user', parts: [{ kind: 'data', mimeType: 'cache_control', data: new Uint8Array(9) }] }), 4);
  });
});

describe('tool name mapping', () => {
  it('keeps valid names, rewrites others uniquely, and maps back', () => {
    const names = new ToolNameMap(['ok_name', 'has space', 'has_space', 'x'.repeat(80), '']);
    assert.equal(names.api('ok_name'), 'ok_name');
    assert.equal(names.api('has_space'), 'has_space');
    assert.equal(names.api('has space'), 'has_space_2');
    assert.equal(names.api('x'.repeat(80)), 'x'.repeat(64));
    assert.equal(names.api(''), 'tool');
    for (const caller of ['ok_name', 'has space', 'has_space', 'x'.repeat(80)]) assert.equal(names.caller(names.api(caller)), caller);
    assert.equal(names.api('seen.later'), 'seen_later');
    assert.equal(names.caller('seen_later'), 'seen.later');
    assert.equal(names.caller('unknown'), 'unknown');
  });
});

describe('spend ledger', () => {
  it('takes a finished answer of a chat session, not a prompt or an answer that never reached the gateway', () => {
    const usage = { input_tokens: 7, output_tokens: 3 };
    assert.deepEqual(spendEntryOfAnswer('chat', { role: 'assistant', model: 'claude-opus-4-7', usage, usdSpent: 0.02 }, 'fallback', 9),
      { source: 'chat', model: 'claude-opus-4-7', inputTokens: 7, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0, usd: 0.02, at: 9 });
    assert.equal(spendEntryOfAnswer('participant', { role: 'assistant', usage }, 'claude-haiku-4-5', 1)?.model, 'claude-haiku-4-5');
    assert.equal(spendEntryOfAnswer('chat', { role: 'assistant' }, 'm', 1), undefined);
    assert.equal(spendEntryOfAnswer('chat', { role: 'user', usage }, 'm', 1), undefined);
  });

  it('records entries, totals them per source and overall, and tells listeners', () => {
    const ledger = new SpendLedger();
    const heard: number[] = [];
    const subscription = ledger.onDidRecord((e) => heard.push(e.outputTokens));
    ledger.record(spendEntryOf('languageModel', { model: 'claude-sonnet-4-6', usage: { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 40 }, meta: { usage: { usd_spent: 0.0015 } } }, 1));
    ledger.record(spendEntryOf('chat', { model: 'claude-haiku-4-5', usage: { input_tokens: 5, output_tokens: 2 } }, 2));
    subscription.dispose();
    ledger.record(spendEntryOf('languageModel', { model: 'claude-sonnet-4-6', usage: { input_tokens: 1, output_tokens: 1 }, meta: { usage: { usd_spent: 0.5 } } }, 3));
    assert.deepEqual(heard, [10, 2]);
    assert.deepEqual(ledger.totals('languageModel'), { requests: 2, inputTokens: 101, outputTokens: 11, usd: 0.5015 });
    assert.deepEqual(ledger.totals(), { requests: 3, inputTokens: 106, outputTokens: 13, usd: 0.5015 });
    assert.deepEqual(ledger.totals('participant'), { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 });
    assert.equal(ledger.recent().length, 3);
  });

  it('describes an entry in one line, saying when the gateway reported no cost', () => {
    const line = describeSpend(spendEntryOf('languageModel', { model: 'm', usage: { input_tokens: 1200, output_tokens: 56, cache_read_input_tokens: 800 }, meta: { usage: { usd_spent: 0.0042 } } }, 0));
    assert.equal(line, 'm: 1200 in (800 cached) / 56 out tokens, $0.0042');
    assert.match(describeSpend(spendEntryOf('chat', { model: 'm', usage: { input_tokens: 1, output_tokens: 1 } }, 0)), /cost not reported/);
    assert.equal(spendEntryOf('chat', { model: 'm', usage: { input_tokens: 1, output_tokens: 1 }, meta: { usage: { usd_spent: -1 } } }, 0).usd, undefined);
  });
});
