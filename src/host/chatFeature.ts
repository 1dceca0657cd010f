// Builds and registers the chat: stores, the session's deps, the sidebar's session and presenter,
// the view provider, commands, and the listeners that keep the view in step with settings, the
// API key and workspace trust. Returns a small API that activate() exposes for the integration
// tests, and the deps a second front end (the `@aiml` Chat participant) builds its own session from.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Conversation } from '../shared/model';
import type { MessagesClientFactory } from '../core/api/clientFactory';
import { listModels } from '../core/api/models';
import { FileAttachmentStore } from '../core/chat/attachmentStore';
import { ConversationStore } from '../core/chat/conversationStore';
import { ChatSession } from '../core/chat/session/chatSession';
import type { ChatSessionDeps } from '../core/chat/session/types';
import { noTools, type ToolExecutor } from '../core/chat/toolExecutor';
import { toolsOffReason } from '../core/tools/policy';
import { ChatPresenter } from './chatPresenter';
import { ChatViewProvider, CHAT_VIEW_ID, type ChatViewActions } from './chatViewProvider';
import { registerChatCommands } from './commands';
import { registerImageCommands } from './images';
import { onSettingsChanged, readSettings } from './config';
import type { ApiKeyStore } from './secrets';

export interface ChatFeatureOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  messagesClient: MessagesClientFactory;
  /** The tools' executor (src/host/tools); without one the chat runs without tools. */
  toolExecutor?: () => ToolExecutor;
  /** Approval buttons and "show diff" on tool cards, handled by the tools feature. */
  toolActions?: Pick<ChatViewActions, 'onToolDecision' | 'onShowDiff'>;
}

/** What the integration tests drive through the extension's exports. */
export interface ChatTestApi {
  send(text: string): Promise<void>;
  stop(): void;
  waitIdle(): Promise<void>;
  newChat(): Promise<void>;
  openConversation(id: string): Promise<boolean>;
  currentConversation(): Conversation;
  conversationsFolder: string;
}

export interface ChatFeature {
  testApi: ChatTestApi;
  /** The view provider: reveal(), whenReady() and post() for other features (image commands). */
  view: ChatViewProvider;
  /** The sidebar's session. */
  session: ChatSession;
  /** What another front end builds its own ChatSession from (same stores, key, settings, tools). */
  sessionDeps: ChatSessionDeps;
  /** Stops the answer and writes what is pending; deactivate() awaits it. */
  flush(): Promise<void>;
}

/** Whether tools can run now, and the notice the chat shows when they cannot. */
function toolsStatus(toolExecutor: (() => ToolExecutor) | undefined): { available: boolean; notice?: string } {
  const notice = toolsOffReason({ workspaceTrusted: vscode.workspace.isTrusted, toolsEnabled: readSettings().toolsEnabled });
  if (notice) return { available: false, notice };
  const executor = toolExecutor?.();
  return { available: !!executor && executor.definitions().length > 0 };
}

export function registerChat(options: ChatFeatureOptions): ChatFeature {
  const { context, log, apiKey } = options;
  const storage = context.globalStorageUri.fsPath;
  const conversationsFolder = path.join(storage, 'conversations');
  const attachmentsFolder = path.join(storage, 'attachments');
  const store = new ConversationStore(conversationsFolder);
  const attachments = new FileAttachmentStore(attachmentsFolder);
  const status = () => toolsStatus(options.toolExecutor);

  const sessionDeps: ChatSessionDeps = {
    store,
    attachments,
    getApiKey: () => apiKey.get(),
    settings: readSettings,
    createApi: options.messagesClient,
    // Restricted Mode and the setting are checked here too, whatever the executor does itself.
    executor: () => (status().available && options.toolExecutor ? options.toolExecutor() : noTools),
    workspaceName: () => vscode.workspace.name,
    confirm: async (message, confirmLabel) => (await vscode.window.showWarningMessage(message, { modal: true }, confirmLabel)) === confirmLabel,
    logger: log,
  };
  const session = new ChatSession(sessionDeps);

  // The provider needs the presenter and the presenter needs the provider's webview URIs:
  // a holder object breaks the cycle.
  const viewRef: { provider?: ChatViewProvider } = {};
  const presenter = new ChatPresenter(session, {
    settings: readSettings,
    toolsStatus: status,
    models: listModels,
    attachmentUri: (ref) => viewRef.provider?.webviewUri(vscode.Uri.file(attachments.filePath(ref))),
  });
  const view = new ChatViewProvider(context.extensionUri, vscode.Uri.file(attachmentsFolder), session, presenter, {
    hasApiKey: () => apiKey.has(),
    ...options.toolActions,
  }, log);
  viewRef.provider = view;

  const sessionUi = session.subscribe((event) => {
    // Escape stops the answer while one streams (the `aimlChat.streaming` context key).
    if (event.type === 'busyChanged') void vscode.commands.executeCommand('setContext', 'aimlChat.streaming', event.busy);
    if (event.type === 'warning') void vscode.window.showWarningMessage(`AIML Chat: ${event.message}`);
  });

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    view,
    ...registerChatCommands({ session, models: listModels, listConversations: () => store.list(), revealView: () => view.reveal() }),
    ...registerImageCommands({ log }, view),
    apiKey.onDidChange((has) => presenter.onApiKeyChanged(has)),
    onSettingsChanged(() => presenter.onSettingsChanged()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => presenter.onSettingsChanged()),
    sessionUi,
    presenter,
  );

  // Reopen the last conversation in the background; activation does not wait for the disk.
  void session.restoreLastConversation().catch((error: Error) => log.error(`could not reopen the last conversation: ${error.message}`));

  const testApi: ChatTestApi = {
    send: (text) => session.send({ text }),
    stop: () => session.stop(),
    waitIdle: () => session.waitIdle(),
    newChat: () => session.newChat(),
    openConversation: (id) => session.openConversation(id),
    currentConversation: () => session.conversation,
    conversationsFolder,
  };
  return { testApi, view, session, sessionDeps, flush: () => session.stopAndSave() };
}
