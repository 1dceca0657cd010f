// The conversation file format, exactly: every repair of a value this release cannot read (what
// it becomes and the note it leaves), what stays invalid, and how the index file is read whatever
// version or shape it has. A conversation is never lost to a field it does not understand.
import * as assert from 'node:assert/strict';
import { CONVERSATION_VERSION, ID_PATTERN, INDEX_VERSION, parseConversation, parseIndex, summaryOf } from '../../../src/core/chat/conversationFormat';
import type { Conversation } from '../../../src/shared/model';

type Loose = Record<string, unknown> & { messages: Array<Record<string, unknown>> };

function file(): Loose {
  return {
    version: 1, id: 'c1', title: 'T', createdAt: 1, updatedAt: 2, model: 'm',
    totals: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, usdSpent: 0.5 },
    messages: [
      { id: 'u1', role: 'user', kind: 'prompt', createdAt: 1, content: [{ type: 'text', text: 'hi' }] },
      {
        id: 'a1', role: 'assistant', createdAt: 2, status: 'complete', model: 'm', stopReason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 }, usdSpent: 0.1,
        error: { kind: 'network', message: 'lost' },
        content: [{ type: 'text', text: 'answer' }],
        toolCalls: { t1: { toolUseId: 't1', tool: 'read_file', target: 'a', status: 'succeeded', approval: { kind: 'allow_deny', reason: 'r' } } },
      },
    ],
  };
}

function repaired(change: (f: Loose) => void): { conversation: Conversation; notes: string[] } {
  const f = file();
  change(f);
  const parsed = parseConversation(f);
  assert.equal(parsed.kind, 'ok', parsed.kind === 'invalid' ? parsed.problem : '');
  return parsed as Extract<typeof parsed, { kind: 'ok' }>;
}

const answer = (c: Conversation) => c.messages[1] as Record<string, unknown>;

