// The transcript: a role="log" list of turns, follow-the-bottom scrolling with a "Jump to latest"
// button, and delegated handling of links and code-block buttons. Long conversations are
// virtualised (turnWindow.ts): only the turns near the viewport, the streaming one and the focused
// one are in the DOM; a turn scrolled back into view is rendered again from its stored messages.
import { isTextBlock, type Conversation, type StoredMessage, type ToolCallState } from '../src/shared/model';
import type { DeltaOp, WebviewToHost } from '../src/shared/protocol';
import { h, iconButton } from './dom';
import { AssistantPart, AssistantTurn, renderUserTurn, type MessageUpdate, type ViewA11y, type ViewContext } from './messageView';
import { TurnWindow, type Slot } from './turnWindow';
import { applyStoredUpdate, estimateTurnHeight, groupTurns, isLiveTurn, storeToolCall, type TurnData } from './turns';

export { groupTurns } from './turns';

const bottomSlackPx = 24;

export class Transcript {
  readonly element: HTMLElement;
  /** The turns (role="log"): each turn is one of its children. */
  readonly log: HTMLElement;
  private readonly jumpButton: HTMLButtonElement;
  private readonly context: ViewContext;
  private readonly window: TurnWindow<TurnData>;
  /** API message id -> its rendered part (only for turns in the DOM). */
  private parts = new Map<string, AssistantPart>();
  private views = new Map<TurnData, AssistantTurn>();
  /** API message id -> its turn (every turn, rendered or not). */
  private turnOf = new Map<string, TurnData>();
  private decorate: ((turnElement: HTMLElement) => void) | undefined;
  /** While the older part of a conversation is validated: updates to its messages, by message id. */
  private olderUpdates: Map<string, ((message: StoredMessage) => void)[]> | undefined;
  private scrollQueued = false;
  /** True while a turn is (re-)rendered for the window: that is not new content below the reader. */
  private rendering = false;

  constructor(private readonly post: (message: WebviewToHost) => void, a11y?: ViewA11y) {
    // aria-live="off": the log is not read as it changes (every streamed delta, a whole restored
    // conversation); finished answers and approvals are announced once through the announcer.
    this.log = h('div', { class: 'transcript', role: 'log', 'aria-live': 'off', 'aria-label': 'Conversation', tabindex: 0 });
    this.jumpButton = iconButton('Jump to latest', 'arrow-down', () => this.scrollToBottom(), { className: 'jump-button', showLabel: true });
    this.jumpButton.hidden = true;
    this.element = h('div', { class: 'transcript-frame' }, this.log, this.jumpButton);
    this.context = { post, contentChanged: () => this.contentChanged(), attachmentUris: {}, a11y };
    this.window = new TurnWindow<TurnData>(this.log, {
      render: (slot, index) => this.renderSlot(slot, index),
      release: (slot) => this.releaseSlot(slot),
      estimate: estimateTurnHeight,
      pinned: isLiveTurn,
      windowChanged: () => this.numberTurns(),
    });
    this.log.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.log.addEventListener('click', (event) => this.onClick(event));
  }

  setConversation(conversation: Conversation, attachmentUris: Record<string, string>): void {
    this.olderUpdates = undefined;
    this.context.attachmentUris = { ...attachmentUris };
    this.turnOf.clear();
    const turns = groupTurns(conversation.messages);
    for (const turn of turns) for (const message of turn.messages) this.turnOf.set(message.id, turn);
    this.window.followBottom = true;
    this.jumpButton.hidden = true;
    this.window.reset(turns);
  }

  /** The older messages of the conversation come later (stagedSnapshot.ts): updates to them wait. */
  awaitOlderMessages(): void {
    this.olderUpdates = new Map();
  }

  /** Older messages of the conversation shown: put above the turns shown, with updates sent meanwhile. */
  prependMessages(messages: StoredMessage[], attachmentUris?: Record<string, string>): void {
    Object.assign(this.context.attachmentUris, attachmentUris);
    const updates = this.olderUpdates;
    this.olderUpdates = undefined;
    for (const message of messages) for (const apply of updates?.get(message.id) ?? []) apply(message);
    const turns = groupTurns(messages);
    for (const turn of turns) for (const message of turn.messages) this.turnOf.set(message.id, turn);
    this.window.prepend(turns);
  }

  /** Runs `decorate` on every turn element now in the DOM and on each one rendered later. */
  decorateTurns(decorate: (turnElement: HTMLElement) => void): void {
    this.decorate = decorate;
    for (const slot of this.window.slots) if (slot.element) decorate(slot.element);
  }

  /** The newest user prompt (for Up-arrow recall). */
  lastPrompt(conversation: Conversation): string {
    const prompt = [...conversation.messages].reverse().find((message) => message.role === 'user' && message.kind !== 'tool_results');
    return prompt?.content.filter(isTextBlock).map((block) => block.text).join('\n') ?? '';
  }

