// What the ChatController needs from its surroundings. Kept free of the `vscode` module so the
// controller runs in plain Node under unit tests; src/host/chatFeature.ts supplies the real ones.
import type { ImageRefBlock, ModelInfo } from '../shared/model';
import type { MessagesApi } from '../core/api/types';
import type { AttachmentStore } from '../core/chat/attachmentStore';
import type { ConversationStore } from '../core/chat/conversationStore';
import type { ToolExecutor } from '../core/chat/toolExecutor';
import type { ChatSettings } from './config';

export interface ChatUi {
  /** Modal question; resolves true when the user picks `confirmLabel`. */
  confirm(message: string, confirmLabel: string): Promise<boolean>;
  warn(message: string): void;
  /** Sets the `aimlChat.streaming` context key (Escape stops the answer). */
  setStreaming(busy: boolean): void;
}

export interface ChatLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ChatControllerDeps {
  store: ConversationStore;
  attachments: AttachmentStore;
  getApiKey(): Promise<string | undefined>;
  settings(): ChatSettings;
  createApi(settings: ChatSettings, apiKey: string): MessagesApi;
  /** The executor for the next answer; its definitions() is empty when tools are off. */
  executor(): ToolExecutor;
  toolsStatus(): { available: boolean; notice?: string };
  models(): ModelInfo[];
  /** Webview URI of a stored image, for thumbnails; undefined when no view can show it. */
  attachmentUri(ref: ImageRefBlock): string | undefined;
  workspaceName(): string | undefined;
  ui: ChatUi;
  log: ChatLog;
  newId?(): string;
  now?(): number;
  /** Coalescer interval; tests pass 0. */
  deltaIntervalMs?: number;
}
