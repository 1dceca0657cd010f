// A long conversation's `init` holds its older messages back; the view asks for them after its
// first paint (issue 15: the chat view shows within 300 ms, with 2,000 stored messages too).
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import { parseHostMessage, type HostToWebview } from '../../../src/shared/protocol';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { ChatSession } from '../../../src/core/chat/session/chatSession';
import { ChatPresenter } from '../../../src/host/chatPresenter';
import type { ChatSettings } from '../../../src/host/config';
import { FakeExecutor, FakeMessagesApi, silentLogger } from './fakes';

const settings = { model: 'claude-sonnet-4-6', thinkingEnabled: false, spendCapUsd: null } as unknown as ChatSettings;

function longConversation(id: string, count: number): Conversation {
  const messages: StoredMessage[] = [];
  for (let n = 0; n < count; n++) {
    messages.push(n % 2
      ? { id: `${id}-a${n}`, role: 'assistant', content: [{ type: 'text', text: `Answer ${n}` }], createdAt: n, model: 'claude-sonnet-4-6', status: 'complete' }
      : { id: `${id}-u${n}`, role: 'user', kind: 'prompt', content: n === 2 ? [{ type: 'text', text: 'see' }, { type: 'image_ref', id: 'img1', media_type: 'image/png', width: 1, height: 1, bytes: 10 }] : [{ type: 'text', text: `Question ${n}` }], createdAt: n });
  }
  return { version: 1, id, title: id, createdAt: 1, updatedAt: 1, model: 'claude-sonnet-4-6', messages, totals: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 } };
}

