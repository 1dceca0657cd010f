// Builds and registers the chat: stores, the session's deps, the sidebar's session and presenter,
// the view provider, commands, and the listeners that keep the view in step with settings, the
// API key and workspace trust. Returns a small API that activate() exposes for the integration
// tests, and the deps a second front end (the `@aiml` Chat participant) builds its own session from.
import type { ContextAttachment, ContextOption, InstructionInfo } from '../shared/context';
import { contextWindowTokens } from '../core/api/models';
import type { ToolHost } from '../core/tools/toolHost';
import { ChatContext } from './context/chatContext';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatMode, Conversation } from '../shared/model';
import type { HostToWebview } from '../shared/protocol';
import type { MessagesClientFactory } from '../core/api/clientFactory';
import { listModels } from '../core/api/models';
import type { GatewayHooks } from './gateway';
import { FileAttachmentStore } from '../core/chat/attachmentStore';
import { ConversationStore } from '../core/chat/conversationStore';
import { ChatSession } from '../core/chat/session/chatSession';
import type { ChatSessionDeps, TurnInfo } from '../core/chat/session/types';
import { noTools, type ToolExecutor } from '../core/chat/toolExecutor';
import { toolsOffReason } from '../core/tools/policy';
import { ChatPresenter } from './chatPresenter';
import { ChatViewProvider, CHAT_VIEW_ID, RETAIN_CONTEXT_WHEN_HIDDEN, type ChatViewActions } from './chatViewProvider';
import { registerChatCommands } from './commands';
import { registerImageCommands, type ChatViewTarget } from './images';
import { Lazy } from '../core/util/lazy';
import { onSettingsChanged, readSettings } from './config';
import { saveFailureNotifier } from './saveFailures';
import type { ApiKeyStore } from './secrets';

export interface ChatFeatureOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  messagesClient: MessagesClientFactory;
  /** The tools' executor (src/host/tools); without one the chat runs without tools. */
  toolExecutor?: (turn?: TurnInfo) => ToolExecutor;
  /** `Restore checkpoint` in the view, and what goes when a conversation is deleted (src/host/checkpoints). */
  checkpoints?: ChatViewActions['checkpoints'] & { forget(conversationId: string): Promise<void> };
  /** Approval buttons and "show diff" on tool cards, handled by the tools feature. */
  toolActions?: Pick<ChatViewActions, 'onToolDecision' | 'onShowDiff'>;
  /** The gateway's balance, request-id logging and model catalogue (src/host/gateway). */
  gateway?: GatewayHooks;
  /** Workspace access for context chips and instruction files (the tools' host). */
  toolHost?: ToolHost;
  testMode?: boolean;
}

/** What the integration tests drive through the extension's exports. */
export interface ChatTestApi {
  send(text: string, mode?: ChatMode): Promise<void>;
  /** As the view sends: slash commands, chips (from pickContext) and instruction files included. */
  sendFromView(text: string, context?: ContextAttachment[]): Promise<void>;
  /** Resolves a Context-listbox entry as a pick would (the chip, or why not). */
  pickContext(option: ContextOption): Promise<ContextAttachment | string>;
  compact(): Promise<string>;
  /** Test-only: a small context window for the current model (undefined restores the table). */
  setContextWindow(tokens: number | undefined): void;
  instructionFiles(): Promise<readonly InstructionInfo[]>;
  /** Prompts handed back to the composer (reason: text), newest last. */
  returnedPrompts: string[];
  stop(): void;
  waitIdle(): Promise<void>;
  newChat(): Promise<void>;
  openConversation(id: string): Promise<boolean>;
  currentConversation(): Conversation;
  conversationsFolder: string;
  /** Whether the sidebar's session and view exist yet (built on first use, not at activation). */
  isBuilt(): boolean;
  /** True once the chat view's webview has said `ready`, false after `timeoutMs`. */
  viewReady(timeoutMs: number): Promise<boolean>;
  /** Test mode: the conversation snapshots posted to the view (init, its older parts), as message ids. */
  snapshotsPosted: PostedSnapshot[];
}

export interface PostedSnapshot { type: 'init' | 'olderMessages' | 'conversation'; messageIds: string[]; olderMessages?: number; done?: boolean }

/** The sidebar's parts, built on first use (src/core/util/lazy.ts). */
export interface ChatParts {
  session: ChatSession;
  view: ChatViewProvider;
  /** The last conversation is back (or could not be read): commands wait for it. */
  restored: Promise<void>;
}

