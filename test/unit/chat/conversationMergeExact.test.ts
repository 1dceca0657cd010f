// mergeConversation on its own, each rule asserted exactly: the other window's turns kept in time
// order, turns removed on purpose staying removed, the finished copy of an answer preferred over
// this window's cut-off one, and the larger of each total.
import * as assert from 'node:assert/strict';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import { mergeConversation } from '../../../src/core/chat/conversationMerge';

const message = (id: string, createdAt: number, extra: Partial<StoredMessage> = {}): StoredMessage => ({ id, role: 'user', content: [{ type: 'text', text: id }], createdAt, ...extra });
const conversation = (messages: StoredMessage[], extra: Partial<Conversation> = {}): Conversation => ({
  version: 1, id: 'c', title: 't', createdAt: 0, updatedAt: 10, model: 'm', messages,
  totals: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 1, cacheWriteTokens: 1, usdSpent: 1 }, ...extra,
});
const ids = (c: Conversation) => c.messages.map((m) => m.id);

describe('conversation merge: exact', () => {
  it('returns this window\'s copy itself when the disk adds nothing', () => {
    const ours = conversation([message('a', 1), message('b', 2)]);
    const disk = conversation([message('a', 1), message('old', 0)], { updatedAt: 99 });
    assert.equal(mergeConversation(ours, disk, new Set(['a', 'b', 'old'])), ours);
  });

  it('adds the other window\'s turns in time order, this window first on equal times, with the later time and larger totals', () => {
    const ours = conversation([message('a', 1), message('b', 3), message('c', 5)], { updatedAt: 20, totals: { inputTokens: 5, outputTokens: 1, cacheReadTokens: 7, cacheWriteTokens: 1, usdSpent: 0.5 } });
    const disk = conversation([message('a', 1), message('x', 3), message('y', 4), message('gone', 2)], { updatedAt: 30, totals: { inputTokens: 2, outputTokens: 6, cacheReadTokens: 1, cacheWriteTokens: 8, usdSpent: 0.75 } });
    const merged = mergeConversation(ours, disk, new Set(['a', 'gone']));
    assert.deepEqual(ids(merged), ['a', 'b', 'x', 'y', 'c']);
    assert.equal(merged.updatedAt, 30);
    assert.deepEqual(merged.totals, { inputTokens: 5, outputTokens: 6, cacheReadTokens: 7, cacheWriteTokens: 8, usdSpent: 0.75 });
    assert.equal(merged.id, 'c');
    assert.equal(mergeConversation({ ...ours, updatedAt: 40 }, disk, new Set()).updatedAt, 40);
  });

  it('takes the disk\'s finished or failed copy of an answer this window only has cut off', () => {
    const cut = message('a', 1, { role: 'assistant', status: 'interrupted', content: [{ type: 'text', text: 'par' }] });
    for (const status of ['complete', 'error'] as const) {
      const done = message('a', 1, { role: 'assistant', status, content: [{ type: 'text', text: 'partial and more' }] });
      const merged = mergeConversation(conversation([cut]), conversation([done]), new Set(['a']));
      assert.deepEqual(merged.messages, [done], status);
    }
    // A cut-off copy on disk, or a copy of ours that is not cut off, is not replaced.
    const alsoCut = message('a', 1, { role: 'assistant', status: 'interrupted', content: [] });
    const ours = conversation([cut]);
    assert.equal(mergeConversation(ours, conversation([alsoCut]), new Set(['a'])), ours);
    const streaming = conversation([message('a', 1, { role: 'assistant', status: 'streaming' })]);
    assert.equal(mergeConversation(streaming, conversation([message('a', 1, { role: 'assistant', status: 'complete' })]), new Set(['a'])), streaming);
  });
});
