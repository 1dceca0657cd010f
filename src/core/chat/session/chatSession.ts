// A chat session: the current conversation, at most one answer in flight, and typed events for
// whichever front end shows it (the sidebar's presenter, VS Code's Chat participant). The state is
// one discriminated union (see SessionState); every await in a send is followed by "is this still
// my state?", so switching conversation mid-send can never split a prompt from its answer.
import { randomUUID } from 'node:crypto';
import type { ChatMode, ContentBlock, Conversation, ErrorInfo, StoredMessage } from '../../../shared/model';
import { dropUnansweredFailedPrompt, isRetryableAnswer, textOf } from '../conversationOps';
import { titleFromPrompt } from '../prompts';
import { errorInfoOf } from '../turnRunner';
import { admitRequest, type Admission } from './admission';
import { compactConversation, needsCompaction, type CompactionResult } from './compaction';
import { dedupeContext } from '../../context/contextBlocks';
import { persist, runAnswer } from './answer';
import { SessionMachine, SWITCHED, type Preparing } from './sessionMachine';
import type { ChatSessionDeps, ChatSessionOptions, PromptInput, PromptReturnReason, SendOptions, SessionListener, SessionState } from './types';

export class ChatSession {
  private readonly machine: SessionMachine;
  private readonly newId: () => string;
  private readonly now: () => number;
  /**
   * The conversation switch under way (New Chat, open, delete the open one), if any. A send or a
   * retry that arrives meanwhile waits for it: the user asked for the switch first, so the prompt
   * belongs to the conversation the switch shows, not to the one it leaves.
   */
  private switchUnderWay: Promise<unknown> | undefined;

  constructor(private readonly deps: ChatSessionDeps, private readonly options: ChatSessionOptions = {}) {
    this.newId = deps.newId ?? (() => randomUUID());
    this.now = deps.now ?? (() => Date.now());
    this.machine = new SessionMachine(deps.store.create(deps.settings().model), deps.logger);
  }

  get state(): SessionState {
    return this.machine.current;
  }

  get conversation(): Conversation {
    return this.machine.current.conversation;
  }

  /** True from the moment a send is accepted until its answer has ended. */
  get isBusy(): boolean {
    return this.machine.current.kind !== 'idle';
  }

  subscribe(listener: SessionListener): { dispose(): void } {
    return this.machine.subscribe(listener);
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
    if (this.switchUnderWay) await this.switchSettled();
    if (this.isBusy) return this.returnPrompt('busy', text);
    const preparing = this.machine.enterPreparing();
    const unlink = linkSignal(options.signal, preparing.abort);
    try {
      const admission = await admitRequest(this.deps, preparing.conversation, text);
      if (!this.machine.stillCurrent(preparing)) return this.abandon(preparing, text);
      if (!admission.ok) return this.refuse(preparing, admission.reason, text, admission.error);
      if (needsCompaction(this.deps, preparing.conversation, admission.settings, input)) {
        const compaction = await this.runCompaction(preparing, admission);
        if (!this.machine.stillCurrent(preparing)) return this.abandon(preparing, text);
        if (compaction.kind === 'failed') return this.refuse(preparing, 'compaction_failed', text, compaction.error);
      }
      let content: ContentBlock[];
      try {
        content = [...(input.context ?? []), ...(await Promise.all(images.map((image) => this.deps.attachments.save(image))))];
      } catch (error) {
        if (!this.machine.stillCurrent(preparing)) return this.abandon(preparing, text);
        return this.refuse(preparing, 'attachment_failed', text, { kind: 'unknown', message: `The image could not be stored: ${(error as Error).message}` });
      }
      if (!this.machine.stillCurrent(preparing)) return this.abandon(preparing, text);
      // From here to the answer nothing awaits: the prompt and its answer share one conversation.
      const conversation = preparing.conversation;
      this.machine.emit({ type: 'errorCleared' });
      if (dropUnansweredFailedPrompt(conversation.messages)) this.machine.emit({ type: 'conversationShown', conversation, reason: 'changed' });
      if (text.trim()) content.push({ type: 'text', text });
      const message: StoredMessage = { id: this.newId(), role: 'user', kind: 'prompt', content, createdAt: this.now() };
      if (input.chips?.length) message.context = dedupeContext(input.chips);
      if (input.mode === 'plan') message.mode = 'plan';
      if (!conversation.messages.some((m) => m.kind === 'prompt')) conversation.title = titleFromPrompt(text.trim() || images[0]?.name || 'Image');
      conversation.messages.push(message);
      conversation.updatedAt = this.now();
      this.machine.emit({ type: 'messageAdded', conversation, message });
      void persist(this.deps, conversation);
      if (this.remembersLastOpen) void this.deps.store.setLastOpenId(conversation.id).catch(() => undefined);
      await this.stream(preparing, admission, message.id, text, message.mode);
    } catch (error) {
      this.deps.logger.error(`send failed: ${(error as Error).stack ?? error}`);
      this.machine.leave(preparing);
      this.returnPrompt('failed', text, errorInfoOf(error));
    } finally {
      unlink();
    }
  }

