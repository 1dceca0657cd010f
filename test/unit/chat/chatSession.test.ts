// The core chat session on its own: its states, its events, the single path of a returned
// prompt, and what a second front end (the Chat participant) relies on.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { textOf } from '../../../src/core/chat/conversationOps';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { ChatSession } from '../../../src/core/chat/session/chatSession';
import type { ChatSessionDeps, SessionEvent, SessionSettings, TurnInfo } from '../../../src/core/chat/session/types';
import type { Conversation } from '../../../src/shared/model';
import { FakeExecutor, FakeMessagesApi, reply, silentLogger, type Step } from './fakes';

const settings: SessionSettings = {
  baseUrl: 'http://127.0.0.1:1', requestTimeoutMs: 5000, answerTimeoutMs: 1_800_000, model: 'claude-sonnet-4-6', maxTokens: 1000, temperature: null,
  thinkingEnabled: false, thinkingBudgetTokens: 2048, promptCaching: true, spendCapUsd: null, maxToolCallsPerTurn: 25,
};
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const image = { name: 'dot.png', mediaType: 'image/png' as const, data: PNG, width: 1, height: 1 };

/** A promise with its resolve function, to hold a dependency between two awaits of a send. */
function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => { open = resolve; });
  return { promise, open };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('ChatSession (core)', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-session-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function setup(steps: Step[], overrides: Partial<ChatSessionDeps> = {}) {
    const api = new FakeMessagesApi(steps);
    const files = new FileAttachmentStore(path.join(folder, 'attachments'));
    const turns: TurnInfo[] = [];
    const deps: ChatSessionDeps = {
      store: new ConversationStore(path.join(folder, 'conversations')),
      attachments: files,
      getApiKey: async () => 'test-key',
      settings: () => settings,
      createApi: () => api,
      executor: (turn) => { turns.push(turn); return new FakeExecutor(); },
      workspaceName: () => undefined,
      confirm: async () => true,
      logger: silentLogger,
      ...overrides,
    };
    const session = new ChatSession(deps);
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    const returned = () => events.filter((e) => e.type === 'promptReturned').map((e) => e.type === 'promptReturned' && [e.reason, e.text]);
    return { api, deps, session, events, returned, turns, files };
  }

  it('keeps a prompt and its answer in one conversation when a new chat starts during the image save', async () => {
    const saving = gate();
    const t = setup([reply('the answer')]);
    const files = t.files;
    t.deps.attachments = { save: async (p) => { await saving.promise; return files.save(p); }, load: (r) => files.load(r), filePath: (r) => files.filePath(r) };
    const first = t.session.conversation;
    const sending = t.session.send({ text: 'what is this?', images: [image] });
    await tick();
    assert.equal(t.session.state.kind, 'preparing');
    await t.session.newChat();
    saving.open();
    await sending;
    assert.notEqual(t.session.conversation.id, first.id);
    assert.deepEqual(t.session.conversation.messages, [], 'the new chat must not receive the prompt or the answer');
    assert.deepEqual(first.messages, [], 'the old chat must not receive a prompt without an answer');
    assert.equal(t.api.requests.length, 0);
    assert.deepEqual(t.returned(), [['switched', 'what is this?']]);
    assert.equal(t.session.state.kind, 'idle');
  });

  const texts = (c: Conversation) => c.messages.map(textOf);

  /** Holds every conversation save (a slow disk) until `release`, which also restores the store's own save. */
  function holdSaves(store: ConversationStore): { release(): void } {
    const save = store.save.bind(store);
    const saving = gate();
    store.save = async (conversation) => { await saving.promise; return save(conversation); };
    return { release: () => { store.save = save; saving.open(); } };
  }

  it('sends a prompt that arrives during New Chat to the new conversation, once the switch is done', async () => {
    const t = setup([reply('old answer'), reply('new answer')]);
    await t.session.send({ text: 'old question' });
    const first = t.session.conversation;
    const saves = holdSaves(t.deps.store as ConversationStore);
    const switching = t.session.newChat();
    await tick();
    const sending = t.session.send({ text: 'new question' });
    await tick();
    assert.equal(t.session.state.kind, 'idle', 'the send waits for the switch instead of starting on the old conversation');
    assert.equal(t.api.requests.length, 1);
    saves.release();
    await Promise.all([switching, sending]);
    assert.notEqual(t.session.conversation.id, first.id);
    assert.deepEqual(texts(t.session.conversation), ['new question', 'new answer']);
    assert.deepEqual(texts(first), ['old question', 'old answer']);
    assert.deepEqual(t.returned(), []);
  });

  it('sends a prompt that arrives while a stored conversation opens to that conversation; switches run in turn', async () => {
    const t = setup([reply('one'), reply('two'), reply('three')]);
    await t.session.send({ text: 'stored question' });
    const stored = t.session.conversation;
    await t.session.newChat();
    const store = t.deps.store as ConversationStore;
    const load = store.load.bind(store);
    const loading = gate();
    store.load = async (id) => { await loading.promise; return load(id); };
    const opening = t.session.openConversation(stored.id);
    const newAgain = t.session.newChat();
    const sending = t.session.send({ text: 'after both' });
    await tick();
    assert.equal(t.api.requests.length, 1, 'nothing sent while the switches are under way');
    loading.open();
    assert.equal(await opening, true);
    await Promise.all([newAgain, sending]);
    assert.notEqual(t.session.conversation.id, stored.id, 'the later New Chat ran after the open, not before it');
    assert.deepEqual(texts(t.session.conversation), ['after both', 'two']);
    assert.deepEqual(t.returned(), []);
  });

  it('opens the conversation that was current when asked during a New Chat that leaves it', async () => {
    const t = setup([reply('one')]);
    await t.session.send({ text: 'keep me' });
    const kept = t.session.conversation;
    const saves = holdSaves(t.deps.store as ConversationStore);
    const leaving = t.session.newChat();
    const reopening = t.session.openConversation(kept.id);
    saves.release();
    await leaving;
    assert.equal(await reopening, true);
    assert.equal(t.session.conversation.id, kept.id, 'the open ran after the New Chat, so the user ends where they asked to');
  });

  it('moves idle -> preparing -> streaming -> idle, each busy state carrying its conversation and AbortController', async () => {
    const question = gate<boolean>();
    const t = setup([{ kind: 'hang', content: [{ type: 'text', text: 'partial' }] }], {
      settings: () => ({ ...settings, spendCapUsd: 0 }),
      confirm: () => question.promise,
    });
    const conversation = t.session.conversation;
    assert.deepEqual(t.session.state, { kind: 'idle', conversation });
    const sending = t.session.send({ text: 'hello' });
    await tick();
    const preparing = t.session.state;
    assert.equal(preparing.kind, 'preparing');
    assert.equal(preparing.conversation, conversation);
    t.api.onHang = () => {
      const streaming = t.session.state;
      assert.equal(streaming.kind, 'streaming');
      assert.equal(streaming.kind === 'streaming' && preparing.kind === 'preparing' && streaming.abort, preparing.kind === 'preparing' && preparing.abort);
      t.session.stop();
    };
    question.open(true);
    await sending;
    assert.equal(t.session.state.kind, 'idle');
    assert.deepEqual(t.events.filter((e) => e.type === 'busyChanged').map((e) => e.type === 'busyChanged' && e.busy), [true, false]);
    assert.equal(conversation.messages[1].status, 'interrupted');
  });

  it('reports every refused send once, on the promptReturned path, with its reason', async () => {
    const noKey = setup([], { getApiKey: async () => undefined });
    await noKey.session.send({ text: 'a' });
    const declined = setup([], { settings: () => ({ ...settings, spendCapUsd: 0 }), confirm: async () => false });
    await declined.session.send({ text: 'b' });
    const badImage = setup([]);
    badImage.deps.attachments = { save: async () => { throw new Error('disk full'); }, load: async () => { throw new Error('unused'); }, filePath: () => '' };
    await badImage.session.send({ text: 'c', images: [image] });
    assert.deepEqual([...noKey.returned(), ...declined.returned(), ...badImage.returned()], [['no_api_key', 'a'], ['spend_cap', 'b'], ['attachment_failed', 'c']]);
    const errors = [noKey, declined, badImage].map((t) => t.events.find((e) => e.type === 'promptReturned'));
    assert.deepEqual(errors.map((e) => e?.type === 'promptReturned' && e.error?.kind), ['no_api_key', 'config', 'unknown']);
    for (const t of [noKey, declined, badImage]) assert.equal(t.events.filter((e) => e.type === 'error').length, 0, 'the error travels with the returned prompt');
  });

  it('gives back a prompt sent while busy, and one stopped during its checks (at once, even behind a modal question)', async () => {
    const question = gate<boolean>();
    const t = setup([reply('x')], { settings: () => ({ ...settings, spendCapUsd: 0 }), confirm: () => question.promise });
    const first = t.session.send({ text: 'first' });
    await tick();
    await t.session.send({ text: 'second' });
    t.session.stop();
    assert.equal(t.session.state.kind, 'idle', 'stop does not wait for the modal question');
    question.open(true);
    await first;
    assert.deepEqual(t.returned(), [['busy', 'second'], ['stopped', 'first']]);
    assert.equal(t.api.requests.length, 0);
  });

  it('lets a front end cancel through its own signal, before and during the answer', async () => {
    const t = setup([{ kind: 'hang', content: [{ type: 'text', text: 'so far' }] }]);
    const cancelled = new AbortController();
    cancelled.abort();
    await t.session.send({ text: 'never' }, { signal: cancelled.signal });
    assert.deepEqual(t.returned(), [['stopped', 'never']]);
    const token = new AbortController();
    t.api.onHang = () => token.abort();
    await t.session.send({ text: 'go' }, { signal: token.signal });
    assert.deepEqual(t.session.conversation.messages.map((m) => m.status ?? m.kind), ['prompt', 'interrupted']);
  });

  it('puts context blocks before the text, hands the executor the turn, and appends system prompt additions', async () => {
    const t = setup([reply('ok')], { systemPromptAdditions: () => ['Follow the house style.'] });
    await t.session.send({ text: 'explain', context: [{ type: 'text', text: 'File a.ts:\nconst a = 1;' }] });
    const prompt = t.session.conversation.messages[0];
    assert.deepEqual(prompt.content.map((b) => (b as { text: string }).text), ['File a.ts:\nconst a = 1;', 'explain']);
    assert.deepEqual(t.turns, [{ conversationId: t.session.conversation.id, turnId: prompt.id, mode: 'agent' }]);
    assert.match(JSON.stringify(t.api.requests[0].system), /Follow the house style\./);
  });

  it('drops a turn and every later one (Restore checkpoint), saved and shown; refused for an unknown id', async () => {
    const t = setup([reply('one'), reply('two')]);
    await t.session.send({ text: 'first' });
    await t.session.send({ text: 'second' });
    const second = t.session.conversation.messages[2];
    assert.equal(second.role, 'user');
    assert.equal(await t.session.dropFrom('no-such-id'), false);
    assert.equal(await t.session.dropFrom(second.id), true);
    assert.deepEqual(t.session.conversation.messages.map((m) => m.role), ['user', 'assistant']);
    assert.equal(t.events.at(-1)?.type, 'conversationShown');
    const loaded = await t.deps.store.load(t.session.conversation.id);
    assert.equal(loaded.kind === 'ok' && loaded.conversation.messages.length, 2);
  });

  it('serves two front ends from one set of deps; only the sidebar\'s session remembers the last conversation', async () => {
    const t = setup([reply('one'), reply('two')]);
    const participant = new ChatSession(t.deps, { remembersLastOpen: false });
    await participant.send({ text: 'from @aiml' });
    assert.equal(await (t.deps.store as ConversationStore).getLastOpenId(), undefined);
    assert.equal(t.session.conversation.messages.length, 0);
    await t.session.send({ text: 'from the sidebar' });
    assert.equal(await (t.deps.store as ConversationStore).getLastOpenId(), t.session.conversation.id);
    assert.notEqual(participant.conversation.id, t.session.conversation.id);
  });
});
