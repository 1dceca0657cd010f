// The batch feature: `aimlChat.batch`, `aimlChat.showBatches`, the status bar item, and resuming
// unfinished batches. It is its own bundle (dist/batch.js), loaded by lazy.ts on the first batch
// command or, when batches are stored, shortly after activation; polling then continues in the
// background. Being another bundle, it has its own copies of the core modules it imports: the one
// piece of process-wide state it needs, the model catalogue, comes in through `findModel`.
import * as vscode from 'vscode';
import type { MessagesClientFactory } from '../../core/api/clientFactory';
import { BatchClient } from '../../core/batch/client';
import { batchHttpFromClient } from '../../core/batch/http';
import { batchTasks } from '../../core/batch/tasks';
import { findModel, registerCatalogueLookup } from '../../core/api/models';
import { readSettings } from '../config';
import { saveFailureNotifier } from '../saveFailures';
import { withoutTestOnly } from '../testCommands';
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
  /** Skipping the confirmation or presetting decisions by argument is for tests only. */
  testMode: boolean;
  /** The main bundle's model lookup, which knows the gateway's catalogue. */
  findModel: typeof findModel;
}

/** The two commands' handlers; lazy.ts registers the commands and calls these once loaded. */
export interface BatchFeature {
  batch(clicked?: unknown, selected?: unknown, options?: unknown): Promise<unknown>;
  showBatches(args?: unknown): Promise<unknown>;
}

export function activateBatch(services: BatchServices): BatchFeature {
  const { context, log, apiKey } = services;
  // Only another bundle's lookup: this bundle's own findModel would call itself forever.
  if (services.findModel !== findModel) registerCatalogueLookup((id) => services.findModel(id));
  const store = new BatchStore(vscode.Uri.joinPath(context.globalStorageUri, 'batches'), { onSaveFailed: saveFailureNotifier(log), log: (m) => log.warn(m) });
  const statusBar = new BatchStatusBar();
  const proposals = services.proposals;

  const connect = async (): Promise<ConnectedClient | undefined> => {
    if (!(await apiKey.has())) return undefined;
    const settings = readSettings();
    const messages = services.messagesClient(settings, () => apiKey.get());
    const client = new BatchClient({ http: batchHttpFromClient(messages) });
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
    // A key set later (or replaced) lets waiting batches continue.
    apiKey.onDidChange((has) => { if (has) void monitor.resumeAll(); }),
  );
  void store.load().then(() => monitor.resumeAll()).catch((error) => log.error(`resuming batches failed: ${(error as Error).message}`));
  return {
    batch: (clicked, selected, options) =>
      runBatchCommand({ store, monitor, connect, log }, withoutTestOnly(clicked, 'confirm', services.testMode), selected, withoutTestOnly(options, 'confirm', services.testMode)),
    showBatches: (args) => showBatches({ store, monitor, proposals }, withoutTestOnly(args, 'preset', services.testMode)),
  };
}
