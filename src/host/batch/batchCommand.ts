// `aimlChat.batch`: selection → task → confirmation → POST /v1/batches → follow to the report.
// From the Explorer VS Code passes (clicked uri, all selected uris); scripts and tests may pass a
// third argument with the choices, so no quick pick or dialog is needed.
import * as vscode from 'vscode';
import { describeEstimate, estimateCost } from '../../core/batch/estimate';
import { buildBatchRequests, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_REQUESTS } from '../../core/batch/requests';
import { batchTaskIds, batchTasks, isBatchTaskId, type BatchTaskId } from '../../core/batch/tasks';
import { readSettings } from '../config';
import type { BatchMonitor, ConnectedClient } from './batchMonitor';
import type { BatchRecord, BatchStore } from './batchStore';
import { confirmFileList } from './confirmFiles';
import { batchGate, collectFiles, findByGlob } from './fileSelection';

export interface BatchCommandOptions {
  task?: BatchTaskId;
  customPrompt?: string;
  /** false skips the confirmation dialog. */
  confirm?: boolean;
  /** A glob used instead of asking when nothing is selected. */
  glob?: string;
  /** Resolve only when the report is written (default when options are given: true). */
  wait?: boolean;
  /** Poll at this fixed interval instead of the 2 s → 60 s backoff (tests). */
  pollDelayMs?: number;
}

export interface BatchCommandResult {
  batchId: string;
  record?: BatchRecord;
  reportUri?: string;
}

export interface BatchCommandDeps {
  store: BatchStore;
  monitor: BatchMonitor;
  connect: () => Promise<ConnectedClient | undefined>;
  log: vscode.LogOutputChannel;
}

function asUris(value: unknown): vscode.Uri[] {
  if (value instanceof vscode.Uri) return [value];
  if (Array.isArray(value)) return value.filter((v): v is vscode.Uri => v instanceof vscode.Uri);
  return [];
}

function asOptions(value: unknown): BatchCommandOptions | undefined {
  return value && typeof value === 'object' && !(value instanceof vscode.Uri) && !Array.isArray(value) ? (value as BatchCommandOptions) : undefined;
}

