// Conversations on disk: one JSON file per conversation plus an index (conversationIndex.ts) so
// the history list never reads every conversation. Files carry a schema version and load through
// migrations and repairs (conversationFormat.ts); they are written atomically (storage/atomicFile.ts).
// While an answer streams, saves are throttled to one per second, so a crash or reload loses at
// most the last second of text. Two windows may write the same conversation: a save merges with
// the file on disk by message id (conversationMerge.ts) instead of replacing it.
import { randomUUID } from 'node:crypto';
import { rename, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { emptyTotals, type Conversation, type ConversationSummary } from '../../shared/model';
import { withFileLock } from '../storage/fileLock';
import { readJsonFile, writeJsonAtomic, type AtomicWriteOptions, type WriteStage } from '../storage/atomicFile';
import { CONVERSATION_VERSION, ID_PATTERN, parseConversation, summaryOf } from './conversationFormat';
import { ConversationIndex, upsert } from './conversationIndex';
import { mergeConversation } from './conversationMerge';

export interface StoreTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ConversationStoreOptions {
  /** Minimum time between two streaming saves of one conversation. */
  throttleMs?: number;
  timers?: StoreTimers;
  /** Test seam: runs between the temp file's fsync and the rename (a throw simulates a crash). */
  beforeRename?: (tempPath: string, finalPath: string) => Promise<void>;
  /** Test seam: runs before each stage of every write (see atomicFile.ts). */
  beforeStage?: (stage: WriteStage, tempPath: string, finalPath: string) => Promise<void> | void;
  /**
   * Told once when saving a file starts failing (not again for the same file until a save of it
   * succeeds), with the file's path: the host shows it to the user.
   */
  onSaveFailed?: (file: string, error: Error) => void;
  /** Notes about tolerated data (unknown values, newer formats) for the log. */
  log?: (message: string) => void;
  /** After a conversation was deleted: what is kept beside it (its checkpoints) goes too. */
  onDeleted?: (id: string) => Promise<void>;
}

export type LoadResult =
  | { kind: 'ok'; conversation: Conversation; notes?: string[] }
  | { kind: 'missing' }
  | { kind: 'corrupt'; warning: string; movedTo: string };

/** Thrown instead of overwriting a conversation file written by a newer release. */
export class NewerFormatError extends Error {
  constructor(readonly file: string) {
    super(`${path.basename(file)} was saved by a newer version of AIML Chat; this version does not overwrite it. Update the extension to keep this conversation going.`);
    this.name = 'NewerFormatError';
  }
}

/** What this store last saw of a conversation file: to notice another window's writes. */
interface Seen {
  /** mtime and size when this store last read or wrote the file. */
  stamp: string;
  /** Every message id this window has had in its own copy (loaded from the file or written). */
  known: Set<string>;
  /** What the file held at `stamp`: merging with it needs no read while no one else writes. */
  content: Conversation;
  /** The file was written by a newer release: it is never overwritten. */
  newerFormat: boolean;
}

const realTimers: StoreTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ConversationStore {
  private readonly throttleMs: number;
  private readonly timers: StoreTimers;
  /** All disk writes of this window run one after another. */
  private queue: Promise<void> = Promise.resolve();
  private readonly throttled = new Map<string, { handle: unknown; conversation: Conversation }>();
  private readonly lastSavedAt = new Map<string, number>();
  private readonly seen = new Map<string, Seen>();
  /** Files whose last save failed: the user is told once per failure streak. */
  private readonly failing = new Set<string>();
  private readonly index: ConversationIndex;

  constructor(readonly folder: string, private readonly options: ConversationStoreOptions = {}) {
    // A streaming answer is saved at most this often. The promise is that a killed window loses at
    // most one second of what was on screen; that second also holds the locked, fsynced write
    // itself and the view's delivery lag, so the interval is shorter than a second.
    this.throttleMs = options.throttleMs ?? 700;
    this.timers = options.timers ?? realTimers;
    this.index = new ConversationIndex(folder, () => this.writeOptions(), (note) => this.log(note));
  }

  /** A new, unsaved conversation (it is written once it has a message). */
  create(model: string): Conversation {
    const now = this.timers.now();
    return { version: CONVERSATION_VERSION, id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, model, messages: [], totals: emptyTotals() };
  }

  /** Most recent first: the index checked against the folder, so no conversation file is missed. */
  async list(): Promise<ConversationSummary[]> {
    await this.queue;
    const { index, changed } = await this.index.reconciled();
    // Found files go into the index for next time; the list itself does not depend on it.
    if (changed) await this.enqueue(() => this.index.remember(index.conversations)).catch((error: Error) => this.log(`updating the conversation index failed: ${error.message}`));
    return [...index.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<LoadResult> {
    await this.queue;
    const file = this.fileOf(id);
    const read = await readJsonFile(file);
    if (read.kind === 'missing') {
      await this.enqueue(() => this.removeFromIndex(id));
      return { kind: 'missing' };
    }
    const parsed = read.kind === 'ok' ? parseConversation(read.value) : { kind: 'invalid' as const, problem: read.problem };
    if (parsed.kind === 'ok' && parsed.conversation.id === id) {
      const conversation = parsed.conversation;
      for (const note of parsed.notes) this.log(`conversation ${id}: ${note}`);
      // A file saved mid-stream (crash, reload) still says "streaming": it is not any more.
      for (const m of conversation.messages) if (m.status === 'streaming') m.status = 'interrupted';
      await this.remember(id, conversation, conversation, parsed.fromTheFuture);
      return parsed.notes.length > 0 ? { kind: 'ok', conversation, notes: parsed.notes } : { kind: 'ok', conversation };
    }
    const problem = parsed.kind === 'invalid' ? parsed.problem : `id ${parsed.conversation.id} does not match the file name`;
    // Stryker disable next-line StringLiteral: equivalent: the value is always replaced before it is read
    let movedTo = '';
    await this.enqueue(async () => {
      movedTo = await this.setAside(file, id);
      await this.removeFromIndex(id);
    });
    return { kind: 'corrupt', movedTo, warning: `The saved conversation could not be read (${problem}). It was set aside as ${path.basename(movedTo)}.` };
  }

  /** Writes now (answer finished, rename...). Cancels a pending throttled save of the same conversation. */
  async save(conversation: Conversation): Promise<void> {
    this.cancelThrottled(conversation.id);
    await this.enqueue(() => this.write(conversation));
  }

  /** Saves at most once per throttle interval; the latest state passed in is the one written. */
  scheduleSave(conversation: Conversation): void {
    const pending = this.throttled.get(conversation.id);
    if (pending) {
      pending.conversation = conversation;
      return;
    }
    const elapsed = this.timers.now() - (this.lastSavedAt.get(conversation.id) ?? -Infinity);
    const wait = Math.max(0, this.throttleMs - elapsed);
    const entry = { conversation, handle: undefined as unknown };
    entry.handle = this.timers.setTimeout(() => {
      this.throttled.delete(conversation.id);
      void this.enqueue(() => this.write(entry.conversation)).catch(() => undefined);
    }, wait);
    this.throttled.set(conversation.id, entry);
  }

  /** Writes every pending throttled save now (deactivation, switching conversation). */
  async flush(): Promise<void> {
    const pending = [...this.throttled.values()];
    for (const entry of pending) this.cancelThrottled(entry.conversation.id);
    for (const entry of pending) await this.enqueue(() => this.write(entry.conversation));
    await this.queue;
  }

  async rename(id: string, title: string): Promise<Conversation | undefined> {
    const loaded = await this.load(id);
    if (loaded.kind !== 'ok') return undefined;
    loaded.conversation.title = title.trim() || loaded.conversation.title;
    await this.save(loaded.conversation);
    return loaded.conversation;
  }

  async delete(id: string): Promise<void> {
    this.cancelThrottled(id);
    await this.enqueue(async () => {
      await unlink(this.fileOf(id)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      this.seen.delete(id);
      await this.removeFromIndex(id);
    });
    await this.options.onDeleted?.(id);
  }

  async getLastOpenId(): Promise<string | undefined> {
    await this.queue;
    return (await this.index.read()).lastOpenId;
  }

  async setLastOpenId(id: string | undefined): Promise<void> {
    await this.enqueue(() => this.index.update((index) => {
      if (index.lastOpenId === id) return false;
      index.lastOpenId = id;
    }));
  }

  fileOf(id: string): string {
    // Ids come from randomUUID, but a crafted index must not point outside the folder.
    if (!ID_PATTERN.test(id)) throw new Error(`Invalid conversation id: ${id}`);
    return path.join(this.folder, `${id}.json`);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    // The queue continues after a failed write; the caller still sees the failure.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private cancelThrottled(id: string): void {
    const pending = this.throttled.get(id);
    if (pending) {
      this.timers.clearTimeout(pending.handle);
      this.throttled.delete(id);
    }
  }

  private async write(conversation: Conversation): Promise<void> {
    this.lastSavedAt.set(conversation.id, this.timers.now());
    const file = this.fileOf(conversation.id);
    let merged: Conversation;
    try {
      // Locked: another window's save of the same conversation waits for this merge and write.
      merged = await withFileLock(file, async () => {
        const next = await this.mergeWithDisk(conversation, file);
        await writeJsonAtomic(file, next, this.writeOptions());
        await this.remember(conversation.id, conversation, next);
        return next;
      });
      this.failing.delete(file);
    } catch (error) {
      this.reportFailure(file, error as Error);
      throw error;
    }
    const summary = summaryOf(merged);
    await this.index.update((index) => upsert(index, summary, true)).then(
      () => this.failing.delete(this.index.file),
      (error: Error) => this.reportFailure(this.index.file, error),
    );
  }

  /**
   * This window's copy merged with the file, when the file changed since this store last read or
   * wrote it (another window saved). A file from a newer release is never overwritten.
   */
  private async mergeWithDisk(conversation: Conversation, file: string): Promise<Conversation> {
    const seen = this.seen.get(conversation.id);
    const stamp = await stampOf(file);
    // Stryker disable next-line ConditionalExpression: equivalent: a file that has no stamp is missing, and the read below returns this window's copy for a missing file
    if (!stamp) return conversation;
    if (seen?.newerFormat && stamp === seen.stamp) throw new NewerFormatError(file);
    // Stryker disable next-line ConditionalExpression: equivalent: an unchanged file holds `seen.content`, so reading it again merges with the same conversation (this only saves the read)
    if (seen && stamp === seen.stamp) return mergeConversation(conversation, seen.content, seen.known);
    const read = await readJsonFile(file);
    if (read.kind === 'missing') return conversation;
    // Stryker disable next-line ConditionalExpression: equivalent: an unreadable file parses as invalid, which takes the same set-aside path as undefined
    const parsed = read.kind === 'ok' ? parseConversation(read.value) : undefined;
    if (parsed?.kind === 'ok' && parsed.fromTheFuture) throw new NewerFormatError(file);
    if (parsed?.kind !== 'ok') {
      // Unreadable on disk, readable here: keep the damaged copy beside ours, then write ours.
      this.log(`conversation ${conversation.id}: the file on disk could not be read; set aside as ${path.basename(await this.setAside(file, conversation.id))}`);
      return conversation;
    }
    return mergeConversation(conversation, parsed.conversation, seen?.known ?? new Set());
  }

  /**
   * `ours` is this window's copy (its ids become known: one that later goes missing from it was
   * removed here on purpose), `content` what the file now holds.
   */
  private async remember(id: string, ours: Conversation, content: Conversation, newerFormat = false): Promise<void> {
    const known = this.seen.get(id)?.known ?? new Set<string>();
    for (const m of ours.messages) known.add(m.id);
    // Stryker disable next-line LogicalOperator,StringLiteral: equivalent: a stamp that never matches only makes the next save read the file again, which then merges with the same content
    this.seen.set(id, { stamp: (await stampOf(this.fileOf(id))) ?? '', known, content, newerFormat });
  }

  /** Moves an unreadable file aside (never deletes it). Runs inside the write queue. */
  private async setAside(file: string, id: string): Promise<string> {
    const movedTo = path.join(this.folder, `${id}.corrupt-${this.timers.now()}.json`);
    await rename(file, movedTo);
    return movedTo;
  }

  private reportFailure(file: string, error: Error): void {
    this.log(`saving ${file} failed: ${error.message}`);
    if (this.failing.has(file)) return;
    this.failing.add(file);
    this.options.onSaveFailed?.(file, error);
  }

  private removeFromIndex(id: string): Promise<void> {
    return this.index.update((index) => {
      const before = index.conversations.length;
      index.conversations = index.conversations.filter((c) => c.id !== id);
      const lastChanged = index.lastOpenId === id;
      if (lastChanged) index.lastOpenId = undefined;
      return index.conversations.length !== before || lastChanged;
    });
  }

  private writeOptions(): AtomicWriteOptions {
    const { beforeRename, beforeStage } = this.options;
    // Stryker disable next-line ConditionalExpression: equivalent: without either seam the hook calls nothing
    if (!beforeRename && !beforeStage) return {};
    return {
      beforeStage: async (stage, temp, final) => {
        await beforeStage?.(stage, temp, final);
        if (stage === 'rename') await beforeRename?.(temp, final);
      },
    };
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}

async function stampOf(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    return `${info.mtimeMs}:${info.size}:${info.ino}`;
  } catch
  // Stryker disable next-line BlockStatement: equivalent: an empty catch returns undefined all the same (between `catch` and its block: Babel gives a comment before `} catch` to the try block, where Stryker ignores it)
  {
    return undefined;
  }
}