export interface ChatFeature {
  testApi: ChatTestApi;
  /** reveal(), whenReady() and post() for other features (image commands); builds the chat on use. */
  view: ChatViewTarget;
  /** The sidebar's session and view, for features that wire themselves to them once built. */
  onBuilt(listener: (parts: ChatParts) => void): void;
  /** Builds the chat if need be and waits for the last conversation (commands run before the view). */
  ready(): Promise<ChatParts>;
  /** What another front end builds its own ChatSession from (same stores, key, settings, tools). */
  sessionDeps: ChatSessionDeps;
  /** Stops the answer and writes what is pending; deactivate() awaits it. */
  flush(): Promise<void>;
}

/** Whether tools can run now, and the notice the chat shows when they cannot. */
function toolsStatus(toolExecutor: ((turn?: TurnInfo) => ToolExecutor) | undefined): { available: boolean; notice?: string } {
  const notice = toolsOffReason({ workspaceTrusted: vscode.workspace.isTrusted, toolsEnabled: readSettings().toolsEnabled });
  if (notice) return { available: false, notice };
  const executor = toolExecutor?.();
  return { available: !!executor && executor.definitions().length > 0 };
}

/**
 * Registers the chat at activation and builds it on first use: the first view resolve, command or
 * test-API call (activate() in at most 15 ms, docs/BENCHMARKS.md "Activation"). Only the stores and
 * the session's deps (plain objects) are made here; the session, presenter, context feature and
 * view provider, their listeners, and the reopening of the last conversation wait for `chat.get()`.
 */
export function registerChat(options: ChatFeatureOptions): ChatFeature {
  const { context, log, apiKey } = options;
  const storage = context.globalStorageUri.fsPath;
  const conversationsFolder = path.join(storage, 'conversations');
  const attachmentsFolder = path.join(storage, 'attachments');
  const store = new ConversationStore(conversationsFolder, { onSaveFailed: saveFailureNotifier(log), log: (m) => log.warn(m), onDeleted: options.checkpoints?.forget });
  const attachments = new FileAttachmentStore(attachmentsFolder);
  const status = () => toolsStatus(options.toolExecutor);
  // The session's deps read the context feature, which needs the session: a holder breaks the cycle.
  const contextRef: { context?: ChatContext } = {};
  const windowOverride: { tokens?: number } = {};

  const sessionDeps: ChatSessionDeps = {
    store,
    attachments,
    getApiKey: () => apiKey.get(),
    settings: readSettings,
    createApi: (settings, key) => {
      const client = options.messagesClient(settings, key);
      // Balance warning before, request id and cost in the log after, balance refreshed.
      return options.gateway ? options.gateway.instrument(client, 'chat') : client;
    },
    // Restricted Mode and the setting are checked here too, whatever the executor does itself.
    executor: (turn) => (status().available && options.toolExecutor ? options.toolExecutor(turn) : noTools),
    workspaceName: () => vscode.workspace.name,
    confirm: async (message, confirmLabel) => (await vscode.window.showWarningMessage(message, { modal: true }, confirmLabel)) === confirmLabel,
    logger: log,
    systemPromptAdditions: () => contextRef.context?.systemPromptAdditions() ?? [],
    contextWindow: (model) => windowOverride.tokens ?? contextWindowTokens(model),
  };
  const returnedPrompts: string[] = [];
  const snapshotsPosted: PostedSnapshot[] = [];
  const observe = options.testMode ? (m: HostToWebview) => {
    const messages = m.type === 'olderMessages' ? m.messages : m.type === 'init' || m.type === 'conversation' ? m.conversation.messages : undefined;
    if (messages) snapshotsPosted.push({ type: m.type as PostedSnapshot['type'], messageIds: messages.map((message) => message.id), olderMessages: m.type === 'init' || m.type === 'conversation' ? m.olderMessages : undefined, done: m.type === 'olderMessages' ? m.done : undefined });
  } : undefined;
  const chat = new Lazy(() => buildChat(options, { sessionDeps, status, attachmentsFolder, returnedPrompts, contextRef, observe }), (error) => {
    log.error(`the chat could not be set up: ${error.stack ?? error.message}`);
    void vscode.window.showErrorMessage(`AIML Chat: the chat could not be set up: ${error.message}`);
  });
  const ready = async (): Promise<ChatParts> => {
    const parts = chat.get();
    await parts.restored;
    return parts;
  };
  const session = async (): Promise<ChatSession> => (await ready()).session;
  const view: ChatViewTarget = {
    reveal: async () => (await ready()).view.reveal(),
    whenReady: (timeoutMs) => chat.get().view.whenReady(timeoutMs),
    post: (message) => chat.get().view.post(message),
  };

  context.subscriptions.push(
    // VS Code resolves the view when it is first shown; the provider behind it is built then.
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, { resolveWebviewView: (webviewView) => chat.get().view.resolveWebviewView(webviewView) }, { webviewOptions: { retainContextWhenHidden: RETAIN_CONTEXT_WHEN_HIDDEN } }),
    ...registerChatCommands({ session, models: listModels, catalogue: options.gateway?.catalogue, listConversations: () => store.list(), revealView: () => view.reveal() }),
    ...registerImageCommands({ log }, view),
  );

  const testApi: ChatTestApi = {
    send: async (text, mode) => (await session()).send({ text, mode }),
    sendFromView: async (text, chips) => {
      await ready();
      return contextRef.context ? contextRef.context.send({ type: 'send', text, attachments: [], context: chips }) : (await session()).send({ text });
    },
    pickContext: async (option) => {
      await ready();
      const result = await contextRef.context?.pick(option);
      return !result ? 'context is not available' : result.ok ? result.chip : result.reason;
    },
    compact: async () => {
      const result = await (await session()).compact();
      return result.kind === 'failed' ? `failed: ${result.error.message}` : result.kind === 'nothing' ? `nothing: ${result.message}` : 'done';
    },
    setContextWindow: (tokens) => { windowOverride.tokens = tokens; },
    returnedPrompts,
    instructionFiles: async () => {
      await ready();
      await contextRef.context?.refreshInstructions();
      return contextRef.context?.instructions ?? [];
    },
    stop: () => chat.get().session.stop(),
    waitIdle: async () => (await session()).waitIdle(),
    newChat: async () => (await session()).newChat(),
    openConversation: async (id) => (await session()).openConversation(id),
    currentConversation: () => chat.get().session.conversation,
    conversationsFolder,
    isBuilt: () => chat.built !== undefined,
    viewReady: (timeoutMs) => view.whenReady(timeoutMs),
    snapshotsPosted,
  };
  return {
    testApi, view, sessionDeps,
    onBuilt: (listener) => chat.onBuilt(listener),
    ready,
    // Nothing to write when the chat was never used.
    flush: () => chat.built?.session.stopAndSave() ?? Promise.resolve(),
  };
}

