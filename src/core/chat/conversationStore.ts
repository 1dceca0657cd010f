// Conversations on disk: one JSON file per conversation plus an index (id, title, updatedAt,
// messageCount) so the history list never reads every conversation. Every write goes to a temp
// file in the same folder, is fsynced and then renamed over the target: a crash leaves either the
// old file or the new one, never half of one. While an answer streams, saves are throttled to one
// per second, so a crash or reload loses at most the last second of text.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import { atomicWriteFile } from '../util/atomicWrite';
import * as path from 'node:path';
import { Conversation, emptyTotals, type ConversationSummary } from '../../shared/model';

const INDEX_FILE = 'index.json';
const ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

interface IndexFile {
  version: 1;
  lastOpenId?: string;
  conversations: ConversationSummary[];
}

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
}

export type LoadResult =
  | { kind: 'ok'; conversation: Conversation }
  | { kind: 'missing' }
  | { kind: 'corrupt'; warning: string; movedTo: string };

const realTimers: StoreTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ConversationStore {
  private readonly throttleMs: number;
  private readonly timers: StoreTimers;
  /** All disk writes run one after another, so an index update never races another. */
  private queue: Promise<void> = Promise.resolve();
  private index: IndexFile | undefined;
  private readonly throttled = new Map<string, { handle: unknown; conversation: Conversation }>();
  private readonly lastSavedAt = new Map<string, number>();

  constructor(readonly folder: string, private readonly options: ConversationStoreOptions = {}) {
    this.throttleMs = options.throttleMs ?? 1000;
    this.timers = options.timers ?? realTimers;
  }

  /** A new, unsaved conversation (it is written once it has a message). */
  create(model: string): Conversation {
    const now = this.timers.now();
    return { version: 1, id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, model, messages: [], totals: emptyTotals() };
  }

  /** Most recent first. */
  async list(): Promise<ConversationSummary[]> {
    const index = await this.readIndex();
    return [...index.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<LoadResult> {
    await this.queue;
    const file = this.fileOf(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await this.enqueue(async () => this.removeFromIndex(id));
        return { kind: 'missing' };
      }
      throw error;
    }
    let problem: string | undefined;
    try {
      const parsed = Conversation.safeParse(JSON.parse(text));
      if (parsed.success) {
        // A file saved mid-stream (crash, reload) still says "streaming": it is not any more.
        for (const m of parsed.data.messages) if (m.status === 'streaming') m.status = 'interrupted';
        return { kind: 'ok', conversation: parsed.data };
      }
      problem = parsed.error.issues[0] ? `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}` : 'invalid';
    } catch (error) {
      problem = `not valid JSON (${(error as Error).message})`;
    }
    const movedTo = path.join(this.folder, `${id}.corrupt-${this.timers.now()}.json`);
    await this.enqueue(async () => {
      await rename(file, movedTo);
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
      await this.removeFromIndex(id);
    });
  }

  async getLastOpenId(): Promise<string | undefined> {
    return (await this.readIndex()).lastOpenId;
  }

  async setLastOpenId(id: string | undefined): Promise<void> {
    await this.enqueue(async () => {
      const index = await this.readIndex();
      if (index.lastOpenId === id) return;
      index.lastOpenId = id;
      await this.writeIndex(index);
    });
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
    await this.atomicWrite(this.fileOf(conversation.id), JSON.stringify(conversation));
    const index = await this.readIndex();
    const summary: ConversationSummary = { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, messageCount: conversation.messages.length };
    const at = index.conversations.findIndex((c) => c.id === conversation.id);
    if (at >= 0) index.conversations[at] = summary;
    else index.conversations.push(summary);
    await this.writeIndex(index);
  }

  private async removeFromIndex(id: string): Promise<void> {
    const index = await this.readIndex();
    const before = index.conversations.length;
    index.conversations = index.conversations.filter((c) => c.id !== id);
    const lastChanged = index.lastOpenId === id;
    if (lastChanged) index.lastOpenId = undefined;
    if (index.conversations.length !== before || lastChanged) await this.writeIndex(index);
  }

  private async readIndex(): Promise<IndexFile> {
    if (this.index) return this.index;
    try {
      const raw = JSON.parse(await readFile(path.join(this.folder, INDEX_FILE), 'utf8')) as Partial<IndexFile>;
      if (raw && raw.version === 1 && Array.isArray(raw.conversations)) {
        this.index = { version: 1, lastOpenId: typeof raw.lastOpenId === 'string' ? raw.lastOpenId : undefined, conversations: raw.conversations.filter(isSummary) };
        return this.index;
      }
    } catch {
      // Missing or unreadable: rebuilt below from the conversation files themselves.
    }
    this.index = await this.rebuildIndex();
    return this.index;
  }

  /** Reads every conversation file once; only needed when the index is missing or damaged. */
  private async rebuildIndex(): Promise<IndexFile> {
    const conversations: ConversationSummary[] = [];
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return { version: 1, conversations };
    }
    for (const name of names) {
      const match = /^([A-Za-z0-9_-]+)\.json$/.exec(name);
      if (!match || name === INDEX_FILE) continue;
      try {
        const parsed = Conversation.safeParse(JSON.parse(await readFile(path.join(this.folder, name), 'utf8')));
        if (parsed.success) conversations.push({ id: parsed.data.id, title: parsed.data.title, updatedAt: parsed.data.updatedAt, messageCount: parsed.data.messages.length });
      } catch {
        // A corrupt file is left alone here; opening it sets it aside with a warning.
      }
    }
    return { version: 1, conversations };
  }

  private async writeIndex(index: IndexFile): Promise<void> {
    this.index = index;
    await this.atomicWrite(path.join(this.folder, INDEX_FILE), JSON.stringify(index));
  }

  private async atomicWrite(file: string, text: string): Promise<void> {
    await atomicWriteFile(file, text, this.options.beforeRename);
  }
}

function isSummary(value: unknown): value is ConversationSummary {
  const v = value as ConversationSummary;
  return !!v && typeof v.id === 'string' && ID_PATTERN.test(v.id) && typeof v.title === 'string' && typeof v.updatedAt === 'number' && typeof v.messageCount === 'number';
}
