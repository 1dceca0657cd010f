// "AIML Chat: Refactor Selection…": asks for an instruction, asks the model for a replacement of
// exactly the selection, shows it in the diff editor (editable), and applies it on Apply as one
// undoable edit of the document. While waiting the selection is tracked through the user's own
// edits; if the selected text itself changed, the proposal is refused rather than misapplied.
// Also the lightbulb: "Refactor selection…" (refactor.rewrite) and "Explain selection" (quick fix).
import * as vscode from 'vscode';
import type { MessagesClientFactory } from '../core/api/clientFactory';
import { isAimlApiError } from '../core/api/errors';
import { withCancellation } from '../core/util/cancellation';
import { answerText, buildRefactorRequest, DEFAULT_REFACTOR_INSTRUCTION, extractReplacement, RangeTracker } from '../core/tools/refactor';
import { readSettings } from './config';
import type { ApiKeyStore } from './secrets';
import type { ProposalManager } from './tools/proposals';

export interface RefactorArgs {
  /** Skips the input box (scripts, tests, the code action passes none). */
  instruction?: string;
  /** Test hook: decide without the notification (the diff still opens). */
  decision?: 'apply' | 'discard';
}

export type RefactorOutcome =
  | { status: 'applied' | 'discarded' | 'cancelled' | 'unchanged' }
  | { status: 'stale' | 'error' | 'no_selection' | 'no_key'; message: string };

interface RefactorServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  messagesClient: MessagesClientFactory;
  proposals: ProposalManager;
}

let proposalCounter = 0;

export function registerRefactor(services: RefactorServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('aimlChat.refactorSelection', (args?: RefactorArgs) => refactorSelection(services, isArgs(args) ? args : {})),
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new SelectionActions(), {
      providedCodeActionKinds: SelectionActions.kinds,
    }),
  );
}

const isArgs = (value: unknown): value is RefactorArgs => !!value && typeof value === 'object' && !(value instanceof vscode.Uri);

class SelectionActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.RefactorRewrite, vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    if (range.isEmpty || !document.getText(range).trim()) return [];
    const refactor = new vscode.CodeAction('AIML Chat: Refactor selection…', vscode.CodeActionKind.RefactorRewrite);
    refactor.command = { command: 'aimlChat.refactorSelection', title: 'Refactor selection…' };
    const explain = new vscode.CodeAction('AIML Chat: Explain selection', vscode.CodeActionKind.QuickFix);
    explain.command = { command: 'aimlChat.explainSelection', title: 'Explain selection' };
    return [refactor, explain];
  }
}

