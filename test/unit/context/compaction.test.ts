import * as assert from 'node:assert/strict';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import type { ApiMessage } from '../../../src/core/api/types';
import { buildSummaryRequest, compactionRecord, historyForRequest, planCompaction, renderForSummary, shouldCompact, summaryFromAnswer, SUMMARY_SYSTEM_PROMPT } from '../../../src/core/context/compaction';
import { estimateContext, projectNextRequest } from '../../../src/core/context/meter';
import { buildMessagesRequest } from '../../../src/core/chat/requestBuilder';
import { validateMessagesRequest } from '../../support/standin';

let n = 0;
const prompt = (text: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: `p${++n}`, role: 'user', kind: 'prompt', createdAt: n, content: [{ type: 'text', text }], ...extra });
const answer = (text: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: `a${++n}`, role: 'assistant', status: 'complete', createdAt: n, content: [{ type: 'text', text }], ...extra });
const conversation = (messages: StoredMessage[]): Conversation => ({ version: 1, id: 'c', title: 't', createdAt: 0, updatedAt: 0, model: 'claude-sonnet-4-6', messages, totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 } });

function toolTurn(): StoredMessage[] {
  return [
    prompt('Rename greet to hello in src/greet.ts; never touch tests.'),
    { id: `a${++n}`, role: 'assistant', status: 'complete', createdAt: n, content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'src/greet.ts' } }] },
    { id: `r${++n}`, role: 'user', kind: 'tool_results', createdAt: n, content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'export function greet() {}\n'.repeat(200) }, { type: 'image_ref', id: 'img', media_type: 'image/png', width: 1, height: 1, bytes: 1, name: 'shot.png' }] }] },
    answer('I renamed it; decided to keep the old export as an alias.'),
  ];
}

const answerOf = (text: string, extra: Partial<ApiMessage> = {}): ApiMessage => ({ id: 'm', type: 'message', role: 'assistant', model: 'x', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 900, output_tokens: 120 }, meta: { usage: { usd_spent: 0.0045 } }, ...extra } as ApiMessage);

