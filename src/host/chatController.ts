// The chat's state machine on the host side: one current conversation, at most one answer in
// flight, and the webview kept in step through typed messages. It uses no VS Code API directly
// (dialogs, context keys and URIs come in through ChatUi/ChatControllerDeps), so it is unit-tested
// in plain Node with a fake MessagesApi.
import { randomUUID } from 'node:crypto';
import type { Conversation, ContentBlock, ErrorInfo, ImageRefBlock, StoredMessage } from '../shared/model';
import type { AttachmentPayload, HostToWebview, ViewSettings } from '../shared/protocol';
import { DeltaCoalescer, deltaOpsForEvent } from '../core/chat/coalescer';
import { addUsage, dropUnansweredFailedPrompt, imageRefsOf, isRetryableAnswer, textOf } from '../core/chat/conversationOps';
import { buildSystemPrompt, titleFromPrompt } from '../core/chat/prompts';
import { approximateInputChars, checkSpendCap, estimateNextRequestUsd } from '../core/chat/spendCap';
import { errorInfoOf, runTurn, type TurnCallbacks, type TurnOutcome } from '../core/chat/turnRunner';
import type { ChatSettings } from './config';
import type { ChatControllerDeps } from './chatControllerDeps';
import { turnDependencies } from './chatTurn';

export type { ChatControllerDeps, ChatLog, ChatUi } from './chatControllerDeps';

export type ViewPoster = (message: HostToWebview) => void;

export class ChatController {
  private conversation: Conversation;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private busy = false;
  private poster: ViewPoster | undefined;
  private readonly coalescer: DeltaCoalescer;
  private readonly newId: () => string;
  private readonly now: () => number;

  constructor(private readonly deps: ChatControllerDeps) {
    this.newId = deps.newId ?? (() => randomUUID());
    this.now = deps.now ?? (() => Date.now());
    this.coalescer = new DeltaCoalescer((messageId, ops) => this.post({ type: 'delta', messageId, ops }), deps.deltaIntervalMs ?? 30);
    this.conversation = deps.store.create(deps.settings().model);
  }

  /** Reopens the conversation that was open last time (a corrupt file is set aside with a warning). */
  async restoreLastConversation(): Promise<void> {
    const lastId = await this.deps.store.getLastOpenId();
    if (lastId) await this.openConversation(lastId);
  }

  get isBusy(): boolean {
    return this.busy;
  }

  currentConversation(): Conversation {
    return this.conversation;
  }

  /** The view's post function; messages are dropped while no ready view is attached. */
  setPoster(poster: ViewPoster | undefined): void {
    this.poster = poster;
  }

