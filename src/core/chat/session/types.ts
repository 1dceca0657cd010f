// The vocabulary of a chat session: its state, the events it emits, and everything it needs from
// outside. A session knows no front end: the webview presenter (src/host/chatPresenter.ts) and
// VS Code's own Chat participant (`@aiml`) each hold a session built from the same deps and turn its
// events into their own output. Nothing here imports `vscode` or the webview protocol.
import type { ContextAttachment } from '../../../shared/context';
import type { ChatMode, ContentBlock, Conversation, ConversationTotals, ErrorInfo, StoredMessage, ToolCallState } from '../../../shared/model';
import type { ApiMessage, MessagesApi, StreamEvent } from '../../api/types';
import type { AttachmentStore } from '../attachmentStore';
import type { ConversationStore } from '../conversationStore';
import type { ToolExecutor } from '../toolExecutor';

/**
 * What a session does at any moment. Each busy state carries the conversation it works on and
 * the AbortController that belongs to that work, so "is this still the send I started?" is one
 * identity check (`session.state === mine`) instead of three flags compared by hand.
 *
 * idle ──send/retry──▶ preparing ──checks passed──▶ streaming ──answer ended──▶ idle
 *                          │  (key, spend cap, images)                ▲
 *                          └──refused / stopped / switched──▶ idle ───┘
 */
export type SessionState =
  | { readonly kind: 'idle'; readonly conversation: Conversation }
  | { readonly kind: 'preparing'; readonly conversation: Conversation; readonly abort: AbortController }
  | { readonly kind: 'streaming'; readonly conversation: Conversation; readonly abort: AbortController; readonly finished: Promise<void> };

/**
 * Why a prompt was handed back to the user instead of answered. Every such case is reported by
 * one `promptReturned` event, so a front end restores the prompt exactly once.
 */
export type PromptReturnReason =
  | 'busy' // another answer is in flight
  | 'no_api_key'
  | 'spend_cap' // the user declined to go past the spend cap
  | 'switched' // the conversation changed (new chat, history, delete) before the prompt was added
  | 'stopped' // stop() or the caller's signal before the prompt was added
  | 'attachment_failed' // an image could not be stored
  | 'failed' // an unexpected error before the answer started
  | 'answer_failed' // the request failed before any of the answer arrived
  | 'compaction_failed'; // older turns had to be summarised first, and that failed

/** Why the whole conversation should be re-rendered. */
export type ShowReason =
  | 'switched' // another conversation is current (opened from history, or the current one deleted)
  | 'newChat' // an empty conversation was started on request: front ends focus their input
  | 'changed'; // same conversation, edited in place (retry dropped an answer, renamed, ...)

export type SessionEvent =
  /** Re-render the whole conversation (its totals included). */
  | { type: 'conversationShown'; conversation: Conversation; reason: ShowReason }
  | { type: 'messageAdded'; conversation: Conversation; message: StoredMessage }
  /** The assistant message's content is already the new snapshot. */
  | { type: 'streamDelta'; conversation: Conversation; message: StoredMessage; event: StreamEvent; snapshot: ApiMessage }
  | { type: 'messageFinished'; conversation: Conversation; message: StoredMessage }
  | { type: 'toolCard'; conversation: Conversation; message: StoredMessage; call: ToolCallState }
  /** The totals changed during an answer. */
  | { type: 'totals'; conversation: Conversation; totals: ConversationTotals }
  /** True when an answer starts streaming, false when it has ended (the state is idle again). */
  | { type: 'busyChanged'; busy: boolean }
  | { type: 'error'; error: ErrorInfo }
  | { type: 'errorCleared' }
  /** The single path for a prompt that was not answered; `error` is set when the user must be told why. */
  | { type: 'promptReturned'; reason: PromptReturnReason; text: string; error?: ErrorInfo }
  /** Something the user should see once, e.g. a stored conversation that could not be read. */
  | { type: 'warning'; message: string };

export type SessionListener = (event: SessionEvent) => void;

/** An image to attach, as the attachment store takes it (name, media type, base64, size). */
export type PromptImage = Parameters<AttachmentStore['save']>[0];

