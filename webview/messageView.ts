// Rendering of one conversation turn: a "You" article for a prompt, an "Assistant" article holding
// one or more API messages (a tool loop: answer, tool calls, answer… is grouped under one article
// because it is one answer to the user; the tool_result user messages in between are not shown).
import { renderMessageContext } from './context/chips';
import { isImageBlock, isImageRefBlock, isTextBlock, isThinkingBlock, isToolUseBlock, type ContentBlock, type ErrorInfo, type MessageStatus, type StoredMessage, type ToolCallState, type Usage } from '../src/shared/model';
import type { DeltaOp, ElidedText, WebviewToHost } from '../src/shared/protocol';
import { sameDigest, withStreamedText, type TextDigest } from '../src/shared/textDigest';
import { h, formatTokens, formatUsd } from './dom';
import { renderError, type ErrorView } from './errors';
import { StreamingMarkdown } from './markdown/streamingMarkdown';
import { ToolCard, type ToolCardHooks } from './toolCard';
import { renderSentImage } from './images/lightbox';
import { actOnPlanRow, isFinishedPlan } from './planMode';

export interface ViewContext {
  post(message: WebviewToHost): void;
  /** Called after anything visible changed size (for follow-the-bottom scrolling). */
  contentChanged(): void;
  attachmentUris: Record<string, string>;
  /** Accessibility hooks (announcements, focus); absent in renderer-only harnesses. */
  a11y?: ViewA11y;
}

export interface ViewA11y {
  toolCards: ToolCardHooks;
  /** A streamed message finished: `text` is its rendered text, `stopped` when interrupted. */
  messageFinished(text: string, stopped: boolean): void;
  /** An error panel appeared live in an answer (not when a stored conversation is shown). */
  errorShown(panel: HTMLElement): void;
  /** A code block's Copy button was used. */
  copied(button: HTMLElement): void;
}

export type MessageUpdate = { status?: MessageStatus; stopReason?: string | null; usage?: Usage; usdSpent?: number; requestId?: string; error?: ErrorInfo; content?: ContentBlock[]; elided?: ElidedText[] };

type BlockView =
  | { kind: 'text'; markdown: StreamingMarkdown }
  | { kind: 'thinking'; summary: HTMLElement; markdown: StreamingMarkdown; startedAt: number }
  | { kind: 'tool'; card: ToolCard; toolUseId: string }
  | { kind: 'other'; element: HTMLElement };

export function renderUserTurn(message: StoredMessage, context: ViewContext): HTMLElement {
  const body = h('div', { class: 'message-content' });
  const chips = renderMessageContext(message.context);
  if (chips) body.append(chips);
  for (const block of message.content) {
    if (isTextBlock(block)) body.append(h('div', { class: 'user-text' }, block.text));
    else if (isImageRefBlock(block)) {
      // A button named "View image NAME" that opens the larger view (images/lightbox.ts).
      body.append(renderSentImage(block, context.attachmentUris[block.id]));
    } else if (isImageBlock(block)) {
      const source = block.source;
      body.append(renderSentImage({ name: 'Attached image', width: 0, height: 0 }, `data:${source.media_type};base64,${source.data}`));
    }
  }
  return h('article', { class: 'turn user-turn', 'aria-label': 'You', 'data-message-id': message.id }, h('div', { class: 'turn-role', 'aria-hidden': 'true' }, 'You'), body);
}

export class AssistantTurn {
  readonly element: HTMLElement;
  private readonly partsElement: HTMLElement;
  private readonly footer: HTMLElement;
  /** `Act on this plan`, shown once a Plan-mode answer has finished (planMode.ts). */
  private readonly planAction = actOnPlanRow();
  readonly parts: AssistantPart[] = [];

  constructor(private readonly context: ViewContext) {
    this.partsElement = h('div', { class: 'turn-parts' });
    this.footer = h('div', { class: 'turn-footer', hidden: true });
    this.element = h('article', { class: 'turn assistant-turn', 'aria-label': 'Assistant' },
      h('div', { class: 'turn-role', 'aria-hidden': 'true' }, 'Assistant'), this.partsElement, this.planAction, this.footer);
  }

