// One status bar item for all running batches: `$(layers) Batch 2/3` (answered/total) for one,
// `$(layers) Batches 5/9` summed over several. Clicking it opens the batch list.
import * as vscode from 'vscode';
import type { BatchRecord } from './batchStore';

export function doneCount(record: BatchRecord): number {
  const c = record.counts;
  return c.succeeded + c.errored + c.canceled + c.expired;
}

export function totalCount(record: BatchRecord): number {
  const c = record.counts;
  return Math.max(record.entries.length, c.processing + doneCount(record));
}

export class BatchStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('aimlChat.batch', vscode.StatusBarAlignment.Left, 50);
  private readonly running = new Map<string, BatchRecord>();

  constructor() {
    this.item.name = 'AIML Chat Batches';
    this.item.command = 'aimlChat.showBatches';
  }

  update(record: BatchRecord): void {
    this.running.set(record.id, record);
    this.render();
  }

  remove(id: string): void {
    this.running.delete(id);
    this.render();
  }

  /** The text currently shown (for tests and logs). */
  get text(): string | undefined {
    return this.running.size ? this.item.text : undefined;
  }

  private render(): void {
    const records = [...this.running.values()];
    if (!records.length) { this.item.hide(); return; }
    const done = records.reduce((n, r) => n + doneCount(r), 0);
    const total = records.reduce((n, r) => n + totalCount(r), 0);
    this.item.text = `$(layers) ${records.length === 1 ? 'Batch' : 'Batches'} ${done}/${total}`;
    const lines = records.map((r) => `${r.task} · ${doneCount(r)}/${totalCount(r)} · ${r.status === 'canceling' ? 'canceling' : 'running'} (${r.id})`);
    this.item.tooltip = `AIML Chat batch jobs\n${lines.join('\n')}\nClick to show batch jobs.`;
    this.item.accessibilityInformation = { label: `AIML Chat: ${records.length} batch ${records.length === 1 ? 'job' : 'jobs'} running, ${done} of ${total} requests answered` };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
