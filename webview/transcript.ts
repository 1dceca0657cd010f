// The transcript: a role="log" list of turns, follow-the-bottom scrolling with a "Jump to latest"
// button, delegated handling of links and code-block buttons, and progressive rendering of long
// conversations (the last turns synchronously, older ones in idle time or when scrolled to).
import { isTextBlock, type Conversation, type StoredMessage, type ToolCallState } from '../src/shared/model';
import type { DeltaOp, WebviewToHost } from '../src/shared/protocol';
import { h, iconButton } from './dom';
import { AssistantPart, AssistantTurn, renderUserTurn, type MessageUpdate, type ViewA11y, type ViewContext } from './messageView';

/** Messages rendered before the first paint; the rest follow in idle callbacks. */
export const initialMessageCount = 30;
const idleChunkTurns = 4;
const bottomSlackPx = 24;

interface TurnData {
  role: 'user' | 'assistant';
  messages: StoredMessage[];
}

/** Groups messages into visible turns; tool_result messages only glue assistant messages together. */
export function groupTurns(messages: StoredMessage[]): TurnData[] {
  const turns: TurnData[] = [];
  for (const message of messages) {
    if (message.role === 'user' && message.kind === 'tool_results') continue;
    const last = turns[turns.length - 1];
    if (message.role === 'assistant' && last?.role === 'assistant') last.messages.push(message);
    else turns.push({ role: message.role, messages: [message] });
  }
  return turns;
}

export class Transcript {
  readonly element: HTMLElement;
  private readonly log: HTMLElement;
  private readonly jumpButton: HTMLButtonElement;
  private readonly context: ViewContext;
  private parts = new Map<string, AssistantPart>();
  private lastTurn: { role: 'user' | 'assistant'; assistant?: AssistantTurn } | undefined;
  private pendingOlder: TurnData[] = [];
  private followBottom = true;
  private scrollQueued = false;
  private idleHandle: number | undefined;
  private generation = 0;

  constructor(private readonly post: (message: WebviewToHost) => void, a11y?: ViewA11y) {
    // aria-live="off": the log is not read as it changes (every streamed delta, a whole restored
    // conversation); finished answers and approvals are announced once through the announcer.
    this.log = h('div', { class: 'transcript', role: 'log', 'aria-live': 'off', 'aria-label': 'Conversation', tabindex: 0 });
    this.jumpButton = iconButton('Jump to latest', 'arrow-down', () => this.scrollToBottom(), { className: 'jump-button', showLabel: true });
    this.jumpButton.hidden = true;
    this.element = h('div', { class: 'transcript-frame' }, this.log, this.jumpButton);
    this.context = { post, contentChanged: () => this.contentChanged(), attachmentUris: {}, a11y };
    this.log.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.log.addEventListener('click', (event) => this.onClick(event));
  }

  setConversation(conversation: Conversation, attachmentUris: Record<string, string>): void {
    this.generation += 1;
    if (this.idleHandle !== undefined) cancelIdle(this.idleHandle);
    this.context.attachmentUris = { ...attachmentUris };
    this.parts.clear();
    this.lastTurn = undefined;
    this.log.replaceChildren();
    const turns = groupTurns(conversation.messages);
    // Newest first, until enough messages for a screenful or more are in place.
    let firstRendered = turns.length;
    let messageCount = 0;
    while (firstRendered > 0 && messageCount < initialMessageCount) {
      firstRendered -= 1;
      messageCount += turns[firstRendered].messages.length;
    }
    const fragment = document.createDocumentFragment();
    for (const turn of turns.slice(firstRendered)) fragment.appendChild(this.renderTurn(turn));
    this.log.appendChild(fragment);
    this.pendingOlder = turns.slice(0, firstRendered);
    const last = turns[turns.length - 1];
    if (last?.role === 'user') this.lastTurn = { role: 'user' };
    this.followBottom = true;
    this.scrollToBottom();
    this.scheduleOlder();
  }

