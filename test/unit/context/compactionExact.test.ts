// Compaction with exact results: where the split falls, what the summariser reads for each block
// type, the request it gets, which answers are refused, and the record kept with its cost.
import * as assert from 'node:assert/strict';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import type { ApiMessage } from '../../../src/core/api/types';
import {
  DEFAULT_COMPACT_AT_PERCENT, KEEP_RECENT_TURNS, SUMMARY_MESSAGE_ID, SUMMARY_SYSTEM_PROMPT, buildSummaryRequest, compactionRecord, firstKeptIndex, historyForRequest,
  planCompaction, renderForSummary, shouldCompact, summaryFromAnswer,
} from '../../../src/core/context/compaction';

const msg = (id: string, role: 'user' | 'assistant', text: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({ id, role, createdAt: 1, content: [{ type: 'text', text }], ...(role === 'user' ? { kind: 'prompt' as const } : { status: 'complete' as const }), ...extra });
const conv = (messages: StoredMessage[], extra: Partial<Conversation> = {}): Conversation => ({ version: 1, id: 'c', title: 't', createdAt: 0, updatedAt: 0, model: 'm', messages, totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 }, ...extra });
const answer = (text: string, extra: Partial<ApiMessage> = {}): ApiMessage => ({ id: 'x', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 100, output_tokens: 30, cache_read_input_tokens: 20, cache_creation_input_tokens: 5 }, meta: { usage: { usd_spent: 0.003 } }, ...extra } as ApiMessage);