  addMessage(message: StoredMessage): AssistantPart {
    const part = new AssistantPart(message, this.context, () => this.renderFooter());
    this.parts.push(part);
    this.partsElement.appendChild(part.element);
    this.renderFooter();
    return part;
  }

  /** Totals of the API messages of this answer: model, tokens, cache and the gateway's cost. */
  private renderFooter(): void {
    this.planAction.hidden = !isFinishedPlan(this.parts[this.parts.length - 1]?.message);
    let input = 0, output = 0, cacheRead = 0, cacheWrite = 0, usd = 0, hasUsd = false, hasUsage = false;
    let model = '';
    for (const part of this.parts) {
      const message = part.message;
      model = message.model ?? model;
      if (message.usage) {
        hasUsage = true;
        input += message.usage.input_tokens;
        output += message.usage.output_tokens;
        cacheRead += message.usage.cache_read_input_tokens ?? 0;
        cacheWrite += message.usage.cache_creation_input_tokens ?? 0;
      }
      if (message.usdSpent !== undefined) { hasUsd = true; usd += message.usdSpent; }
    }
    const requestIds = this.parts.map((part) => part.message.requestId ?? part.message.error?.requestId).filter((id): id is string => Boolean(id));
    if (!hasUsage && !hasUsd && requestIds.length === 0) { this.footer.hidden = true; return; }
    const items = [model, `${formatTokens(input)} in`, `${formatTokens(output)} out`];
    if (cacheRead) items.push(`cache read ${formatTokens(cacheRead)}`);
    if (cacheWrite) items.push(`cache write ${formatTokens(cacheWrite)}`);
    if (hasUsd) items.push(formatUsd(usd));
    this.footer.textContent = hasUsage || hasUsd ? items.filter(Boolean).join(' · ') : '';
    if (requestIds.length > 0) this.footer.append(renderRequestIds(requestIds));
    this.footer.hidden = false;
  }
}

export class AssistantPart {
  readonly element: HTMLElement;
  private readonly content: HTMLElement;
  private readonly statusNote: HTMLElement;
  private readonly blocks = new Map<number, BlockView>();
  private readonly toolCards = new Map<string, ToolCard>();
  private errorView: ErrorView | undefined;
  /** A `resendMessage` was posted and its whole content has not arrived yet (one request per message). */
  private resendAsked = false;

  constructor(readonly message: StoredMessage, private readonly context: ViewContext, private readonly onChange: () => void) {
    this.content = h('div', { class: 'message-content' });
    this.statusNote = h('div', { class: 'status-note', hidden: true });
    this.element = h('div', { class: 'message-part', 'data-message-id': message.id }, this.content, this.statusNote);
    const streaming = message.status === 'streaming';
    message.content.forEach((block, index) => {
      this.startBlock(index, block, !streaming);
      if (block.type === 'text' && block.text) this.textBlock(index)?.markdown.append(String(block.text));
      if (!streaming) this.finishBlock(index, block, false);
    });
    for (const call of Object.values(message.toolCalls ?? {})) this.setToolCall(call);
    this.applyStatus();
  }

  applyDelta(op: DeltaOp): void {
    if (op.op === 'start') {
      this.startBlock(op.index, op.block, false);
      // Blocks normally start empty; keep any initial text rather than drop it.
      if (op.block.type === 'text' && op.block.text) this.appendToBlock(op.index, String(op.block.text));
    }
    else if (op.op === 'append') this.appendToBlock(op.index, op.text);
    else this.finishBlock(op.index, op.block, true, op.elided);
  }