  /** Re-sends the last prompt after a failed or cut-short answer, replacing that answer. */
  async retry(): Promise<void> {
    if (this.switchUnderWay) await this.switchSettled();
    if (this.isBusy) return;
    const messages = this.conversation.messages;
    const last = messages[messages.length - 1];
    const replaced = last && isRetryableAnswer(last) ? last : undefined;
    const tail = replaced ? messages[messages.length - 2] : last;
    if (!tail || tail.role !== 'user') return this.machine.emit({ type: 'errorCleared' });
    const preparing = this.machine.enterPreparing();
    const promptText = tail.kind === 'prompt' ? textOf(tail) : undefined;
    try {
      const admission = await admitRequest(this.deps, preparing.conversation, promptText ?? '');
      if (!this.machine.stillCurrent(preparing)) return this.machine.leave(preparing);
      if (!admission.ok) {
        this.machine.leave(preparing);
        return this.machine.emit({ type: 'error', error: admission.error });
      }
      if (replaced && messages[messages.length - 1] === replaced) messages.pop();
      this.machine.emit({ type: 'errorCleared' });
      this.machine.emit({ type: 'conversationShown', conversation: preparing.conversation, reason: 'changed' });
      // A retried answer keeps the mode its prompt was sent in.
      await this.stream(preparing, admission, tail.id, promptText, tail.mode);
    } catch (error) {
      this.machine.leave(preparing);
      this.machine.emit({ type: 'error', error: errorInfoOf(error) });
    }
  }

  /** `/compact`: summarises the older turns now (refused while an answer runs). */
  async compact(): Promise<CompactionResult> {
    if (this.isBusy) return { kind: 'nothing', message: 'Wait for the answer to finish, then compact.' };
    const preparing = this.machine.enterPreparing();
    try {
      const admission = await admitRequest(this.deps, preparing.conversation, '');
      if (!this.machine.stillCurrent(preparing)) return { kind: 'nothing', message: 'Stopped.' };
      if (!admission.ok) {
        this.machine.emit({ type: 'error', error: admission.error });
        return { kind: 'failed', error: admission.error };
      }
      const result = await this.runCompaction(preparing, admission);
      if (result.kind === 'failed') this.machine.emit({ type: 'error', error: result.error });
      return result;
    } finally {
      this.machine.leave(preparing);
    }
  }

  /** One summary request while preparing; the view shows it as busy (Stop cancels it). */
  private async runCompaction(preparing: Preparing, admission: Extract<Admission, { ok: true }>): Promise<CompactionResult> {
    const { conversation } = preparing;
    this.machine.emit({ type: 'busyChanged', busy: true });
    try {
      const api = this.deps.createApi(admission.settings, admission.apiKey);
      const result = await compactConversation(api, conversation, admission.settings, preparing.abort.signal, this.now());
      if (result.kind === 'done') {
        this.deps.logger.info(`compacted ${result.summarisedMessages} messages: ~${result.tokensBefore} -> ~${result.tokensAfter} tokens`);
        await persist(this.deps, conversation);
        this.machine.emit({ type: 'conversationShown', conversation, reason: 'changed' });
        this.machine.emit({ type: 'totals', conversation, totals: conversation.totals });
      }
      return result;
    } finally {
      this.machine.emit({ type: 'busyChanged', busy: false });
    }
  }

  /** Stops what is in flight at once: an answer keeps what has streamed, marked interrupted. */
  stop(): void {
    this.machine.stop();
  }

  /** Resolves when no answer is streaming. */
  waitIdle(): Promise<void> {
    return this.machine.waitIdle();
  }

  newChat(): Promise<void> {
    return this.switching(async () => {
      await this.machine.settle();
      const previous = this.conversation;
      if (previous.messages.length > 0) await this.deps.store.save(previous);
      // An empty chat is not saved; the next session should open empty too, not the old one.
      if (this.remembersLastOpen) await this.deps.store.setLastOpenId(undefined);
      this.machine.show(this.deps.store.create(this.deps.settings().model), 'newChat');
    });
  }

