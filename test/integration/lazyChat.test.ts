// The chat is built on first use, not at activation (issue 15: activate() in at most 15 ms). A
// command run before the chat view was ever opened must work as before, and the view opened later
// must show the same session. Meaningful in a host of its own:
// `npm run test:integration -- --grep "lazy chat"` (another suite may have built the chat already).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/host/chatFeature';
import { until } from './support/until';

describe('lazy chat (built on first use)', function () {
  this.timeout(60_000);
  let chat: ChatTestApi;
  let activationLaps: Record<string, number>;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatTestApi; activationLaps: Record<string, number> }>('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    ({ chat, activationLaps } = await extension.activate());
  });

  it('registers the chat at activation without building it, and a command before the view builds it', async function () {
    // Not built by activation. Another suite of this host (e.g. `activation`, which opens the view)
    // may have used the chat first: the check is only meaningful in a host of its own.
    if (chat.isBuilt()) this.skip();
    // activationLaps keeps naming the parts of activate(), the chat's registration included.
    assert.ok('chat' in activationLaps && 'lm+participant' in activationLaps, JSON.stringify(activationLaps));
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of ['aimlChat.newChat', 'aimlChat.stop', 'aimlChat.showHistory', 'aimlChat.explainSelection', 'aimlChat.attachImage', 'aimlChat.undoRestoreCheckpoint']) {
      assert.ok(registered.has(command), `${command} is registered before the chat is built`);
    }

    // A test-only command of the checkpoints feature: it needs the sidebar's session.
    const turns = await vscode.commands.executeCommand<string[]>('aimlChat.internal.checkpointTurns');
    assert.deepEqual(turns, []);
    assert.equal(chat.isBuilt(), true, 'the command built the chat');
    assert.equal(await chat.viewReady(0), false, 'no view yet: nothing resolved it');
  });

  it('answers a prompt before the view opens, and the view opened afterwards becomes ready', async () => {
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
    await chat.send('Lazy hello before the view');
    await chat.waitIdle();
    const conversation = chat.currentConversation();
    assert.deepEqual(conversation.messages.map((m) => m.role), ['user', 'assistant']);
    assert.equal(conversation.messages[1].status, 'complete', JSON.stringify(conversation.messages[1].error));

    await vscode.commands.executeCommand('aimlChat.chat.focus');
    await until(() => chat.viewReady(0), 'the chat view to load and say ready', 30_000);
    // Same session: the view's conversation is the one answered before it opened.
    assert.equal(chat.currentConversation().id, conversation.id);
  });

  it('keeps the session across New Chat run from the palette after the view opened', async () => {
    const before = chat.currentConversation().id;
    await vscode.commands.executeCommand('aimlChat.newChat');
    assert.notEqual(chat.currentConversation().id, before);
    assert.equal(chat.currentConversation().messages.length, 0);
  });
});
