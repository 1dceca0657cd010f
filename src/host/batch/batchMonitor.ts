// Follows submitted batches to the end: polls with backoff, keeps the stored record, the status
// bar and (for batches started in this window) a cancellable progress notification up to date,
// then downloads the results and writes the markdown report. Batches found unfinished at
// activation are resumed here as well, without a notification.
import * as vscode from 'vscode';
import { resultsPolling, type BatchClient, type BatchRead } from '../../core/batch/client';
import { BatchPoller, type BackoffOptions } from '../../core/batch/poller';
import { renderReport, summarize } from '../../core/batch/report';
import type { BatchObject } from '../../core/batch/schemas';
import { batchTasks } from '../../core/batch/tasks';
import { isUnfinished, type BatchRecord, type BatchStore } from './batchStore';
import { doneCount, totalCount, type BatchStatusBar } from './statusBar';

export interface ConnectedClient {
  client: BatchClient;
  baseUrl: string;
}

export interface BatchMonitorDeps {
  store: BatchStore;
  statusBar: BatchStatusBar;
  log: vscode.LogOutputChannel;
  /** Undefined when no API key is set. */
  connect: () => Promise<ConnectedClient | undefined>;
  /** Called when a batch has its report (opens it, offers suggestions). */
  onFinished: (record: BatchRecord, startedHere: boolean) => void;
}

export interface WatchOptions {
  /** A cancellable progress notification (batches started in this window). */
  showProgress: boolean;
  /** Polling schedule override (tests poll every few ms instead of 2 s doubling to 60 s). */
  backoff?: BackoffOptions;
}

interface Watch {
  poller?: BatchPoller;
  abort: AbortController;
  done: Promise<BatchRecord | undefined>;
}

