// Where a long conversation is cut for opening it fast (issue 15): the newest messages are shown at
// once, the older ones come after the first paint. One rule for the host, which sends only the
// newest part in `init` (src/host/chatPresenter.ts), and the webview, which stages any other long
// snapshot it receives (webview/stagedSnapshot.ts).
import { isRecord } from './records';

/** Newest messages shown at once: several screens of turns, a few ms to validate and copy. */
export const headMessageCount = 120;

/** A user prompt starts a turn: the split never cuts an assistant turn (tool results glue its parts). */
export function startsTurn(message: unknown): boolean {
  return isRecord(message) && message.role === 'user' && message.kind !== 'tool_results';
}

/**
 * The index of the first message of the newest part: the prompt at or before the `headCount`-th
 * message from the end. 0 (nothing to split off) for a short conversation or one without such a prompt.
 */
export function splitIndex(messages: readonly unknown[], headCount = headMessageCount): number {
  // A conversation of headCount messages or fewer starts at 0, and the loop leaves 0 alone.
  let split = Math.max(0, messages.length - headCount);
  while (split > 0 && !startsTurn(messages[split])) split--;
  return split;
}
