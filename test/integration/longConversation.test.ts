// A stored 2,000-message conversation opens in the real chat view with only its newest turns in
// `init`; the webview asks for the older ones once it has painted and gets every message
// (issue 15: the chat view shows within 300 ms). `npm run test:integration -- --grep "long conversation"`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatTestApi, PostedSnapshot } from '../../src/host/chatFeature';
import { ConversationStore } from '../../src/core/chat/conversationStore';
import type { Conversation, StoredMessage } from '../../src/shared/model';
import { until } from './support/until';

function longConversation(count: number): Conversation {
  const messages: StoredMessage[] = [];
  for (let n = 0; n < count; n++) {
    messages.push(n % 2
      ? { id: `long-a${n}`, role: 'assistant', content: [{ type: 'text', text: `Answer ${n}` }], createdAt: n, model: 'claude-sonnet-4-6', status: 'complete' }
      : { id: `long-u${n}`, role: 'user', kind: 'prompt', content: [{ type: 'text', text: `Question ${n}` }], createdAt: n });
  }
  return { version: 1, id: 'it-long-conversation', title: 'Long conversation', createdAt: 1, updatedAt: Date.now(), model: 'claude-sonnet-4-6', messages, totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 } };
}

describe('long conversation opening (init holds the older messages back)', function () {
  this.timeout(90_000);
  let chat: ChatTestApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatTestApi }>('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    ({ chat } = await extension.activate());
  });

  it('opens a stored 2,000-message conversation in the view and delivers every message to it', async () => {
    const stored = longConversation(2000);
    await new ConversationStore(chat.conversationsFolder).save(stored);
    assert.equal(await chat.openConversation(stored.id), true);
    // A fresh webview: its `ready` gets an `init`. The view keeps its webview when hidden
    // (RETAIN_CONTEXT_WHEN_HIDDEN): one an earlier suite opened is reloaded instead.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const retained = await chat.viewReady(0);
    chat.snapshotsPosted.length = 0;
    await vscode.commands.executeCommand('aimlChat.chat.focus');
    if (retained) await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    await until(() => chat.viewReady(0), 'the chat view to load and say ready', 30_000);
    const init = (): PostedSnapshot | undefined => [...chat.snapshotsPosted].reverse().find((posted) => posted.type === 'init');
    await until(() => init() !== undefined, 'the init of the view', 30_000);
    const first = init()!;
    assert.equal(first.olderMessages, 1880, 'the older messages are held back');
    assert.deepEqual(first.messageIds, stored.messages.slice(1880).map((m) => m.id), 'init carries the newest 120 messages');
    // The view asks for the rest only after it painted the newest turns; the parts follow the init.
    const partsAfter = (): PostedSnapshot[] => chat.snapshotsPosted.slice(chat.snapshotsPosted.lastIndexOf(init()!) + 1);
    await until(() => partsAfter().some((posted) => posted.type === 'olderMessages' && posted.done), 'the view to ask for and get the older messages', 30_000);
    const parts = partsAfter();
    assert.ok(parts.every((posted) => posted.type === 'olderMessages'), JSON.stringify(parts.map((p) => p.type)));
    assert.deepEqual([...parts.flatMap((part) => part.messageIds), ...init()!.messageIds], stored.messages.map((m) => m.id), 'every message reaches the view, in order');
    // The host's conversation (history, export, compaction read it) is whole.
    assert.equal(chat.currentConversation().messages.length, 2000);
  });

  it('switching to it from another conversation sends `conversation` split like init, and the view gets every message', async () => {
    await vscode.commands.executeCommand('aimlChat.chat.focus');
    await until(() => chat.viewReady(0), 'the chat view to be ready', 30_000);
    await chat.newChat();
    chat.snapshotsPosted.length = 0;
    assert.equal(await chat.openConversation('it-long-conversation'), true);
    const stored = chat.currentConversation();
    const shown = (): PostedSnapshot | undefined => chat.snapshotsPosted.find((posted) => posted.type === 'conversation');
    await until(() => shown() !== undefined, 'the conversation snapshot', 30_000);
    assert.equal(shown()!.olderMessages, 1880, 'the older messages are held back');
    assert.deepEqual(shown()!.messageIds, stored.messages.slice(1880).map((m) => m.id), 'the snapshot carries the newest 120 messages');
    const partsAfter = (): PostedSnapshot[] => chat.snapshotsPosted.slice(chat.snapshotsPosted.indexOf(shown()!) + 1).filter((posted) => posted.type === 'olderMessages');
    await until(() => partsAfter().some((posted) => posted.done), 'the view to ask for and get the older messages', 30_000);
    assert.deepEqual([...partsAfter().flatMap((part) => part.messageIds), ...shown()!.messageIds], stored.messages.map((m) => m.id), 'every message reaches the view, in order');
    assert.equal(chat.snapshotsPosted.filter((posted) => posted.type === 'conversation').length, 1, 'no fallback to the whole conversation');
  });
});
