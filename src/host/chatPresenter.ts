// The sidebar's presenter: turns a ChatSession's events into HostToWebview messages. It owns what
// only the webview needs (delta coalescing, webview URIs of stored images, the init snapshot) and
// nothing of the chat's logic. Free of the `vscode` module, so it is unit-tested in plain Node.
import type { Conversation, ImageRefBlock, ModelInfo, StoredMessage } from '../shared/model';
import type { ElidedText, HostToWebview, ViewSettings } from '../shared/protocol';
import { elideText } from '../shared/textDigest';
import { splitIndex } from '../shared/snapshotSplit';
import { DeltaCoalescer, deltaOpsForEvent } from '../core/chat/coalescer';
import { imageRefsOf } from '../core/chat/conversationOps';
import type { ChatSession } from '../core/chat/session/chatSession';
import type { SessionEvent } from '../core/chat/session/types';
import type { ChatSettings } from './config';

export type ViewPoster = (message: HostToWebview) => void;

/** Older messages per `olderMessages` post: each one a few ms to copy and validate in the view. */
const OLDER_PART_MESSAGES = 200;

export interface PresenterDeps {
  settings(): ChatSettings;
  toolsStatus(): { available: boolean; notice?: string };
  models(): ModelInfo[];
  /** Webview URI of a stored image, for thumbnails; undefined when no view can show it. */
  attachmentUri(ref: ImageRefBlock): string | undefined;
  /** Coalescer interval; tests pass 0. */
  deltaIntervalMs?: number;
}

export class ChatPresenter {
  private poster: ViewPoster | undefined;
  private readonly coalescer: DeltaCoalescer;
  private readonly subscription: { dispose(): void };

  constructor(private readonly session: ChatSession, private readonly deps: PresenterDeps) {
    this.coalescer = new DeltaCoalescer((messageId, ops) => this.post({ type: 'delta', messageId, ops }), deps.deltaIntervalMs ?? 30);
    this.subscription = session.subscribe((event) => this.present(event));
  }

  /** The view's post function; messages are dropped while no ready view is attached. */
  setPoster(poster: ViewPoster | undefined): void {
    this.poster = poster;
  }

  /**
   * Called on every `ready` (first load and each webview reload): a full snapshot, never a diff. A
   * long conversation's older messages are held back (the same cut as webview/stagedSnapshot.ts):
   * copying and validating 2,000 messages would delay the first frame; the view asks for them.
   */
  initMessage(hasApiKey: boolean): HostToWebview {
    // Pending deltas are already part of the snapshot below.
    this.coalescer.discard();
    const settings = this.deps.settings();
    return {
      type: 'init',
      ...this.newestPart(this.session.conversation),
      hasApiKey,
      model: settings.model,
      models: this.deps.models(),
      settings: this.viewSettings(settings),
      busy: this.session.isBusy,
    };
  }

  /**
   * A conversation snapshot for `init` or `conversation`: a long conversation's newest messages
   * only (src/shared/snapshotSplit.ts), with how many older ones the view asks for (`olderMessages`).
   */
  private newestPart(conversation: Conversation): { conversation: Conversation; attachmentUris: Record<string, string>; olderMessages?: number } {
    const split = splitIndex(conversation.messages);
    if (!split) return { conversation, attachmentUris: this.attachmentUris(conversation.messages) };
    const messages = conversation.messages.slice(split);
    return { conversation: { ...conversation, messages }, attachmentUris: this.attachmentUris(messages), olderMessages: split };
  }

  /**
   * The messages an `init` held back, in parts of a few ms each (oldest first, `done` on the last).
   * From the conversation as it is now, so changes made meanwhile are in. A request the current
   * conversation cannot answer (another one is shown, or its messages were rewritten) gets the
   * whole conversation again (never split: the view stages it itself), so the view never stays
   * without its older part.
   */
  olderMessages(request: { requestId: number; conversationId: string; before: string }): void {
    const conversation = this.session.conversation;
    const end = conversation.id === request.conversationId ? conversation.messages.findIndex((message) => message.id === request.before) : -1;
    if (end < 0) {
      this.post({ type: 'conversation', conversation, attachmentUris: this.attachmentUris(conversation.messages) });
      return;
    }
    let start = 0;
    do {
      const messages = conversation.messages.slice(start, Math.min(end, start + OLDER_PART_MESSAGES));
      start += OLDER_PART_MESSAGES;
      this.post({ type: 'olderMessages', requestId: request.requestId, before: request.before, messages, attachmentUris: this.attachmentUris(messages), done: start >= end });
    } while (start < end);
  }

