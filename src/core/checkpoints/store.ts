// Checkpoints on disk, under global storage: one folder per conversation holding checkpoints.json
// (versioned, written atomically under a lock as a read-change-write, so two windows never undo
// each other's records) and blobs/<sha256> with the recorded bytes, each written once. Deleting a
// conversation removes its folder.
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import * as z from '../../shared/zod';
import { readJsonFile, writeFileAtomic, writeJsonAtomic } from '../storage/atomicFile';
import { withFileLock } from '../storage/fileLock';
import { migrate, type VersionedFormat } from '../storage/versioned';
import { addRecord, dropTurnsFrom, emptyCheckpoints, hasRecord, unreferencedBlobs, type ConversationCheckpoints, type FileRecord, type FileState } from './model';

export const CHECKPOINTS_VERSION = 1;

export const checkpointsFormat: VersionedFormat = {
  name: 'checkpoints',
  current: CHECKPOINTS_VERSION,
  migrations: [],
  unversioned: () => undefined,
};

const fileRecord = z.object({
  path: z.string(),
  state: z.union([
    z.object({ kind: z.literal('content'), blob: z.string().check(z.regex(/^[0-9a-f]{64}$/)), size: z.number() }),
    z.object({ kind: z.literal('absent') }),
    z.object({ kind: z.literal('unrestorable'), reason: z.string() }),
  ]),
});
const checkpointsSchema = z.object({
  conversationId: z.string(),
  turns: z.array(z.object({ turnId: z.string(), createdAt: z.number(), files: z.array(fileRecord) })),
  undo: z.optional(z.object({ restoredTurnId: z.string(), createdAt: z.number(), files: z.array(fileRecord) })),
});

/** What a turn recorded about a file: its bytes, that it did not exist, or why it was not kept. */
export type RecordedState = { kind: 'content'; bytes: Uint8Array } | { kind: 'absent' } | { kind: 'unrestorable'; reason: string };

