// The chat view: builds the DOM inside #app and routes validated host messages to its parts.
import type { ChatMode, ConversationTotals, ErrorInfo } from '../src/shared/model';
import type { ViewSettings as ViewSettingsLike } from '../src/shared/protocol';
import type { HostToWebview, WebviewToHost } from '../src/shared/protocol';
import { createAnnouncer, type Announcer } from './announcer';
import { summarize } from './format';
import { Composer } from './composer';
import { showCopied } from './copyFeedback';
import { focusAfterDecision, focusError } from './focus';
import { installKeyboardHelpKey, keyboardHelpButton } from './keyboardHelp';
import { installContext, type ContextFeatures } from './context';
import { h, iconButton, formatTokens, formatUsd } from './dom';
import { renderError, type ErrorView } from './errors';
import { installImageInput, type ImageInput } from './images/imageInput';
import { Transcript } from './transcript';
import { loadOlderMessages } from './stagedSnapshot';
import { frameSlices } from './frameSlices';
import { HostOlderMessages } from './olderMessages';
import { installCheckpoints } from './checkpoints';
import { ACT_ON_PLAN_EVENT, ACT_ON_PLAN_PROMPT } from './planMode';

export interface AppServices {
  post(message: WebviewToHost): void;
  saveDraft(draft: string): void;
  initialDraft: string;
  /** The `Mode` control's choice, kept in the webview state (per workspace). */
  saveMode(mode: ChatMode): void;
  initialMode: ChatMode;
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
  private readonly announcer: Announcer;
  private readonly context: ContextFeatures;
  private busy = false;
  private readonly showCheckpoints: (turnIds: string[]) => void;
  private readonly older: HostOlderMessages;

  constructor(root: HTMLElement, private readonly services: AppServices) {
    const post = services.post;
    this.announcer = createAnnouncer();
    const announcer = this.announcer;
    this.transcript = new Transcript(post, {
      toolCards: {
        awaitingApproval: (call) => announcer.assertive(`Approval needed: ${call.tool} ${call.target}. ${call.approval?.reason ?? ''} ${call.approval?.kind === 'apply_discard' ? 'Apply or Discard.' : 'Allow or Deny.'}`.replace(/\s+/g, ' ').trim()),
        decided: (card) => focusAfterDecision(this.transcript.element, card, () => this.composer.focus()),
      },
      messageFinished: (text, stopped) => announcer.polite(`${stopped ? 'Answer stopped' : 'Assistant answered'}: ${summarize(text)}`),
      errorShown: (panel) => focusError(panel, this.composer.messageBox),
      copied: (button) => showCopied(button, (text) => announcer.polite(text)),
    });
    this.older = new HostOlderMessages(post, this.transcript, frameSlices.first);
    this.composer = new Composer(post, (draft) => services.saveDraft(draft), { initial: services.initialMode, changed: (mode) => services.saveMode(mode) });
    this.totals = h('span', { class: 'totals', 'aria-label': 'Conversation totals' });
    this.notice = h('div', { class: 'notice', role: 'status', hidden: true });
    this.welcome = h('section', { class: 'welcome', 'aria-label': 'Welcome', hidden: true },
      h('h2', null, 'Welcome to AIML Chat'),
      h('p', null, 'Chat with Claude models through the AI/ML API. Set your API key to begin; it is kept in VS Code\'s secret storage.'),
      h('button', { type: 'button', class: 'primary', onclick: () => post({ type: 'setApiKey' }) }, 'Set API key'));
    this.errorArea = h('div', { class: 'error-area' });
    // History, model and key commands live in the view's title bar (VS Code's place for view
    // actions); New chat stays here too because the view's contract names it (DESIGN.md), so the
    // title bar no longer repeats it.
    const header = h('div', { class: 'chat-header' },
      iconButton('New chat', 'add', () => { post({ type: 'newChat' }); this.composer.focus(); }),
      keyboardHelpButton(),
      this.totals);
    // The whole view is one main landmark with a (visually hidden) title, so a screen reader's
    // landmark and heading navigation start at the chat. (The header row is a plain div: a
    // <header> here would be a banner landmark nested in main.)
    root.setAttribute('role', 'main');
    root.setAttribute('aria-label', 'AIML Chat');
    const title = h('h1', { class: 'visually-hidden' }, 'AIML Chat');
    root.replaceChildren(title, header, this.notice, this.welcome, this.transcript.element, this.errorArea, this.composer.element, this.announcer.element);
    installKeyboardHelpKey();
    // `Act on this plan` (planMode.ts): back to Agent mode, and the plan is carried out.
    root.addEventListener(ACT_ON_PLAN_EVENT, () => this.composer.sendInMode(ACT_ON_PLAN_PROMPT, 'agent'));
    // Paste, drop and host-picked images: the image pipeline owns that wiring.
    this.imageInput = installImageInput({ tray: this.composer.tray, messageBox: this.composer.messageBox, dropZone: root, attachUris: (uris) => post({ type: 'attachImageUris', uris }) });
    this.context = installContext(this.composer, post);
    this.showCheckpoints = installCheckpoints(this.transcript.log, post);
    if (services.initialDraft) this.composer.setText(services.initialDraft);
    // Escape stops the answer from anywhere in the view, at once.
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.busy && !event.defaultPrevented) {
        event.preventDefault();
        post({ type: 'stop' });
      }
    });
  }

  /** An `init` or `conversation`: its turns, the older messages it held back, the last prompt, totals. */
  private showConversation(message: Extract<HostToWebview, { type: 'init' | 'conversation' }>): void {
    const { conversation } = message;
    this.transcript.setConversation(conversation, message.attachmentUris);
    if (message.olderMessages) this.older.expect(conversation.id, conversation.messages[0]?.id ?? '');
    else this.older.cancel();
    this.transcript.decorateTurns((turn) => this.context.markCompaction(turn, conversation));
    this.composer.rememberPrompt(this.transcript.lastPrompt(conversation));
    this.setTotals(conversation.totals);
  }

  handle(message: HostToWebview): void {
    if (this.context.handle(message)) return;
    switch (message.type) {
      case 'init':
        this.showConversation(message);
        this.composer.setModels(message.models, message.model);
        this.applyState({ hasApiKey: message.hasApiKey, busy: message.busy, settings: message.settings });
        break;
      case 'olderMessages':
        this.older.receive(message);
        break;
      case 'conversation':
        this.showConversation(message);
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
        // The error takes focus (Retry or the alert) before the prompt is put back, unfocused.
        this.showError(message.error);
        if (message.prompt) this.composer.restorePrompt(message.prompt, false);
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
      case 'checkpoints':
        this.showCheckpoints(message.turnIds);
        break;
    }
  }

  /**
   * The older part of a long conversation snapshot (stagedSnapshot.ts): validated in slices after
   * its newest turns showed, then put above them. Returns a cancel function.
   */
  loadOlderMessages(older: unknown[]): () => void {
    this.transcript.awaitOlderMessages();
    return loadOlderMessages(older, {
      prepend: (messages) => this.transcript.prependMessages(messages),
      invalid: (index, error) => this.warn(`left out invalid message ${index} of the conversation: ${error}`),
    }, frameSlices);
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
    focusError(this.errorView.element, this.composer.messageBox);
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
