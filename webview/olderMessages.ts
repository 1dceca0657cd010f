// The older messages of a long conversation that the host held back from `init` (issue 15: the
// view shows the newest turns within 300 ms). Asked for once the newest turns have painted, they
// arrive in parts (already validated on arrival, a few ms each) and are put above the turns shown
// in one step, which keeps the reading position; updates to them sent meanwhile wait in the
// transcript (Transcript.awaitOlderMessages) and are applied then.
import type { StoredMessage } from '../src/shared/model';
import type { HostToWebview, WebviewToHost } from '../src/shared/protocol';

type OlderPart = Extract<HostToWebview, { type: 'olderMessages' }>;

export interface OlderMessagesTarget {
  /** Older messages are on their way: updates to them wait. */
  awaitOlderMessages(): void;
  prependMessages(messages: StoredMessage[], attachmentUris: Record<string, string>): void;
}

export class HostOlderMessages {
  private nextRequestId = 1;
  private pending: { requestId: number; before: string; messages: StoredMessage[]; uris: Record<string, string> } | undefined;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    private readonly target: OlderMessagesTarget,
    /** When to ask: after the next paint (frameSlices.ts). */
    private readonly afterPaint: (then: () => void) => void,
  ) {}

  /** `init` held back the messages of `conversationId` before message `before`. */
  expect(conversationId: string, before: string): void {
    const requestId = this.nextRequestId++;
    this.pending = { requestId, before, messages: [], uris: {} };
    this.target.awaitOlderMessages();
    this.afterPaint(() => {
      if (this.pending?.requestId === requestId) this.post({ type: 'loadOlderMessages', requestId, conversationId, before });
    });
  }

  /** A newer snapshot replaced the conversation: parts still on their way are dropped. */
  cancel(): void {
    this.pending = undefined;
  }

  receive(part: OlderPart): void {
    const pending = this.pending;
    if (!pending || part.requestId !== pending.requestId || part.before !== pending.before) return;
    for (const message of part.messages) pending.messages.push(message);
    Object.assign(pending.uris, part.attachmentUris);
    if (!part.done) return;
    this.pending = undefined;
    this.target.prependMessages(pending.messages, pending.uris);
  }
}
