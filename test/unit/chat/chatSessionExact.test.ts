// The chat session, exactly: what a send stores (title, content order, chips, mode), each way a
// prompt comes back, Retry's choice of what to replace, /compact's answers, and the conversation
// operations (new, open, rename, delete, drop) with the events and saves each promises.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { ChatSession } from '../../../src/core/chat/session/chatSession';
import type { ChatSessionDeps, SessionEvent, SessionSettings } from '../../../src/core/chat/session/types';
import type { ApiMessage } from '../../../src/core/api/types';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import { FakeExecutor, FakeMessagesApi, reply, type Step } from './fakes';

const settings: SessionSettings = {
  baseUrl: 'http://127.0.0.1:1', requestTimeoutMs: 5000, answerTimeoutMs: 60_000, model: 'claude-sonnet-4-6', maxTokens: 1000, temperature: null,
  thinkingEnabled: false, thinkingBudgetTokens: 2048, promptCaching: true, spendCapUsd: null, maxToolCallsPerTurn: 25,
};
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const image = { name: 'dot.png', mediaType: 'image/png' as const, data: PNG, width: 1, height: 1 };
const failure = (kind = 'overloaded'): Step => ({ kind: 'fail', content: [], error: Object.assign(new Error('x'), { info: { kind, message: 'Busy.', retryable: true } }) });