describe('ChatPresenter: init of a long conversation and its older messages', () => {
  let folder: string;
  let store: ConversationStore;
  let session: ChatSession;
  let presenter: ChatPresenter;
  let posts: HostToWebview[];
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-older-'));
    store = new ConversationStore(path.join(folder, 'conversations'));
    session = new ChatSession({
      store, attachments: new FileAttachmentStore(path.join(folder, 'attachments')), getApiKey: async () => 'k', settings: () => settings,
      createApi: () => new FakeMessagesApi([]), executor: () => new FakeExecutor(), workspaceName: () => 'demo', confirm: async () => false, logger: silentLogger,
    });
    presenter = new ChatPresenter(session, { settings: () => settings, toolsStatus: () => ({ available: true }), models: () => [], attachmentUri: (ref) => `webview://att/${ref.id}`, deltaIntervalMs: 0 });
    posts = [];
    presenter.setPoster((message) => posts.push(message));
  });
  afterEach(async () => {
    presenter.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  async function open(conversation: Conversation): Promise<void> {
    await store.save(conversation);
    assert.equal(await session.openConversation(conversation.id), true);
    posts.length = 0;
  }

  it('sends only the newest turns in init, then all older ones in parts that end with every message', async () => {
    const stored = longConversation('long', 2000);
    await open(stored);
    const init = presenter.initMessage(true);
    assert.ok(init.type === 'init');
    assert.equal(init.conversation.messages.length, 120);
    assert.equal(init.olderMessages, 1880);
    assert.equal(init.conversation.messages[0].id, 'long-u1880');
    assert.deepEqual(init.conversation.totals, stored.totals, 'the totals are the whole conversation\'s');
    assert.deepEqual(init.attachmentUris, {}, 'no image in the newest part');
    assert.equal(parseHostMessage(init).ok, true);
    // The host's conversation is untouched (search, export and compaction read it).
    assert.equal(session.conversation.messages.length, 2000);

    presenter.olderMessages({ requestId: 7, conversationId: 'long', before: 'long-u1880' });
    assert.ok(posts.every((post) => post.type === 'olderMessages' && post.requestId === 7 && post.before === 'long-u1880' && parseHostMessage(post).ok));
    const parts = posts as Extract<HostToWebview, { type: 'olderMessages' }>[];
    assert.deepEqual(parts.map((part) => part.messages.length), [200, 200, 200, 200, 200, 200, 200, 200, 200, 80]);
    assert.deepEqual(parts.map((part) => part.done), [false, false, false, false, false, false, false, false, false, true]);
    assert.deepEqual([...parts.flatMap((part) => part.messages), ...init.conversation.messages].map((m) => m.id), stored.messages.map((m) => m.id));
    assert.deepEqual(parts[0].attachmentUris, { img1: 'webview://att/img1' }, 'thumbnails of the older images come with their part');
  });

  it('answers with the conversation as it is now (changes made meanwhile are in)', async () => {
    await open(longConversation('long', 300));
    const init = presenter.initMessage(false);
    assert.ok(init.type === 'init' && init.olderMessages === 180);
    (session.conversation.messages[3].content[0] as { text: string }).text = 'Answer 3, changed';
    presenter.olderMessages({ requestId: 1, conversationId: 'long', before: init.conversation.messages[0].id });
    assert.equal(posts.length, 1);
    assert.ok(posts[0].type === 'olderMessages' && posts[0].done);
    assert.deepEqual(posts[0].messages[3].content, [{ type: 'text', text: 'Answer 3, changed' }]);
  });

  it('sends a short conversation whole, with nothing held back', async () => {
    await open(longConversation('short', 120));
    const init = presenter.initMessage(true);
    assert.ok(init.type === 'init');
    assert.equal(init.conversation.messages.length, 120);
    assert.equal('olderMessages' in init, false);
    assert.deepEqual(init.attachmentUris, { img1: 'webview://att/img1' });
  });

  it('sends a long conversation switched to (`conversation`) split like init, and its older messages on request', async () => {
    const stored = longConversation('switched', 2000);
    await store.save(stored);
    assert.equal(await session.openConversation('switched'), true);
    const shown = posts.filter((post) => post.type === 'conversation');
    assert.equal(shown.length, 1);
    const [snapshot] = shown;
    assert.ok(snapshot.type === 'conversation');
    assert.equal(snapshot.conversation.messages.length, 120);
    assert.equal(snapshot.olderMessages, 1880);
    assert.equal(snapshot.conversation.messages[0].id, 'switched-u1880');
    assert.deepEqual(snapshot.conversation.totals, stored.totals);
    assert.deepEqual(snapshot.attachmentUris, {}, 'no image in the newest part');
    assert.equal(parseHostMessage(snapshot).ok, true);
    assert.equal(session.conversation.messages.length, 2000, 'the host keeps the whole conversation');

    posts.length = 0;
    presenter.olderMessages({ requestId: 3, conversationId: 'switched', before: 'switched-u1880' });
    const parts = posts as Extract<HostToWebview, { type: 'olderMessages' }>[];
    assert.ok(parts.every((part) => part.type === 'olderMessages' && part.requestId === 3 && parseHostMessage(part).ok));
    assert.deepEqual([...parts.flatMap((part) => part.messages), ...snapshot.conversation.messages].map((m) => m.id), stored.messages.map((m) => m.id));
    assert.deepEqual(parts[0].attachmentUris, { img1: 'webview://att/img1' });
  });

  it('sends a short conversation switched to whole, with nothing held back', async () => {
    await store.save(longConversation('brief', 40));
    assert.equal(await session.openConversation('brief'), true);
    const snapshot = posts.find((post) => post.type === 'conversation');
    assert.ok(snapshot?.type === 'conversation');
    assert.equal(snapshot.conversation.messages.length, 40);
    assert.equal('olderMessages' in snapshot, false);
    assert.deepEqual(snapshot.attachmentUris, { img1: 'webview://att/img1' });
  });

  it('answers a request it cannot match with the whole current conversation, so nothing is lost', async () => {
    await open(longConversation('long', 400));
    presenter.olderMessages({ requestId: 1, conversationId: 'other', before: 'long-u280' });
    presenter.olderMessages({ requestId: 2, conversationId: 'long', before: 'gone' });
    assert.deepEqual(posts.map((post) => post.type), ['conversation', 'conversation']);
    assert.ok(posts[0].type === 'conversation' && posts[0].conversation.messages.length === 400);
    assert.equal('olderMessages' in posts[0], false, 'the fallback is never split again');
  });
});
