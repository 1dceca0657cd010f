// Rendering of one conversation turn: a "You" article for a prompt, an "Assistant" article holding
// one or more API messages (a tool loop: answer, tool calls, answer… is grouped under one article
// because it is one answer to the user; the tool_result user messages in between are not shown).
import { renderMessageContext } from './context/chips';
import type { ContentBlock, ErrorInfo, ImageRefBlock, MessageStatus, StoredMessage, ToolCallState, Usage } from '../src/shared/model';
import type { DeltaOp, WebviewToHost } from '../src/shared/protocol';
import { h, formatTokens, formatUsd } from './dom';
import { renderError, type ErrorView } from './errors';
import { StreamingMarkdown } from './markdown/streamingMarkdown';
import { ToolCard } from './toolCard';
import { renderSentImage } from './images/lightbox';

export interface ViewContext {
  post(message: WebviewToHost): void;
  /** Called after anything visible changed size (for follow-the-bottom scrolling). */
  contentChanged(): void;
  attachmentUris: Record<string, string>;
}

export type MessageUpdate = { status?: MessageStatus; usage?: Usage; usdSpent?: number; error?: ErrorInfo; content?: ContentBlock[] };

type BlockView =
  | { kind: 'text'; markdown: StreamingMarkdown }
  | { kind: 'thinking'; summary: HTMLElement; body: Text; startedAt: number }
  | { kind: 'tool'; card: ToolCard; toolUseId: string }
  | { kind: 'other'; element: HTMLElement };

export function renderUserTurn(message: StoredMessage, context: ViewContext): HTMLElement {
  const body = h('div', { class: 'message-content' });
  const chips = renderMessageContext(message.context);
  if (chips) body.append(chips);
  for (const block of message.content) {
    if (block.type === 'text') body.append(h('div', { class: 'user-text' }, String(block.text)));
    else if (block.type === 'image_ref') {
      // A button named "View image NAME" that opens the larger view (images/lightbox.ts).
      const ref = block as ImageRefBlock;
      body.append(renderSentImage(ref, context.attachmentUris[ref.id]));
    } else if (block.type === 'image') {
      const source = (block as { source: { media_type: string; data: string } }).source;
      body.append(renderSentImage({ name: 'Attached image', width: 0, height: 0 }, `data:${source.media_type};base64,${source.data}`));
    }
  }
  return h('article', { class: 'turn user-turn', 'aria-label': 'You', 'data-message-id': message.id }, h('div', { class: 'turn-role', 'aria-hidden': 'true' }, 'You'), body);
}

export class AssistantTurn {
  readonly element: HTMLElement;
  private readonly partsElement: HTMLElement;
  private readonly footer: HTMLElement;
  readonly parts: AssistantPart[] = [];

  constructor(private readonly context: ViewContext) {
    this.partsElement = h('div', { class: 'turn-parts' });
    this.footer = h('div', { class: 'turn-footer', hidden: true });
    this.element = h('article', { class: 'turn assistant-turn', 'aria-label': 'Assistant' },
      h('div', { class: 'turn-role', 'aria-hidden': 'true' }, 'Assistant'), this.partsElement, this.footer);
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
    if (!hasUsage && !hasUsd) { this.footer.hidden = true; return; }
    const items = [model, `${formatTokens(input)} in`, `${formatTokens(output)} out`];
    if (cacheRead) items.push(`cache read ${formatTokens(cacheRead)}`);
    if (cacheWrite) items.push(`cache write ${formatTokens(cacheWrite)}`);
    if (hasUsd) items.push(formatUsd(usd));
    this.footer.textContent = items.filter(Boolean).join(' · ');
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

  constructor(readonly message: StoredMessage, private readonly context: ViewContext, private readonly onUsage: () => void) {
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
    else this.finishBlock(op.index, op.block, true);
  }

  update(update: MessageUpdate): void {
    if (update.usage) this.message.usage = update.usage;
    if (update.usdSpent !== undefined) this.message.usdSpent = update.usdSpent;
    if (update.error) this.message.error = update.error;
    if (update.content) {
      this.message.content = update.content;
      update.content.forEach((block, index) => {
        if (!this.blocks.has(index)) this.startBlock(index, block, true);
        this.finishBlock(index, block, false);
      });
    }
    if (update.status) this.message.status = update.status;
    this.applyStatus();
    if (update.usage || update.usdSpent !== undefined) this.onUsage();
  }

  setToolCall(call: ToolCallState): void {
    const card = this.toolCards.get(call.toolUseId);
    if (card) card.update(call);
    else this.addToolCard(call);
    this.context.contentChanged();
  }

  private applyStatus(): void {
    const { status, error } = this.message;
    const streaming = status === 'streaming';
    // While streaming the content is marked busy so screen readers do not read every token; it is
    // announced once when it is complete.
    this.content.setAttribute('aria-busy', String(streaming));
    this.element.dataset.status = status ?? 'complete';
    if (!streaming) {
      for (const block of this.blocks.values()) if (block.kind === 'text') block.markdown.finish();
    }
    this.statusNote.hidden = status !== 'interrupted';
    this.statusNote.textContent = status === 'interrupted' ? 'Interrupted' : '';
    if (error && error.kind !== 'aborted' && !this.errorView) {
      this.errorView = renderError(error, this.context.post);
      this.element.appendChild(this.errorView.element);
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
    if (block.type === 'text') {
      element = h('div', { class: 'markdown-body' });
      view = { kind: 'text', markdown: new StreamingMarkdown(element, () => this.context.contentChanged()) };
    } else if (block.type === 'thinking') {
      const summary = h('summary', null, restored ? 'Thinking' : 'Thinking…');
      const body = document.createTextNode(String((block as { thinking?: string }).thinking ?? ''));
      element = h('details', { class: 'thinking' }, summary, h('div', { class: 'thinking-text' }, body));
      view = { kind: 'thinking', summary, body, startedAt: Date.now() };
    } else if (block.type === 'redacted_thinking') {
      element = h('div', { class: 'note redacted' }, "Some reasoning was redacted by the model's safety systems");
      view = { kind: 'other', element };
    } else if (block.type === 'tool_use') {
      const toolUse = block as { id: string; name: string };
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
    else if (view.kind === 'thinking') { view.body.appendData(text); this.context.contentChanged(); }
    else if (view.kind === 'tool') view.card.appendInputPreview(text);
  }

  private finishBlock(index: number, block: ContentBlock, live: boolean): void {
    const view = this.blocks.get(index);
    if (!view) return;
    if (view.kind === 'text' && block.type === 'text') view.markdown.finish(String(block.text));
    else if (view.kind === 'thinking' && block.type === 'thinking') {
      const thinking = String((block as { thinking?: string }).thinking ?? '');
      if (thinking && thinking !== view.body.data) view.body.data = thinking;
      if (live) view.summary.textContent = `Thought for ${Math.max(1, Math.round((Date.now() - view.startedAt) / 1000))} s`;
      else if (view.summary.textContent === 'Thinking…') view.summary.textContent = 'Thinking';
    }
  }

  private addToolCard(call: ToolCallState, insert = true): ToolCard {
    const card = new ToolCard(call, this.context.post);
    this.toolCards.set(call.toolUseId, card);
    // A state for a tool_use block not streamed yet: show it at the end until its block arrives.
    if (insert) this.content.appendChild(card.element);
    return card;
  }
}
