// Two VS Code windows share global storage, so the same conversation can be open, and saved, in
// both. A save never simply replaces the file: it merges this window's copy with what is on disk,
// by message id, so turns written by the other window survive.
import type { Conversation, ConversationTotals, StoredMessage } from '../../shared/model';

/**
 * `ours` is this window's copy, `disk` what the file holds now, `known` every message id this
 * window has seen in the file or written to it: a message on disk that this window knew and no
 * longer has was removed on purpose (Retry, a failed prompt taken back) and stays removed; one it
 * never knew comes from the other window and is kept.
 */
export function mergeConversation(ours: Conversation, disk: Conversation, known: ReadonlySet<string>): Conversation {
  const diskById = new Map(disk.messages.map((m) => [m.id, m]));
  const merged = ours.messages.map((mine) => newerCopy(mine, diskById.get(mine.id)));
  const ourIds = new Set(ours.messages.map((m) => m.id));
  const theirs = disk.messages.filter((m) => !ourIds.has(m.id) && !known.has(m.id));
  if (theirs.length === 0 && merged.every((m, i) => m === ours.messages[i])) return ours;
  // Messages keep the order they were created in; for equal times, this window's order first.
  const messages = [...merged, ...theirs]
    .map((message, order) => ({ message, order }))
    .sort((a, b) => a.message.createdAt - b.message.createdAt || a.order - b.order)
    .map((entry) => entry.message);
  return {
    ...ours,
    messages,
    updatedAt: Math.max(ours.updatedAt, disk.updatedAt),
    totals: maxTotals(ours.totals, disk.totals),
  };
}

/**
 * The same message in both copies: this window's, unless it only has a cut-off copy (it opened the
 * conversation while the other window was still streaming the answer) and the disk has the
 * finished one. A message this window is streaming is always its own newest.
 */
function newerCopy(mine: StoredMessage, onDisk: StoredMessage | undefined): StoredMessage {
  if (!onDisk || mine.status !== 'interrupted') return mine;
  return onDisk.status === 'complete' || onDisk.status === 'error' ? onDisk : mine;
}

/** Each window's totals include the shared history: the larger figure of each is the better one. */
function maxTotals(a: ConversationTotals, b: ConversationTotals): ConversationTotals {
  return {
    inputTokens: Math.max(a.inputTokens, b.inputTokens),
    outputTokens: Math.max(a.outputTokens, b.outputTokens),
    cacheReadTokens: Math.max(a.cacheReadTokens, b.cacheReadTokens),
    cacheWriteTokens: Math.max(a.cacheWriteTokens, b.cacheWriteTokens),
    usdSpent: Math.max(a.usdSpent, b.usdSpent),
  };
}
