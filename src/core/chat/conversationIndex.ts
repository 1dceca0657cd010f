// The history list's index: id, title, date and count of every conversation, so listing does not
// read every file. It is a cache of the folder, not the truth: two windows may each rewrite it, so
// every update re-reads it from disk first, and listing adds any conversation file the index
// misses and drops entries whose file is gone. A conversation written by one window can therefore
// never vanish from the other's history.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { ConversationSummary } from '../../shared/model';
import { withFileLock } from '../storage/fileLock';
import { readJsonFile, writeJsonAtomic, type AtomicWriteOptions } from '../storage/atomicFile';
import { INDEX_VERSION, parseConversation, parseIndex, summaryOf, type IndexFile } from './conversationFormat';

export const INDEX_FILE = 'index.json';
// Stryker disable next-line Regex: equivalent: an id cut from the end or the start of another name is then read as `<id>.json`, which the folder listing has already or which does not exist
const CONVERSATION_FILE = /^([A-Za-z0-9_-]{1,80})\.json$/;

export class ConversationIndex {
  /** Set once an index from a newer release is seen: it is read, never overwritten. */
  private readOnly = false;

  constructor(
    private readonly folder: string,
    private readonly writeOptions: () => AtomicWriteOptions,
    private readonly warn: (note: string) => void,
  ) {}

  get file(): string {
    return path.join(this.folder, INDEX_FILE);
  }

  /** The index as on disk now (empty when missing or unreadable). */
  async read(): Promise<IndexFile> {
    // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent: any answer but 'ok' reads as an empty index
    const file = await readJsonFile(this.file).catch(() => ({ kind: 'invalid' as const, problem: 'unreadable' }));
    // Stryker disable next-line ConditionalExpression: equivalent: a missing or invalid read has no value, which parseIndex() rejects, giving the same empty index
    if (file.kind !== 'ok') return { version: INDEX_VERSION, conversations: [] };
    const index = parseIndex(file.value, this.warn);
    if (!index) return { version: INDEX_VERSION, conversations: [] };
    if (index.fromTheFuture) this.readOnly = true;
    return { version: INDEX_VERSION, lastOpenId: index.lastOpenId, conversations: index.conversations };
  }

  /** Re-reads the index, applies the change and writes it back (unless it came from a newer release). */
  async update(change: (index: IndexFile) => boolean | void): Promise<void> {
    await withFileLock(this.file, async () => {
      const index = await this.read();
      if (change(index) === false || this.readOnly) return;
      await writeJsonAtomic(this.file, index, this.writeOptions());
    });
  }

  /** Index entries checked against the folder: missing files are summarised, gone ones dropped. */
  async reconciled(): Promise<{ index: IndexFile; changed: boolean }> {
    const index = await this.read();
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return { index, changed: false };
    }
    // Stryker disable next-line ArrayDeclaration: equivalent: a made-up id for a name that is no conversation file is read as `<id>.json`, which does not exist
    const onDisk = new Set(names.flatMap((name) => CONVERSATION_FILE.exec(name)?.[1] ?? []).filter((id) => `${id}.json` !== INDEX_FILE));
    const listed = new Set(index.conversations.map((c) => c.id));
    const kept = index.conversations.filter((c) => onDisk.has(c.id));
    let changed = kept.length !== index.conversations.length;
    for (const id of onDisk) {
      if (listed.has(id)) continue;
      const summary = await this.summarise(id);
      if (summary) {
        kept.push(summary);
        changed = true;
      }
    }
    index.conversations = kept;
    return { index, changed };
  }

  /** Merges found summaries into the index on disk (another window may have written meanwhile). */
  async remember(summaries: ConversationSummary[]): Promise<void> {
    await this.update((index) => {
      for (const summary of summaries) upsert(index, summary);
    });
  }

  private async summarise(id: string): Promise<ConversationSummary | undefined> {
    try {
      const file = await readJsonFile(path.join(this.folder, `${id}.json`));
      // Stryker disable next-line ConditionalExpression: equivalent: a missing or invalid read has no value, which parseConversation() rejects
      if (file.kind !== 'ok') return undefined;
      const parsed = parseConversation(file.value);
      // A corrupt file is left alone here; opening it sets it aside with a warning.
      // Stryker disable next-line ConditionalExpression: equivalent for the first operand only: an invalid parse has no conversation, the id check throws and the catch below answers undefined
      return parsed.kind === 'ok' && parsed.conversation.id === id ? summaryOf(parsed.conversation) : undefined;
    } catch
    // Stryker disable next-line BlockStatement: equivalent: an empty catch returns undefined all the same (between `catch` and its block: Babel gives a comment before `} catch` to the try block, where Stryker ignores it)
    {
      return undefined;
    }
  }
}

/** Adds or replaces one summary; for the same id the more recently updated one wins. */
export function upsert(index: IndexFile, summary: ConversationSummary, force = false): void {
  const at = index.conversations.findIndex((c) => c.id === summary.id);
  if (at < 0) index.conversations.push(summary);
  else if (force || index.conversations[at].updatedAt <= summary.updatedAt) index.conversations[at] = summary;
}
