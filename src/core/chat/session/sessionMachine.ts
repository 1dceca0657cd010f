// The state half of a ChatSession: the one current SessionState, its transitions, and the
// listeners its events go to. Every transition is a method here, so the state can only move
// along the diagram in types.ts.
import type { Conversation } from '../../../shared/model';
import type { SessionEvent, SessionListener, SessionLogger, SessionState, ShowReason } from './types';

export type Preparing = Extract<SessionState, { kind: 'preparing' }>;
export type Streaming = Extract<SessionState, { kind: 'streaming' }>;

/** The abort reason when a preparing send is cancelled because the conversation changed. */
export const SWITCHED = 'switched';

export class SessionMachine {
  private readonly listeners = new Set<SessionListener>();
  current: SessionState;

  constructor(conversation: Conversation, private readonly logger: SessionLogger) {
    this.current = { kind: 'idle', conversation };
  }

  subscribe(listener: SessionListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  emit(event: SessionEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`a chat session listener failed on ${event.type}: ${(error as Error).stack ?? error}`);
      }
    }
  }

  /** idle -> preparing, on the current conversation with a new AbortController. */
  enterPreparing(): Preparing {
    const preparing: Preparing = { kind: 'preparing', conversation: this.current.conversation, abort: new AbortController() };
    this.current = preparing;
    return preparing;
  }

  /** preparing -> streaming, keeping the conversation and the AbortController; `finish` settles `finished`. */
  enterStreaming(preparing: Preparing): { streaming: Streaming; finish(): void } {
    let finish = (): void => undefined;
    const finished = new Promise<void>((resolve) => { finish = resolve; });
    const streaming: Streaming = { kind: 'streaming', conversation: preparing.conversation, abort: preparing.abort, finished };
    this.current = streaming;
    return { streaming, finish };
  }

  /** Whether a send may go on: its state is still the current one and nobody aborted it. */
  stillCurrent(preparing: Preparing): boolean {
    return this.current === preparing && !preparing.abort.signal.aborted;
  }

  /** Back to idle on the same conversation, unless someone else already moved the state on. */
  leave(state: Preparing | Streaming): void {
    if (this.current === state) this.current = { kind: 'idle', conversation: state.conversation };
  }

  /** Aborts what is in flight; a preparing send is given up at once (it may wait behind a modal question). */
  stop(reason?: string): void {
    const state = this.current;
    if (state.kind === 'idle') return;
    state.abort.abort(reason);
    if (state.kind === 'preparing') this.current = { kind: 'idle', conversation: state.conversation };
  }

  /** Resolves when no answer is streaming. */
  async waitIdle(): Promise<void> {
    for (let state = this.current; state.kind === 'streaming'; state = this.current) await state.finished;
  }

  /** Before the conversation changes: give up a preparing send, stop and wait out an answer. */
  async settle(): Promise<void> {
    for (let state = this.current; state.kind !== 'idle'; state = this.current) {
      this.stop(SWITCHED);
      if (state.kind === 'streaming') await state.finished;
    }
  }

  /** Makes `conversation` the current one (idle) and tells the front ends to show it. */
  show(conversation: Conversation, reason: ShowReason): void {
    // Normally idle already (settle); a send that slipped in during the store's awaits is given up.
    this.stop(SWITCHED);
    this.current = { kind: 'idle', conversation };
    this.emit({ type: 'conversationShown', conversation, reason });
  }
}