  /** Called on every `ready` (first load and each webview reload): a full snapshot, never a diff. */
  async initMessage(hasApiKey: boolean): Promise<HostToWebview> {
    // Pending deltas are already part of the snapshot below.
    this.coalescer.discard();
    const settings = this.deps.settings();
    return {
      type: 'init',
      conversation: this.conversation,
      hasApiKey,
      model: settings.model,
      models: this.deps.models(),
      settings: this.viewSettings(settings),
      busy: this.busy,
      attachmentUris: this.attachmentUris(this.conversation.messages),
    };
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

  async send(text: string, attachments: AttachmentPayload[] = []): Promise<void> {
    if (!text.trim() && attachments.length === 0) return;
    if (this.busy) {
      // One request at a time: the composer keeps the text.
      this.post({ type: 'restorePrompt', text });
      return;
    }
    this.busy = true; // claimed before the first await so a double click cannot start two answers
    const conversation = this.conversation;
    try {
      const prepared = await this.prepareRequest(text);
      if (!prepared || this.conversation !== conversation) {
        // Refused, or the user switched conversation while the spend-cap question was open.
        if (prepared) this.post({ type: 'restorePrompt', text });
        this.busy = false;
        return;
      }
      this.post({ type: 'clearError' });
      if (dropUnansweredFailedPrompt(this.conversation.messages)) this.postConversation();
      let images: ImageRefBlock[];
      try {
        images = await Promise.all(attachments.map((a) => this.deps.attachments.save(a)));
      } catch (error) {
        this.busy = false;
        this.postError({ kind: 'unknown', message: `The image could not be stored: ${(error as Error).message}` }, text);
        return;
      }
      const content: ContentBlock[] = [...images];
      if (text.trim()) content.push({ type: 'text', text });
      const message: StoredMessage = { id: this.newId(), role: 'user', kind: 'prompt', content, createdAt: this.now() };
      if (!conversation.messages.some((m) => m.kind === 'prompt')) conversation.title = titleFromPrompt(text || attachments[0]?.name || 'Image');
      conversation.messages.push(message);
      conversation.updatedAt = this.now();
      this.post({ type: 'messageAdded', message, attachmentUris: this.attachmentUris([message]) });
      this.persist(conversation);
      void this.deps.store.setLastOpenId(conversation.id).catch(() => undefined);
      await this.startAnswer(prepared.settings, prepared.apiKey, text);
    } catch (error) {
      this.busy = false;
      this.deps.log.error(`send failed: ${(error as Error).stack ?? error}`);
      this.postError(errorInfoOf(error), text);
    }
  }

  /** Re-sends the last prompt after a failed or cut-short answer, replacing that answer. */
  async retry(): Promise<void> {
    if (this.busy) return;
    const conversation = this.conversation;
    const messages = conversation.messages;
    const last = messages[messages.length - 1];
    const replaced = last && isRetryableAnswer(last) ? last : undefined;
    const tail = replaced ? messages[messages.length - 2] : last;
    if (!tail || tail.role !== 'user') {
      this.post({ type: 'clearError' });
      return;
    }
    this.busy = true;
    const promptText = tail.kind === 'prompt' ? textOf(tail) : undefined;
    try {
      const prepared = await this.prepareRequest(promptText ?? '', false);
      if (!prepared || this.conversation !== conversation) {
        this.busy = false;
        return;
      }
      if (replaced && messages[messages.length - 1] === replaced) messages.pop();
      this.post({ type: 'clearError' });
      this.postConversation();
      await this.startAnswer(prepared.settings, prepared.apiKey, promptText);
    } catch (error) {
      this.busy = false;
      this.postError(errorInfoOf(error));
    }
  }

  /** Stops the answer in flight at once; what has streamed stays, marked interrupted. */
  stop(): void {
    this.abort?.abort();
  }

  /** Resolves when no answer is running. */
  async waitIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  async newChat(): Promise<void> {
    await this.stopAndWait();
    if (this.conversation.messages.length > 0) await this.deps.store.save(this.conversation);
    // An empty chat is not saved; the next session should open empty too, not the old one.
    await this.deps.store.setLastOpenId(undefined);
    this.showConversation(this.deps.store.create(this.deps.settings().model));
    this.post({ type: 'focusComposer' });
  }

  /** Switches the view to a stored conversation. Returns false when it could not be opened. */
  async openConversation(id: string): Promise<boolean> {
    if (id === this.conversation.id) return true;
    await this.stopAndWait();
    await this.deps.store.flush();
    const loaded = await this.deps.store.load(id);
    if (loaded.kind === 'corrupt') {
      this.deps.log.warn(loaded.warning);
      this.deps.ui.warn(loaded.warning);
      return false;
    }
    if (loaded.kind === 'missing') return false;
    await this.deps.store.setLastOpenId(id);
    this.showConversation(loaded.conversation);
    return true;
  }

  async renameConversation(id: string, title: string): Promise<void> {
    if (id === this.conversation.id) {
      this.conversation.title = title.trim() || this.conversation.title;
      if (this.conversation.messages.length > 0) await this.deps.store.save(this.conversation);
      this.postConversation();
      return;
    }
    await this.deps.store.rename(id, title);
  }

  async deleteConversation(id: string): Promise<void> {
    if (id === this.conversation.id) {
      await this.stopAndWait();
      await this.deps.store.delete(id);
      this.showConversation(this.deps.store.create(this.deps.settings().model));
      return;
    }
    await this.deps.store.delete(id);
  }

  async dispose(): Promise<void> {
    this.abort?.abort();
    await this.waitIdle().catch(() => undefined);
    this.coalescer.dispose();
    await this.deps.store.flush();
  }

  private async stopAndWait(): Promise<void> {
    this.stop();
    await this.waitIdle();
  }

  /** Key and spend-cap checks; on refusal the prompt goes back to the composer. */
  private async prepareRequest(text: string, restore = true): Promise<{ settings: ChatSettings; apiKey: string } | undefined> {
    const apiKey = await this.deps.getApiKey();
    if (!apiKey) {
      this.postError({ kind: 'no_api_key', message: 'Set your AI/ML API key to start chatting.' }, restore ? text : undefined);
      return undefined;
    }
    const settings = this.deps.settings();
    if (settings.spendCapUsd !== null && settings.spendCapUsd !== undefined) {
      const system = buildSystemPrompt({ toolsAvailable: true });
      const estimate = estimateNextRequestUsd({ model: settings.model, inputChars: approximateInputChars(this.conversation.messages, system) + text.length, messages: this.conversation.messages });
      const check = checkSpendCap(this.conversation.totals, settings.spendCapUsd, estimate);
      if (check.kind === 'confirm' && !(await this.deps.ui.confirm(check.message, 'Send Anyway'))) {
        this.postError({ kind: 'config', message: 'Not sent: the spend cap for this conversation would be exceeded. Raise aimlChat.spendCapUsd or start a new chat.' }, restore ? text : undefined);
        return undefined;
      }
    }
    return { settings, apiKey };
  }

  private startAnswer(settings: ChatSettings, apiKey: string, promptText: string | undefined): Promise<void> {
    const run = this.runAnswer(settings, apiKey, promptText).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async runAnswer(settings: ChatSettings, apiKey: string, promptText: string | undefined): Promise<void> {
    const conversation = this.conversation;
    const abort = new AbortController();
    this.abort = abort;
    this.setBusy(true);
    conversation.model = settings.model;
    let outcome: TurnOutcome | undefined;
    try {
      const deps = turnDependencies({
        settings,
        api: this.deps.createApi(settings, apiKey),
        executor: this.deps.executor(),
        attachments: this.deps.attachments,
        models: this.deps.models(),
        workspaceName: this.deps.workspaceName(),
        newId: this.newId,
        now: this.now,
        logNote: (note) => this.deps.log.info(note),
      });
      outcome = await runTurn(conversation.messages, deps, this.turnCallbacks(conversation), abort.signal);
      if (outcome.kind === 'error') this.deps.log.warn(`answer failed: ${outcome.error.kind}: ${outcome.error.message}`);
      if (outcome.kind === 'tool_limit') this.deps.log.info(`tool-call limit (${settings.maxToolCallsPerTurn}) reached`);
    } catch (error) {
      const info = errorInfoOf(error);
      this.deps.log.error(`answer failed: ${(error as Error).stack ?? info.message}`);
      this.postError(info);
    } finally {
      this.coalescer.flush();
      if (this.abort === abort) this.abort = undefined;
      this.setBusy(false);
      conversation.updatedAt = this.now();
      await this.deps.store.save(conversation).catch((error: Error) => this.deps.log.error(`saving the conversation failed: ${error.message}`));
    }
    if (outcome?.kind === 'error' && !outcome.streamedAnything && promptText) this.post({ type: 'restorePrompt', text: promptText });
  }

  private turnCallbacks(conversation: Conversation): TurnCallbacks {
    return {
      onMessageAdded: (message) => {
        conversation.updatedAt = this.now();
        this.post({ type: 'messageAdded', message, attachmentUris: this.attachmentUris([message]) });
        this.persist(conversation);
      },
      onStreamEvent: (message, event, snapshot) => {
        for (const op of deltaOpsForEvent(event, snapshot)) this.coalescer.push(message.id, op);
        this.deps.store.scheduleSave(conversation);
      },
      onMessageFinished: (message) => {
        this.coalescer.flush();
        this.post({ type: 'messageUpdated', messageId: message.id, status: message.status, stopReason: message.stopReason, usage: message.usage, usdSpent: message.usdSpent, requestId: message.requestId, error: message.error, content: message.content });
        addUsage(conversation, message);
        conversation.updatedAt = this.now();
        this.post({ type: 'totals', totals: conversation.totals });
        this.persist(conversation);
      },
      onToolCard: (message, state) => {
        // Deltas first, so the card never arrives before its tool_use block.
        this.coalescer.flush();
        this.post({ type: 'toolCall', messageId: message.id, call: state });
        this.deps.store.scheduleSave(conversation);
      },
    };
  }

  private persist(conversation: Conversation): void {
    if (conversation.messages.length === 0) return;
    this.deps.store.save(conversation).catch((error: Error) => this.deps.log.error(`saving the conversation failed: ${error.message}`));
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.deps.ui.setStreaming(busy);
    this.post({ type: 'state', busy });
  }

  private showConversation(conversation: Conversation): void {
    this.conversation = conversation;
    this.postConversation();
    this.post({ type: 'totals', totals: conversation.totals });
  }

  private postConversation(): void {
    this.post({ type: 'conversation', conversation: this.conversation, attachmentUris: this.attachmentUris(this.conversation.messages) });
  }

  private postError(error: ErrorInfo, prompt?: string): void {
    this.post({ type: 'error', error, prompt });
    if (prompt) this.post({ type: 'restorePrompt', text: prompt });
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