  /** Switches to a stored conversation. Returns false when it could not be opened. */
  openConversation(id: string): Promise<boolean> {
    return this.switching(async () => {
      // Checked once earlier switches are done: after a pending New Chat, the old id is a switch again.
      if (id === this.conversation.id) return true;
      await this.machine.settle();
      await this.deps.store.flush();
      const loaded = await this.deps.store.load(id);
      if (loaded.kind === 'corrupt') {
        this.deps.logger.warn(loaded.warning);
        this.machine.emit({ type: 'warning', message: loaded.warning });
        return false;
      }
      if (loaded.kind === 'missing') return false;
      if (this.remembersLastOpen) await this.deps.store.setLastOpenId(id);
      this.machine.show(loaded.conversation, 'switched');
      return true;
    });
  }

  async renameConversation(id: string, title: string): Promise<void> {
    const conversation = this.conversation;
    if (id !== conversation.id) {
      await this.deps.store.rename(id, title);
      return;
    }
    conversation.title = title.trim() || conversation.title;
    if (conversation.messages.length > 0) await this.deps.store.save(conversation);
    this.machine.emit({ type: 'conversationShown', conversation, reason: 'changed' });
  }

  /**
   * Removes the message `messageId` and every later one (`Restore checkpoint` then "Drop later
   * turns": the conversation matches the restored files). Refused (false) while an answer runs.
   */
  async dropFrom(messageId: string): Promise<boolean> {
    const conversation = this.conversation;
    const index = conversation.messages.findIndex((m) => m.id === messageId);
    if (this.isBusy || index === -1) return false;
    conversation.messages.splice(index);
    const kept = conversation.compaction?.firstKeptMessageId;
    if (kept && !conversation.messages.some((m) => m.id === kept)) delete conversation.compaction;
    await this.deps.store.save(conversation);
    this.machine.emit({ type: 'conversationShown', conversation, reason: 'changed' });
    return true;
  }

  async deleteConversation(id: string): Promise<void> {
    if (id !== this.conversation.id) {
      await this.deps.store.delete(id);
      return;
    }
    await this.switching(async () => {
      await this.machine.settle();
      await this.deps.store.delete(id);
      this.machine.show(this.deps.store.create(this.deps.settings().model), 'switched');
    });
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

  /** Runs a conversation switch after any switch already under way; sends wait for it (switchSettled). */
  private switching<T>(work: () => Promise<T>): Promise<T> {
    const run = this.switchUnderWay ? this.switchUnderWay.then(work) : work();
    const settled = run.then(() => undefined, () => undefined);
    this.switchUnderWay = settled;
    void settled.then(() => {
      if (this.switchUnderWay === settled) this.switchUnderWay = undefined;
    });
    return run;
  }

  /** Waits out the switches under way (one may start while another ends). */
  private async switchSettled(): Promise<void> {
    while (this.switchUnderWay) await this.switchUnderWay;
  }

  private get remembersLastOpen(): boolean {
    return this.options.remembersLastOpen ?? true;
  }

  private refuse(preparing: Preparing, reason: PromptReturnReason, text: string, error?: ErrorInfo): void {
    this.machine.leave(preparing);
    this.returnPrompt(reason, text, error);
  }

  /** A send given up because the conversation changed or the user stopped it. */
  private abandon(preparing: Preparing, text: string): void {
    this.refuse(preparing, preparing.abort.signal.reason === SWITCHED ? 'switched' : 'stopped', text);
  }

  private returnPrompt(reason: PromptReturnReason, text: string, error?: ErrorInfo): void {
    this.machine.emit({ type: 'promptReturned', reason, text, error });
  }

  private async stream(preparing: Preparing, admission: Extract<Admission, { ok: true }>, turnId: string, promptText: string | undefined, mode: ChatMode = 'agent'): Promise<void> {
    const { conversation, abort } = preparing;
    const { streaming, finish } = this.machine.enterStreaming(preparing);
    this.machine.emit({ type: 'busyChanged', busy: true });
    let result: Awaited<ReturnType<typeof runAnswer>> | undefined;
    try {
      result = await runAnswer({
        deps: this.deps, conversation, settings: admission.settings, apiKey: admission.apiKey, turnId, mode, signal: abort.signal,
        emit: (event) => this.machine.emit(event), newId: this.newId, now: this.now,
      });
    } finally {
      this.machine.leave(streaming);
      this.machine.emit({ type: 'busyChanged', busy: false });
      conversation.updatedAt = this.now();
      await persist(this.deps, conversation);
      finish();
    }
    const outcome = result?.outcome;
    if (outcome?.kind === 'error' && !outcome.streamedAnything && promptText) this.returnPrompt('answer_failed', promptText);
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
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent: a second abort of the same controller does nothing
  outside.addEventListener('abort', forward, { once: true });
  // Stryker disable next-line ArrowFunction: equivalent: aborting a finished send's controller changes nothing; removing the listener only lets it be collected
  return () => outside.removeEventListener('abort', forward);
}
