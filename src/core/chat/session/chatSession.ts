// A chat session: the current conversation, at most one answer in flight, and typed events for
// whichever front end shows it (the sidebar's presenter, VS Code's Chat participant). The state is
// one discriminated union (see SessionState); every await in a send is followed by "is this still
// my state?", so switching conversation mid-send can never split a prompt from its answer.
import { randomUUID } from 'node:crypto';
import type { ContentBlock, Conversation, ErrorInfo, StoredMessage } from '../../../shared/model';
import { dropUnansweredFailedPrompt, isRetryableAnswer, textOf } from '../conversationOps';
import { titleFromPrompt } from '../prompts';
import { errorInfoOf } from '../turnRunner';
import { admitRequest, type Admission } from './admission';
import { persist, runAnswer } from './answer';
import type {
  ChatSessionDeps, ChatSessionOptions, PromptInput, PromptReturnReason, SendOptions, SessionEvent, SessionListener, SessionState, ShowReason,
} from './types';

type Preparing = Extract<SessionState, { kind: 'preparing' }>;
type Streaming = Extract<SessionState, { kind: 'streaming' }>;

/** The abort reason when a preparing send is cancelled because the conversation changed. */
const SWITCHED = 'switched';

export class ChatSession {
  private current: SessionState;
  private readonly listeners = new Set<SessionListener>();
  private readonly newId: () => string;
  private readonly now: () => number;

  constructor(private readonly deps: ChatSessionDeps, private readonly options: ChatSessionOptions = {}) {
    this.newId = deps.newId ?? (() => randomUUID());
    this.now = deps.now ?? (() => Date.now());
    this.current = { kind: 'idle', conversation: deps.store.create(deps.settings().model) };
  }

  get state(): SessionState {
    return this.current;
  }

  get conversation(): Conversation {
    return this.current.conversation;
  }

  /** True from the moment a send is accepted until its answer has ended. */
  get isBusy(): boolean {
    return this.current.kind !== 'idle';
  }

