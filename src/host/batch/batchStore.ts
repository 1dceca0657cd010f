// Remembers submitted batches so polling resumes after a window reload and "Show Batch Jobs" can
// list them: an index file in the extension's globalStorage folder, beside the reports and raw
// results (which can be large; the records only hold their paths). A file rather than
// globalState: under code-server globalState lives in the browser's storage, so a new browser
// profile would forget running batches. Records are validated on load: an index written by
// another version must not break activation, and a record this version cannot read is kept
// verbatim (core/batch/batchFile.ts): the file is versioned, merged under a lock, never emptied.
import * as vscode from 'vscode';
import * as z from '../../shared/zod';
import { BatchFile } from '../../core/batch/batchFile';
import { writeFileAtomic } from '../../core/storage/atomicFile';
import { RequestCounts, emptyCounts } from '../../core/batch/schemas';
import { batchTaskIds } from '../../core/batch/tasks';

const INDEX_FILE = 'batches.json';
const MAX_RECORDS = 30;

export const BatchRecord = z.object({
  id: z.string(),
  task: z.enum(batchTaskIds),
  customPrompt: z.optional(z.string()),
  model: z.string(),
  /** The base URL the batch was created on; polling elsewhere would only find nothing. */
  baseUrl: z.string(),
  createdAt: z.number(),
  endedAt: z.optional(z.number()),
  /** The API's processing_status, or `failed` when polling gave up (error kept in `error`). */
  status: z.string(),
  counts: z._default(RequestCounts, emptyCounts()),
  cancelRequested: z.optional(z.boolean()),
  entries: z.array(z.object({ customId: z.string(), path: z.string(), location: z.string(), language: z.string(), bytes: z.number() })),
  skipped: z._default(z.array(z.object({ path: z.string(), location: z.string(), reason: z.string() })), []),
  reportPath: z.optional(z.string()),
  /** Files whose answer carries suggested changes (review and doc-comment tasks). */
  filesWithSuggestions: z.optional(z.number()),
  resultsPath: z.optional(z.string()),
  error: z.optional(z.string()),
});
export type BatchRecord = z.infer<typeof BatchRecord>;

/**
 * Still to follow: no report yet and polling has not given up. An `ended` batch without a report
 * (the window closed between the last poll and the download) counts as unfinished too.
 */
export function isUnfinished(record: BatchRecord): boolean {
  return record.status !== 'failed' && !record.reportPath;
}

export interface BatchStoreOptions {
  /** Told once per failure streak when saving the batch list fails, with the file's path. */
  onSaveFailed?: (file: string, error: Error) => void;
  log?: (message: string) => void;
}

export class BatchStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private records: BatchRecord[] = [];
  private readonly file: BatchFile<BatchRecord>;

  constructor(readonly folder: vscode.Uri, options: BatchStoreOptions = {}) {
    this.file = new BatchFile(vscode.Uri.joinPath(folder, INDEX_FILE).fsPath, BatchRecord, options);
  }

  /** Reads the index; call once before use (resuming needs it). An unreadable file is not replaced. */
  load(): Promise<void> {
    return this.serial(async () => {
      this.records = sorted((await this.file.read()).records);
      this.changed.fire();
    });
  }

  all(): BatchRecord[] {
    return [...this.records];
  }

  get(id: string): BatchRecord | undefined {
    return this.records.find((r) => r.id === id);
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
      await this.save((records) => records.filter((r) => r.id !== id));
    });
  }

  private async write(record: BatchRecord): Promise<void> {
    const dropped: BatchRecord[] = [];
    // Merged with the file: another window may have added or finished batches meanwhile.
    await this.save((current) => {
      const records = sorted([record, ...current.filter((r) => r.id !== record.id)]);
      // Old finished batches are dropped first; unfinished ones are never forgotten.
      const kept: BatchRecord[] = [];
      for (const r of records) if (kept.length < MAX_RECORDS || isUnfinished(r)) kept.push(r);
      dropped.push(...records.filter((r) => !kept.includes(r)));
      return kept;
    });
    for (const r of dropped) await this.deleteFiles(r);
  }

  private async save(change: (records: BatchRecord[]) => BatchRecord[]): Promise<void> {
    this.records = await this.file.update(change, () => this.records);
    this.changed.fire();
  }

  fileFor(id: string, suffix: '.md' | '.results.jsonl'): vscode.Uri {
    const safe = id.replace(/[^a-zA-Z0-9_-]/g, '_');
    return vscode.Uri.joinPath(this.folder, `${safe}${suffix}`);
  }

  async writeFile(uri: vscode.Uri, text: string): Promise<void> {
    await writeFileAtomic(uri.fsPath, text);
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

function sorted(records: BatchRecord[]): BatchRecord[] {
  return [...records].sort((a, b) => b.createdAt - a.createdAt);
}