  /** The newest user prompt (for Up-arrow recall). */
  lastPrompt(conversation: Conversation): string {
    const prompt = [...conversation.messages].reverse().find((message) => message.role === 'user' && message.kind !== 'tool_results');
    return prompt?.content.filter(isTextBlock).map((block) => block.text).join('\n') ?? '';
  }

  addMessage(message: StoredMessage, attachmentUris?: Record<string, string>): void {
    Object.assign(this.context.attachmentUris, attachmentUris);
    if (message.role === 'user' && message.kind === 'tool_results') return;
    if (message.role === 'assistant' && this.lastTurn?.assistant) {
      this.parts.set(message.id, this.lastTurn.assistant.addMessage(message));
    } else if (message.role === 'assistant') {
      const turn = new AssistantTurn(this.context);
      this.parts.set(message.id, turn.addMessage(message));
      this.log.appendChild(turn.element);
      this.lastTurn = { role: 'assistant', assistant: turn };
    } else {
      this.log.appendChild(renderUserTurn(message, this.context));
      this.lastTurn = { role: 'user' };
      // The user just sent something: show it, whatever they were reading.
      this.followBottom = true;
    }
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
    part?.update(update);
    return part !== undefined;
  }

  setToolCall(messageId: string, call: ToolCallState): boolean {
    const part = this.parts.get(messageId);
    part?.setToolCall(call);
    return part !== undefined;
  }

  private renderTurn(turn: TurnData): HTMLElement {
    if (turn.role === 'user') return renderUserTurn(turn.messages[0], this.context);
    const view = new AssistantTurn(this.context);
    for (const message of turn.messages) this.parts.set(message.id, view.addMessage(message));
    this.lastTurn = { role: 'assistant', assistant: view };
    return view.element;
  }

  private scheduleOlder(): void {
    if (!this.pendingOlder.length) return;
    const generation = this.generation;
    this.idleHandle = requestIdle((deadline) => {
      if (generation !== this.generation) return;
      do this.renderOlderChunk(); while (this.pendingOlder.length && deadline.timeRemaining() > 8);
      this.scheduleOlder();
    });
  }

  /** Prepends older turns, keeping what the user is looking at in place. */
  private renderOlderChunk(): void {
    const chunk = this.pendingOlder.splice(Math.max(0, this.pendingOlder.length - idleChunkTurns));
    if (!chunk.length) return;
    const lastTurn = this.lastTurn;
    const fragment = document.createDocumentFragment();
    for (const turn of chunk) fragment.appendChild(this.renderTurn(turn));
    this.lastTurn = lastTurn; // older turns never become the turn new messages join
    const heightBefore = this.log.scrollHeight;
    this.log.insertBefore(fragment, this.log.firstChild);
    if (this.followBottom) this.log.scrollTop = this.log.scrollHeight;
    else this.log.scrollTop += this.log.scrollHeight - heightBefore;
  }

  private onScroll(): void {
    const distance = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight;
    this.followBottom = distance <= bottomSlackPx;
    if (this.followBottom) this.jumpButton.hidden = true;
    if (this.log.scrollTop < 200 && this.pendingOlder.length) this.renderOlderChunk();
  }

  /** Coalesces the scroll work of every block rendered in the same frame into one layout. */
  private contentChanged(): void {
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    queueMicrotask(() => {
      this.scrollQueued = false;
      if (this.followBottom) this.log.scrollTop = this.log.scrollHeight;
      else this.jumpButton.hidden = false;
    });
  }

  private scrollToBottom(): void {
    this.followBottom = true;
    this.jumpButton.hidden = true;
    this.log.scrollTop = this.log.scrollHeight;
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

type IdleDeadlineLike = { timeRemaining(): number };

function requestIdle(callback: (deadline: IdleDeadlineLike) => void): number {
  if (typeof requestIdleCallback === 'function') return requestIdleCallback(callback, { timeout: 500 });
  return window.setTimeout(() => callback({ timeRemaining: () => 12 }), 16);
}

function cancelIdle(handle: number): void {
  if (typeof cancelIdleCallback === 'function') cancelIdleCallback(handle);
  else clearTimeout(handle);
}
