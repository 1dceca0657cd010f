// `aimlChat.showBatches`: the list of batch jobs with their state, and what can be done with
// each (open the report, apply suggestions, cancel, follow again, forget). Tests and scripts pass
// `{ batchId, action }` to act without the quick picks.
import * as vscode from 'vscode';
import { batchTasks } from '../../core/batch/tasks';
import type { BatchMonitor } from './batchMonitor';
import { isUnfinished, type BatchRecord, type BatchStore } from './batchStore';
import { doneCount, totalCount } from './statusBar';
import { applySuggestions, type ApplySummary, type ProposalPort } from './suggestionsFlow';

export const batchActions = ['openReport', 'applySuggestions', 'cancel', 'follow', 'wait', 'forget', 'list'] as const;
export type BatchAction = (typeof batchActions)[number];

export interface ShowBatchesArgs {
  batchId?: string;
  action?: BatchAction;
  /** applySuggestions without asking: decide every file this way (tests). */
  preset?: 'apply' | 'discard';
}

export interface ShowBatchesDeps {
  store: BatchStore;
  monitor: BatchMonitor;
  proposals: ProposalPort;
}

export function statusLabel(record: BatchRecord): string {
  if (record.status === 'failed') return 'failed';
  if (record.status === 'ended') {
    const c = record.counts;
    const parts = [`${c.succeeded} succeeded`];
    if (c.errored) parts.push(`${c.errored} errored`);
    if (c.canceled) parts.push(`${c.canceled} canceled`);
    if (c.expired) parts.push(`${c.expired} expired`);
    return parts.join(', ');
  }
  return `${record.status === 'canceling' ? 'canceling' : 'running'} ${doneCount(record)}/${totalCount(record)}`;
}

function icon(record: BatchRecord): string {
  if (record.status === 'failed') return '$(error)';
  if (record.status === 'ended') return record.counts.errored || record.counts.expired ? '$(warning)' : '$(check)';
  return '$(sync~spin)';
}

export async function openReport(record: BatchRecord): Promise<vscode.Uri | undefined> {
  if (!record.reportPath) return undefined;
  const uri = vscode.Uri.file(record.reportPath);
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('markdown.showPreview')) await vscode.commands.executeCommand('markdown.showPreview', uri);
  else await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

function canApply(record: BatchRecord): boolean {
  return record.status === 'ended' && !!record.resultsPath && batchTasks[record.task].proposesEdits && record.filesWithSuggestions !== 0;
}

export async function runApplySuggestions(record: BatchRecord, deps: ShowBatchesDeps, preset?: 'apply' | 'discard'): Promise<ApplySummary> {
  const summary = await applySuggestions(record, deps.proposals, { preset });
  const parts = [`${summary.applied.length} ${summary.applied.length === 1 ? 'file' : 'files'} changed`];
  if (summary.skipped.length) parts.push(`${summary.skipped.length} skipped`);
  if (summary.notApplicable.length) parts.push(`${summary.notApplicable.length} suggestions did not match`);
  if (!summary.applied.length && !summary.skipped.length && !summary.notApplicable.length) {
    void vscode.window.showInformationMessage('AIML Chat: this batch has no suggested changes to apply.');
  } else {
    const message = `AIML Chat: ${parts.join(', ')}.`;
    if (summary.notApplicable.length) void vscode.window.showWarningMessage(message, { detail: summary.notApplicable.slice(0, 10).join('\n') } as vscode.MessageOptions);
    else void vscode.window.showInformationMessage(message);
  }
  return summary;
}

async function act(record: BatchRecord, action: BatchAction, deps: ShowBatchesDeps, args: ShowBatchesArgs): Promise<unknown> {
  switch (action) {
    case 'openReport': return (await openReport(record))?.toString();
    case 'applySuggestions': return runApplySuggestions(record, deps, args.preset);
    case 'cancel':
      await deps.monitor.cancel(record.id);
      return deps.store.get(record.id);
    case 'follow':
      if (record.status === 'failed') await deps.store.update(record.id, (r) => ({ ...r, status: 'in_progress', error: undefined }));
      void deps.monitor.watch(record.id, { showProgress: true });
      return deps.store.get(record.id);
    case 'wait':
      return isUnfinished(record) ? deps.monitor.watch(record.id, { showProgress: false }) : record;
    case 'forget':
      await deps.store.remove(record.id);
      return undefined;
    case 'list':
      return deps.store.all();
  }
}

export async function showBatches(deps: ShowBatchesDeps, rawArgs: unknown): Promise<unknown> {
  const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as ShowBatchesArgs;
  if (args.action === 'list') return deps.store.all();
  if (args.batchId && args.action) {
    const record = deps.store.get(args.batchId);
    if (!record) throw new Error(`No batch ${args.batchId} is known.`);
    return act(record, args.action, deps, args);
  }

  const records = deps.store.all();
  if (!records.length) {
    void vscode.window.showInformationMessage('AIML Chat: no batch jobs yet. Select files in the Explorer and choose "Batch…".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(records.map((record) => ({
    label: `${icon(record)} ${batchTasks[record.task].label.replace(/…$/, '')} · ${record.entries.length} ${record.entries.length === 1 ? 'file' : 'files'}`,
    description: statusLabel(record),
    detail: `${new Date(record.createdAt).toLocaleString()} · ${record.model} · ${record.id}${record.error ? ` · ${record.error}` : ''}`,
    record,
  })), { title: 'AIML Chat: Batch Jobs', placeHolder: 'Choose a batch job', matchOnDetail: true });
  if (!picked) return undefined;

  const record = picked.record;
  const choices: Array<{ label: string; action: BatchAction }> = [];
  if (record.reportPath) choices.push({ label: '$(preview) Open Report', action: 'openReport' });
  if (canApply(record)) choices.push({ label: '$(diff) Apply Suggestions…', action: 'applySuggestions' });
  if (isUnfinished(record) && record.status !== 'ended') choices.push({ label: '$(debug-stop) Cancel Batch', action: 'cancel' });
  if (record.status === 'failed' || (isUnfinished(record) && !deps.monitor.isWatching(record.id))) choices.push({ label: '$(sync) Follow Again', action: 'follow' });
  if (!isUnfinished(record)) choices.push({ label: '$(trash) Remove from List', action: 'forget' });
  const action = await vscode.window.showQuickPick(choices, { title: `Batch ${record.id}`, placeHolder: statusLabel(record) });
  if (!action) return undefined;
  if (action.action === 'cancel') {
    const sure = await vscode.window.showWarningMessage(`Cancel batch ${record.id}? Requests that have not run yet will be canceled.`, { modal: true }, 'Cancel Batch');
    if (sure !== 'Cancel Batch') return undefined;
  }
  return act(record, action.action, deps, args);
}