  addMessage(message: StoredMessage, attachmentUris?: Record<string, string>): void {
    Object.assign(this.context.attachmentUris, attachmentUris);
    if (message.role === 'user' && message.kind === 'tool_results') return;
    const last = this.window.slots[this.window.length - 1];
    if (message.role === 'assistant' && last?.item.role === 'assistant') {
      last.item.messages.push(message);
      this.turnOf.set(message.id, last.item);
      const view = this.views.get(last.item);
      if (view) this.parts.set(message.id, view.addMessage(message));
      this.contentChanged();
      return;
    }
    // The user just sent something: show it, whatever they were reading.
    if (message.role === 'user') this.window.followBottom = true;
    const turn: TurnData = { role: message.role, messages: [message] };
    this.turnOf.set(message.id, turn);
    this.window.push(turn);
    this.contentChanged();
  }

  applyDelta(messageId: string, ops: DeltaOp[]): boolean {
    const part = this.parts.get(messageId);
    if (!part) return false;
    for (const op of ops) part.applyDelta(op);
    return true;
  }

  updateMessage(messageId: string, update: MessageUpdate): boolean {
    const part = this.parts.get(messageId);
    if (part) { part.update(update); return true; }
    // Not rendered, so no streamed copy to check an elided text against: the whole message, please.
    if (update.elided?.length) this.context.post({ type: 'resendMessage', messageId });
    const message = this.storedMessage(messageId);
    if (message) applyStoredUpdate(message, update);
    return message !== undefined || this.updateOlder(messageId, (older) => applyStoredUpdate(older, update));
  }

  setToolCall(messageId: string, call: ToolCallState): boolean {
    const message = this.storedMessage(messageId);
    if (message) storeToolCall(message, call);
    const turn = this.turnOf.get(messageId);
    // A call that now waits for a decision pins its turn in the DOM.
    if (turn && !this.views.has(turn) && turn.role === 'assistant') this.window.update();
    const part = this.parts.get(messageId);
    part?.setToolCall(call);
    return part !== undefined || message !== undefined || this.updateOlder(messageId, (older) => storeToolCall(older, call));
  }

  private updateOlder(messageId: string, apply: (message: StoredMessage) => void): boolean {
    if (!this.olderUpdates) return false;
    this.olderUpdates.set(messageId, [...(this.olderUpdates.get(messageId) ?? []), apply]);
    return true;
  }

  private storedMessage(messageId: string): StoredMessage | undefined {
    return this.turnOf.get(messageId)?.messages.find((message) => message.id === messageId);
  }

  private renderSlot(slot: Slot<TurnData>, index: number): HTMLElement {
    const turn = slot.item;
    let article: HTMLElement;
    this.rendering = true;
    try {
      if (turn.role === 'user') article = renderUserTurn(turn.messages[0], this.context);
      else {
        const view = new AssistantTurn(this.context);
        for (const message of turn.messages) this.parts.set(message.id, view.addMessage(message));
        this.views.set(turn, view);
        article = view.element;
      }
    } finally {
      this.rendering = false;
    }
    const element = h('div', { class: 'turn-slot', 'data-turn-index': index }, article);
    this.decorate?.(element);
    return element;
  }

  private releaseSlot(slot: Slot<TurnData>): void {
    this.views.delete(slot.item);
    for (const message of slot.item.messages) this.parts.delete(message.id);
  }

  /** Screen readers hear "article 12 of 840" although most turns are not in the DOM. */
  private numberTurns(): void {
    const count = String(this.window.length);
    this.window.slots.forEach((slot, index) => {
      const element = slot.element;
      const article = element?.querySelector(':scope > article');
      if (!element || !article) return;
      element.dataset.turnIndex = String(index);
      article.setAttribute('aria-posinset', String(index + 1));
      article.setAttribute('aria-setsize', count);
    });
  }

  private onScroll(): void {
    const distance = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight;
    this.window.followBottom = distance <= bottomSlackPx;
    if (this.window.followBottom) this.jumpButton.hidden = true;
    this.window.schedule();
  }

  /** Coalesces the scroll work of every block rendered in the same frame into one layout. */
  private contentChanged(): void {
    if (this.scrollQueued || this.rendering) return;
    this.scrollQueued = true;
    queueMicrotask(() => {
      this.scrollQueued = false;
      if (this.window.followBottom) this.log.scrollTop = this.log.scrollHeight;
      else this.jumpButton.hidden = false;
    });
  }

  private scrollToBottom(): void {
    this.window.followBottom = true;
    this.jumpButton.hidden = true;
    this.window.update();
  }

  private onClick(event: Event): void {
    const target = event.target as Element | null;
    const action = target?.closest<HTMLElement>('[data-action]');
    if (action && this.log.contains(action)) {
      const code = action.closest('.code-block')?.querySelector('code')?.textContent ?? '';
      if (action.dataset.action === 'copy') {
        this.post({ type: 'copy', text: code });
        this.context.a11y?.copied(action);
      }
      if (action.dataset.action === 'insert') this.post({ type: 'insertAtCursor', code });
      return;
    }
    const link = target?.closest<HTMLAnchorElement>('a[href]');
    if (link && this.log.contains(link)) {
      // Nothing navigates inside the webview: the host decides how (and whether) to open it.
      event.preventDefault();
      this.post({ type: 'openLink', href: link.getAttribute('href') ?? '' });
    }
  }
}