  viewSettings(settings = this.deps.settings()): ViewSettings {
    const tools = this.deps.toolsStatus();
    return { thinkingEnabled: settings.thinkingEnabled, toolsAvailable: tools.available, toolsNotice: tools.notice, spendCapUsd: settings.spendCapUsd };
  }

  onSettingsChanged(): void {
    const settings = this.deps.settings();
    this.post({ type: 'state', model: settings.model, settings: this.viewSettings(settings) });
  }

  onApiKeyChanged(hasApiKey: boolean): void {
    this.post({ type: 'state', hasApiKey });
    if (hasApiKey) this.post({ type: 'clearError' });
  }

  dispose(): void {
    this.subscription.dispose();
    this.coalescer.dispose();
    this.poster = undefined;
  }

  private present(event: SessionEvent): void {
    // An event about a conversation the view no longer shows (a late answer) is not the view's business.
    if ('conversation' in event && event.conversation !== this.session.conversation) return;
    switch (event.type) {
      case 'conversationShown': {
        const { conversation } = event;
        // Switching to a long conversation: its newest turns first, like `init`; the view asks for the rest.
        this.post({ type: 'conversation', ...this.newestPart(conversation) });
        if (event.reason !== 'changed') this.post({ type: 'totals', totals: conversation.totals });
        if (event.reason === 'newChat') this.post({ type: 'focusComposer' });
        return;
      }
      case 'totals':
        return this.post({ type: 'totals', totals: event.totals });
      case 'messageAdded':
        return this.post({ type: 'messageAdded', message: event.message, attachmentUris: this.attachmentUris([event.message]) });
      case 'streamDelta':
        for (const op of deltaOpsForEvent(event.event, event.snapshot)) this.coalescer.push(event.message.id, op);
        return;
      case 'messageFinished':
        this.coalescer.flush();
        return this.post(finalUpdate(event.message, true));
      case 'toolCard':
        // Deltas first, so the card never arrives before its tool_use block.
        this.coalescer.flush();
        return this.post({ type: 'toolCall', messageId: event.message.id, call: event.call });
      case 'busyChanged':
        if (!event.busy) this.coalescer.flush();
        return this.post({ type: 'state', busy: event.busy });
      case 'error':
        return this.post({ type: 'error', error: event.error });
      case 'errorCleared':
        return this.post({ type: 'clearError' });
      case 'promptReturned':
        // The one place a prompt goes back to the composer: the error (if any) never carries it too.
        if (event.error) this.post({ type: 'error', error: event.error });
        return this.post({ type: 'restorePrompt', text: event.text });
      case 'warning':
        return; // shown by the feature as a VS Code notification
    }
  }

  /**
   * The webview's streamed copy of a message differs from the digest its end carried (a lost or
   * doubled delta): the whole final content again, nothing left out.
   */
  resendMessage(messageId: string): void {
    const message = this.session.conversation.messages.find((candidate) => candidate.id === messageId);
    if (message) this.post(finalUpdate(message, false));
  }

  private post(message: HostToWebview): void {
    this.poster?.(message);
  }

  private attachmentUris(messages: StoredMessage[]): Record<string, string> {
    const uris: Record<string, string> = {};
    for (const ref of imageRefsOf(messages)) {
      const uri = this.safeUri(ref);
      if (uri) uris[ref.id] = uri;
    }
    return uris;
  }

  private safeUri(ref: ImageRefBlock): string | undefined {
    try {
      return this.deps.attachmentUri(ref);
    } catch {
      return undefined;
    }
  }
}

/**
 * The end of a message: its status, usage and final content. With `elide`, long streamed texts are
 * left out (the deltas carried them) and only their digests go along, so the end of a 200 KB answer
 * does not send the 200 KB again.
 */
function finalUpdate(message: StoredMessage, elide: boolean): HostToWebview {
  const { id, status, stopReason, usage, usdSpent, error, requestId } = message;
  let content = message.content;
  const elided: ElidedText[] = [];
  if (elide && status !== 'streaming') {
    content = content.map((block, index) => {
      const result = elideText(block);
      if (result.elided) elided.push({ index, ...result.elided });
      return result.block;
    });
  }
  return { type: 'messageUpdated', messageId: id, status, stopReason, usage, usdSpent, error, content, requestId, ...(elided.length ? { elided } : {}) };
}
