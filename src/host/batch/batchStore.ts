// Remembers submitted batches in globalState so polling resumes after a window reload and
// "Show Batch Jobs" can list them. Reports and raw results are files in globalStorage (they can
// be large); the record only holds their paths. Records are validated on load: a state written by
// another version must not break activation.
import * as vscode from 'vscode';
import { z } from 'zod';
import { RequestCounts, emptyCounts } from '../../core/batch/schemas';
import { batchTaskIds } from '../../core/batch/tasks';

const STATE_KEY = 'aimlChat.batches.v1';
const MAX_RECORDS = 30;

export const BatchRecord = z.object({
  id: z.string(),
  task: z.enum(batchTaskIds),
  customPrompt: z.string().optional(),
  model: z.string(),
  /** The base URL the batch was created on; polling elsewhere would only find nothing. */
  baseUrl: z.string(),
  createdAt: z.number(),
  endedAt: z.number().optional(),
  /** The API's processing_status, or `failed` when polling gave up (error kept in `error`). */
  status: z.string(),
  counts: RequestCounts.default(emptyCounts()),
  cancelRequested: z.boolean().optional(),
  entries: z.array(z.object({ customId: z.string(), path: z.string(), location: z.string(), language: z.string(), bytes: z.number() })),
  skipped: z.array(z.object({ path: z.string(), location: z.string(), reason: z.string() })).default([]),
  reportPath: z.string().optional(),
  /** Files whose answer carries suggested changes (review and doc-comment tasks). */
  filesWithSuggestions: z.number().optional(),
  resultsPath: z.string().optional(),
  error: z.string().optional(),
});
export type BatchRecord = z.infer<typeof BatchRecord>;

/**
 * Still to follow: no report yet and polling has not given up. An `ended` batch without a report
 * (the window closed between the last poll and the download) counts as unfinished too.
 */
export function isUnfinished(record: BatchRecord): boolean {
  return record.status !== 'failed' && !record.reportPath;
}

export class BatchStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento, readonly folder: vscode.Uri) {}

  all(): BatchRecord[] {
    const raw = this.state.get<unknown[]>(STATE_KEY, []);
    const records: BatchRecord[] = [];
    for (const item of Array.isArray(raw) ? raw : []) {
      const parsed = BatchRecord.safeParse(item);
      if (parsed.success) records.push(parsed.data);
    }
    return records.sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): BatchRecord | undefined {
    return this.all().find((r) => r.id === id);
  }

  /** Writes run one at a time: several batches may report progress at once. */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  put(record: BatchRecord): Promise<void> {
    return this.serial(() => this.write(record));
  }

  private async write(record: BatchRecord): Promise<void> {
    const others = this.all().filter((r) => r.id !== record.id);
    const records = [record, ...others].sort((a, b) => b.createdAt - a.createdAt);
    // Old finished batches are dropped first; unfinished ones are never forgotten.
    const kept: BatchRecord[] = [];
    for (const r of records) if (kept.length < MAX_RECORDS || isUnfinished(r)) kept.push(r);
    for (const dropped of records.filter((r) => !kept.includes(r))) await this.deleteFiles(dropped);
    await this.state.update(STATE_KEY, kept);
    this.changed.fire();
  }

  update(id: string, change: (record: BatchRecord) => BatchRecord): Promise<BatchRecord | undefined> {
    return this.serial(async () => {
      const current = this.get(id);
      if (!current) return undefined;
      const next = change(current);
      await this.write(next);
      return next;
    });
  }

  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const record = this.get(id);
      if (record) await this.deleteFiles(record);
      await this.state.update(STATE_KEY, this.all().filter((r) => r.id !== id));
      this.changed.fire();
    });
  }

  fileFor(id: string, suffix: '.md' | '.results.jsonl'): vscode.Uri {
    const safe = id.replace(/[^a-zA-Z0-9_-]/g, '_');
    return vscode.Uri.joinPath(this.folder, `${safe}${suffix}`);
  }

  async writeFile(uri: vscode.Uri, text: string): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.folder);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  }

  private async deleteFiles(record: BatchRecord): Promise<void> {
    for (const path of [record.reportPath, record.resultsPath]) {
      if (!path) continue;
      try {
        await vscode.workspace.fs.delete(vscode.Uri.file(path));
      } catch {
        // Already gone.
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
