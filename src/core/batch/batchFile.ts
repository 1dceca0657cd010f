// The batches file (batches.json in global storage), shared by every window: versioned, written
// atomically under a lock as a read-merge-write, so one window never replaces another's batches.
// What this release cannot read is never thrown away: records that fail the schema (a task added
// by a newer release, say) are written back verbatim, an unparsable file is set aside before it
// is replaced, and a file that cannot be read at all (permissions, I/O) is not written over.
import { rename } from 'node:fs/promises';
import * as path from 'node:path';
import type * as z from '../../shared/zod';
import { readJsonFile, writeJsonAtomic, type AtomicWriteOptions } from '../storage/atomicFile';
import { withFileLock } from '../storage/fileLock';
import { migrate, type VersionedFormat } from '../storage/versioned';

export const BATCHES_VERSION = 1;

export const batchesFormat: VersionedFormat = {
  name: 'batch list',
  current: BATCHES_VERSION,
  // Version 0: the bare array of records written before files carried a version.
  migrations: [{ from: 0, describe: 'wraps the bare list of records', up: (data) => data }],
  unversioned: (value) => (Array.isArray(value) ? { version: 0, batches: value } : undefined),
};

export interface BatchFileOptions {
  /** Told once per failure streak when writing the file fails, with its path. */
  onSaveFailed?: (file: string, error: Error) => void;
  log?: (message: string) => void;
  writeOptions?: AtomicWriteOptions;
  now?: () => number;
}

export interface BatchFileContent<R> {
  records: R[];
  /** Entries this release cannot read, kept to be written back unchanged. */
  opaque: unknown[];
  /** False when there is no file (yet). */
  exists: boolean;
}

export class BatchFile<R extends { id: string }> {
  private failing = false;
  // Stryker disable next-line BooleanLiteral: read() sets it before update() reads it
  private newerFormat = false;

  constructor(readonly file: string, private readonly schema: z.ZodMiniType<R>, private readonly options: BatchFileOptions = {}) {}

  /** The file's records. Throws only when it exists and cannot be read (the caller keeps what it has). */
  async read(): Promise<BatchFileContent<R>> {
    this.newerFormat = false;
    const file = await readJsonFile(this.file);
    if (file.kind === 'missing') return { records: [], opaque: [], exists: false };
    if (file.kind === 'invalid') {
      const aside = await this.setAside();
      this.log(`${path.basename(this.file)} could not be read (${file.problem}); set aside as ${path.basename(aside)}`);
      return { records: [], opaque: [], exists: false };
    }
    const migrated = migrate(batchesFormat, file.value, (note) => this.log(note));
    const list = migrated && Array.isArray(migrated.data.batches) ? migrated.data.batches : undefined;
    if (!migrated || !list) {
      const aside = await this.setAside();
      this.log(`${path.basename(this.file)} is not a batch list; set aside as ${path.basename(aside)}`);
      return { records: [], opaque: [], exists: false };
    }
    this.newerFormat = migrated.fromTheFuture;
    const records: R[] = [];
    const opaque: unknown[] = [];
    for (const item of list) {
      const parsed = this.schema.safeParse(item);
      if (parsed.success) records.push(parsed.data);
      else {
        opaque.push(item);
        const issue = parsed.error.issues[0]; // a failed parse has at least one
        this.log(`batch record kept unread (${issue.path.join('.')}: ${issue.message})`);
      }
    }
    return { records, opaque, exists: true };
  }

  /**
   * Re-reads the file under the lock, applies the change and writes the result. `fallback` is what
   * this window knows, used when there is no file (deleted, or set aside as unreadable).
   */
  async update(change: (records: R[]) => R[], fallback: () => R[]): Promise<R[]> {
    try {
      return await withFileLock(this.file, async () => {
        const current = await this.read();
        if (this.newerFormat) throw new Error(`${this.file} was written by a newer version of AIML Chat; this version does not overwrite it.`);
        const records = change(current.exists ? current.records : fallback());
        await writeJsonAtomic(this.file, { version: BATCHES_VERSION, batches: [...records, ...current.opaque] }, this.options.writeOptions);
        this.failing = false;
        return records;
      });
    } catch (error) {
      this.log(`saving ${this.file} failed: ${(error as Error).message}`);
      if (!this.failing) this.options.onSaveFailed?.(this.file, error as Error);
      this.failing = true;
      throw error;
    }
  }

  private async setAside(): Promise<string> {
    const aside = this.file.replace(/\.json$/, '') + `.corrupt-${(this.options.now ?? Date.now)()}.json`;
    await rename(this.file, aside);
    return aside;
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}