describe('conversation format (exact)', () => {
  it('is version 1 for conversations and the index, with ids of 1 to 80 letters, digits, - and _', () => {
    assert.equal(CONVERSATION_VERSION, 1);
    assert.equal(INDEX_VERSION, 1);
    for (const ok of ['a', 'A-z_09', 'x'.repeat(80)]) assert.equal(ID_PATTERN.test(ok), true, ok);
    for (const bad of ['', 'x'.repeat(81), 'a.b', 'a/b', ' a', 'a\n', 'é']) assert.equal(ID_PATTERN.test(bad), false, bad);
  });

  const cases: Array<[string, (f: Loose) => void, (c: Conversation) => void, string]> = [
    ['an unreadable totals object is reset to zero', (f) => { f.totals = 'lots'; }, (c) => assert.deepEqual(c.totals, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 }), 'totals: unreadable totals reset to zero'],
    ['an unreadable totals field resets all totals', (f) => { (f.totals as Record<string, unknown>).usdSpent = 'x'; }, (c) => assert.equal(c.totals.inputTokens, 0), 'totals.usdSpent: unreadable totals reset to zero'],
    ['an unknown role is read as assistant', (f) => { f.messages[0].role = 'system'; }, (c) => assert.equal(c.messages[0].role, 'assistant'), 'messages.0.role: unknown role "system" read as "assistant"'],
    ['a missing role is read as assistant', (f) => { delete f.messages[0].role; }, (c) => assert.equal(c.messages[0].role, 'assistant'), 'messages.0.role: unknown role nothing read as "assistant"'],
    ['an unknown status is read as interrupted', (f) => { f.messages[1].status = 'paused'; }, (c) => assert.equal(c.messages[1].status, 'interrupted'), 'messages.1.status: unknown status "paused" read as "interrupted"'],
    ['an unknown kind is dropped', (f) => { f.messages[0].kind = 'steer'; }, (c) => assert.equal('kind' in c.messages[0], false), 'messages.0.kind: unknown message kind "steer" ignored'],
    ['an unknown error kind is read as unknown', (f) => { (f.messages[1].error as Record<string, unknown>).kind = 'quota'; }, (c) => assert.deepEqual(c.messages[1].error, { kind: 'unknown', message: 'lost' }), 'messages.1.error.kind: unknown error kind "quota" read as "unknown"'],
    ['unreadable error details are dropped', (f) => { (f.messages[1].error as Record<string, unknown>).message = 5; }, (c) => assert.equal('error' in answer(c), false), 'messages.1.error.message: unreadable error details dropped'],
    ['an unknown mode is read as plan', (f) => { f.messages[0].mode = 'ask'; }, (c) => assert.equal(c.messages[0].mode, 'plan'), 'messages.0.mode: unknown mode "ask" read as "plan"'],
    ['an unreadable model is dropped', (f) => { f.messages[1].model = 7; }, (c) => assert.equal('model' in answer(c), false), 'messages.1.model: unreadable model dropped'],
    ['an unreadable stop reason is dropped', (f) => { f.messages[1].stopReason = 7; }, (c) => assert.equal('stopReason' in answer(c), false), 'messages.1.stopReason: unreadable stopReason dropped'],
    ['unreadable usage is dropped', (f) => { f.messages[1].usage = 'lots'; }, (c) => assert.equal('usage' in answer(c), false), 'messages.1.usage: unreadable usage dropped'],
    ['an unreadable cost is dropped', (f) => { f.messages[1].usdSpent = -1; }, (c) => assert.equal('usdSpent' in answer(c), false), 'messages.1.usdSpent: unreadable usdSpent dropped'],
    ['unreadable tool cards are dropped', (f) => { f.messages[1].toolCalls = 'cards'; }, (c) => assert.equal('toolCalls' in answer(c), false), 'messages.1.toolCalls: unreadable tool cards dropped'],
    ['an unknown tool call status is read as failed', (f) => { ((f.messages[1].toolCalls as Record<string, Record<string, unknown>>).t1).status = 'queued'; }, (c) => assert.equal(c.messages[1].toolCalls?.t1.status, 'failed'), 'messages.1.toolCalls.t1.status: unknown tool call status "queued" read as "failed"'],
    ['an unreadable approval is dropped', (f) => { ((f.messages[1].toolCalls as Record<string, Record<string, unknown>>).t1).approval = { kind: 'choose', reason: 'r' }; }, (c) => assert.deepEqual(c.messages[1].toolCalls?.t1, { toolUseId: 't1', tool: 'read_file', target: 'a', status: 'succeeded' }), 'messages.1.toolCalls.t1.approval.kind: unreadable approval request dropped (none is pending after a reload)'],
    ['an unreadable tool card is dropped alone', (f) => { ((f.messages[1].toolCalls as Record<string, Record<string, unknown>>).t1).target = 5; }, (c) => assert.deepEqual(c.messages[1].toolCalls, {}), 'messages.1.toolCalls.t1.target: unreadable tool card t1 dropped'],
    ['a card that is not an object is dropped', (f) => { (f.messages[1].toolCalls as Record<string, unknown>).t1 = 'card'; }, (c) => assert.deepEqual(c.messages[1].toolCalls, {}), 'messages.1.toolCalls.t1: unreadable tool card t1 dropped'],
    ['an unreadable block with a media type becomes a note that names both', (f) => { f.messages[0].content = [{ type: 'image_ref', media_type: 'image/avif', id: 'x' }]; }, (c) => assert.deepEqual(c.messages[0].content, [{ type: 'text', text: '[A "image_ref" block (image/avif) that this version of AIML Chat cannot read was left out.]' }]), 'messages.0.content.0.type: unreadable "image_ref" block replaced by a note'],
    ['an unreadable block without a type becomes a note about a block', (f) => { f.messages[0].content = ['just text']; }, (c) => assert.deepEqual(c.messages[0].content, [{ type: 'text', text: '[A block that this version of AIML Chat cannot read was left out.]' }]), 'messages.0.content.0: unreadable block replaced by a note'],
    ['a block whose type is not a string becomes a note about a block', (f) => { f.messages[0].content = [{ type: 5, media_type: 7 }]; }, (c) => assert.deepEqual(c.messages[0].content, [{ type: 'text', text: '[A block that this version of AIML Chat cannot read was left out.]' }]), 'messages.0.content.0: unreadable block replaced by a note'],
  ];
  for (const [title, change, check, note] of cases) {
    it(`${title}, with the exact note`, () => {
      const { conversation, notes } = repaired(change);
      check(conversation);
      assert.deepEqual(notes, [note]);
      assert.equal(conversation.messages.length, 2);
    });
  }

  it('a message-level problem it cannot repair leaves the file invalid, naming where', () => {
    const cases: Array<[(f: Loose) => void, RegExp]> = [
      [(f) => { f.messages[0].id = 5; }, /^messages\.0\.id: /],
      [(f) => { f.messages[0].content = 'text'; }, /^messages\.0\.content: /],
      [(f) => { f.messages[0].createdAt = 'now'; }, /^messages\.0\.createdAt: /],
      [(f) => { f.title = 5; }, /^title: /],
      [(f) => { f.messages = [5] as never; }, /^messages\.0: /],
    ];
    for (const [change, problem] of cases) {
      const f = file();
      change(f);
      const parsed = parseConversation(f);
      assert.equal(parsed.kind, 'invalid');
      assert.match(parsed.kind === 'invalid' ? parsed.problem : '', problem);
    }
    assert.deepEqual(parseConversation('text'), { kind: 'invalid', problem: 'not a conversation' });
    assert.deepEqual(parseConversation([{ id: 'x' }]), { kind: 'invalid', problem: 'not a conversation' });
    assert.deepEqual(parseConversation(null), { kind: 'invalid', problem: 'not a conversation' });
  });

  it('a newer file is read with a note naming the conversation format and both versions', () => {
    const parsed = parseConversation({ ...file(), version: 3 });
    assert.equal(parsed.kind === 'ok' && parsed.fromTheFuture, true);
    assert.deepEqual(parsed.kind === 'ok' && parsed.notes, ['conversation: written by a newer version of AIML Chat (format 3, this one reads 1); read as far as possible and never overwritten.']);
  });

  it('a version-0 file (no version) gets version 1 and empty totals, and keeps totals it had', () => {
    const { version: _v, totals: _t, ...old } = file();
    const parsed = parseConversation(old);
    assert.equal(parsed.kind === 'ok' && parsed.conversation.version, 1);
    assert.deepEqual(parsed.kind === 'ok' && parsed.conversation.totals, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 });
    assert.deepEqual(parsed.kind === 'ok' && parsed.notes, []);
    const { version: _w, ...withTotals } = file();
    const kept = parseConversation(withTotals);
    assert.equal(kept.kind === 'ok' && kept.conversation.totals.cacheWriteTokens, 4);
    assert.equal(kept.kind === 'ok' && kept.fromTheFuture, false);
  });

  it('notes unknown fields of messages by index, and passes a non-object message on to validation', () => {
    const parsed = parseConversation({ ...file(), messages: [{ ...file().messages[0], extra: 1 }, { ...file().messages[1], more: 2, other: 3 }] });
    assert.deepEqual(parsed.kind === 'ok' && parsed.notes, ['messages.0: unknown fields ignored: extra', 'messages.1: unknown fields ignored: more, other']);
    const original = file();
    const before = JSON.stringify(original);
    parseConversation({ ...original, messages: original.messages });
    assert.equal(JSON.stringify(original), before, 'the caller\'s objects are not changed');
  });

  it('summarises a conversation by id, title, update time and message count', () => {
    const parsed = parseConversation(file());
    assert.deepEqual(parsed.kind === 'ok' && summaryOf(parsed.conversation), { id: 'c1', title: 'T', updatedAt: 2, messageCount: 2 });
  });

  describe('index', () => {
    const entry = { id: 'a', title: 'A', updatedAt: 1, messageCount: 2 };

    it('reads the current version with its last open id and valid entries only', () => {
      const notes: string[] = [];
      assert.deepEqual(parseIndex({ version: 1, lastOpenId: 'a', conversations: [entry, { ...entry, id: '../x' }, { ...entry, title: 5 }, { ...entry, updatedAt: 'x' }, { ...entry, messageCount: null }, 'x'] }, (n) => notes.push(n)), { version: 1, lastOpenId: 'a', conversations: [entry], fromTheFuture: false });
      assert.deepEqual(notes, []);
    });

    it('reads a bare list (version 0) and an unversioned object', () => {
      assert.deepEqual(parseIndex([entry], () => undefined), { version: 0, lastOpenId: undefined, conversations: [entry], fromTheFuture: false });
      assert.deepEqual(parseIndex({ lastOpenId: 'a', conversations: [entry] }, () => undefined), { version: 0, lastOpenId: 'a', conversations: [entry], fromTheFuture: false });
    });

    it('tolerates a bad last open id or entry list instead of losing the index', () => {
      assert.deepEqual(parseIndex({ version: 1, lastOpenId: 5, conversations: 'x' }, () => undefined), { version: 1, lastOpenId: undefined, conversations: [], fromTheFuture: false });
    });

    it('reads a newer index with a warning, marked as from the future', () => {
      const notes: string[] = [];
      assert.deepEqual(parseIndex({ version: 3, conversations: [entry] }, (n) => notes.push(n)), { version: 3, lastOpenId: undefined, conversations: [entry], fromTheFuture: true });
      assert.equal(notes.length, 1);
    });

    it('is undefined for what cannot be an index', () => {
      assert.equal(parseIndex('index', () => undefined), undefined);
      assert.equal(parseIndex(null, () => undefined), undefined);
      assert.equal(parseIndex(7, () => undefined), undefined);
    });
  });
});
