// The chat's commands: new chat, stop, model choice, history, explain selection. Each is a thin
// layer of VS Code UI over the sidebar's ChatSession.
import * as vscode from 'vscode';
import type { ConversationSummary, ModelInfo } from '../shared/model';
import { buildExplainPrompt } from '../core/chat/prompts';
import type { ChatSession } from '../core/chat/session/chatSession';
import { readSettings, saveModel } from './config';
import { builtInModels, lookup } from '../core/api/catalogue';
import { findBuiltInModel } from '../core/api/models';
import type { ModelCatalogueService } from './gateway/modelCatalogue';
import { modelPickItems, type ModelPickItem } from './gateway/modelPicker';

export interface ChatCommandDeps {
  /** The sidebar's session, built on first use with the last conversation restored (chatFeature.ts). */
  session(): Promise<ChatSession>;
  models(): ModelInfo[];
  /** The gateway's catalogue; without it the picker lists the built-in table. */
  catalogue?: ModelCatalogueService;
  listConversations(): Promise<ConversationSummary[]>;
  revealView(): Promise<void>;
}

/** Lines of code shown around the explained selection. */
const CONTEXT_LINES = 10;
/** Selections longer than this are cut, to keep the prompt (and its cost) reasonable. */
const MAX_EXPLAIN_CHARS = 40_000;

export function registerChatCommands(deps: ChatCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aimlChat.newChat', async () => {
      await deps.revealView();
      await (await deps.session()).newChat();
    }),
    vscode.commands.registerCommand('aimlChat.stop', async () => (await deps.session()).stop()),
    vscode.commands.registerCommand('aimlChat.selectModel', (model?: unknown, options?: { listOnly?: boolean }) =>
      selectModel(deps, typeof model === 'string' ? model : undefined, options?.listOnly === true)),
    vscode.commands.registerCommand('aimlChat.showHistory', () => showHistory(deps)),
    vscode.commands.registerCommand('aimlChat.explainSelection', () => explainSelection(deps)),
  ];
}

/** `listOnly` returns the picker's items without showing it (tests, scripts). */
async function selectModel(deps: ChatCommandDeps, requested: string | undefined, listOnly: boolean): Promise<ModelPickItem[] | undefined> {
  const catalogue = deps.catalogue?.models() ?? builtInModels();
  const current = readSettings().model;
  if (requested && (lookup(catalogue, requested) || findBuiltInModel(requested))) {
    await saveModel(requested);
    return undefined;
  }
  const items = modelPickItems(catalogue, current, deps.catalogue?.fromGateway ?? false);
  if (listOnly) return items;
  const picked = await vscode.window.showQuickPick(items, { title: 'AIML Chat: Select Model', placeHolder: `Current: ${current}`, matchOnDescription: true });
  if (picked && picked.id !== current) await saveModel(picked.id);
  return undefined;
}

type HistoryItem = vscode.QuickPickItem & { id: string; title: string };

const renameButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Rename' };
const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete' };

async function showHistory(deps: ChatCommandDeps): Promise<void> {
  // Rename and delete ask through other UI, which closes the pick; it reopens afterwards.
  for (;;) {
    const summaries = await deps.listConversations();
    if (summaries.length === 0) {
      void vscode.window.showInformationMessage('AIML Chat: no saved conversations yet.');
      return;
    }
    const session = await deps.session();
    const action = await pickConversation(summaries, session.conversation.id);
    if (!action) return;
    if (action.kind === 'open') {
      await deps.revealView();
      await session.openConversation(action.item.id);
      return;
    }
    if (action.kind === 'rename') {
      const title = await vscode.window.showInputBox({ title: 'Rename Conversation', value: action.item.title, validateInput: (v) => (v.trim() ? undefined : 'The title is empty.') });
      if (title !== undefined) await session.renameConversation(action.item.id, title.trim());
    } else {
      const confirmed = await vscode.window.showWarningMessage(`Delete the conversation "${action.item.title}"?`, { modal: true, detail: 'This cannot be undone.' }, 'Delete');
      if (confirmed === 'Delete') await session.deleteConversation(action.item.id);
    }
  }
}

function pickConversation(summaries: ConversationSummary[], currentId: string): Promise<{ kind: 'open' | 'rename' | 'delete'; item: HistoryItem } | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<HistoryItem>();
    pick.title = 'AIML Chat: History';
    pick.placeholder = 'Open a past conversation';
    pick.matchOnDescription = true;
    pick.items = summaries.map((s) => ({
      id: s.id,
      title: s.title,
      label: s.title,
      description: `${relativeTime(s.updatedAt)}${s.id === currentId ? ' · open now' : ''}`,
      detail: `${s.messageCount} message${s.messageCount === 1 ? '' : 's'}`,
      buttons: [renameButton, deleteButton],
    }));
    let result: { kind: 'open' | 'rename' | 'delete'; item: HistoryItem } | undefined;
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (item) result = { kind: 'open', item };
      pick.hide();
    });
    pick.onDidTriggerItemButton((e) => {
      result = { kind: e.button === renameButton ? 'rename' : 'delete', item: e.item };
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}

function relativeTime(timestamp: number): string {
  const minutes = Math.round((Date.now() - timestamp) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(timestamp).toLocaleDateString();
}

async function explainSelection(deps: ChatCommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('AIML Chat: open a file and select the code to explain.');
    return;
  }
  const doc = editor.document;
  const selection = editor.selection;
  // No selection: explain the current line.
  const range = selection.isEmpty ? doc.lineAt(selection.active.line).range : new vscode.Range(selection.start, selection.end);
  let code = doc.getText(range);
  if (!code.trim()) {
    void vscode.window.showInformationMessage('AIML Chat: there is nothing to explain on this line.');
    return;
  }
  if (code.length > MAX_EXPLAIN_CHARS) code = `${code.slice(0, MAX_EXPLAIN_CHARS)}\n… (selection cut at ${MAX_EXPLAIN_CHARS} characters)`;
  const startLine = range.start.line;
  const endLine = range.end.character === 0 && range.end.line > startLine ? range.end.line - 1 : range.end.line;
  const beforeStart = Math.max(0, startLine - CONTEXT_LINES);
  const afterEnd = Math.min(doc.lineCount - 1, endLine + CONTEXT_LINES);
  const before = startLine > 0 ? doc.getText(new vscode.Range(beforeStart, 0, startLine, 0)).replace(/\r?\n$/, '') : '';
  const after = endLine < doc.lineCount - 1 ? doc.getText(new vscode.Range(endLine + 1, 0, afterEnd, doc.lineAt(afterEnd).text.length)) : '';
  const prompt = buildExplainPrompt({
    fileName: doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri, false),
    languageId: doc.languageId,
    startLine: startLine + 1,
    endLine: endLine + 1,
    code,
    before,
    after,
  });
  await deps.revealView();
  const session = await deps.session();
  if (session.isBusy) {
    void vscode.window.showInformationMessage('AIML Chat: wait for the current answer to finish, or stop it first.');
    return;
  }
  await session.send({ text: prompt });
}
