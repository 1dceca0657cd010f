// The spend cap (money: every boundary and sentence exact) and the small conversation operations
// (usage totals, images inside tool results, the failed prompt taken back, Retry's targets).
import * as assert from 'node:assert/strict';
import { emptyTotals, type Conversation, type StoredMessage } from '../../../src/shared/model';
import { approximateInputChars, checkSpendCap, estimateNextRequestUsd, familyOfModel, formatUsd } from '../../../src/core/chat/spendCap';
import { addUsage, dropUnansweredFailedPrompt, imageRefsOf, isRetryableAnswer, textOf } from '../../../src/core/chat/conversationOps';

const answer = (extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: 'a', role: 'assistant', content: [], createdAt: 1, ...extra });
const prompt = (extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: 'p', role: 'user', kind: 'prompt', content: [{ type: 'text', text: 'q' }], createdAt: 0, ...extra });
const image = (id: string) => ({ type: 'image_ref' as const, id, media_type: 'image/png' as const, width: 1, height: 1, bytes: 1 });

describe('spend cap: exact', () => {
  it('tells the family from the id, whatever its case, sonnet otherwise', () => {
    assert.equal(familyOfModel('Claude-HAIKU-4-5'), 'haiku');
    assert.equal(familyOfModel('anthropic/claude-OPUS-4.7'), 'opus');
    assert.equal(familyOfModel('claude-sonnet-4-6'), 'sonnet');
    assert.equal(familyOfModel('something-else'), 'sonnet');
  });

  it('prices input by 4 characters a token and 1000 output tokens at each family\'s list price', () => {
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);
    close(estimateNextRequestUsd({ model: 'claude-opus-4-7', inputChars: 8000, messages: [] }), (2000 * 15 + 1000 * 75) / 1e6);
    close(estimateNextRequestUsd({ model: 'claude-haiku-4-5', inputChars: 4000, messages: [] }), (1000 * 1 + 1000 * 5) / 1e6);
  });

  it('takes the dearest of the last three priced answers when that is higher', () => {
    const messages = [answer({ usdSpent: 9 }), answer({ usdSpent: 0.2 }), prompt({ usdSpent: 7 } as Partial<StoredMessage>), answer({ usdSpent: 0.4 }), answer(), answer({ usdSpent: 0.3 })];
    assert.equal(estimateNextRequestUsd({ model: 'claude-haiku-4-5', inputChars: 0, messages }), 0.4);
  });

  it('passes at exactly the cap and asks one cent past it, with both sentences exact', () => {
    assert.deepEqual(checkSpendCap({ ...emptyTotals(), usdSpent: 0.8 }, 1, 0.2), { kind: 'ok' });
    assert.deepEqual(checkSpendCap({ ...emptyTotals(), usdSpent: 0.8 }, 1, 0.21), {
      kind: 'confirm', spentUsd: 0.8, estimateUsd: 0.21, capUsd: 1,
      message: 'This conversation has cost $0.80. The next answer (about $0.21) may take it past your spend cap of $1.00. Send anyway?',
    });
    assert.deepEqual(checkSpendCap({ ...emptyTotals(), usdSpent: 1 }, 1, 0.005), {
      kind: 'confirm', spentUsd: 1, estimateUsd: 0.005, capUsd: 1,
      message: 'This conversation has cost $1.00, past your spend cap of $1.00. Send anyway (about $0.0050 more)?',
    });
  });

  it('has no cap when it is missing or not finite, and counts missing spend as none', () => {
    for (const cap of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) assert.deepEqual(checkSpendCap({ ...emptyTotals(), usdSpent: 100 }, cap, 100), { kind: 'ok' });
    const totals = { ...emptyTotals(), usdSpent: undefined as unknown as number };
    assert.deepEqual(checkSpendCap(totals, 0.5, 0.5), { kind: 'ok' });
    assert.equal(checkSpendCap(totals, 0.5, 0.6).kind, 'confirm');
  });

  it('formats dollars with four places below a cent, two otherwise', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.00123), '$0.0012');
    assert.equal(formatUsd(0.01), '$0.01');
    assert.equal(formatUsd(12.345), '$12.35');
  });

  it('sizes a request by its JSON, 6400 characters per stored image, plus the system prompt', () => {
    const text = { type: 'text' as const, text: 'hello' };
    const messages = [prompt({ content: [text, image('i')] })];
    assert.equal(approximateInputChars(messages, 'sys'), 3 + JSON.stringify(text).length + 6400);
    assert.equal(approximateInputChars([], ''), 0);
  });
});

describe('conversation operations: exact', () => {
  it('joins the text blocks of a message by lines, leaving other blocks out', () => {
    assert.equal(textOf(prompt({ content: [{ type: 'text', text: 'a' }, image('i'), { type: 'text', text: 'b' }] })), 'a\nb');
  });

  it('adds each usage figure and the cost to the totals, missing figures as zero', () => {
    const conversation = { totals: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, usdSpent: 0.5 } } as Conversation;
    addUsage(conversation, answer({ usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 40 }, usdSpent: 0.25 }));
    assert.deepEqual(conversation.totals, { inputTokens: 11, outputTokens: 22, cacheReadTokens: 33, cacheWriteTokens: 44, usdSpent: 0.75 });
    addUsage(conversation, answer({ usage: {} as StoredMessage['usage'] }));
    addUsage(conversation, answer());
    assert.deepEqual(conversation.totals, { inputTokens: 11, outputTokens: 22, cacheReadTokens: 33, cacheWriteTokens: 44, usdSpent: 0.75 });
  });

  it('finds every stored image, those inside tool results too', () => {
    const refs = imageRefsOf([
      prompt({ content: [image('a'), { type: 'text', text: 'x' }] }),
      { id: 'r', role: 'user', kind: 'tool_results', createdAt: 2, content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'y' }, image('b')] }, { type: 'tool_result', tool_use_id: 'u', content: 'text only' }] },
    ]);
    assert.deepEqual(refs.map((r) => r.id), ['a', 'b']);
  });

  it('takes back only a prompt whose failed answer is empty', () => {
    const failed = () => answer({ status: 'error' });
    const take = (messages: StoredMessage[]) => { const copy = [...messages]; return [dropUnansweredFailedPrompt(copy), copy.length] as const; };
    assert.deepEqual(take([prompt(), prompt(), failed()]), [true, 1]);
    assert.deepEqual(take([prompt(), answer({ status: 'error', content: [{ type: 'text', text: 'part' }] })]), [false, 2]);
    assert.deepEqual(take([prompt(), answer({ status: 'interrupted' })]), [false, 2]);
    assert.deepEqual(take([{ ...prompt(), kind: 'tool_results' }, failed()]), [false, 2]);
    assert.deepEqual(take([prompt(), prompt()]), [false, 2]);
    assert.deepEqual(take([failed()]), [false, 1]);
    assert.deepEqual(take([]), [false, 0]);
  });

  it('retries failed and interrupted answers only', () => {
    assert.equal(isRetryableAnswer(answer({ status: 'error' })), true);
    assert.equal(isRetryableAnswer(answer({ status: 'interrupted' })), true);
    assert.equal(isRetryableAnswer(answer({ status: 'complete' })), false);
    assert.equal(isRetryableAnswer(answer()), false);
    assert.equal(isRetryableAnswer(prompt({ status: 'error' } as Partial<StoredMessage>)), false);
  });
});
