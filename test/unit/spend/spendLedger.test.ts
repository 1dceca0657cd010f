// The spend ledger's arithmetic: what each answer adds, what it leaves out (a cost the gateway did
// not report, or reported as nonsense), the 1,000-entry window and the totals handed out as copies.
import * as assert from 'node:assert/strict';
import { SpendLedger, describeSpend, spendEntryOf, spendEntryOfAnswer, type SpendEntry } from '../../../src/core/spend/spendLedger';

const entry = (over: Partial<SpendEntry> = {}): SpendEntry => ({ source: 'chat', model: 'm', inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, at: 0, ...over });

describe('spend ledger arithmetic', () => {
  it('takes every token count of the usage and only a finite, non-negative cost', () => {
    const usage = { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 3, cache_creation_input_tokens: 2 };
    assert.deepEqual(spendEntryOf('participant', { model: 'claude-haiku-4-5', usage, meta: { usage: { usd_spent: 0 } } }, 5),
      { source: 'participant', model: 'claude-haiku-4-5', inputTokens: 10, outputTokens: 4, cacheReadTokens: 3, cacheWriteTokens: 2, usd: 0, at: 5 });
    assert.deepEqual(spendEntryOf('chat', { model: 'm', usage: undefined as never }, 1), { source: 'chat', model: 'm', inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, at: 1 });
    for (const usd of [Number.NaN, Number.POSITIVE_INFINITY, -0.01, '0.5' as unknown as number]) {
      assert.equal('usd' in spendEntryOf('chat', { model: 'm', usage: { input_tokens: 1, output_tokens: 1 }, meta: { usage: { usd_spent: usd } } }, 0), false, String(usd));
    }
    assert.equal(spendEntryOfAnswer('chat', { role: 'assistant', model: 'own', usage: { input_tokens: 1, output_tokens: 2 } }, 'fallback', 0)?.model, 'own');
    assert.equal('usd' in (spendEntryOfAnswer('chat', { role: 'assistant', usage: { input_tokens: 1, output_tokens: 2 } }, 'm', 0) ?? {}), false);
  });

  it('adds each answer to its source and to all, counting a missing cost as zero', () => {
    const ledger = new SpendLedger();
    ledger.record(entry({ source: 'participant', inputTokens: 7, outputTokens: 3, usd: 0.25 }));
    ledger.record(entry({ source: 'participant', inputTokens: 1, outputTokens: 1 }));
    ledger.record(entry({ source: 'chat', inputTokens: 2, outputTokens: 5, usd: 0.5 }));
    assert.deepEqual(ledger.totals('participant'), { requests: 2, inputTokens: 8, outputTokens: 4, usd: 0.25 });
    assert.deepEqual(ledger.totals('chat'), { requests: 1, inputTokens: 2, outputTokens: 5, usd: 0.5 });
    assert.deepEqual(ledger.totals('all'), { requests: 3, inputTokens: 10, outputTokens: 9, usd: 0.75 });
    assert.deepEqual(ledger.totals('languageModel'), { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 });
  });

  it('hands out totals and entries as copies the caller cannot change', () => {
    const ledger = new SpendLedger();
    ledger.record(entry({ usd: 1 }));
    const totals = ledger.totals();
    totals.usd = 99;
    totals.requests = 99;
    assert.deepEqual(ledger.totals(), { requests: 1, inputTokens: 1, outputTokens: 1, usd: 1 });
    const empty = ledger.totals('participant');
    empty.requests = 5;
    assert.equal(ledger.totals('participant').requests, 0);
    (ledger.recent() as SpendEntry[]).length = 0;
    assert.equal(ledger.recent().length, 1);
  });

  it('keeps the latest 1,000 entries, oldest first, while the totals count them all', () => {
    const ledger = new SpendLedger();
    for (let at = 0; at < 1000; at++) ledger.record(entry({ at }));
    assert.equal(ledger.recent().length, 1000);
    assert.equal(ledger.recent()[0].at, 0);
    ledger.record(entry({ at: 1000 }));
    ledger.record(entry({ at: 1001 }));
    assert.deepEqual([ledger.recent().length, ledger.recent()[0].at, ledger.recent()[999].at], [1000, 2, 1001]);
    assert.equal(ledger.totals().requests, 1002);
  });

  it('tells each listener once per entry until it is disposed', () => {
    const ledger = new SpendLedger();
    const first: number[] = [];
    const second: number[] = [];
    const a = ledger.onDidRecord((e) => first.push(e.at));
    ledger.onDidRecord((e) => second.push(e.at));
    ledger.record(entry({ at: 1 }));
    a.dispose();
    ledger.record(entry({ at: 2 }));
    assert.deepEqual([first, second], [[1], [1, 2]]);
  });

  it('describes an entry without cached tokens and with a cost of zero', () => {
    assert.equal(describeSpend(entry({ model: 'claude-opus-4-7', inputTokens: 12, outputTokens: 3, usd: 0 })), 'claude-opus-4-7: 12 in / 3 out tokens, $0.00');
    assert.equal(describeSpend(entry({ inputTokens: 2, outputTokens: 1, cacheReadTokens: 1, usd: 1.5 })), 'm: 2 in (1 cached) / 1 out tokens, $1.50');
    assert.equal(describeSpend(entry({ inputTokens: 2, outputTokens: 1 })), 'm: 2 in / 1 out tokens, cost not reported');
  });
});
