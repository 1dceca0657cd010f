// "Apply suggestions from review…": turns the REPLACE/WITH blocks of a finished review (or doc
// comment) batch into proposed edits, one file at a time, each shown as a diff and applied only
// when the user says so. Proposals go through the same port as the chat's edit tools
// (openProposal/applyEdit of core/tools/toolHost.ts); a small built-in one is used when the tools
// feature does not provide it.
import * as vscode from 'vscode';
import { parseResultLines } from '../../core/batch/results';
import { outcomesById } from '../../core/batch/report';
import { extractSuggestions, planSuggestions } from '../../core/batch/suggestions';
import { StaleFileError, type EditProposal, type ProposalReview, type ToolHost } from '../../core/tools/toolHost';
import type { BatchRecord } from './batchStore';

export type ProposalPort = Pick<ToolHost, 'openProposal' | 'applyEdit'>;

export interface ApplyOptions {
  /** Apply without asking (tests only). */
  autoApply?: boolean;
}

export interface ApplySummary {
  applied: string[];
  skipped: string[];
  /** Suggestions that could not be matched, as "path: reason". */
  notApplicable: string[];
}

const SCHEME = 'aiml-batch-proposal';

export async function applySuggestions(record: BatchRecord, port: ProposalPort, options: ApplyOptions = {}): Promise<ApplySummary> {
  const summary: ApplySummary = { applied: [], skipped: [], notApplicable: [] };
  if (!record.resultsPath) return summary;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(record.resultsPath)));
  const byId = outcomesById(parseResultLines(text).outcomes);
  const work = record.entries
    .map((entry) => ({ entry, outcome: byId.get(entry.customId) }))
    .map(({ entry, outcome }) => ({ entry, suggestions: outcome?.type === 'succeeded' ? extractSuggestions(outcome.text) : [] }))
    .filter((w) => w.suggestions.length > 0);

  for (const [index, { entry, suggestions }] of work.entries()) {
    const uri = vscode.Uri.parse(entry.location);
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch {
      summary.notApplicable.push(`${entry.path}: the file can no longer be opened`);
      continue;
    }
    const baseText = document.getText();
    const plan = planSuggestions(baseText, suggestions);
    for (const r of plan.rejected) summary.notApplicable.push(`${entry.path} (answer line ${r.suggestion.answerLine}): ${r.reason}`);
    if (!plan.edits.length) continue;

    const proposal: EditProposal = { id: `${record.id}:${entry.customId}`, absPath: uri.fsPath, displayPath: entry.path, baseText, proposedText: plan.proposedText, create: false };
    let decision: 'apply' | 'skip' | 'stop' = 'apply';
    let review: ProposalReview | undefined;
    if (!options.autoApply) {
      review = await port.openProposal(proposal);
      const changes = `${plan.edits.length} suggested ${plan.edits.length === 1 ? 'change' : 'changes'}`;
      const unmatched = plan.rejected.length ? ` ${plan.rejected.length} other ${plan.rejected.length === 1 ? 'suggestion does' : 'suggestions do'} not match the file and ${plan.rejected.length === 1 ? 'is' : 'are'} left out.` : '';
      const choice = await vscode.window.showInformationMessage(
        `Apply ${changes} to ${entry.path}? (file ${index + 1} of ${work.length})`,
        { modal: true, detail: `The diff shows the file with the review's suggestions applied.${unmatched}` },
        'Apply', 'Skip');
      decision = choice === 'Apply' ? 'apply' : choice === 'Skip' ? 'skip' : 'stop';
    }
    const finalText = review ? review.currentText() : plan.proposedText;
    try {
      if (decision === 'apply') {
        await port.applyEdit({ absPath: uri.fsPath, baseText, newText: finalText, create: false });
        summary.applied.push(entry.path);
      } else {
        summary.skipped.push(entry.path);
      }
    } catch (error) {
      summary.notApplicable.push(`${entry.path}: ${error instanceof StaleFileError ? 'the file changed while the diff was open' : (error as Error).message}`);
    } finally {
      await review?.close();
    }
    if (decision === 'stop') break;
  }
  return summary;
}

/** The built-in proposal port: a read-only virtual document on the right of vscode.diff. */
export class BuiltInProposals implements ProposalPort, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      provideTextDocumentContent: (uri) => this.texts.get(uri.toString()) ?? '',
    });
  }

  async openProposal(proposal: EditProposal): Promise<ProposalReview> {
    const name = proposal.displayPath.split(/[\\/]/).pop() ?? proposal.displayPath;
    const right = vscode.Uri.from({ scheme: SCHEME, path: `/${proposal.displayPath}`, query: `id=${encodeURIComponent(proposal.id)}` });
    this.texts.set(right.toString(), proposal.proposedText);
    const left = vscode.Uri.file(proposal.absPath);
    const show = () => vscode.commands.executeCommand('vscode.diff', left, right, `${name}: suggested changes ↔ current`, { preview: true });
    await show();
    return {
      currentText: () => proposal.proposedText,
      onDidChange: () => ({ dispose: () => undefined }),
      reveal: async () => { await show(); },
      close: async () => {
        this.texts.delete(right.toString());
        const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === right.toString());
        if (tabs.length) await vscode.window.tabGroups.close(tabs);
      },
    };
  }

  async applyEdit(edit: { absPath: string; baseText: string; newText: string; create: boolean }): Promise<void> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(edit.absPath));
    if (document.getText() !== edit.baseText) throw new StaleFileError();
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(edit.baseText.length)), edit.newText);
    if (!(await vscode.workspace.applyEdit(workspaceEdit))) throw new Error('VS Code did not apply the edit');
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
