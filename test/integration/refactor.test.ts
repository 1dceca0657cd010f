// Refactor Selection inside a real extension host against the local stand-in: the model's fenced
// block replaces exactly the selection on Apply, Discard changes nothing, the selection is
// followed through edits above it, and a proposal whose selected text changed is refused.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from './support/until';
import { closeAllEditorsQuietly } from './support/editors';

function standInUrl(): string {
  const fromEnv = process.env.AIML_STANDIN_URL;
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  const inspected = vscode.workspace.getConfiguration('aimlChat').inspect<string>('baseUrl');
  return String(inspected?.globalValue ?? inspected?.defaultValue).replace(/\/+$/, '');
}

async function enqueueText(text: string): Promise<void> {
  const response = await fetch(`${standInUrl()}/__standin/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ kind: 'text', text }]) });
  assert.equal(response.ok, true);
}

function typeInto(doc: vscode.TextDocument, offset: number, text: string): Thenable<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, doc.positionAt(offset), text);
  return vscode.workspace.applyEdit(edit);
}

const proposalTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'aiml-proposal');

const SOURCE = 'const header = 1;\nfunction total(items) {\n  let sum = 0;\n  for (const i of items) sum += i;\n  return sum;\n}\nconst footer = 2;\n';
const SELECTED = 'function total(items) {\n  let sum = 0;\n  for (const i of items) sum += i;\n  return sum;\n}\n';
const REWRITTEN = 'function total(items) {\n  return items.reduce((a, b) => a + b, 0);\n}';

describe('refactor selection (extension host + stand-in)', function () {
  this.timeout(60_000);
  let file: string;
  let n = 0;
  let scratch: string;

  async function openWithSelection(): Promise<vscode.TextEditor> {
    // Outside the workspace on purpose: refactoring works on any file, and the fixture folder stays clean.
    file = path.join(scratch, `refactor-it-${++n}.js`);
    await fs.writeFile(file, SOURCE);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    const start = SOURCE.indexOf(SELECTED);
    editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + SELECTED.length));
    return editor;
  }

  before(async () => {
    const extension = vscode.extensions.getExtension('aiml-chat.aiml-chat');
    assert.ok(extension);
    await extension.activate();
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aiml-refactor-it-'));
  });

  after(async () => {
    await fs.rm(scratch, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Reverted rather than saved (a refactoring leaves the file unsaved on purpose), closing bounded.
    await closeAllEditorsQuietly();
    await fs.rm(file, { force: true });
  });

  it('offers the lightbulb actions on a selection', async () => {
    const editor = await openWithSelection();
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, editor.selection);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('AIML Chat: Refactor selection…'), titles.join(', '));
    assert.ok(titles.includes('AIML Chat: Explain selection'));
  });

  it('replaces exactly the selection on Apply', async () => {
    const editor = await openWithSelection();
    await enqueueText(`Here you go:\n\n\`\`\`js\n${REWRITTEN}\n\`\`\`\n`);
    const outcome = await vscode.commands.executeCommand<{ status: string }>('aimlChat.refactorSelection', { instruction: 'Use reduce', decision: 'apply' });
    assert.equal(outcome.status, 'applied', JSON.stringify(outcome));
    assert.equal(editor.document.getText(), SOURCE.replace(SELECTED, `${REWRITTEN}\n`));
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), SOURCE);
  });

  it('changes nothing on Discard', async () => {
    const editor = await openWithSelection();
    await enqueueText(`\`\`\`js\n${REWRITTEN}\n\`\`\``);
    const outcome = await vscode.commands.executeCommand<{ status: string }>('aimlChat.refactorSelection', { instruction: 'Use reduce', decision: 'discard' });
    assert.equal(outcome.status, 'discarded');
    assert.equal(editor.document.getText(), SOURCE);
    assert.equal(editor.document.isDirty, false);
  });

  it('follows the selection through edits above it, and refuses once the selection itself changed', async () => {
    const editor = await openWithSelection();
    await enqueueText(`\`\`\`js\n${REWRITTEN}\n\`\`\``);
    const pending = vscode.commands.executeCommand<{ status: string }>('aimlChat.refactorSelection', { instruction: 'Use reduce' });
    await until(() => !!proposalTab(), 'the diff editor');
    const id = decodeURIComponent((proposalTab()!.input as vscode.TabInputTextDiff).modified.path.split('/')[1]);
    // Typing above the selection moves it; the proposal still applies at the right place.
    // (The diff took the editor's place, so the change goes through a WorkspaceEdit.)
    assert.ok(await typeInto(editor.document, 0, '// note\n'));
    assert.ok(await vscode.commands.executeCommand<boolean>('aimlChat.internal.decide', id, 'apply'));
    assert.equal((await pending).status, 'applied');
    assert.equal(editor.document.getText(), '// note\n' + SOURCE.replace(SELECTED, `${REWRITTEN}\n`));

    // Now change the selected code itself while the proposal waits.
    const text = editor.document.getText();
    const start = text.indexOf(REWRITTEN);
    const again = await vscode.window.showTextDocument(editor.document);
    again.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + REWRITTEN.length));
    await enqueueText('```js\nfunction total(items) { return 0; }\n```');
    const second = vscode.commands.executeCommand<{ status: string }>('aimlChat.refactorSelection', { instruction: 'Break it' });
    await until(() => !!proposalTab(), 'the second diff editor');
    const secondId = decodeURIComponent((proposalTab()!.input as vscode.TabInputTextDiff).modified.path.split('/')[1]);
    assert.ok(await typeInto(editor.document, start + 5, 'X'));
    const changed = editor.document.getText();
    assert.ok(await vscode.commands.executeCommand<boolean>('aimlChat.internal.decide', secondId, 'apply'));
    assert.equal((await second).status, 'stale');
    assert.equal(editor.document.getText(), changed);
  });
});