  update(update: MessageUpdate): void {
    if (update.usage) this.message.usage = update.usage;
    if (update.usdSpent !== undefined) this.message.usdSpent = update.usdSpent;
    if (update.requestId) this.message.requestId = update.requestId;
    if (update.error) this.message.error = update.error;
    const wasStreaming = this.message.status === 'streaming';
    if (update.content) {
      const content = this.withStreamedTexts(update.content, update.elided);
      this.message.content = content;
      content.forEach((block, index) => {
        if (!this.blocks.has(index)) this.startBlock(index, block, true);
        this.finishBlock(index, block, false, undefined, wasStreaming);
      });
    }
    if (update.status) this.message.status = update.status;
    if (update.stopReason !== undefined) this.message.stopReason = update.stopReason;
    this.applyStatus(true);
    if (wasStreaming && update.status && update.status !== 'streaming') this.announceFinished();
    if (update.status || update.usage || update.usdSpent !== undefined || update.requestId || update.error?.requestId) this.onChange();
  }

  /**
   * The final content with the texts its sender left out put back from what was streamed here,
   * each checked against its digest. A copy that differs (a lost or doubled delta) is shown for now
   * and the whole message is asked for again; without elided texts the content is whole as sent.
   */
  private withStreamedTexts(content: ContentBlock[], elided: ElidedText[] | undefined): ContentBlock[] {
    if (!elided?.length) {
      this.resendAsked = false;
      return content;
    }
    const digests = new Map(elided.map((digest) => [digest.index, digest]));
    return content.map((block, index) => {
      const digest = digests.get(index);
      if (!digest) return block;
      const text = this.streamedText(index);
      if (text === undefined || !sameDigest(text, digest)) this.askForResend();
      return withStreamedText(block, text ?? '');
    });
  }

  private streamedText(index: number): string | undefined {
    const view = this.blocks.get(index);
    return view?.kind === 'text' || view?.kind === 'thinking' ? view.markdown.text : undefined;
  }

  private askForResend(): void {
    if (this.resendAsked) return;
    this.resendAsked = true;
    this.context.post({ type: 'resendMessage', messageId: this.message.id });
  }

  setToolCall(call: ToolCallState): void {
    const card = this.toolCards.get(call.toolUseId);
    if (card) card.update(call);
    else this.addToolCard(call);
    this.context.contentChanged();
  }

  /** Said once per finished message, never per delta (the content is aria-busy meanwhile). */
  private announceFinished(): void {
    const text = Array.from(this.content.querySelectorAll(':scope > .markdown-body')).map((block) => block.textContent ?? '').join(' ');
    if (text.trim()) this.context.a11y?.messageFinished(text, this.message.status === 'interrupted');
  }

  private applyStatus(live = false): void {
    const { status, error } = this.message;
    const streaming = status === 'streaming';
    // While streaming the content is marked busy so screen readers do not read every token; it is
    // announced once when it is complete.
    this.content.setAttribute('aria-busy', String(streaming));
    this.element.dataset.status = status ?? 'complete';
    if (!streaming) {
      for (const block of this.blocks.values()) if (block.kind === 'text' || block.kind === 'thinking') block.markdown.finish(undefined, live);
    }
    this.statusNote.hidden = status !== 'interrupted';
    this.statusNote.textContent = status === 'interrupted' ? 'Interrupted' : '';
    if (error && error.kind !== 'aborted' && !this.errorView) {
      this.errorView = renderError(error, this.context.post);
      this.element.appendChild(this.errorView.element);
      if (live) this.context.a11y?.errorShown(this.errorView.element);
    }
    this.context.contentChanged();
  }

  private textBlock(index: number): Extract<BlockView, { kind: 'text' }> | undefined {
    const block = this.blocks.get(index);
    return block?.kind === 'text' ? block : undefined;
  }