async function refactorSelection(services: RefactorServices, args: RefactorArgs): Promise<RefactorOutcome> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('AIML Chat: select the code to refactor first.');
    return { status: 'no_selection', message: 'nothing is selected' };
  }
  const doc = editor.document;
  const selection = new vscode.Range(editor.selection.start, editor.selection.end);
  const selected = doc.getText(selection);
  const instruction = args.instruction ?? (await vscode.window.showInputBox({
    title: 'AIML Chat: Refactor Selection',
    prompt: 'What should change?',
    value: DEFAULT_REFACTOR_INSTRUCTION,
    ignoreFocusOut: true,
  }));
  if (!instruction?.trim()) return { status: 'cancelled' };
  const key = await services.apiKey.get();
  if (!key) {
    const choice = await vscode.window.showWarningMessage('AIML Chat: set your API key to refactor with the model.', 'Set API Key');
    if (choice) await vscode.commands.executeCommand('aimlChat.setApiKey');
    return { status: 'no_key', message: 'no API key' };
  }

  // Follow the selection from now on: the request takes a while and the user may keep typing.
  const tracker = new RangeTracker(doc.offsetAt(selection.start), doc.offsetAt(selection.end));
  const watcher = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document === doc) tracker.apply(e.contentChanges);
  });
  try {
    const settings = readSettings();
    const fileName = doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri, false);
    const request = buildRefactorRequest({
      instruction: instruction.trim(), fileName, languageId: doc.languageId, selected,
      before: doc.getText(new vscode.Range(new vscode.Position(0, 0), selection.start)),
      after: doc.getText(new vscode.Range(selection.end, doc.lineAt(doc.lineCount - 1).range.end)),
    }, settings.model, settings.maxTokens);
    const client = services.messagesClient(settings, key);
    const answer = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'AIML Chat: refactoring the selection…', cancellable: true },
      (_progress, token) => withCancellation(token, (signal) => client.create(request, { signal })),
    );
    const replacement = extractReplacement(answerText(answer.content), selected);
    if (replacement === undefined) return fail('error', 'the model did not answer with code');
    if (replacement === selected) {
      void vscode.window.showInformationMessage('AIML Chat: the model suggests no change to the selection.');
      return { status: 'unchanged' };
    }
    if (tracker.stale) return fail('stale', 'the selected code changed while the model was answering; nothing was applied');
    return await reviewAndApply(services, doc, tracker, selected, replacement, fileName, args.decision);
  } catch (error) {
    if (isAimlApiError(error) && error.kind === 'aborted') return { status: 'cancelled' };
    const message = isAimlApiError(error) ? error.message : (error as Error).message;
    services.log.error(`refactor failed: ${message}`);
    return fail('error', message);
  } finally {
    watcher.dispose();
  }
}

function fail(status: 'stale' | 'error', message: string): RefactorOutcome {
  void vscode.window.showWarningMessage(`AIML Chat: ${message}.`);
  return { status, message };
}

async function reviewAndApply(
  services: RefactorServices, doc: vscode.TextDocument, tracker: RangeTracker, selected: string, replacement: string,
  fileName: string, presetDecision: 'apply' | 'discard' | undefined,
): Promise<RefactorOutcome> {
  const baseText = doc.getText();
  const prefix = baseText.slice(0, tracker.start);
  const suffix = baseText.slice(tracker.end);
  const id = `refactor-${++proposalCounter}`;
  let decide: (d: 'apply' | 'discard') => void = () => undefined;
  const decided = new Promise<'apply' | 'discard'>((resolve) => { decide = resolve; });
  const review = await services.proposals.open(
    { id, absPath: doc.uri.fsPath, displayPath: fileName, baseText, proposedText: prefix + replacement + suffix, create: false },
    { title: `${fileName.split('/').pop()} ↔ refactoring (AIML Chat)`, onDecision: decide },
  );
  try {
    if (presetDecision) decide(presetDecision);
    else {
      void vscode.window.showInformationMessage(`AIML Chat: apply the refactoring of ${fileName}?`, 'Apply', 'Discard').then((choice) => {
        if (choice === 'Apply' || choice === 'Discard') decide(choice === 'Apply' ? 'apply' : 'discard');
      });
    }
    if ((await decided) === 'discard') return { status: 'discarded' };
    // The user may have edited the proposal: take what now stands between the unchanged prefix and suffix.
    const reviewed = review.currentText();
    if (!reviewed.startsWith(prefix) || !reviewed.endsWith(suffix) || reviewed.length < prefix.length + suffix.length) {
      return fail('stale', 'the proposal was edited outside the refactored code; apply it by hand from the diff');
    }
    const finalCode = reviewed.slice(prefix.length, reviewed.length - suffix.length);
    const range = new vscode.Range(doc.positionAt(tracker.start), doc.positionAt(tracker.end));
    if (tracker.stale || doc.getText(range) !== selected) return fail('stale', 'the selected code changed meanwhile; nothing was applied');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, range, finalCode);
    // Like VS Code's own refactorings, the document is left unsaved; Ctrl+Z undoes the change.
    if (!(await vscode.workspace.applyEdit(edit))) return fail('error', 'VS Code refused the edit');
    return { status: 'applied' };
  } finally {
    await review.close().catch(() => undefined);
  }
}
