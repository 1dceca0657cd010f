// The tools inside a real extension host: confined reads, the secret-file approval, edits reviewed
// in the diff editor then applied (and undone with Undo) or discarded, and a tool loop through the
// chat against the local stand-in. Files are created in a scratch folder of the open workspace.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ToolCallState, ToolResultBlock } from '../../src/shared/model';
import { until, type ChatApi, type ToolsApi } from './support/toolsApi';
import { closeAllEditorsQuietly } from './support/editors';

const proposalTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'aiml-proposal');

describe('tools (extension host)', function () {
  this.timeout(60_000);
  let tools: ToolsApi;
  let chat: ChatApi;
  let scratch: string;
  let scratchRel: string;
  let n = 0;

  /** Runs calls through the real executor; answers approval cards through the internal decide command. */
  async function run(name: string, input: unknown, answer?: (card: ToolCallState) => Promise<void>): Promise<{ result: ToolResultBlock; cards: ToolCallState[] }> {
    const cards: ToolCallState[] = [];
    const id = `it_${++n}`;
    let answered = false;
    const onCard = (state: ToolCallState) => {
      cards.push(state);
      if (state.status === 'awaiting_approval' && answer && !answered) {
        answered = true;
        void until(() => tools.pendingDecisions().some((p) => p.toolUseId === id), 'the pending decision').then(() => answer(state));
      }
    };
    const [result] = await tools.execute([{ type: 'tool_use', id, name, input }], { signal: new AbortController().signal, onCard });
    return { result, cards };
  }
  const decide = (id: string, decision: string, hunks?: number[]) => vscode.commands.executeCommand<boolean>('aimlChat.internal.decide', id, decision, hunks);

  before(async () => {
    const extension = vscode.extensions.getExtension<{ tools: ToolsApi; chat: ChatApi }>('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    const api = await extension.activate();
    tools = api.tools;
    chat = api.chat;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder && folder.uri.scheme === 'file', 'a file-system folder is open');
    scratchRel = `tools-it-${process.pid}`;
    scratch = path.join(folder.uri.fsPath, scratchRel);
    await fs.mkdir(scratch, { recursive: true });
    await fs.writeFile(path.join(scratch, 'sample.ts'), 'export function greet(name: string) {\n  return "Hello " + name;\n}\n');
    await fs.writeFile(path.join(scratch, '.env'), 'API_TOKEN=it-secret-value\n');
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  after(async () => {
    await closeAllEditorsQuietly({ saveFirst: true });
    await fs.rm(scratch, { recursive: true, force: true });
  });

  it('reads a workspace file through the executor', async () => {
    const { result, cards } = await run('read_file', { path: `${scratchRel}/sample.ts` });
    assert.equal(result.is_error, undefined);
    assert.match(String(result.content), /1\texport function greet/);
    assert.equal(cards.at(-1)?.status, 'succeeded');
  });

  it('refuses a read outside the workspace without asking', async () => {
    const { result, cards } = await run('read_file', { path: '../../../../../../etc/hostname' });
    assert.equal(result.is_error, true);
    assert.match(String(result.content), /outside the workspace/);
    assert.equal(cards.some((c) => c.status === 'awaiting_approval'), false);
  });

  it('asks before reading a secret file', async () => {
    const denied = await run('read_file', { path: `${scratchRel}/.env` }, async (card) => { assert.ok(await decide(card.toolUseId, 'deny')); });
    assert.equal(denied.cards.find((c) => c.status === 'awaiting_approval')?.approval?.kind, 'allow_deny');
    assert.equal(denied.result.is_error, true);
    assert.doesNotMatch(String(denied.result.content), /it-secret-value/);
    const allowed = await run('read_file', { path: `${scratchRel}/.env` }, async (card) => { assert.ok(await decide(card.toolUseId, 'allow')); });
    assert.match(String(allowed.result.content), /it-secret-value/);
  });

  it('applies an edit reviewed in the diff editor, and Undo restores the file', async () => {
    const file = path.join(scratch, 'sample.ts');
    const original = await fs.readFile(file, 'utf8');
    const { result, cards } = await run('propose_edit', { path: `${scratchRel}/sample.ts`, action: 'replace', old_text: 'return "Hello " + name;', new_text: 'return `Hello ${name}`;' }, async (card) => {
      await until(() => proposalTabs().length === 1, 'the diff editor');
      assert.equal(await fs.readFile(file, 'utf8'), original, 'nothing written before Apply');
      assert.ok(await decide(card.toolUseId, 'apply'));
    });
    assert.equal(cards.find((c) => c.status === 'awaiting_approval')?.approval?.kind, 'apply_discard');
    assert.equal(result.is_error, undefined, String(result.content));
    assert.equal(cards.at(-1)?.status, 'applied');
    assert.equal(await fs.readFile(file, 'utf8'), original.replace('"Hello " + name', '`Hello ${name}`'));
    await until(() => proposalTabs().length === 0, 'the diff editor to close');

    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    // The web workbench applies the undo and tells the extension host's document after the
    // command returns (a run read the applied text, then the undo landed during the next test).
    await until(() => doc.getText() === original, 'Undo to restore the text');
    await doc.save();
    assert.equal(await fs.readFile(file, 'utf8'), original);
  });

  it('leaves the file byte-identical when the edit is discarded', async () => {
    const file = path.join(scratch, 'sample.ts');
    const before = await fs.readFile(file);
    const { result, cards } = await run('propose_edit', { path: `${scratchRel}/sample.ts`, action: 'insert', line: 0, new_text: '// added' }, async (card) => {
      await until(() => proposalTabs().length === 1, 'the diff editor');
      assert.ok(await decide(card.toolUseId, 'discard'));
    });
    assert.equal(cards.at(-1)?.status, 'discarded');
    assert.match(String(result.content), /unchanged/);
    assert.deepEqual(await fs.readFile(file), before);
  });

  it('applies what the user changed in the proposal and tells the model', async () => {
    const file = path.join(scratch, 'sample.ts');
    const { result } = await run('propose_edit', { path: `${scratchRel}/sample.ts`, action: 'replace', old_text: 'greet(name: string)', new_text: 'greet(name: string, excited = false)' }, async (card) => {
      await until(() => proposalTabs().length === 1, 'the diff editor');
      const right = (proposalTabs()[0].input as vscode.TabInputTextDiff).modified;
      const doc = await vscode.workspace.openTextDocument(right);
      const edit = new vscode.WorkspaceEdit();
      const at = doc.getText().indexOf('excited = false');
      edit.replace(right, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'excited = false'.length)), 'loud = true');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await decide(card.toolUseId, 'apply'));
    });
    assert.match(await fs.readFile(file, 'utf8'), /greet\(name: string, loud = true\)/);
    assert.match(String(result.content), /the user edited your proposal/);
  });

  it('finds and searches files, leaving git-ignored and secret files out', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const gitignore = path.join(root, '.gitignore');
    const original = await fs.readFile(gitignore, 'utf8').catch(() => undefined);
    await fs.mkdir(path.join(scratch, 'ignored'), { recursive: true });
    await fs.writeFile(path.join(scratch, 'kept.ts'), 'const needle = "kept";\n');
    await fs.writeFile(path.join(scratch, 'ignored', 'hidden.ts'), 'const needle = "ignored";\n');
    await fs.writeFile(path.join(scratch, '.env.local'), 'NEEDLE_TOKEN=secret\n');
    await fs.writeFile(gitignore, `${original ?? ''}\n${scratchRel}/ignored/\n`);
    try {
      const found = await run('find_files', { pattern: `${scratchRel}/**/*.ts` });
      assert.deepEqual(String(found.result.content).split('\n'), [`${scratchRel}/kept.ts`, `${scratchRel}/sample.ts`]);
      const searched = await run('search_text', { query: 'needle', include: `${scratchRel}/**` });
      const text = String(searched.result.content);
      assert.match(text, new RegExp(`^${scratchRel}/kept\\.ts:1: const needle = "kept";`));
      assert.doesNotMatch(text, /ignored|NEEDLE_TOKEN=secret/);
      assert.match(text, /secret-looking file\(s\) were not searched/);
    } finally {
      if (original === undefined) await fs.rm(gitignore, { force: true });
      else await fs.writeFile(gitignore, original);
    }
  });

  it('runs a tool loop through the chat against the stand-in', async () => {
    await chat.newChat();
    await chat.send(`[[tool:read_file {"path":"${scratchRel}/sample.ts"}]]`);
    await chat.waitIdle();
    const messages = chat.currentConversation().messages;
    const resultBlock = messages.flatMap((m) => m.content as Array<{ type: string; content?: unknown }>).find((b) => b.type === 'tool_result');
    assert.ok(resultBlock, 'the tool result went back to the model');
    assert.match(JSON.stringify(resultBlock.content), /export function greet/);
    assert.match(JSON.stringify(messages.at(-1)?.content), /export function greet/, 'the stand-in quoted the result');
  });
});