interface SharedChatState {
  sessionDeps: ChatSessionDeps;
  status(): { available: boolean; notice?: string };
  attachmentsFolder: string;
  returnedPrompts: string[];
  contextRef: { context?: ChatContext };
  observe?: (message: HostToWebview) => void;
}

/** The sidebar's session, presenter, context feature and view provider, with their listeners. */
function buildChat(options: ChatFeatureOptions, shared: SharedChatState): ChatParts {
  const { context, log, apiKey } = options;
  const { sessionDeps, status, attachmentsFolder } = shared;
  const session = new ChatSession(sessionDeps);

  // The provider needs the presenter and the presenter needs the provider's webview URIs:
  // a holder object breaks the cycle.
  const viewRef: { provider?: ChatViewProvider } = {};
  const presenter = new ChatPresenter(session, {
    settings: readSettings,
    toolsStatus: status,
    models: listModels,
    attachmentUri: (ref) => viewRef.provider?.webviewUri(vscode.Uri.file(sessionDeps.attachments.filePath(ref))),
  });
  const chatContext = options.toolHost ? new ChatContext({ session, sessionDeps, host: options.toolHost, settings: readSettings, post: (message) => view.post(message), log }) : undefined;
  shared.contextRef.context = chatContext;
  const view = new ChatViewProvider(context.extensionUri, vscode.Uri.file(attachmentsFolder), session, presenter, {
    hasApiKey: () => apiKey.has(),
    ...options.toolActions,
    context: chatContext,
    checkpoints: options.checkpoints,
  }, log, shared.observe);
  viewRef.provider = view;
  if (chatContext) context.subscriptions.push(chatContext, vscode.workspace.onDidGrantWorkspaceTrust(() => void chatContext.refreshInstructions()));

  const sessionUi = session.subscribe((event) => {
    if (event.type === 'promptReturned') shared.returnedPrompts.push(`${event.reason}: ${event.text}`);
    // Escape stops the answer while one streams (the `aimlChat.streaming` context key).
    if (event.type === 'busyChanged') void vscode.commands.executeCommand('setContext', 'aimlChat.streaming', event.busy);
    if (event.type === 'warning') void vscode.window.showWarningMessage(`AIML Chat: ${event.message}`);
  });

  context.subscriptions.push(
    view,
    apiKey.onDidChange((has) => presenter.onApiKeyChanged(has)),
    onSettingsChanged(() => presenter.onSettingsChanged()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => presenter.onSettingsChanged()),
    sessionUi,
    presenter,
  );

  // Reopen the last conversation in the background; the view shows it when it arrives.
  const restored = session.restoreLastConversation().catch((error: Error) => log.error(`could not reopen the last conversation: ${error.message}`));
  return { session, view, restored };
}