export interface CheckpointStoreOptions {
  log?: (message: string) => void;
  now?: () => number;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class CheckpointStore {
  constructor(readonly folder: string, private readonly options: CheckpointStoreOptions = {}) {}

  private folderOf(conversationId: string): string {
    // Ids are ours (uuid-like); anything else could climb out of the folder.
    if (!SAFE_ID.test(conversationId)) throw new Error(`not a conversation id: ${JSON.stringify(conversationId)}`);
    return path.join(this.folder, conversationId);
  }

  private fileOf(conversationId: string): string {
    return path.join(this.folderOf(conversationId), 'checkpoints.json');
  }

  blobPath(conversationId: string, blob: string): string {
    if (!/^[0-9a-f]{64}$/.test(blob)) throw new Error(`not a blob id: ${blob}`);
    return path.join(this.folderOf(conversationId), 'blobs', blob);
  }

  /** The conversation's checkpoints (empty when none were recorded or the file cannot be read). */
  async load(conversationId: string): Promise<ConversationCheckpoints> {
    return (await this.read(conversationId)).checkpoints;
  }

  private async read(conversationId: string): Promise<{ checkpoints: ConversationCheckpoints; fromTheFuture: boolean }> {
    const file = this.fileOf(conversationId);
    const read = await readJsonFile(file);
    if (read.kind === 'missing') return { checkpoints: emptyCheckpoints(conversationId), fromTheFuture: false };
    // Stryker disable next-line ConditionalExpression: equivalent: an invalid file has no value, and migrating undefined gives undefined
    const migrated = read.kind === 'ok' ? migrate(checkpointsFormat, read.value, (m) => this.log(m)) : undefined;
    const parsed = migrated ? checkpointsSchema.safeParse(migrated.data) : undefined;
    if (!parsed?.success) {
      const aside = `${file}.unreadable-${Date.now()}`;
      await rename(file, aside).catch(() => undefined);
      this.log(`checkpoints of ${conversationId} could not be read; set aside as ${path.basename(aside)}`);
      return { checkpoints: emptyCheckpoints(conversationId), fromTheFuture: false };
    }
    // Stryker disable next-line OptionalChaining,BooleanLiteral: equivalent: parsing succeeded, so `migrated` is set and its flag is a boolean
    return { checkpoints: parsed.data, fromTheFuture: migrated?.fromTheFuture ?? false };
  }

  /** Re-reads under the lock, applies `change` and writes the result when it says so. */
  // Blobs are written and collected under the same lock, so a collection never removes the blob of
  // a record that is about to be added.
  private async update<T>(conversationId: string, change: (c: ConversationCheckpoints) => Promise<{ write: boolean; value: T; collect?: boolean }>): Promise<T> {
    const file = this.fileOf(conversationId);
    return withFileLock(file, async () => {
      const { checkpoints, fromTheFuture } = await this.read(conversationId);
      const { write, value, collect } = await change(checkpoints);
      // A newer release's file is read but never rewritten or collected: what this release dropped
      // while reading it (new fields, records of new kinds) may refer to blobs it still needs.
      if (fromTheFuture) {
        if (write || collect) this.log(`checkpoints of ${conversationId} were written by a newer version of AIML Chat; this change was not saved`);
        return value;
      }
      if (write) await writeJsonAtomic(file, { version: CHECKPOINTS_VERSION, ...checkpoints });
      if (collect) await this.collectGarbage(checkpoints);
      return value;
    });
  }

  /** The blob's bytes are written before the record that points at them. */
  private async toFileState(conversationId: string, state: RecordedState): Promise<FileState> {
    if (state.kind !== 'content') return state;
    const blob = createHash('sha256').update(state.bytes).digest('hex');
    const where = this.blobPath(conversationId, blob);
    const exists = await readFile(where).then(() => true, () => false);
    if (!exists) await writeFileAtomic(where, state.bytes);
    return { kind: 'content', blob, size: state.bytes.length };
  }

  /**
   * Records a file's state before `turnId`'s first change to it; false when the turn had recorded
   * it already (then `state` is not even read).
   */
  async record(conversationId: string, turnId: string, filePath: string, state: () => Promise<RecordedState>): Promise<boolean> {
    return this.update(conversationId, async (c) => {
      if (hasRecord(c, turnId, filePath)) return { write: false, value: false };
      const record: FileRecord = { path: filePath, state: await this.toFileState(conversationId, await state()) };
      const added = addRecord(c, turnId, record, this.now());
      return { write: added, value: added };
    });
  }

  /** Replaces the undo record with the files a restore is about to overwrite. */
  async setUndo(conversationId: string, restoredTurnId: string, files: Array<{ path: string; state: RecordedState }>): Promise<void> {
    await this.update(conversationId, async (c) => {
      const records: FileRecord[] = [];
      for (const f of files) records.push({ path: f.path, state: await this.toFileState(conversationId, f.state) });
      c.undo = { restoredTurnId, createdAt: this.now(), files: records };
      return { write: true, value: undefined, collect: true };
    });
  }

  async clearUndo(conversationId: string): Promise<void> {
    await this.update(conversationId, async (c) => {
      const had = !!c.undo;
      delete c.undo;
      return { write: had, value: undefined, collect: had };
    });
  }

  async dropTurnsFrom(conversationId: string, turnId: string): Promise<void> {
    await this.update(conversationId, async (c) => {
      dropTurnsFrom(c, turnId);
      return { write: true, value: undefined, collect: true };
    });
  }

  async readBlob(conversationId: string, blob: string): Promise<Uint8Array> {
    return readFile(this.blobPath(conversationId, blob));
  }

  /** Removes everything recorded for the conversation (it was deleted). */
  async deleteConversation(conversationId: string): Promise<void> {
    await rm(this.folderOf(conversationId), { recursive: true, force: true });
  }

  private async collectGarbage(checkpoints: ConversationCheckpoints): Promise<void> {
    const blobs = path.join(this.folderOf(checkpoints.conversationId), 'blobs');
    const stored = await readdir(blobs).catch(() => [] as string[]);
    const unused = unreferencedBlobs(checkpoints, stored.filter((n) => /^[0-9a-f]{64}$/.test(n)));
    for (const blob of unused) await unlink(path.join(blobs, blob)).catch(() => undefined);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}