export class BatchMonitor implements vscode.Disposable {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly deps: BatchMonitorDeps) {}

  isWatching(id: string): boolean {
    return this.watches.has(id);
  }

  /** Resumes every unfinished batch created on the current base URL (after a reload). */
  async resumeAll(): Promise<void> {
    const connected = await this.deps.connect();
    if (!connected) return;
    // Re-read the index: another window, or an earlier version of the extension, may have left batches.
    await this.deps.store.load();
    for (const record of this.deps.store.all().filter(isUnfinished)) {
      if (record.baseUrl !== connected.baseUrl) {
        this.deps.log.info(`batch ${record.id} was created on ${record.baseUrl}, not the current base URL; not resuming it`);
        continue;
      }
      this.deps.log.info(`resuming batch ${record.id} (${record.status})`);
      void this.watch(record.id, { showProgress: false });
    }
  }

  /** Follows a batch until its report is written; concurrent calls share one watch. */
  watch(id: string, options: WatchOptions): Promise<BatchRecord | undefined> {
    const existing = this.watches.get(id);
    if (existing) return existing.done;
    const watch: Watch = { abort: new AbortController(), done: Promise.resolve(undefined) };
    this.watches.set(id, watch);
    watch.done = this.follow(id, watch, options).finally(() => {
      this.watches.delete(id);
      this.deps.statusBar.remove(id);
    });
    return watch.done;
  }

  /** Asks the API to cancel; requests not yet run end as `canceled`. Polling continues to the end. */
  async cancel(id: string): Promise<void> {
    const connected = await this.deps.connect();
    if (!connected) throw new Error('No API key is set.');
    const batch = await connected.client.cancel(id);
    const record = await this.deps.store.update(id, (r) => ({ ...r, cancelRequested: true, ...fromBatch(batch) }));
    this.deps.log.info(`cancel requested for batch ${id}: now ${batch.processing_status}`);
    const watch = this.watches.get(id);
    if (watch) watch.poller?.nudge();
    else if (record && isUnfinished(record)) void this.watch(id, { showProgress: false });
  }

  private async follow(id: string, watch: Watch, { showProgress, backoff }: WatchOptions): Promise<BatchRecord | undefined> {
    const connected = await this.deps.connect();
    const initial = this.deps.store.get(id);
    if (!connected || !initial) return initial;
    this.deps.statusBar.update(initial);
    // The documented read answers the status while the batch runs and the results once it ended.
    const reads = resultsPolling(connected.client, id);
    const poller = new BatchPoller({
      ...backoff,
      retrieve: reads.retrieve,
      isDone: reads.isDone,
      signal: watch.abort.signal,
      // About ten minutes of failed checks (a laptop asleep, a gateway outage) before giving up.
      maxConsecutiveErrors: 14,
      onProgress: (batch) => void this.progress(id, batch),
      onRetry: (error, n, delay) => this.deps.log.warn(`batch ${id}: status check failed (${n}×), retrying in ${Math.round(delay / 1000)} s: ${(error as Error).message}`),
    });
    watch.poller = poller;
    const polling = poller.run();
    if (showProgress) this.showProgress(initial, polling);
    try {
      const outcome = await polling;
      if (outcome.kind === 'aborted') return this.deps.store.get(id);
      const last = reads.last();
      if (last?.kind !== 'results') return this.deps.store.get(id);
      const record = await this.finish(id, last);
      if (record) this.deps.onFinished(record, showProgress);
      return record;
    } catch (error) {
      if (watch.abort.signal.aborted) return this.deps.store.get(id);
      const message = (error as Error).message;
      this.deps.log.error(`batch ${id} failed: ${message}`);
      const record = await this.deps.store.update(id, (r) => ({ ...r, status: 'failed', error: message }));
      void vscode.window.showErrorMessage(`AIML Chat: batch ${id} could not be followed: ${message}`, 'Show Batch Jobs').then((choice) => {
        if (choice) void vscode.commands.executeCommand('aimlChat.showBatches');
      });
      return record;
    }
  }

  private async progress(id: string, batch: BatchObject): Promise<void> {
    const record = await this.deps.store.update(id, (r) => ({ ...r, ...fromBatch(batch) }));
    if (record && this.watches.has(id) && batch.processing_status !== 'ended') this.deps.statusBar.update(record);
  }

  /**
   * A cancellable notification. Cancel asks first; "Keep Running" closes the notification (a
   * cancelled token cannot be reset) and the batch carries on in the status bar.
   */
  private showProgress(record: BatchRecord, polling: Promise<unknown>): void {
    const title = `AIML Chat: ${batchTasks[record.task].label.replace(/…$/, '')} batch of ${record.entries.length} ${record.entries.length === 1 ? 'file' : 'files'}`;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      let reported = 0;
      const listener = this.deps.store.onDidChange(() => {
        const current = this.deps.store.get(record.id);
        if (!current) return;
        const done = doneCount(current);
        const total = totalCount(current) || 1;
        progress.report({ message: `${done}/${total} answered${current.status === 'canceling' ? ' · canceling' : ''}`, increment: ((done - reported) / total) * 100 });
        reported = done;
      });
      const detached = new Promise<void>((resolve) => {
        token.onCancellationRequested(async () => {
          const choice = await vscode.window.showWarningMessage(
            `Cancel batch ${record.id}? Requests that have not run yet will be canceled; answers already done are kept.`,
            { modal: true }, 'Cancel Batch', 'Keep Running');
          if (choice === 'Cancel Batch') {
            try {
              await this.cancel(record.id);
            } catch (error) {
              void vscode.window.showErrorMessage(`AIML Chat: could not cancel batch ${record.id}: ${(error as Error).message}`);
            }
          }
          resolve();
        });
      });
      return Promise.race([polling.then(() => undefined, () => undefined), detached]).finally(() => listener.dispose());
    });
  }

  private async finish(id: string, read: Extract<BatchRead, { kind: 'results' }>): Promise<BatchRecord | undefined> {
    const { batch, text, results } = read;
    const record = this.deps.store.get(id);
    if (!record) return undefined;
    const resultsUri = this.deps.store.fileFor(id, '.results.jsonl');
    const reportUri = this.deps.store.fileFor(id, '.md');
    const endedAt = toMs(batch.ended_at) ?? Date.now();
    const report = renderReport({ ...record, endedAt, counts: batch.request_counts, batchId: id, results });
    await this.deps.store.writeFile(resultsUri, text);
    await this.deps.store.writeFile(reportUri, report);
    const summary = summarize({ ...record, batchId: id, results });
    this.deps.log.info(`batch ${id} ended: ${summary.succeeded} succeeded, ${summary.errored} errored, ${summary.canceled} canceled, ${summary.expired} expired; report ${reportUri.fsPath}`);
    return this.deps.store.update(id, (r) => ({ ...r, ...fromBatch(batch), endedAt, reportPath: reportUri.fsPath, resultsPath: resultsUri.fsPath, filesWithSuggestions: summary.filesWithSuggestions, error: undefined }));
  }

  dispose(): void {
    for (const watch of this.watches.values()) watch.abort.abort();
    this.watches.clear();
  }
}

function fromBatch(batch: BatchObject): Pick<BatchRecord, 'status' | 'counts'> {
  return { status: batch.processing_status, counts: batch.request_counts };
}

function toMs(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
