// The chat inside a real extension host, against the local stand-in: the harness points
// aimlChat.baseUrl (machine scope) at the stand-in before VS Code starts. These tests drive the
// extension's own code path through the test API that activate() returns.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Conversation } from '../../src/shared/model';
import type { ChatTestApi } from '../../src/host/chatFeature';
import { standInRequests, standInUrl } from './support/standIn';
import { until } from './support/until';

const textOf = (c: Conversation, index: number): string => c.messages[index]?.content.map((b) => (b as { text?: string }).text ?? '').join('') ?? '';

describe('chat (extension host + stand-in)', function () {
  this.timeout(60_000);
  let chat: ChatTestApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatTestApi }>('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    chat = (await extension.activate()).chat;
    assert.match(standInUrl(), /^http:\/\/(127\.0\.0\.1|localhost)[:/]/, `aimlChat.baseUrl points at the stand-in (${standInUrl()})`);
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  it('sends a prompt through the extension and stores the streamed answer', async () => {
    await chat.newChat();
    const before = (await standInRequests()).length;
    await chat.send('Integration hello from the extension host');
    await chat.waitIdle();
    const conversation = chat.currentConversation();
    assert.deepEqual(conversation.messages.map((m) => m.role), ['user', 'assistant']);
    assert.equal(conversation.messages[1].status, 'complete', JSON.stringify(conversation.messages[1].error));
    // The stand-in's default answer echoes the prompt's first words.
    assert.match(textOf(conversation, 1), /Integration hello from the extension host/);
    assert.ok(conversation.totals.outputTokens > 0);

    const requests = (await standInRequests()).slice(before).filter((r) => r.path.endsWith('/messages'));
    assert.equal(requests.length, 1);
    assert.equal(requests[0].authMatched, true);
    const body = requests[0].body as { model: string; stream: boolean; max_tokens: number; messages: { role: string; content: unknown }[] };
    assert.equal(body.stream, true);
    assert.ok(body.max_tokens > 0);
    assert.match(JSON.stringify(body.messages.at(-1)), /Integration hello/);
  });

  it('has written the conversation to disk once the answer finished', async () => {
    const conversation = chat.currentConversation();
    const file = path.join(chat.conversationsFolder, `${conversation.id}.json`);
    assert.ok(existsSync(file), file);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Conversation;
    assert.equal(saved.messages.length, 2);
    assert.equal(saved.messages[1].status, 'complete');
    const index = JSON.parse(await readFile(path.join(chat.conversationsFolder, 'index.json'), 'utf8')) as { conversations: { id: string }[] };
    assert.ok(index.conversations.some((c) => c.id === conversation.id));
  });

  it('sets a corrupt conversation file aside instead of breaking the view', async () => {
    const id = `corrupt-${Date.now()}`;
    await writeFile(path.join(chat.conversationsFolder, `${id}.json`), '{"version":1,"id":"broken');
    const opened = await chat.openConversation(id);
    assert.equal(opened, false);
    const files = await readdir(chat.conversationsFolder);
    assert.ok(files.some((f) => f.startsWith(`${id}.corrupt-`)), files.join(', '));
    assert.ok(!files.includes(`${id}.json`));
    // The chat keeps working on the conversation it had.
    assert.equal(chat.currentConversation().messages.length, 2);
  });

  it('saves the answer to disk while it streams, so a crash loses at most the last second', async () => {
    await chat.newChat();
    const sending = chat.send('[[fault:slowTrickle]] tell me a long story');
    const file = () => path.join(chat.conversationsFolder, `${chat.currentConversation().id}.json`);
    const savedPartial = async (): Promise<string> => {
      if (!existsSync(file())) return '';
      const saved = JSON.parse(await readFile(file(), 'utf8')) as Conversation;
      return saved.messages[1]?.status === 'streaming' ? textOf(saved, 1) : '';
    };
    // Nothing but the periodic save can put a still-streaming answer on disk.
    const started = Date.now();
    let onDisk = '';
    while (!onDisk && Date.now() - started < 10_000) {
      onDisk = await savedPartial();
      if (!onDisk) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(onDisk.length > 0, 'a streaming answer was saved with its partial text');
    assert.ok(textOf(chat.currentConversation(), 1).startsWith(onDisk), 'what is on disk is a prefix of the answer');
    await vscode.commands.executeCommand('aimlChat.stop');
    await sending;
  });

  it('stop mid-stream keeps the partial answer', async () => {
    await chat.newChat();
    const sending = chat.send('[[fault:slowTrickle]] tell me a long story');
    await until(() => textOf(chat.currentConversation(), 1).length > 0, 'the first streamed text');
    await vscode.commands.executeCommand('aimlChat.stop');
    await sending;
    const conversation = chat.currentConversation();
    assert.equal(conversation.messages[1].status, 'interrupted');
    assert.ok(textOf(conversation, 1).length > 0);
    const file = path.join(chat.conversationsFolder, `${conversation.id}.json`);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Conversation;
    assert.equal(saved.messages[1].status, 'interrupted');
  });

  it('deactivate returns the final save: the answer in flight is stopped and written before it resolves', async () => {
    const extension = vscode.extensions.getExtension('aiml-chat.aiml-chat');
    assert.ok(extension);
    // The extension's own module instance (Node's module cache), as VS Code calls it on shutdown.
    const main = createRequire(__filename)(path.join(extension.extensionPath, 'dist', 'extension.js')) as { deactivate(): unknown };
    await chat.newChat();
    const sending = chat.send('[[fault:slowTrickle]] tell me a long story');
    await until(() => textOf(chat.currentConversation(), 1).length > 0, 'the first streamed text');
    const result = main.deactivate();
    assert.ok(result instanceof Promise, 'deactivate must return the save for VS Code to await');
    await result;
    // Read at once: nothing may still be on its way to disk once deactivate's promise resolved.
    const conversation = chat.currentConversation();
    const saved = JSON.parse(await readFile(path.join(chat.conversationsFolder, `${conversation.id}.json`), 'utf8')) as Conversation;
    assert.equal(saved.messages[1].status, 'interrupted');
    assert.equal(textOf(saved, 1), textOf(conversation, 1));
    await sending;
  });
});

describe('explain selection (extension host + stand-in)', function () {
  this.timeout(60_000);
  let chat: ChatTestApi;

  before(async () => {
    chat = (await vscode.extensions.getExtension<{ chat: ChatTestApi }>('aiml-chat.aiml-chat')!.activate()).chat;
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  it('sends the selection with its file, language, lines and context, and streams the explanation into the chat', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens the sample workspace');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src', 'greet.ts'));
    const editor = await vscode.window.showTextDocument(document);
    const sumLine = document.getText().split('\n').findIndex((l) => l.startsWith('export function sum'));
    assert.ok(sumLine > 0, 'greet.ts has the sum function');
    editor.selection = new vscode.Selection(sumLine, 0, sumLine + 4, 1);

    await chat.newChat();
    const before = (await standInRequests()).length;
    await vscode.commands.executeCommand('aimlChat.explainSelection');
    await chat.waitIdle();

    const conversation = chat.currentConversation();
    assert.deepEqual(conversation.messages.map((m) => m.role), ['user', 'assistant']);
    const prompt = textOf(conversation, 0);
    assert.match(prompt, new RegExp(`\`src/greet\\.ts\` \\(lines ${sumLine + 1}-${sumLine + 5}, typescript\\)`));
    assert.match(prompt, /```typescript\nexport function sum\(values: number\[\]\): number \{[\s\S]*for \(const v of values\) total \+= v;/);
    assert.match(prompt, /Surrounding code, for context only:[\s\S]*export function greet/, 'the lines before the selection go along as context');
    assert.equal(conversation.messages[1].status, 'complete', JSON.stringify(conversation.messages[1].error));
    assert.ok(textOf(conversation, 1).length > 0, 'the explanation streamed into the conversation');

    const sent = (await standInRequests()).slice(before).filter((r) => r.path.endsWith('/messages'));
    assert.equal(sent.length, 1);
    assert.match(JSON.stringify(sent[0].body), /total \+= v/);
  });
});
