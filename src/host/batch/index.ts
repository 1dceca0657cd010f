// The batch feature: `aimlChat.batch`, `aimlChat.showBatches`, the status bar item, and resuming
// unfinished batches whenever the extension activates (activation is lazy, so this happens on
// the first command or view of the session; polling then continues in the background).
import * as vscode from 'vscode';
import type { MessagesClientFactory } from '../../core/api/clientFactory';
import { BatchClient } from '../../core/batch/client';
import { BatchEndpoints } from '../../core/batch/endpoints';
import { batchHttpFromClient } from '../../core/batch/http';
import { batchTasks } from '../../core/batch/tasks';
import { readSettings } from '../config';
import type { ApiKeyStore } from '../secrets';
import { runBatchCommand } from './batchCommand';
import { BatchMonitor, type ConnectedClient } from './batchMonitor';
import { BatchStore, type BatchRecord } from './batchStore';
import { openReport, runApplySuggestions, showBatches, statusLabel } from './showBatches';
import { BatchStatusBar } from './statusBar';
import type { ProposalPort } from './suggestionsFlow';

export interface BatchServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  messagesClient: MessagesClientFactory;
  /** The tools feature's proposal UI: a diff with Apply / Discard (src/host/tools/proposals.ts). */
  proposals: ProposalPort;
}

export function registerBatch(services: BatchServices): void {
  const { context, log, apiKey } = services;
  const store = new BatchStore(vscode.Uri.joinPath(context.globalStorageUri, 'batches'));
  const statusBar = new BatchStatusBar();
  const proposals = services.proposals;

  const connect = async (): Promise<ConnectedClient | undefined> => {
    if (!(await apiKey.has())) return undefined;
    const settings = readSettings();
    const messages = services.messagesClient(settings, () => apiKey.get());
    const client = new BatchClient({
      http: batchHttpFromClient(messages),
      endpoints: new BatchEndpoints({ statusPath: settings.batchStatusPath, resultsPath: settings.batchResultsPath }),
      baseUrl: settings.baseUrl,
      onNotice: (m) => log.warn(m),
    });
    return { client, baseUrl: settings.baseUrl };
  };

  const onFinished = (record: BatchRecord, startedHere: boolean): void => {
    // Batches started in this window open their report; resumed ones only say they are done.
    if (startedHere) void openReport(record);
    const suggestions = (record.filesWithSuggestions ?? 0) > 0;
    const buttons = [...(startedHere ? [] : ['Open Report']), ...(suggestions ? ['Apply Suggestions…'] : [])];
    const task = batchTasks[record.task].label.replace(/…$/, '');
    void vscode.window.showInformationMessage(`AIML Chat: ${task} batch finished (${statusLabel(record)}).`, ...buttons).then(async (choice) => {
      if (choice === 'Open Report') await openReport(record);
      if (choice === 'Apply Suggestions…') await runApplySuggestions(record, { store, monitor, proposals });
    });
  };

  const monitor = new BatchMonitor({ store, statusBar, log, connect, onFinished });
  context.subscriptions.push(
    store, statusBar, monitor,
    vscode.commands.registerCommand('aimlChat.batch', (clicked?: unknown, selected?: unknown, options?: unknown) =>
      runBatchCommand({ store, monitor, connect, log }, clicked, selected, options)),
    vscode.commands.registerCommand('aimlChat.showBatches', (args?: unknown) => showBatches({ store, monitor, proposals }, args)),
    // A key set later (or replaced) lets waiting batches continue.
    apiKey.onDidChange((has) => { if (has) void monitor.resumeAll(); }),
  );
  void store.load().then(() => monitor.resumeAll()).catch((error) => log.error(`resuming batches failed: ${(error as Error).message}`));
}