describe('ChatSession (exact)', () => {
  let folder: string;
  beforeEach(async () => { folder = await mkdtemp(path.join(tmpdir(), 'aiml-session-x-')); });
  afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

  function setup(steps: Step[], overrides: Partial<ChatSessionDeps> = {}) {
    const api = new FakeMessagesApi(steps);
    const logs: string[] = [];
    const store = new ConversationStore(path.join(folder, 'conversations'));
    let id = 0;
    let clock = 1000;
    const deps: ChatSessionDeps = {
      store,
      attachments: new FileAttachmentStore(path.join(folder, 'attachments')),
      getApiKey: async () => 'test-key',
      settings: () => settings,
      createApi: () => api,
      executor: () => new FakeExecutor(),
      workspaceName: () => undefined,
      confirm: async () => true,
      logger: { info: (m) => logs.push(`info: ${m}`), warn: (m) => logs.push(`warn: ${m}`), error: (m) => logs.push(`error: ${m}`) },
      newId: () => `id${++id}`,
      now: () => ++clock,
      ...overrides,
    };
    const session = new ChatSession(deps);
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    const returned = () => events.flatMap((e) => (e.type === 'promptReturned' ? [[e.reason, e.text]] : []));
    const types = () => events.map((e) => e.type);
    return { api, deps, store, session, events, returned, types, logs };
  }

  describe('send', () => {
    it('ignores a blank prompt without images: no event, no request', async () => {
      const t = setup([]);
      await t.session.send({ text: '  \n ' });
      await t.session.send({ text: '', images: [] });
      assert.deepEqual(t.events, []);
      assert.equal(t.session.state.kind, 'idle');
    });

    it('stores the prompt: context first, then images, then the text; chips deduplicated; the title from the text', async () => {
      const t = setup([reply('ok')]);
      const chip = { kind: 'file' as const, label: 'a.ts', path: 'a.ts', text: 'const a = 1;', tokens: 5 };
      await t.session.send({ text: 'Explain this\nplease', images: [image], context: [{ type: 'text', text: 'CTX' }], chips: [chip, chip], mode: 'plan' });
      const [prompt] = t.session.conversation.messages;
      assert.deepEqual(prompt.content.map((b) => b.type), ['text', 'image_ref', 'text']);
      assert.deepEqual([(prompt.content[0] as { text: string }).text, (prompt.content[2] as { text: string }).text], ['CTX', 'Explain this\nplease']);
      assert.deepEqual(prompt.context, [chip]);
      assert.equal(prompt.mode, 'plan');
      assert.equal(prompt.kind, 'prompt');
      assert.equal(prompt.role, 'user');
      assert.equal(t.session.conversation.title, 'Explain this');
    });

    it('an image with a blank text is sent without a text block and titled by the image\'s name; later prompts keep the title', async () => {
      const t = setup([reply('a'), reply('b')]);
      await t.session.send({ text: '  ', images: [image] });
      const [prompt] = t.session.conversation.messages;
      assert.deepEqual(prompt.content.map((b) => b.type), ['image_ref']);
      assert.equal('context' in prompt, false);
      assert.equal('mode' in prompt, false);
      assert.equal(t.session.conversation.title, 'dot.png');
      await t.session.send({ text: 'Second question' });
      assert.equal(t.session.conversation.title, 'dot.png');
    });

    it('an image without a name titles the chat "Image"', async () => {
      const t = setup([reply('a')]);
      await t.session.send({ text: '', images: [{ ...image, name: '' }] });
      assert.equal(t.session.conversation.title, 'Image');
    });

    it('emits the send\'s events in order and remembers the conversation as the last open one', async () => {
      const t = setup([reply('ok')]);
      await t.session.send({ text: 'hello' });
      const distinct = t.types().filter((type, i, all) => type !== all[i - 1]);
      assert.deepEqual(distinct, ['errorCleared', 'messageAdded', 'busyChanged', 'messageAdded', 'streamDelta', 'messageFinished', 'totals', 'busyChanged']);
      assert.equal(await t.store.getLastOpenId(), t.session.conversation.id);
      const loaded = await t.store.load(t.session.conversation.id);
      assert.deepEqual(loaded.kind === 'ok' && loaded.conversation.messages.map((m) => m.id), ['id1', 'id2']);
    });

    it('a new prompt after a failed, empty answer replaces the unanswered prompt and re-shows the conversation', async () => {
      const t = setup([failure(), reply('ok')]);
      await t.session.send({ text: 'first try' });
      assert.deepEqual(t.returned(), [['answer_failed', 'first try']]);
      t.events.length = 0;
      await t.session.send({ text: 'first try' });
      assert.deepEqual(t.session.conversation.messages.map((m) => [m.role, m.status ?? m.kind]), [['user', 'prompt'], ['assistant', 'complete']]);
      assert.deepEqual(t.types().slice(0, 2), ['errorCleared', 'conversationShown']);
    });

    it('an answer that failed after streaming does not give the prompt back', async () => {
      const t = setup([{ kind: 'fail', content: [{ type: 'text', text: 'half' }], error: Object.assign(new Error('x'), { info: { kind: 'network', message: 'Lost.' } }) }]);
      await t.session.send({ text: 'q' });
      assert.deepEqual(t.returned(), []);
      assert.equal(t.session.conversation.messages[1].status, 'interrupted');
    });

    it('an image that cannot be stored gives the prompt back with the reason', async () => {
      const t = setup([]);
      t.deps.attachments = { save: async () => { throw new Error('disk full'); }, load: async () => '', filePath: () => '' };
      await t.session.send({ text: 'look', images: [image] });
      const event = t.events.find((e) => e.type === 'promptReturned');
      assert.deepEqual(event, { type: 'promptReturned', reason: 'attachment_failed', text: 'look', error: { kind: 'unknown', message: 'The image could not be stored: disk full' } });
      assert.deepEqual(t.session.conversation.messages, []);
      assert.equal(t.session.state.kind, 'idle');
    });

    it('an unexpected failure while sending is logged and gives the prompt back as failed', async () => {
      const send = setup([], { getApiKey: async () => { throw new Error('keychain locked'); } });
      await send.session.send({ text: 'q' });
      assert.deepEqual(send.returned(), [['failed', 'q']]);
      assert.deepEqual(send.events.find((e) => e.type === 'promptReturned'), { type: 'promptReturned', reason: 'failed', text: 'q', error: { kind: 'unknown', message: 'keychain locked' } });
      assert.equal(send.logs.length, 1);
      assert.match(send.logs[0], /^error: send failed: Error: keychain locked\n\s+at /);
      assert.equal(send.session.state.kind, 'idle');
    });

    it('an outside signal that aborts after the send ended changes nothing (its listener is removed)', async () => {
      const t = setup([reply('one')]);
      const outside = new AbortController();
      await t.session.send({ text: 'q' }, { signal: outside.signal });
      outside.abort();
      assert.equal(t.session.state.kind, 'idle');
      assert.equal(t.session.conversation.messages[1].status, 'complete');
      const next = setup([{ kind: 'hang', content: [{ type: 'text', text: 'so far' }] }]);
      const token = new AbortController();
      next.api.onHang = () => token.abort();
      await next.session.send({ text: 'go' }, { signal: token.signal });
      assert.equal(next.session.conversation.messages[1].status, 'interrupted');
    });
  });

  describe('retry', () => {
    it('replaces a failed answer and re-sends the prompt, re-showing the conversation', async () => {
      const t = setup([failure(), reply('second time')]);
      await t.session.send({ text: 'q' });
      t.events.length = 0;
      await t.session.retry();
      assert.deepEqual(t.session.conversation.messages.map((m) => m.status ?? m.kind), ['prompt', 'complete']);
      assert.deepEqual(t.types().slice(0, 2), ['errorCleared', 'conversationShown']);
      assert.equal(t.api.requests.length, 2);
    });

    it('after tool results (no answer yet) re-sends the conversation as it is', async () => {
      const t = setup([reply('ok')]);
      const c = t.session.conversation;
      c.messages.push({ id: 'p', role: 'user', kind: 'prompt', content: [{ type: 'text', text: 'q' }], createdAt: 1 }, { id: 'r', role: 'user', kind: 'tool_results', content: [{ type: 'text', text: 'results' }], createdAt: 2 });
      await t.session.retry();
      assert.deepEqual(c.messages.map((m) => m.id), ['p', 'r', 'id1']);
      assert.equal(t.api.requests.length, 1);
    });

    it('a retry after tool results that fails before streaming gives no prompt back (there is none to give)', async () => {
      const t = setup([failure()]);
      const c = t.session.conversation;
      c.messages.push({ id: 'p', role: 'user', kind: 'prompt', content: [{ type: 'text', text: 'q' }], createdAt: 1 }, { id: 'r', role: 'user', kind: 'tool_results', content: [{ type: 'text', text: 'results' }], createdAt: 2 });
      await t.session.retry();
      assert.deepEqual(t.returned(), []);
      assert.equal(c.messages.at(-1)?.status, 'error');
    });

    it('a retried prompt that fails again before streaming is given back for editing', async () => {
      const t = setup([failure(), failure()]);
      await t.session.send({ text: 'q' });
      await t.session.retry();
      assert.deepEqual(t.returned(), [['answer_failed', 'q'], ['answer_failed', 'q']]);
    });

    it('does nothing but clear the error when there is nothing to retry, and nothing at all while busy', async () => {
      const t = setup([reply('ok')]);
      await t.session.retry();
      assert.deepEqual(t.events, [{ type: 'errorCleared' }]);
      await t.session.send({ text: 'q' });
      t.events.length = 0;
      await t.session.retry();
      assert.deepEqual(t.events, [{ type: 'errorCleared' }], 'a complete answer is not retried');
      assert.equal(t.api.requests.length, 1);
    });

    it('a retry refused by its checks emits the error and keeps the failed answer', async () => {
      let key: string | undefined = 'test-key';
      const t = setup([failure()], { getApiKey: async () => key });
      await t.session.send({ text: 'q' });
      key = undefined;
      t.events.length = 0;
      await t.session.retry();
      assert.equal(t.events.length, 1);
      assert.equal(t.events[0].type === 'error' && t.events[0].error.kind, 'no_api_key');
      assert.deepEqual(t.session.conversation.messages.map((m) => m.status ?? m.kind), ['prompt', 'error']);
      assert.equal(t.session.state.kind, 'idle');
    });

    it('a retry whose checks throw emits the error and goes back to idle', async () => {
      let broken = false;
      const t = setup([failure()], { getApiKey: async () => { if (broken) throw new Error('keychain gone'); return 'k'; } });
      await t.session.send({ text: 'q' });
      broken = true;
      t.events.length = 0;
      await t.session.retry();
      assert.deepEqual(t.events, [{ type: 'error', error: { kind: 'unknown', message: 'keychain gone' } }]);
      assert.equal(t.session.state.kind, 'idle');
    });
  });

  describe('compact', () => {
    const summaryAnswer = (): ApiMessage => ({ id: 's', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text: `## Decisions\n${'Summary text. '.repeat(20)}` }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } });
    const threeTurns = (c: Conversation) => {
      for (let i = 0; i < 3; i++) {
        c.messages.push({ id: `p${i}`, role: 'user', kind: 'prompt', content: [{ type: 'text', text: `q${i}` }], createdAt: i } as StoredMessage, { id: `a${i}`, role: 'assistant', status: 'complete', content: [{ type: 'text', text: `a${i}` }], createdAt: i } as StoredMessage);
      }
    };

    it('summarises, logs, saves and shows the conversation, with busy around it', async () => {
      const t = setup([]);
      t.api.create = async () => summaryAnswer();
      threeTurns(t.session.conversation);
      const result = await t.session.compact();
      assert.equal(result.kind, 'done');
      assert.deepEqual(t.types(), ['busyChanged', 'conversationShown', 'totals', 'busyChanged']);
      assert.deepEqual(t.events.filter((e) => e.type === 'busyChanged').map((e) => e.type === 'busyChanged' && e.busy), [true, false]);
      assert.equal(t.logs.length, 1);
      assert.match(t.logs[0], /^info: compacted 2 messages: ~\d+ -> ~\d+ tokens$/);
      const loaded = await t.store.load(t.session.conversation.id);
      assert.equal(loaded.kind === 'ok' && loaded.conversation.compaction?.firstKeptMessageId, 'p1');
      assert.equal(t.session.state.kind, 'idle');
    });

    it('says to wait while an answer runs', async () => {
      const t = setup([{ kind: 'hang', content: [] }]);
      let result: unknown;
      t.api.onHang = () => { void t.session.compact().then((r) => { result = r; t.session.stop(); }); };
      await t.session.send({ text: 'q' });
      assert.deepEqual(result, { kind: 'nothing', message: 'Wait for the answer to finish, then compact.' });
    });

    it('a refused check is emitted and returned as failed', async () => {
      const t = setup([], { getApiKey: async () => undefined });
      const result = await t.session.compact();
      assert.equal(result.kind, 'failed');
      assert.deepEqual(t.events, [{ type: 'error', error: result.kind === 'failed' && result.error }]);
      assert.equal(t.session.state.kind, 'idle');
    });

    it('a failed summary is emitted as an error and changes nothing', async () => {
      const t = setup([]);
      t.api.create = async () => { throw Object.assign(new Error('x'), { info: { kind: 'overloaded', message: 'Busy.' } }); };
      threeTurns(t.session.conversation);
      const before = JSON.stringify(t.session.conversation);
      const result = await t.session.compact();
      assert.equal(result.kind, 'failed');
      assert.deepEqual(t.events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.error.kind), ['overloaded']);
      assert.equal(JSON.stringify(t.session.conversation), before);
    });

    it('stopped during its checks it answers "Stopped." and sends nothing', async () => {
      let release: (key: string) => void = () => undefined;
      const t = setup([], { getApiKey: () => new Promise((resolve) => { release = resolve; }) });
      const compacting = t.session.compact();
      await new Promise((resolve) => setTimeout(resolve, 10));
      t.session.stop();
      release('k');
      assert.deepEqual(await compacting, { kind: 'nothing', message: 'Stopped.' });
    });
  });

  describe('conversations', () => {
    it('new chat saves the current one, forgets the last open id and shows an empty chat', async () => {
      const t = setup([reply('ok')]);
      await t.session.send({ text: 'q' });
      const old = t.session.conversation;
      t.events.length = 0;
      await t.session.newChat();
      assert.notEqual(t.session.conversation.id, old.id);
      assert.deepEqual(t.session.conversation.messages, []);
      assert.equal(await t.store.getLastOpenId(), undefined);
      assert.deepEqual(t.events, [{ type: 'conversationShown', conversation: t.session.conversation, reason: 'newChat' }]);
      assert.deepEqual((await t.store.list()).map((s) => s.id), [old.id]);
    });

    it('new chat from an empty chat saves nothing', async () => {
      const t = setup([]);
      await t.session.newChat();
      assert.deepEqual(await t.store.list(), []);
    });

    it('opens a stored conversation and remembers it; the current one answers true at once; a missing one false', async () => {
      const t = setup([reply('ok')]);
      await t.session.send({ text: 'q' });
      const first = t.session.conversation.id;
      await t.session.newChat();
      t.events.length = 0;
      assert.equal(await t.session.openConversation(first), true);
      assert.equal(t.session.conversation.id, first);
      assert.deepEqual(t.types(), ['conversationShown']);
      assert.equal(await t.store.getLastOpenId(), first);
      assert.equal(await t.session.openConversation(first), true);
      assert.equal(t.events.length, 1);
      assert.equal(await t.session.openConversation('missing-id'), false);
      assert.equal(t.session.conversation.id, first);
    });

    it('a corrupt conversation is set aside with a warning, logged, and not opened', async () => {
      const t = setup([]);
      const current = t.session.conversation.id;
      await mkdir(path.join(folder, 'conversations'), { recursive: true });
      await writeFile(path.join(folder, 'conversations', 'broken.json'), '{');
      assert.equal(await t.session.openConversation('broken'), false);
      const warning = t.events.find((e) => e.type === 'warning');
      assert.match(warning?.type === 'warning' ? warning.message : '', /^The saved conversation could not be read/);
      assert.deepEqual(t.logs, [`warn: ${warning?.type === 'warning' ? warning.message : ''}`]);
      assert.equal(t.session.conversation.id, current);
    });

    it('restores the last open conversation, and stays on the new chat without one', async () => {
      const t = setup([reply('ok')]);
      await t.session.send({ text: 'q' });
      const id = t.session.conversation.id;
      const restored = new ChatSession(t.deps);
      await restored.restoreLastConversation();
      assert.equal(restored.conversation.id, id);
      await t.store.setLastOpenId(undefined);
      const fresh = new ChatSession(t.deps);
      const before = fresh.conversation.id;
      await fresh.restoreLastConversation();
      assert.equal(fresh.conversation.id, before);
    });

    it('renames the current conversation (trimmed; a blank name keeps the old), saving it only once it has messages', async () => {
      const t = setup([reply('ok')]);
      await t.session.renameConversation(t.session.conversation.id, '  Empty chat  ');
      assert.equal(t.session.conversation.title, 'Empty chat');
      assert.deepEqual(await t.store.list(), []);
      assert.deepEqual(t.events.at(-1), { type: 'conversationShown', conversation: t.session.conversation, reason: 'changed' });
      await t.session.send({ text: 'q' });
      await t.session.renameConversation(t.session.conversation.id, '   ');
      assert.equal(t.session.conversation.title, 'q');
      await t.session.renameConversation(t.session.conversation.id, 'Named');
      assert.deepEqual((await t.store.list()).map((s) => s.title), ['Named']);
    });

    it('renames another conversation in the store without touching the current one', async () => {
      const t = setup([reply('ok')]);
      await t.session.send({ text: 'q' });
      const other = t.session.conversation.id;
      await t.session.newChat();
      t.events.length = 0;
      await t.session.renameConversation(other, 'Renamed elsewhere');
      assert.deepEqual(t.events, []);
      assert.equal(t.session.conversation.title, 'New chat');
      assert.deepEqual((await t.store.list()).map((s) => s.title), ['Renamed elsewhere']);
    });

    it('deletes another conversation quietly, and the current one by showing a fresh chat', async () => {
      const t = setup([reply('a'), reply('b')]);
      await t.session.send({ text: 'first' });
      const first = t.session.conversation.id;
      await t.session.newChat();
      await t.session.send({ text: 'second' });
      const second = t.session.conversation.id;
      t.events.length = 0;
      await t.session.deleteConversation(first);
      assert.deepEqual(t.events, []);
      assert.equal(t.session.conversation.id, second);
      await t.session.deleteConversation(second);
      assert.notEqual(t.session.conversation.id, second);
      assert.deepEqual(t.types(), ['conversationShown']);
      const shown = t.events[0] as SessionEvent;
      assert.equal(shown.type === 'conversationShown' && shown.reason, 'switched');
      assert.deepEqual(await t.store.list(), []);
    });

    it('dropping the turn a summary starts at removes the summary; dropping a later one keeps it', async () => {
      const t = setup([]);
      const c = t.session.conversation;
      for (const id of ['p0', 'a0', 'p1', 'a1', 'p2', 'a2']) c.messages.push({ id, role: id.startsWith('p') ? 'user' : 'assistant', kind: id.startsWith('p') ? 'prompt' : undefined, status: id.startsWith('a') ? 'complete' : undefined, content: [{ type: 'text', text: id }], createdAt: 1 } as StoredMessage);
      c.compaction = { summary: 'S', firstKeptMessageId: 'p1', createdAt: 1, tokensBefore: 10, tokensAfter: 1 };
      assert.equal(await t.session.dropFrom('p2'), true);
      assert.equal(c.compaction?.firstKeptMessageId, 'p1');
      assert.equal(await t.session.dropFrom('p1'), true);
      assert.equal('compaction' in c, false);
      assert.deepEqual(c.messages.map((m) => m.id), ['p0', 'a0']);
    });

    it('refuses to drop turns while an answer runs', async () => {
      const t = setup([{ kind: 'hang', content: [] }]);
      let dropped: boolean | undefined;
      t.api.onHang = () => { void t.session.dropFrom(t.session.conversation.messages[0].id).then((r) => { dropped = r; t.session.stop(); }); };
      await t.session.send({ text: 'q' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(dropped, false);
      assert.equal(t.session.conversation.messages.length, 2);
    });

    it('stopAndSave stops the answer, keeps what streamed and writes it', async () => {
      const t = setup([{ kind: 'hang', content: [{ type: 'text', text: 'partial' }] }]);
      let stopped: Promise<void> | undefined;
      t.api.onHang = () => { stopped = t.session.stopAndSave(); };
      await t.session.send({ text: 'q' });
      await stopped;
      assert.equal(t.session.isBusy, false);
      const loaded = await t.store.load(t.session.conversation.id);
      assert.deepEqual(loaded.kind === 'ok' && loaded.conversation.messages.map((m) => m.status ?? m.kind), ['prompt', 'interrupted']);
    });
  });
});