  subscribe(listener: SessionListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Reopens the conversation that was open last time (a corrupt file is set aside with a warning). */
  async restoreLastConversation(): Promise<void> {
    const lastId = await this.deps.store.getLastOpenId();
    if (lastId) await this.openConversation(lastId);
  }

  async send(input: PromptInput, options: SendOptions = {}): Promise<void> {
    const { text } = input;
    const images = input.images ?? [];
    if (!text.trim() && images.length === 0) return;
    if (this.current.kind !== 'idle') return this.returnPrompt('busy', text);
    const preparing = this.enterPreparing();
    const unlink = linkSignal(options.signal, preparing.abort);
    try {
      const admission = await admitRequest(this.deps, preparing.conversation, text);
      if (!this.stillCurrent(preparing)) return this.abandon(preparing, text);
      if (!admission.ok) return this.refuse(preparing, admission.reason, text, admission.error);
      let content: ContentBlock[];
      try {
        content = [...(input.context ?? []), ...(await Promise.all(images.map((image) => this.deps.attachments.save(image))))];
      } catch (error) {
        if (!this.stillCurrent(preparing)) return this.abandon(preparing, text);
        return this.refuse(preparing, 'attachment_failed', text, { kind: 'unknown', message: `The image could not be stored: ${(error as Error).message}` });
      }
      if (!this.stillCurrent(preparing)) return this.abandon(preparing, text);
      // From here to the answer nothing awaits: the prompt and its answer share one conversation.
      const conversation = preparing.conversation;
      this.emit({ type: 'errorCleared' });
      if (dropUnansweredFailedPrompt(conversation.messages)) this.emit({ type: 'conversationShown', conversation, reason: 'changed' });
      if (text.trim()) content.push({ type: 'text', text });
      const message: StoredMessage = { id: this.newId(), role: 'user', kind: 'prompt', content, createdAt: this.now() };
      if (!conversation.messages.some((m) => m.kind === 'prompt')) conversation.title = titleFromPrompt(text || images[0]?.name || 'Image');
      conversation.messages.push(message);
      conversation.updatedAt = this.now();
      this.emit({ type: 'messageAdded', conversation, message });
      void persist(this.deps, conversation);
      if (this.remembersLastOpen) void this.deps.store.setLastOpenId(conversation.id).catch(() => undefined);
      await this.stream(preparing, admission, message.id, text);
    } catch (error) {
      this.deps.logger.error(`send failed: ${(error as Error).stack ?? error}`);
      this.leave(preparing);
      this.returnPrompt('failed', text, errorInfoOf(error));
    } finally {
      unlink();
    }
  }

  /** Re-sends the last prompt after a failed or cut-short answer, replacing that answer. */
  async retry(): Promise<void> {
    if (this.current.kind !== 'idle') return;
    const messages = this.current.conversation.messages;
    const last = messages[messages.length - 1];
    const replaced = last && isRetryableAnswer(last) ? last : undefined;
    const tail = replaced ? messages[messages.length - 2] : last;
    if (!tail || tail.role !== 'user') return this.emit({ type: 'errorCleared' });
    const preparing = this.enterPreparing();
    const promptText = tail.kind === 'prompt' ? textOf(tail) : undefined;
    try {
      const admission = await admitRequest(this.deps, preparing.conversation, promptText ?? '');
      if (!this.stillCurrent(preparing)) return this.leave(preparing);
      if (!admission.ok) {
        this.leave(preparing);
        return this.emit({ type: 'error', error: admission.error });
      }
      if (replaced && messages[messages.length - 1] === replaced) messages.pop();
      this.emit({ type: 'errorCleared' });
      this.emit({ type: 'conversationShown', conversation: preparing.conversation, reason: 'changed' });
      await this.stream(preparing, admission, tail.id, promptText);
    } catch (error) {
      this.leave(preparing);
      this.emit({ type: 'error', error: errorInfoOf(error) });
    }
  }

  /** Stops what is in flight at once: an answer keeps what has streamed, marked interrupted. */
  stop(): void {
    const state = this.current;
    if (state.kind === 'idle') return;
    state.abort.abort();
    // A send still in its checks (perhaps behind a modal question) is given up now, not later.
    if (state.kind === 'preparing') this.current = { kind: 'idle', conversation: state.conversation };
  }

  /** Resolves when no answer is streaming. */
  async waitIdle(): Promise<void> {
    for (let state = this.current; state.kind === 'streaming'; state = this.current) await state.finished;
  }

  async newChat(): Promise<void> {
    await this.settle();
    const previous = this.current.conversation;
    if (previous.messages.length > 0) await this.deps.store.save(previous);
    // An empty chat is not saved; the next session should open empty too, not the old one.
    if (this.remembersLastOpen) await this.deps.store.setLastOpenId(undefined);
    this.show(this.deps.store.create(this.deps.settings().model), 'newChat');
  }

  /** Switches to a stored conversation. Returns false when it could not be opened. */
  async openConversation(id: string): Promise<boolean> {
    if (id === this.conversation.id) return true;
    await this.settle();
    await this.deps.store.flush();
    const loaded = await this.deps.store.load(id);
    if (loaded.kind === 'corrupt') {
      this.deps.logger.warn(loaded.warning);
      this.emit({ type: 'warning', message: loaded.warning });
      return false;
    }
    if (loaded.kind === 'missing') return false;
    if (this.remembersLastOpen) await this.deps.store.setLastOpenId(id);
    this.show(loaded.conversation, 'switched');
    return true;
  }

  async renameConversation(id: string, title: string): Promise<void> {
    const conversation = this.conversation;
    if (id !== conversation.id) {
      await this.deps.store.rename(id, title);
      return;
    }
    conversation.title = title.trim() || conversation.title;
    if (conversation.messages.length > 0) await this.deps.store.save(conversation);
    this.emit({ type: 'conversationShown', conversation, reason: 'changed' });
  }

  async deleteConversation(id: string): Promise<void> {
    if (id !== this.conversation.id) {
      await this.deps.store.delete(id);
      return;
    }
    await this.settle();
    await this.deps.store.delete(id);
    this.show(this.deps.store.create(this.deps.settings().model), 'switched');
  }

  /**
   * Stops any answer and writes everything pending (deactivation awaits this). The session stays
   * usable: VS Code may still deliver events while it shuts down.
   */
  async stopAndSave(): Promise<void> {
    this.stop();
    await this.waitIdle().catch(() => undefined);
    await this.deps.store.flush();
  }

  private get remembersLastOpen(): boolean {
    return this.options.remembersLastOpen ?? true;
  }

  private enterPreparing(): Preparing {
    const preparing: Preparing = { kind: 'preparing', conversation: this.current.conversation, abort: new AbortController() };
    this.current = preparing;
    return preparing;
  }

  private stillCurrent(preparing: Preparing): boolean {
    return this.current === preparing && !preparing.abort.signal.aborted;
  }

  /** Back to idle on the same conversation, unless someone else already moved the state on. */
  private leave(state: Preparing | Streaming): void {
    if (this.current === state) this.current = { kind: 'idle', conversation: state.conversation };
  }

  private refuse(preparing: Preparing, reason: PromptReturnReason, text: string, error?: ErrorInfo): void {
    this.leave(preparing);
    this.returnPrompt(reason, text, error);
  }

  /** A send given up because the conversation changed or the user stopped it. */
  private abandon(preparing: Preparing, text: string): void {
    this.refuse(preparing, preparing.abort.signal.reason === SWITCHED ? 'switched' : 'stopped', text);
  }

  private returnPrompt(reason: PromptReturnReason, text: string, error?: ErrorInfo): void {
    this.emit({ type: 'promptReturned', reason, text, error });
  }

  private async stream(preparing: Preparing, admission: Extract<Admission, { ok: true }>, turnId: string, promptText: string | undefined): Promise<void> {
    const { conversation, abort } = preparing;
    let finish = (): void => undefined;
    const streaming: Streaming = { kind: 'streaming', conversation, abort, finished: new Promise<void>((resolve) => { finish = resolve; }) };
    this.current = streaming;
    this.emit({ type: 'busyChanged', busy: true });
    let result: Awaited<ReturnType<typeof runAnswer>> | undefined;
    try {
      result = await runAnswer({
        deps: this.deps, conversation, settings: admission.settings, apiKey: admission.apiKey, turnId, signal: abort.signal,
        emit: (event) => this.emit(event), newId: this.newId, now: this.now,
      });
    } finally {
      this.leave(streaming);
      this.emit({ type: 'busyChanged', busy: false });
      conversation.updatedAt = this.now();
      await persist(this.deps, conversation);
      finish();
    }
    const outcome = result?.outcome;
    if (outcome?.kind === 'error' && !outcome.streamedAnything && promptText) this.returnPrompt('answer_failed', promptText);
  }

  /** Before the conversation changes: give up a preparing send, stop and wait out an answer. */
  private async settle(): Promise<void> {
    for (let state = this.current; state.kind !== 'idle'; state = this.current) {
      state.abort.abort(SWITCHED);
      if (state.kind === 'preparing') this.current = { kind: 'idle', conversation: state.conversation };
      else await state.finished;
    }
  }

  private show(conversation: Conversation, reason: ShowReason): void {
    // Normally idle already (settle); a send that slipped in during the store's awaits is given up.
    if (this.current.kind !== 'idle') this.current.abort.abort(SWITCHED);
    this.current = { kind: 'idle', conversation };
    this.emit({ type: 'conversationShown', conversation, reason });
  }

  private emit(event: SessionEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.deps.logger.error(`a chat session listener failed on ${event.type}: ${(error as Error).stack ?? error}`);
      }
    }
  }
}

/** Forwards an outside cancellation (a front end's token) to the send's own controller. */
function linkSignal(outside: AbortSignal | undefined, inside: AbortController): () => void {
  if (!outside) return () => undefined;
  if (outside.aborted) {
    inside.abort();
    return () => undefined;
  }
  const forward = (): void => inside.abort();
  outside.addEventListener('abort', forward, { once: true });
  return () => outside.removeEventListener('abort', forward);
}