describe('compaction, exactly', () => {
  it('triggers at the share of the window, inclusive, and never when off or without a window', () => {
    assert.deepEqual([KEEP_RECENT_TURNS, DEFAULT_COMPACT_AT_PERCENT], [2, 80]);
    assert.equal(shouldCompact(800, 1000, 80), true);
    assert.equal(shouldCompact(799, 1000, 80), false);
    assert.equal(shouldCompact(10_000, 1000, 0), false);
    assert.equal(shouldCompact(10_000, 0, 80), false);
    assert.equal(shouldCompact(10_000, 1000, Number.NaN), false);
  });

  it('splits before the kept turns, skipping tool-result messages as turn starts and streaming answers', () => {
    const messages = [
      msg('p1', 'user', 'one'), msg('a1', 'assistant', 'A1'),
      msg('r1', 'user', 'tool out', { kind: 'tool_results' }), msg('s1', 'assistant', 'partial', { status: 'streaming' }),
      msg('p2', 'user', 'two'), msg('a2', 'assistant', 'A2'),
      msg('p3', 'user', 'three'),
    ];
    const plan = planCompaction(conv(messages))!;
    assert.deepEqual(plan.summarised.map((m) => m.id), ['p1', 'a1', 'r1']);
    assert.equal(plan.firstKeptMessageId, 'p2');
    assert.equal(plan.previousSummary, undefined);
    assert.equal(plan.tokensBefore, 3 * 4 + 1 + 1 + 2);
    assert.equal(planCompaction(conv(messages), 1)?.firstKeptMessageId, 'p3');
    assert.equal(planCompaction(conv(messages), 3), undefined, 'not more turns than kept');
    assert.equal(planCompaction(conv([msg('p1', 'user', 'a', { status: 'streaming' }), msg('p2', 'user', 'b'), msg('p3', 'user', 'c')])), undefined, 'nothing finished to summarise');
  });

  it('counts only turns after an earlier summary and folds that summary in', () => {
    const messages = [msg('p1', 'user', 'a'), msg('p2', 'user', 'b'), msg('p3', 'user', 'c'), msg('p4', 'user', 'd')];
    const compaction = { summary: 'S'.repeat(8), firstKeptMessageId: 'p2', createdAt: 7, tokensBefore: 1, tokensAfter: 1 };
    const plan = planCompaction(conv(messages, { compaction }))!;
    assert.deepEqual(plan.summarised.map((m) => m.id), ['p2']);
    assert.equal(plan.previousSummary, 'S'.repeat(8));
    assert.equal(plan.tokensBefore, 4 + 1 + 2);
    assert.equal(planCompaction(conv(messages.slice(0, 3), { compaction })), undefined, 'two turns after the summary: nothing to do');
    assert.equal(firstKeptIndex(conv(messages, { compaction })), 1);
    assert.equal(firstKeptIndex(conv(messages, { compaction: { ...compaction, firstKeptMessageId: '' } })), 0);
    assert.equal(firstKeptIndex(conv(messages, { compaction: { ...compaction, firstKeptMessageId: 'gone' } })), 0);
  });

  it('sends the summary as the first user message, then the kept messages', () => {
    const messages = [msg('p1', 'user', 'a'), msg('p2', 'user', 'b')];
    const compaction = { summary: 'SUM', firstKeptMessageId: 'p2', createdAt: 7, tokensBefore: 1, tokensAfter: 1 };
    assert.deepEqual(historyForRequest(conv(messages, { compaction })), [
      { id: SUMMARY_MESSAGE_ID, role: 'user', kind: 'prompt', createdAt: 7, content: [{ type: 'text', text: '<conversation_summary>\nEarlier turns of this conversation, summarised:\n\nSUM\n</conversation_summary>' }] },
      messages[1],
    ]);
    assert.equal(SUMMARY_MESSAGE_ID, 'compaction-summary');
    const plain = conv(messages);
    assert.equal(historyForRequest(plain), plain.messages, 'without a summary: the messages as they are');
  });

  it('renders every block type for the summariser, with excerpts of long content', () => {
    const long = 'x'.repeat(1600);
    const text = renderForSummary([
      { id: 'p', role: 'user', kind: 'prompt', createdAt: 1, content: [{ type: 'text', text: 'Do it' }, { type: 'image_ref', id: 'i', media_type: 'image/png', width: 1, height: 1, bytes: 1, name: 'shot.png' }], context: [{ kind: 'file', label: 'a.ts', text: long, tokens: 1 }] },
      { id: 'a', role: 'assistant', createdAt: 2, content: [{ type: 'thinking', thinking: 'secret', signature: 's' }, { type: 'redacted_thinking', data: 'r' }, { type: 'tool_use', id: 't', name: 'read_file', input: { path: 'a.ts' } }, { type: 'server_tool_use', id: 's' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A' } }] },
      { id: 'r', role: 'user', kind: 'tool_results', createdAt: 3, content: [{ type: 'tool_result', tool_use_id: 't', is_error: true, content: [{ type: 'text', text: 'line 1' }, { type: 'text', text: 'line 2' }, { type: 'image_ref', id: 'j', media_type: 'image/png', width: 1, height: 1, bytes: 1 }] }, { type: 'tool_result', tool_use_id: 'u', content: 'plain' }, { type: 'tool_result', tool_use_id: 'v' }] },
      { id: 'e', role: 'assistant', createdAt: 4, content: [{ type: 'thinking', thinking: 'only thinking', signature: '' }] },
    ]);
    assert.equal(text, [
      `### User\n[attached file a.ts: ${'x'.repeat(1500)}… [100 more characters]]\nDo it\n[image shot.png]`,
      '### Assistant\n[tool call read_file {"path":"a.ts"}]\n[server_tool_use block]\n[image]',
      '### Tool results\n[tool result (error): line 1\nline 2]\n[image]\n[tool result: plain]\n[tool result: ]',
    ].join('\n\n'));
    assert.equal(renderForSummary([{ id: 't', role: 'assistant', createdAt: 1, content: [{ type: 'tool_use', id: 't', name: 'x', input: undefined }] }]), '### Assistant\n[tool call x {}]');
    assert.equal(renderForSummary([msg('e', 'user', 'x'.repeat(1500))]), `### User\n${'x'.repeat(1500)}`, 'text itself is never cut');
  });

  it('builds the summary request with the previous summary first and at most 4096 output tokens', () => {
    const plan = { summarised: [msg('p', 'user', 'hi')], previousSummary: 'OLD', firstKeptMessageId: 'q', tokensBefore: 1 };
    assert.deepEqual(buildSummaryRequest(plan, 'claude-haiku-4-5'), {
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      system: [{ type: 'text', text: SUMMARY_SYSTEM_PROMPT }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Summary of the turns before these (merge it into yours):\n\nOLD\n\nThe conversation to summarise:\n\n### User\nhi\n\nWrite the summary now, with the five sections.' }] }],
    });
    assert.equal(buildSummaryRequest({ ...plan, previousSummary: undefined }, 'm', 1000).max_tokens, 1000);
    assert.equal(buildSummaryRequest(plan, 'm', 9000).max_tokens, 4096);
    assert.ok((buildSummaryRequest({ ...plan, previousSummary: undefined }, 'm').messages[0].content[0] as { text: string }).text.startsWith('The conversation to summarise:'));
    const lines = SUMMARY_SYSTEM_PROMPT.split('\n');
    assert.equal(lines.length, 9);
    assert.deepEqual(lines.filter((l) => l.startsWith('## ')).map((l) => l.split(' — ')[0]), ["## User's goals and constraints", '## Decisions', '## Files and code', '## Open tasks', '## Facts learned']);
    for (const line of lines) assert.ok(line.length > 40, line);
  });

  it('takes the text of the answer, refusing an empty or cut-off short one', () => {
    assert.equal(summaryFromAnswer(answer(' a ', { content: [{ type: 'text', text: ' a ' }, { type: 'thinking', thinking: 'no', signature: '' }, { type: 'text', text: 'b ' }] } as Partial<ApiMessage>)), 'a \nb');
    assert.throws(() => summaryFromAnswer(answer('', { content: [{ type: 'thinking', thinking: 'only', signature: '' }] } as Partial<ApiMessage>)), { message: 'the model returned an empty summary' });
    assert.throws(() => summaryFromAnswer(answer('x'.repeat(199), { stop_reason: 'max_tokens' })), { message: 'the summary was cut off before it said anything useful' });
    assert.equal(summaryFromAnswer(answer('x'.repeat(200), { stop_reason: 'max_tokens' })), 'x'.repeat(200));
    assert.equal(summaryFromAnswer(answer('short', { stop_reason: 'end_turn' })), 'short');
  });

  it('records the summary with what it cost', () => {
    const plan = { summarised: [], firstKeptMessageId: 'k', tokensBefore: 900 };
    assert.deepEqual(compactionRecord(plan, 'abcdefgh', answer('x'), 55), {
      summary: 'abcdefgh', firstKeptMessageId: 'k', createdAt: 55, tokensBefore: 900, tokensAfter: 2, inputTokens: 125, outputTokens: 30, usdSpent: 0.003,
    });
    const bare = compactionRecord(plan, 's', answer('x', { usage: undefined, meta: undefined } as Partial<ApiMessage>), 1);
    assert.deepEqual([bare.inputTokens, bare.outputTokens, bare.usdSpent], [undefined, undefined, undefined]);
    assert.equal(compactionRecord(plan, 's', answer('x', { usage: { input_tokens: 3, output_tokens: 1 } } as Partial<ApiMessage>), 1).inputTokens, 3);
    for (const usd of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(compactionRecord(plan, 's', answer('x', { meta: { usage: { usd_spent: usd } } } as Partial<ApiMessage>), 1).usdSpent, undefined, String(usd));
  });
});
