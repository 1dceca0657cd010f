// "Apply suggestions from review…": turns the REPLACE/WITH blocks of a finished review (or doc
// comment) batch into proposed edits, one file at a time. Each goes through the tools feature's
// approval flow: the diff editor (whose right side the user may still adjust) with Apply /
// Discard, and the same single write path as the chat's edits (applyTextEdit: undoable, refuses a
// file that changed meanwhile).
import * as vscode from 'vscode';
import { parseResultLines } from '../../core/batch/results';
import { outcomesById } from '../../core/batch/report';
import { extractSuggestions, planSuggestions } from '../../core/batch/suggestions';
import { StaleFileError } from '../../core/tools/toolHost';
import type { ProposalManager } from '../tools/proposals';
import { applyTextEdit } from '../tools/workspaceEdits';
import type { BatchRecord } from './batchStore';

export type ProposalPort = Pick<ProposalManager, 'open'>;

export interface ApplyOptions {
  /** Decide every file without asking (tests): 'apply' or 'discard'. */
  preset?: 'apply' | 'discard';
}

export interface ApplySummary {
  applied: string[];
  skipped: string[];
  /** Suggestions that could not be used, as "path: reason". */
  notApplicable: string[];
}

type Decision = 'apply' | 'discard' | 'stop';

export async function applySuggestions(record: BatchRecord, proposals: ProposalPort, options: ApplyOptions = {}): Promise<ApplySummary> {
  const summary: ApplySummary = { applied: [], skipped: [], notApplicable: [] };
  if (!record.resultsPath) return summary;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(record.resultsPath)));
  const byId = outcomesById(parseResultLines(text).outcomes);
  const work = record.entries
    .map((entry) => {
      const outcome = byId.get(entry.customId);
      return { entry, suggestions: outcome?.type === 'succeeded' ? extractSuggestions(outcome.text) : [] };
    })
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

    let decide: (d: Decision) => void = () => undefined;
    const decided = new Promise<Decision>((resolve) => { decide = resolve; });
    const name = entry.path.split(/[\\/]/).pop() ?? entry.path;
    const review = await proposals.open(
      { id: `batch-${record.id}-${entry.customId}`, absPath: uri.fsPath, displayPath: entry.path, baseText, proposedText: plan.proposedText, create: false },
      { title: `${name} ↔ suggestions from review (AIML Chat)`, onDecision: decide },
    );
    try {
      if (options.preset) decide(options.preset);
      else {
        // Not modal: the user must be able to read (and adjust) the diff before deciding.
        const changes = `${plan.edits.length} suggested ${plan.edits.length === 1 ? 'change' : 'changes'}`;
        const unmatched = plan.rejected.length ? ` (${plan.rejected.length} more did not match the file)` : '';
        void vscode.window.showInformationMessage(
          `AIML Chat: apply ${changes} to ${entry.path}${unmatched}? File ${index + 1} of ${work.length}.`,
          'Apply', 'Skip', 'Stop',
        ).then((choice) => decide(choice === 'Apply' ? 'apply' : choice === 'Stop' ? 'stop' : 'discard'));
      }
      const decision = await decided;
      if (decision === 'stop') break;
      if (decision === 'discard') { summary.skipped.push(entry.path); continue; }
      await applyTextEdit({ uri, baseText, newText: review.currentText(), create: false });
      summary.applied.push(entry.path);
    } catch (error) {
      summary.notApplicable.push(`${entry.path}: ${error instanceof StaleFileError ? 'the file changed while the diff was open; nothing was applied' : (error as Error).message}`);
    } finally {
      await review.close().catch(() => undefined);
    }
  }
  return summary;
}