describe('compaction policy', () => {
  it('triggers at the set share of the window, never when turned off', () => {
    assert.equal(shouldCompact(159_999, 200_000, 80), false);
    assert.equal(shouldCompact(160_000, 200_000, 80), true);
    assert.equal(shouldCompact(199_000, 200_000, 0), false);
  });

  it('keeps the last turns verbatim and summarises whole turns before them', () => {
    const conv = conversation([...toolTurn(), prompt('second'), answer('two'), prompt('third'), answer('three')]);
    const plan = planCompaction(conv, 2)!;
    assert.equal(plan.summarised.length, 4, 'the whole tool turn, tool_use with its result');
    assert.equal(plan.firstKeptMessageId, conv.messages[4].id);
    assert.ok(plan.tokensBefore > 1000);
    assert.equal(planCompaction(conversation([prompt('a'), answer('b'), prompt('c')]), 2), undefined, 'nothing older than the kept turns');
  });

  it('folds tool results and images into the text the summariser reads, keeping paths and the constraint', () => {
    const text = renderForSummary(toolTurn());
    assert.match(text, /never touch tests/);
    assert.match(text, /\[tool call read_file \{"path":"src\/greet.ts"\}\]/);
    assert.match(text, /\[tool result: export function greet/);
    assert.match(text, /more characters\]/, 'a long tool result is cut to an excerpt');
    assert.match(text, /\[image shot.png\]/);
    for (const section of ['goals and constraints', 'Decisions', 'Files and code', 'Open tasks']) assert.ok(SUMMARY_SYSTEM_PROMPT.includes(section), section);
  });

  it('the summary request is valid for the API', () => {
    const conv = conversation([...toolTurn(), prompt('second'), answer('two'), prompt('third'), answer('three')]);
    const request = buildSummaryRequest(planCompaction(conv)!, 'claude-sonnet-4-6');
    assert.equal(validateMessagesRequest(request).ok, true);
  });

  it('after compaction, requests carry the summary plus the recent turns; the transcript stays whole', async () => {
    const conv = conversation([...toolTurn(), prompt('second'), answer('two'), prompt('third'), answer('three')]);
    const plan = planCompaction(conv)!;
    conv.compaction = compactionRecord(plan, 'SUMMARY: renamed greet; keep alias.', answerOf('x'), 1000);
    assert.equal(conv.messages.length, 8);
    const history = historyForRequest(conv);
    assert.deepEqual(history.map((m) => m.id), ['compaction-summary', ...conv.messages.slice(4).map((m) => m.id)]);
    const settings = { model: 'claude-sonnet-4-6', acceptsSampling: true, maxTokens: 1000, temperature: null, thinking: { enabled: false, budgetTokens: 2048 }, promptCaching: true, system: 's', tools: [] };
    const before = await buildMessagesRequest(conv.messages, settings, async () => 'iVBORw0KGgo=');
    const after = await buildMessagesRequest(history, settings, async () => 'iVBORw0KGgo=');
    assert.ok(JSON.stringify(after.request).length < JSON.stringify(before.request).length / 2);
    assert.equal(after.request.messages[0].role, 'user');
    assert.match(JSON.stringify(after.request.messages[0]), /SUMMARY: renamed greet/);
    assert.equal(validateMessagesRequest(after.request).ok, true);
  });

  it('a second compaction folds the first summary in', () => {
    const conv = conversation([...toolTurn(), prompt('2'), answer('2'), prompt('3'), answer('3')]);
    conv.compaction = compactionRecord(planCompaction(conv)!, 'FIRST SUMMARY', answerOf('x'), 1000);
    conv.messages.push(prompt('4'), answer('4'), prompt('5'), answer('5'));
    const next = planCompaction(conv)!;
    assert.equal(next.previousSummary, 'FIRST SUMMARY');
    assert.deepEqual(next.summarised.map((m) => m.id), conv.messages.slice(4, 8).map((m) => m.id));
    assert.match(JSON.stringify(buildSummaryRequest(next, 'claude-sonnet-4-6').messages), /FIRST SUMMARY/);
  });

  it('records what the summary cost and refuses an empty one', () => {
    const conv = conversation([...toolTurn(), prompt('2'), answer('2'), prompt('3'), answer('3')]);
    const record = compactionRecord(planCompaction(conv)!, 'S'.repeat(400), answerOf('x'), 5);
    assert.equal(record.usdSpent, 0.0045);
    assert.equal(record.inputTokens, 900);
    assert.equal(record.outputTokens, 120);
    assert.equal(record.tokensAfter, 100);
    assert.throws(() => summaryFromAnswer(answerOf('  ')), /empty summary/);
    assert.equal(summaryFromAnswer(answerOf(' ok ')), 'ok');
  });
});

describe('context meter', () => {
  it('uses the last reported usage plus an estimate of what came after', () => {
    const conv = conversation([prompt('a'), answer('b', { usage: { input_tokens: 1000, output_tokens: 50, cache_read_input_tokens: 4000 } }), prompt('x'.repeat(400))]);
    const estimate = estimateContext(conv, 999);
    assert.equal(estimate.anchored, true);
    assert.equal(estimate.usedTokens, 5050 + 4 + 100);
    assert.equal(projectNextRequest(estimate, 'y'.repeat(40)), estimate.usedTokens + 10);
  });

  it('estimates everything, overhead included, when no usage was reported, and counts chips', () => {
    const conv = conversation([prompt('x'.repeat(40), { context: [{ kind: 'file', label: 'a', text: '', tokens: 300 }] })]);
    assert.deepEqual(estimateContext(conv, 500), { usedTokens: 500 + 4 + 10 + 300, anchored: false });
  });

  it('after compaction, usage reported before it no longer anchors the figure', () => {
    const big = { input_tokens: 150_000, output_tokens: 10 };
    const conv = conversation([...toolTurn(), prompt('2'), answer('2', { usage: big }), prompt('3'), answer('3', { usage: big })]);
    conv.compaction = compactionRecord(planCompaction(conv)!, 'short summary', answerOf('x'), 10_000);
    const estimate = estimateContext(conv, 100);
    assert.equal(estimate.anchored, false);
    assert.ok(estimate.usedTokens < 1000, `${estimate.usedTokens}`);
  });
});
