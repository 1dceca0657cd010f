// Opening a long conversation fast: a conversation snapshot (`init`, `conversation`) with many
// messages is split at a prompt; the newest messages are validated and shown at once, the older
// ones are validated in small slices after the first paint and then put above them
// (Transcript.prependMessages). Every message is still validated before the view uses it, once.
import { StoredMessage } from '../src/shared/model';
import { isRecord } from '../src/shared/records';
import { headMessageCount, splitIndex } from '../src/shared/snapshotSplit';

export { headMessageCount };
/** Older messages validated per slice (a few ms each, far below a long task). */
const sliceMessageCount = 100;

export interface StagedSnapshot {
  /** The snapshot with only its newest messages, to validate and handle as usual. */
  head: unknown;
  /** The older messages, not validated yet, oldest first. */
  older: unknown[];
}

/**
 * Splits a long snapshot; undefined for anything else (handled whole, as before), and for an `init`
 * the host already split (`olderMessages`: the older part comes from the host, olderMessages.ts).
 */
export function stageSnapshot(raw: unknown, headCount = headMessageCount): StagedSnapshot | undefined {
  if (!isRecord(raw) || (raw.type !== 'init' && raw.type !== 'conversation') || !isRecord(raw.conversation) || raw.olderMessages !== undefined) return undefined;
  const messages = raw.conversation.messages;
  if (!Array.isArray(messages)) return undefined;
  const split = splitIndex(messages, headCount);
  if (split === 0) return undefined;
  return { head: { ...raw, conversation: { ...raw.conversation, messages: messages.slice(split) } }, older: messages.slice(0, split) };
}

/** When the slices run: `first` after the newest turns painted (frameSlices.ts in the view). */
export interface SliceScheduler {
  first(step: () => void): void;
  next(step: () => void): void;
}

export interface OlderMessagesSink {
  /** All older messages validated: put them above the newest ones. */
  prepend(messages: StoredMessage[]): void;
  /** An older message failed validation (it is left out; the rest is shown). */
  invalid(index: number, error: string): void;
}

/**
 * Validates older messages in slices between frames and hands them over once, oldest first.
 * Returns a cancel function (a newer snapshot replaces the conversation meanwhile).
 */
export function loadOlderMessages(older: unknown[], sink: OlderMessagesSink, schedule: SliceScheduler): () => void {
  const valid: StoredMessage[] = [];
  let next = 0;
  let cancelled = false;
  const step = () => {
    if (cancelled) return;
    const end = Math.min(older.length, next + sliceMessageCount);
    for (; next < end; next++) {
      const result = StoredMessage.safeParse(older[next]);
      if (result.success) valid.push(result.data);
      else sink.invalid(next, `${result.error.issues[0]?.path.join('.') || '(root)'}: ${result.error.issues[0]?.message ?? 'invalid message'}`);
    }
    if (next < older.length) schedule.next(step);
    else sink.prepend(valid);
  };
  schedule.first(step);
  return () => { cancelled = true; };
}