  private startBlock(index: number, block: ContentBlock, restored: boolean): void {
    if (this.blocks.has(index)) return;
    let view: BlockView;
    let element: HTMLElement;
    if (isTextBlock(block)) {
      element = h('div', { class: 'markdown-body' });
      view = { kind: 'text', markdown: new StreamingMarkdown(element, () => this.context.contentChanged()) };
    } else if (isThinkingBlock(block)) {
      // Thinking is markdown like the answer, through the same sanitising renderer.
      const summary = h('summary', null, restored ? 'Thinking' : 'Thinking…');
      const body = h('div', { class: 'thinking-text markdown-body' });
      const markdown = new StreamingMarkdown(body, () => this.context.contentChanged());
      markdown.append(block.thinking);
      element = h('details', { class: 'thinking' }, summary, body);
      view = { kind: 'thinking', summary, markdown, startedAt: Date.now() };
    } else if (block.type === 'redacted_thinking') {
      element = h('div', { class: 'note redacted' }, "Some reasoning was redacted by the model's safety systems");
      view = { kind: 'other', element };
    } else if (isToolUseBlock(block)) {
      const toolUse = block;
      const card = this.toolCards.get(toolUse.id) ?? this.addToolCard({ toolUseId: toolUse.id, tool: toolUse.name, target: '', status: restored ? 'succeeded' : 'validating' }, false);
      element = card.element;
      view = { kind: 'tool', card, toolUseId: toolUse.id };
    } else {
      // Server-tool blocks and future block types: named, not rendered.
      element = h('div', { class: 'note' }, block.type.replace(/_/g, ' '));
      view = { kind: 'other', element };
    }
    element.dataset.blockIndex = String(index);
    this.blocks.set(index, view);
    this.insertInOrder(element, index);
  }

  private insertInOrder(element: HTMLElement, index: number): void {
    const after = Array.from(this.content.children).find((child) => Number((child as HTMLElement).dataset.blockIndex) > index);
    this.content.insertBefore(element, after ?? null);
  }

  private appendToBlock(index: number, text: string): void {
    const view = this.blocks.get(index);
    if (!view) return;
    if (view.kind === 'text') view.markdown.append(text);
    else if (view.kind === 'thinking') view.markdown.append(text);
    else if (view.kind === 'tool') view.card.appendInputPreview(text);
  }

  /**
   * `live`: finished by the stream (a finish op). `elided`: the block came without its text (the
   * digest of what should have streamed here). `streamed`: its text came as a stream (rendered in
   * frame slices, not at once).
   */
  private finishBlock(index: number, block: ContentBlock, live: boolean, elided?: TextDigest, streamed = live): void {
    const view = this.blocks.get(index);
    if (elided && !(view && sameDigest(this.streamedText(index) ?? '', elided))) this.askForResend();
    if (!view) return;
    if (view.kind === 'text' && isTextBlock(block)) view.markdown.finish(elided ? undefined : block.text, streamed);
    else if (view.kind === 'thinking' && isThinkingBlock(block)) {
      const thinking = block.thinking;
      view.markdown.finish(elided ? undefined : thinking || undefined, streamed);
      if (live) view.summary.textContent = `Thought for ${Math.max(1, Math.round((Date.now() - view.startedAt) / 1000))} s`;
      else if (view.summary.textContent === 'Thinking…') view.summary.textContent = 'Thinking';
    }
  }

  private addToolCard(call: ToolCallState, insert = true): ToolCard {
    const card = new ToolCard(call, this.context.post, this.context.a11y?.toolCards);
    this.toolCards.set(call.toolUseId, card);
    // A state for a tool_use block not streamed yet: show it at the end until its block arrives.
    if (insert) this.content.appendChild(card.element);
    return card;
  }
}

/**
 * The gateway's request ids of an answer (x-inference-id), for support: in a collapsed "Details"
 * with a selectable code element and a copy button per id.
 */
function renderRequestIds(ids: readonly string[]): HTMLElement {
  const rows = ids.map((id) => h('div', { class: 'request-id-row' },
    h('span', {}, 'Request id '),
    h('code', { class: 'request-id' }, id),
    h('button', {
      type: 'button', class: 'icon-button copy-request-id', 'aria-label': `Copy request id ${id}`, title: 'Copy request id',
      onclick: () => void navigator.clipboard?.writeText(id).catch(() => undefined),
    }, 'Copy')));
  return h('details', { class: 'turn-details' }, h('summary', {}, 'Details'), ...rows);
}
