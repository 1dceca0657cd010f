// The chat view: builds the DOM inside #app and routes validated host messages to its parts.
import type { ConversationTotals, ErrorInfo } from '../src/shared/model';
import type { ViewSettings as ViewSettingsLike } from '../src/shared/protocol';
import type { HostToWebview, WebviewToHost } from '../src/shared/protocol';
import { Composer } from './composer';
import { installContext, type ContextFeatures } from './context';
import { h, iconButton, formatTokens, formatUsd } from './dom';
import { renderError, type ErrorView } from './errors';
import { installImageInput, type ImageInput } from './images/imageInput';
import { Transcript } from './transcript';

export interface AppServices {
  post(message: WebviewToHost): void;
  saveDraft(draft: string): void;
  initialDraft: string;
}

export class ChatApp {
  private readonly transcript: Transcript;
  private readonly composer: Composer;
  private readonly totals: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly welcome: HTMLElement;
  private readonly errorArea: HTMLElement;
  private errorView: ErrorView | undefined;
  private readonly imageInput: ImageInput;
  private readonly context: ContextFeatures;
  private busy = false;

  constructor(root: HTMLElement, private readonly services: AppServices) {
    const post = services.post;
    this.transcript = new Transcript(post);
    this.composer = new Composer(post, (draft) => services.saveDraft(draft));
    this.totals = h('span', { class: 'totals', 'aria-label': 'Conversation totals' });
    this.notice = h('div', { class: 'notice', role: 'status', hidden: true });
    this.welcome = h('section', { class: 'welcome', 'aria-label': 'Welcome', hidden: true },
      h('h2', null, 'Welcome to AIML Chat'),
      h('p', null, 'Chat with Claude models through the AI/ML API. Set your API key to begin; it is kept in VS Code\'s secret storage.'),
      h('button', { type: 'button', class: 'primary', onclick: () => post({ type: 'setApiKey' }) }, 'Set API key'));
    this.errorArea = h('div', { class: 'error-area' });
    const header = h('header', { class: 'chat-header' },
      iconButton('New chat', 'add', () => post({ type: 'newChat' })),
      iconButton('History', 'history', () => post({ type: 'showHistory' })),
      this.totals);
    root.replaceChildren(header, this.notice, this.welcome, this.transcript.element, this.errorArea, this.composer.element);
    // Paste, drop and host-picked images: the image pipeline owns that wiring.
    this.imageInput = installImageInput({ tray: this.composer.tray, messageBox: this.composer.messageBox, dropZone: root, attachUris: (uris) => post({ type: 'attachImageUris', uris }) });
    this.context = installContext(this.composer, post);
    if (services.initialDraft) this.composer.setText(services.initialDraft);
    // Escape stops the answer from anywhere in the view, at once.
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.busy && !event.defaultPrevented) {
        event.preventDefault();
        post({ type: 'stop' });
      }
    });
  }

  handle(message: HostToWebview): void {
    if (this.context.handle(message)) return;
    switch (message.type) {
      case 'init':
        this.transcript.setConversation(message.conversation, message.attachmentUris);
        this.context.markCompaction(this.transcript.element, message.conversation);
        this.composer.rememberPrompt(this.transcript.lastPrompt(message.conversation));
        this.composer.setModels(message.models, message.model);
        this.setTotals(message.conversation.totals);
        this.applyState({ hasApiKey: message.hasApiKey, busy: message.busy, settings: message.settings });
        break;
      case 'conversation':
        this.transcript.setConversation(message.conversation, message.attachmentUris);
        this.context.markCompaction(this.transcript.element, message.conversation);
        this.composer.rememberPrompt(this.transcript.lastPrompt(message.conversation));
        this.setTotals(message.conversation.totals);
        this.clearError();
        break;
      case 'state':
        if (message.model) this.composer.setModel(message.model);
        this.applyState(message);
        break;
      case 'messageAdded':
        this.transcript.addMessage(message.message, message.attachmentUris);
        break;
      case 'delta':
        if (!this.transcript.applyDelta(message.messageId, message.ops)) this.warn(`delta for unknown message ${message.messageId}`);
        break;
      case 'messageUpdated':
        this.transcript.updateMessage(message.messageId, message);
        break;
      case 'toolCall':
        if (!this.transcript.setToolCall(message.messageId, message.call)) this.warn(`tool call for unknown message ${message.messageId}`);
        break;
      case 'totals':
        this.setTotals(message.totals);
        break;
      case 'error':
        this.showError(message.error);
        if (message.prompt) this.composer.restorePrompt(message.prompt);
        break;
      case 'clearError':
        this.clearError();
        break;
      case 'addAttachment':
        this.imageInput.addFromHost(message).catch((error: unknown) => this.warn(`attachment refused: ${String(error)}`));
        break;
      case 'focusComposer':
        if (message.text !== undefined) this.composer.setText(message.text);
        this.composer.focus();
        break;
      case 'restorePrompt':
        this.composer.restorePrompt(message.text);
        break;
    }
  }

  private applyState(state: { hasApiKey?: boolean; busy?: boolean; settings?: ViewSettingsLike }): void {
    if (state.hasApiKey !== undefined) this.welcome.hidden = state.hasApiKey;
    if (state.busy !== undefined) {
      this.busy = state.busy;
      this.composer.setBusy(state.busy);
    }
    if (state.settings) {
      this.notice.textContent = state.settings.toolsNotice ?? '';
      this.notice.hidden = !state.settings.toolsNotice;
    }
  }

  private setTotals(totals: ConversationTotals): void {
    const tokens = `${formatTokens(totals.inputTokens)} in · ${formatTokens(totals.outputTokens)} out`;
    this.totals.textContent = totals.usdSpent > 0 ? `${tokens} · ${formatUsd(totals.usdSpent)}` : tokens;
    this.totals.title = `Conversation: ${tokens}, cache read ${formatTokens(totals.cacheReadTokens)}, cache write ${formatTokens(totals.cacheWriteTokens)}, ${formatUsd(totals.usdSpent)}`;
  }

  private showError(error: ErrorInfo): void {
    this.clearError();
    this.errorView = renderError(error, this.services.post);
    this.errorArea.appendChild(this.errorView.element);
  }

  private clearError(): void {
    this.errorView?.dispose();
    this.errorView = undefined;
    this.errorArea.replaceChildren();
  }

  private warn(message: string): void {
    this.services.post({ type: 'log', level: 'warn', message: `[webview] ${message}` });
  }
}
