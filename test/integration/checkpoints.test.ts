// Checkpoints inside a real extension host against the stand-in: the model edits a file (applied
// through the diff flow), creates one and deletes one with run_command, each in its own turn;
// `Restore checkpoint` on the first turn brings all three back byte for byte, the open editor
// shows the restored text, the restore is undone, later turns are dropped on request, and a fresh
// store reads the same checkpoints from disk (what a reload sees).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { turnsWithChanges } from '../../src/core/checkpoints/model';
import { CheckpointStore } from '../../src/core/checkpoints/store';
import type { ChatTestApi } from '../../src/host/chatFeature';
import type { RestoreReport } from '../../src/host/checkpoints/checkpointsFeature';
import { closeAllEditorsQuietly } from './support/editors';

interface ToolsApi { pendingDecisions(): Array<{ toolUseId: string; kind: string }> }

async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const exists = (file: string) => fs.stat(file).then(() => true, () => false);

describe('checkpoints (extension host + stand-in)', function () {
  this.timeout(120_000);
  let chat: ChatTestApi;
  let tools: ToolsApi;
  let scratch: string;
  let rel: string;
  const at = (name: string) => path.join(scratch, name);
  // CRLF, a BOM-free UTF-8 letter and no final line break: bytes an editor round trip could change.
  const original = Buffer.from('first line\r\nsecond line é\r\nthird', 'utf8');
  const doomed = Buffer.from('deleted by a command\n');

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatTestApi; tools: ToolsApi }>('aiml-chat.aiml-chat');
    assert.ok(extension);
    ({ chat, tools } = await extension.activate());
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder && folder.uri.scheme === 'file');
    rel = `checkpoints-it-${process.pid}`;
    scratch = path.join(folder.uri.fsPath, rel);
    await fs.mkdir(scratch, { recursive: true });
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  after(async () => {
    await closeAllEditorsQuietly({ saveFirst: true });
    await fs.rm(scratch, { recursive: true, force: true });
  });

  /** One turn: the stand-in calls `tool`, the test answers its card with `decision`, the answer ends. */
  async function turn(tool: string, input: unknown, decision: 'apply' | 'allow'): Promise<void> {
    const answered = chat.send(`[[tool:${tool} ${JSON.stringify(input)}]]`).then(() => chat.waitIdle());
    await until(() => tools.pendingDecisions().length === 1, `the ${tool} card`);
    const [pending] = tools.pendingDecisions();
    assert.ok(await vscode.commands.executeCommand<boolean>('aimlChat.internal.decide', pending.toolUseId, decision));
    await answered;
  }

  const prompts = () => chat.currentConversation().messages.filter((m) => m.role === 'user' && m.kind === 'prompt').map((m) => m.id);
  const restore = (turnId: string, laterTurns: 'keep' | 'drop') => vscode.commands.executeCommand<RestoreReport>('aimlChat.internal.restoreCheckpoint', turnId, { confirm: true, laterTurns });

  it('restores an applied edit, a creation and a deletion byte for byte, and the restore is undone', async () => {
    await fs.writeFile(at('edited.txt'), original);
    await fs.writeFile(at('doomed.txt'), doomed);
    await chat.newChat();
    await turn('propose_edit', { path: `${rel}/edited.txt`, action: 'replace', old_text: 'second line', new_text: 'SECOND LINE' }, 'apply');
    await turn('propose_edit', { path: `${rel}/created.ts`, action: 'create', new_text: 'export const made = true;\n' }, 'apply');
    await turn('run_command', { cwd: rel, command: `${JSON.stringify(process.execPath)} -e "require('fs').unlinkSync('doomed.txt')"` }, 'allow');
    const edited = await fs.readFile(at('edited.txt'));
    assert.notDeepEqual(edited, original, 'the edit was applied');
    assert.ok(await exists(at('created.ts')), 'the file was created');
    assert.equal(await exists(at('doomed.txt')), false, 'the command deleted the file');

    const [p1, p2, p3] = prompts();
    assert.deepEqual(await vscode.commands.executeCommand('aimlChat.internal.checkpointTurns'), [p1, p2, p3], 'each turn that changed files has a checkpoint');

    const report = await restore(p1, 'keep');
    assert.equal(report.outcome, 'restored');
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.unrestorable, []);
    assert.deepEqual(await fs.readFile(at('edited.txt')), original);
    assert.equal(await exists(at('created.ts')), false);
    assert.deepEqual(await fs.readFile(at('doomed.txt')), doomed);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === at('edited.txt'));
    if (doc) await until(() => doc.getText().includes('second line'), 'the open editor to show the restored text');
    assert.equal(prompts().length, 3, 'later turns kept');

    const undone = await vscode.commands.executeCommand<RestoreReport>('aimlChat.internal.undoRestoreCheckpoint');
    assert.equal(undone.outcome, 'undone');
    assert.deepEqual(await fs.readFile(at('edited.txt')), edited);
    assert.equal(await fs.readFile(at('created.ts'), 'utf8'), 'export const made = true;\n');
    assert.equal(await exists(at('doomed.txt')), false);
  });

  it('reads the same checkpoints from disk in a fresh store (a reload), and drops later turns on request', async () => {
    const conversationId = chat.currentConversation().id;
    const [p1, p2, p3] = prompts();
    const fresh = new CheckpointStore(path.join(path.dirname(chat.conversationsFolder), 'checkpoints'));
    assert.deepEqual(turnsWithChanges(await fresh.load(conversationId)), [p1, p2, p3]);

    const report = await restore(p2, 'drop');
    assert.equal(report.dropped, true);
    assert.equal(await exists(at('created.ts')), false);
    assert.equal(await exists(at('doomed.txt')), true);
    assert.deepEqual(prompts(), [p1], 'the restored turn and the later ones were dropped');
    assert.deepEqual(turnsWithChanges(await fresh.load(conversationId)), [p1]);
  });
});
