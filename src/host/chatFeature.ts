// Builds and registers the chat: stores, controller, view provider, commands, and the listeners
// that keep the view in step with settings, the API key and workspace trust. Returns a small API
// that activate() exposes for the integration tests.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Conversation } from '../shared/model';
import { MessagesClient } from '../core/api/client';
import { listModels } from '../core/api/models';
import { FileAttachmentStore } from '../core/chat/attachmentStore';
import { ConversationStore } from '../core/chat/conversationStore';
import { noTools, type ToolExecutor } from '../core/chat/toolExecutor';
import { ChatController } from './chatController';
import { ChatViewProvider, CHAT_VIEW_ID, type ChatViewActions } from './chatViewProvider';
import { registerChatCommands } from './commands';
import { registerImageCommands } from './images';
import { onSettingsChanged, readSettings } from './config';
import type { ApiKeyStore } from './secrets';

export interface ChatFeatureOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
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

const RESTRICTED_NOTICE = 'Workspace tools are off in Restricted Mode. Trust this workspace to let the assistant read files and propose edits.';
const DISABLED_NOTICE = 'Workspace tools are turned off (setting aimlChat.tools.enabled).';

export interface ChatFeature {
  testApi: ChatTestApi;
  /** The view provider: reveal() and postWhenReady() for other features (image commands). */
  view: ChatViewProvider;
  controller: ChatController;
}

export function registerChat(options: ChatFeatureOptions): ChatFeature {
  const { context, log, apiKey } = options;
  const storage = context.globalStorageUri.fsPath;
  const conversationsFolder = path.join(storage, 'conversations');
  const attachmentsFolder = path.join(storage, 'attachments');
  const store = new ConversationStore(conversationsFolder);
  const attachments = new FileAttachmentStore(attachmentsFolder);

  const toolsStatus = (): { available: boolean; notice?: string } => {
    if (!vscode.workspace.isTrusted) return { available: false, notice: RESTRICTED_NOTICE };
    if (!readSettings().toolsEnabled) return { available: false, notice: DISABLED_NOTICE };
    const executor = options.toolExecutor?.();
    return { available: !!executor && executor.definitions().length > 0 };
  };

  // The provider needs the controller and the controller needs the provider's webview URIs:
  // a holder object breaks the cycle.
  const viewRef: { provider?: ChatViewProvider } = {};
  const controller = new ChatController({
    store,
    attachments,
    getApiKey: () => apiKey.get(),
    settings: readSettings,
    createApi: (settings, key) => new MessagesClient({
      baseUrl: settings.baseUrl,
      apiKey: key,
      headersTimeoutMs: settings.requestTimeoutMs,
      idleTimeoutMs: settings.requestTimeoutMs,
      logger: { debug: (m) => log.debug(m), warn: (m) => log.warn(m) },
    }),
    // Restricted Mode and the setting are checked here too, whatever the executor does itself.
    executor: () => (toolsStatus().available && options.toolExecutor ? options.toolExecutor() : noTools),
    toolsStatus,
    models: listModels,
    attachmentUri: (ref) => viewRef.provider?.webviewUri(vscode.Uri.file(attachments.filePath(ref))),
    workspaceName: () => vscode.workspace.name,
    ui: {
      confirm: async (message, confirmLabel) => (await vscode.window.showWarningMessage(message, { modal: true }, confirmLabel)) === confirmLabel,
      warn: (message) => void vscode.window.showWarningMessage(`AIML Chat: ${message}`),
      setStreaming: (busy) => void vscode.commands.executeCommand('setContext', 'aimlChat.streaming', busy),
    },
    log,
  });

  const view = new ChatViewProvider(context.extensionUri, vscode.Uri.file(attachmentsFolder), controller, {
    hasApiKey: () => apiKey.has(),
    ...options.toolActions,
  }, log);
  viewRef.provider = view;

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    view,
    ...registerChatCommands({ controller, models: listModels, listConversations: () => store.list(), revealView: () => view.reveal() }),
    ...registerImageCommands({ log }, view),
    apiKey.onDidChange((has) => controller.onApiKeyChanged(has)),
    onSettingsChanged(() => controller.onSettingsChanged()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => controller.onSettingsChanged()),
    { dispose: () => void controller.dispose() },
  );

  // Reopen the last conversation in the background; activation does not wait for the disk.
  void controller.restoreLastConversation().catch((error: Error) => log.error(`could not reopen the last conversation: ${error.message}`));

  const testApi: ChatTestApi = {
    send: (text) => controller.send(text, []),
    stop: () => controller.stop(),
    waitIdle: () => controller.waitIdle(),
    newChat: () => controller.newChat(),
    openConversation: (id) => controller.openConversation(id),
    currentConversation: () => controller.currentConversation(),
    conversationsFolder,
  };
  return { testApi, view, controller };
}