export interface PromptInput {
  text: string;
  images?: readonly PromptImage[];
  /**
   * Extension point (issue 12, and the `@aiml` participant's references): blocks placed before
   * the text in the stored user message, e.g. a file excerpt or the selection as a text block.
   * They are part of the conversation, so later requests and the history show them.
   */
  context?: readonly ContentBlock[];
  /** Context chips (#-mentions): stored on the message (a reload shows them) and sent as delimited blocks. */
  chips?: readonly ContextAttachment[];
  /** 'plan': read-only tools and a plan asked for (core/chat/planMode.ts); absent means 'agent'. */
  mode?: ChatMode;
}

export interface SendOptions {
  /**
   * Cancels this send from outside: before the prompt is added it is returned with reason
   * 'stopped'; afterwards the answer stops as with stop(). A VS Code CancellationToken maps to
   * this with `token.onCancellationRequested(() => controller.abort())`.
   */
  signal?: AbortSignal;
}

/** The settings one answer is built with, read once per send (a snapshot). */
export interface SessionSettings {
  baseUrl: string;
  requestTimeoutMs: number;
  /** Longest time for one answer, however steadily it streams. */
  answerTimeoutMs: number;
  model: string;
  maxTokens: number;
  temperature: number | null;
  thinkingEnabled: boolean;
  thinkingBudgetTokens: number;
  promptCaching: boolean;
  spendCapUsd: number | null;
  maxToolCallsPerTurn: number;
  /** Share of the context window (percent) at which older turns are summarised before a send; 0 = never. */
  autoCompactPercent?: number;
}

/**
 * Which answer an executor is asked for. `mode` is the prompt's (the session applies Plan mode's
 * read-only filter to whatever executor is returned, see core/chat/planMode.ts). Extension point
 * (issue 13): a checkpointing executor can use `turnId` (the prompt message's id) to snapshot
 * files before the turn's first change.
 */
export interface TurnInfo {
  conversationId: string;
  turnId: string;
  /** The front end keeps the conversation elsewhere (VS Code's Chat): no checkpoints are recorded. */
  transient?: boolean;
  mode: ChatMode;
}

export interface SessionLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The conversation store calls a session makes (ConversationStore, or an in-memory one). */
export type SessionStore = Pick<ConversationStore, 'create' | 'load' | 'save' | 'scheduleSave' | 'flush' | 'rename' | 'delete' | 'getLastOpenId' | 'setLastOpenId'>;

/** Everything a session needs from outside. Several sessions (one per front end) may share one. */
export interface ChatSessionDeps {
  store: SessionStore;
  attachments: AttachmentStore;
  getApiKey(): Promise<string | undefined>;
  settings(): SessionSettings;
  /** The one messages-client factory (src/host/messagesClient.ts in the extension). */
  createApi(settings: SessionSettings, apiKey: string): MessagesApi;
  /** The executor for one answer; its definitions() is empty when tools are off. */
  executor(turn: TurnInfo): ToolExecutor;
  workspaceName(): string | undefined;
  /** A modal question (the spend cap); resolves true when the user picks `confirmLabel`. */
  confirm(message: string, confirmLabel: string): Promise<boolean>;
  logger: SessionLogger;
  /**
   * Extension point (issue 12): text appended to the system prompt of every request, e.g. the
   * workspace's instruction files. Read once per answer.
   */
  systemPromptAdditions?(): readonly string[];
  /** The model's context window in tokens (default: the built-in table); tests set a small one. */
  contextWindow?(model: string): number;
  now?(): number;
  newId?(): string;
}

export interface ChatSessionOptions {
  /**
   * Whether this session records the conversation it shows as the one to reopen next time.
   * The sidebar does; a second front end (the Chat participant) should not move the sidebar.
   */
  remembersLastOpen?: boolean;
}

// Extension point (issue 12, compaction): replacing old turns with a summary is an edit of the
// idle conversation followed by `conversationShown` with reason 'changed'; it belongs in a session
// method that refuses while busy, like rename. Nothing in the session assumes the history only grows.