async function pickTask(): Promise<{ task: BatchTaskId; customPrompt?: string } | undefined> {
  const picked = await vscode.window.showQuickPick(
    batchTaskIds.map((id) => ({ label: batchTasks[id].label, detail: batchTasks[id].description, id })),
    { title: 'AIML Chat: Batch', placeHolder: 'What should the model do with each file?', ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.id !== 'custom') return { task: picked.id };
  const customPrompt = await vscode.window.showInputBox({
    title: 'AIML Chat: Batch – custom prompt',
    prompt: 'The instruction sent with each file (the file follows it in a code block).',
    placeHolder: 'e.g. List every TODO and how to resolve it',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter an instruction.'),
  });
  return customPrompt === undefined ? undefined : { task: 'custom', customPrompt };
}

export async function runBatchCommand(deps: BatchCommandDeps, clicked: unknown, selected: unknown, rawOptions: unknown): Promise<BatchCommandResult | undefined> {
  const options = asOptions(rawOptions) ?? asOptions(clicked);
  const settings = readSettings();

  // The Explorer passes every selected item in the second argument; the first is only the clicked one.
  let targets = asUris(selected);
  if (!targets.length) targets = asUris(clicked);
  const globbed = !targets.length;
  if (!targets.length) {
    const glob = options?.glob ?? await vscode.window.showInputBox({
      title: 'AIML Chat: Batch',
      prompt: 'Nothing is selected in the Explorer. Which files? (a glob relative to the workspace)',
      value: '**/*.{ts,js,py}',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a glob pattern.'),
    });
    if (!glob) return undefined;
    targets = await findByGlob(glob.trim(), DEFAULT_MAX_REQUESTS * 4);
    if (!targets.length) { void vscode.window.showWarningMessage(`AIML Chat: no files match ${glob}.`); return undefined; }
  }

  const choice = options?.task && isBatchTaskId(options.task) ? { task: options.task, customPrompt: options.customPrompt } : await pickTask();
  if (!choice) return undefined;

  const connected = await deps.connect();
  if (!connected) {
    const set = await vscode.window.showWarningMessage('AIML Chat: set your AI/ML API key before starting a batch.', 'Set API Key');
    if (set) await vscode.commands.executeCommand('aimlChat.setApiKey');
    return undefined;
  }

  const collected = await collectFiles(targets, DEFAULT_MAX_REQUESTS, DEFAULT_MAX_FILE_BYTES, batchGate(settings.secretFilePatterns), globbed);
  if (collected.skipped.length) deps.log.info(`batch: left out ${collected.skipped.map((s) => `${s.path} (${s.kind})`).join(', ')}`);
  if (options?.confirm !== false && collected.files.length) {
    // The list of files comes first: what is sent, and what is left out and why.
    const kept = await confirmFileList(collected.files, collected.skipped, settings.model);
    if (!kept) return undefined;
    const unchecked = collected.files.filter((f) => !kept.has(f.location));
    collected.files = collected.files.filter((f) => kept.has(f.location));
    collected.skipped.push(...unchecked.map((f) => ({ path: f.path, location: f.location, reason: 'unchecked by the user', kind: 'unchecked' as const })));
    if (!collected.files.length) return undefined;
  }
  let built;
  try {
    built = buildBatchRequests(collected.files, { task: choice.task, customPrompt: choice.customPrompt, model: settings.model, maxTokens: settings.maxTokens });
  } catch (error) {
    void vscode.window.showErrorMessage(`AIML Chat: cannot start the batch: ${(error as Error).message}`);
    return undefined;
  }
  const skipped = [...collected.skipped, ...built.skipped];
  if (!built.requests.length) {
    const why = skipped.slice(0, 5).map((s) => `${s.path}: ${s.reason}`).join('; ');
    void vscode.window.showWarningMessage(`AIML Chat: none of the selected files can be sent${why ? ` (${why})` : ''}.`);
    return undefined;
  }

  const taskLabel = batchTasks[choice.task].label.replace(/…$/, '');
  if (options?.confirm !== false) {
    const n = built.requests.length;
    const detail = [
      describeEstimate(estimateCost(settings.model, built.estimate.inputTokens, built.estimate.maxOutputTokens)),
      'Batches usually finish within an hour (at most 24 h). You can close VS Code meanwhile; the batch resumes when AIML Chat starts again.',
      skipped.length ? `Skipped ${skipped.length}: ${skipped.slice(0, 8).map((s) => `${s.path} (${s.reason})`).join(', ')}${skipped.length > 8 ? ', …' : ''}.` : '',
      collected.truncated ? `Only the first ${DEFAULT_MAX_REQUESTS} files are included.` : '',
    ].filter(Boolean).join('\n\n');
    const go = await vscode.window.showInformationMessage(
      `${taskLabel}: send ${n} ${n === 1 ? 'file' : 'files'} to ${settings.model} as a batch?`,
      { modal: true, detail }, 'Start Batch');
    if (go !== 'Start Batch') return undefined;
  }

  let created;
  try {
    created = await connected.client.create(built.requests);
  } catch (error) {
    void vscode.window.showErrorMessage(`AIML Chat: the batch was not created: ${(error as Error).message}`);
    return undefined;
  }
  const record: BatchRecord = {
    id: created.id,
    task: choice.task,
    customPrompt: choice.customPrompt,
    model: settings.model,
    baseUrl: connected.baseUrl,
    createdAt: Date.now(),
    status: created.processing_status,
    counts: created.request_counts,
    entries: built.entries,
    skipped,
  };
  await deps.store.put(record);
  deps.log.info(`batch ${created.id} created: ${taskLabel}, ${built.requests.length} requests, ${skipped.length} skipped`);
  const fixed = typeof options?.pollDelayMs === 'number' && options.pollDelayMs > 0 ? options.pollDelayMs : undefined;
  const finished = deps.monitor.watch(created.id, { showProgress: true, backoff: fixed ? { initialDelayMs: fixed, maxDelayMs: fixed, jitter: 0 } : undefined });
  if (options?.wait === false || !options) return { batchId: created.id, record };
  const final = await finished;
  return { batchId: created.id, record: final, reportUri: final?.reportPath ? vscode.Uri.file(final.reportPath).toString() : undefined };
}
