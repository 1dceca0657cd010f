// The chat sidebar: serves the HTML shell with a strict CSP, validates every message from the
// webview, and holds back all posts until the webview says `ready`. Each `ready` (first load, or a
// reload) gets a full `init` built from the session. The view keeps its webview while hidden
// (RETAIN_CONTEXT_WHEN_HIDDEN), so showing it again needs no reload and no `init`.
import type { ChatContext } from './context/chatContext';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import type { ChatSession } from '../core/chat/session/chatSession';
import type { ChatPresenter } from './chatPresenter';
import { ViewReadiness } from './viewReadiness';
import { confineDroppedUri } from '../core/images/droppedUris';
import { cursorIndent, reindentForInsertion } from '../core/util/reindent';

export const CHAT_VIEW_ID = 'aimlChat.chat';

/**
 * Re-opening the hidden view without a reload: no new frame, bundle, `ready` and `init` (issue 15:
 * the view shows within 300 ms; docs/ARCHITECTURE.md has the figures and the memory it keeps).
 * A retained webview gets messages while hidden, so the view stays ready then.
 */
export const RETAIN_CONTEXT_WHEN_HIDDEN = true;

/** Handlers for webview messages that are not chat state (clipboard, editor, commands, tools). */
export interface ChatViewActions {
  hasApiKey(): Promise<boolean>;
  onToolDecision?(message: Extract<WebviewToHost, { type: 'toolDecision' }>): void;
  onShowDiff?(toolUseId: string): void;
  /** #-mentions, chips, slash commands, the meter (src/host/context/chatContext.ts). */
  context?: Pick<ChatContext, 'onViewReady' | 'send' | 'query' | 'pick' | 'attachUris'>;
  /** `Restore checkpoint` (src/host/checkpoints): which turns carry it, and the button. */
  checkpoints?: { onViewReady(): void; restore(turnId: string): void };
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly readiness = new ViewReadiness();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly attachmentsFolder: vscode.Uri,
    private readonly session: ChatSession,
    private readonly presenter: ChatPresenter,
    private readonly actions: ChatViewActions,
    private readonly log: vscode.LogOutputChannel,
    /** Sees each message actually posted (test mode: the integration tests read what the view got). */
    private readonly observe?: (message: HostToWebview) => void,
  ) {
    presenter.setPoster((message) => this.post(message));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const webview = view.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
        this.attachmentsFolder,
      ],
    };
    webview.html = this.html(webview);
    // Resolved again (the view was moved or re-created): the earlier view's listeners go.
    this.readiness.attach([
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidChangeVisibility(() => {
        // Without retained context a hidden view's webview is torn down; the next `ready` re-initialises it.
        if (!view.visible && !RETAIN_CONTEXT_WHEN_HIDDEN) this.readiness.markNotReady();
      }),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.readiness.markNotReady();
        }
      }),
    ]);
  }

  /** Shows the view (creating it if needed). */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  /** Webview URI of a file in the attachments folder, for thumbnails. */
  webviewUri(file: vscode.Uri): string | undefined {
    return this.view?.webview.asWebviewUri(file).toString();
  }

  /**
   * True once the webview is ready (at once when it already is), false after `timeoutMs`. For
   * messages that must not be lost while the view is still loading, e.g. an image attached from
   * the Explorer; after a timeout the caller tells the user and nothing arrives later.
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    return this.readiness.whenReady(timeoutMs);
  }

  post(message: HostToWebview): void {
    if (!this.view || !this.readiness.isReady) return;
    this.observe?.(message);
    void this.view.webview.postMessage(message).then(undefined, (error: Error) => this.log.warn(`post to chat view failed: ${error.message}`));
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`ignored an invalid message from the chat view: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (error) {
      this.log.error(`chat view message ${parsed.value.type} failed: ${(error as Error).stack ?? error}`);
    }
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const hasApiKey = await this.actions.hasApiKey();
        this.readiness.markReady();
        this.post(this.presenter.initMessage(hasApiKey));
        this.actions.context?.onViewReady();
        this.actions.checkpoints?.onViewReady();
        return;
      }
      case 'restoreCheckpoint':
        return this.actions.checkpoints?.restore(message.turnId);
      case 'resendMessage':
        return this.presenter.resendMessage(message.messageId);
      case 'loadOlderMessages':
        return this.presenter.olderMessages(message);
      case 'send':
        if (this.actions.context) return this.actions.context.send(message);
        return this.session.send({ text: message.text, images: message.attachments, mode: message.mode });
      case 'contextQuery':
        return this.actions.context?.query(message.requestId, message.query);
      case 'contextPick':
        await this.actions.context?.pick(message.option);
        return;
      case 'stop':
        return this.session.stop();
      case 'retry':
        return this.session.retry();
      case 'newChat':
        return this.session.newChat();
      case 'setApiKey':
        await vscode.commands.executeCommand('aimlChat.setApiKey');
        return;
      case 'selectModel':
        await vscode.commands.executeCommand('aimlChat.selectModel', message.model);
        return;
      case 'pickImage':
        await vscode.commands.executeCommand('aimlChat.attachImage');
        return;
      case 'attachImageUris': {
        // Other files become context chips; images take the Explorer context menu's path: (clicked, all selected).
        const images = this.actions.context ? await this.actions.context.attachUris(message.uris) : message.uris;
        if (images.length) await vscode.commands.executeCommand('aimlChat.attachImage', undefined, images.map((u) => vscode.Uri.parse(u, true)));
        return;
      }
      case 'showHistory':
        await vscode.commands.executeCommand('aimlChat.showHistory');
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertAtCursor':
        return insertAtCursor(message.code);
      case 'openLink':
        return openLink(message.href);
      case 'toolDecision':
        this.actions.onToolDecision?.(message);
        return;
      case 'showDiff':
        this.actions.onShowDiff?.(message.toolUseId);
        return;
      case 'log':
        this.log[message.level](`[webview] ${message.message}`);
        return;
    }
  }

  /**
   * Files dropped from the Explorer: only those inside a workspace folder are read (the webview may
   * not name other schemes or places), then the same path as the Explorer's context menu.
   */
  private async attachDroppedUris(uris: readonly string[]): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri);
    const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
    const accepted: vscode.Uri[] = [];
    const refused: string[] = [];
    for (const raw of uris) {
      let parsed: vscode.Uri;
      try { parsed = vscode.Uri.parse(raw, true); } catch { refused.push(`${raw.slice(0, 80)} was not attached: it is not a valid address.`); continue; }
      const checked = confineDroppedUri(parsed, folders, caseInsensitive);
      if (checked.ok) accepted.push(vscode.Uri.from(checked.uri));
      else refused.push(checked.message);
    }
    if (refused.length > 0) {
      this.log.warn(`drop onto the chat: ${refused.join(' ')}`);
      void vscode.window.showWarningMessage(`AIML Chat: ${refused.join(' ')}`);
    }
    // (clicked, all selected), as the Explorer's context menu passes them.
    if (accepted.length > 0) await vscode.commands.executeCommand('aimlChat.attachImage', undefined, accepted);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data: blob:`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}" nonce="${nonce}">
<link rel="stylesheet" href="${asset('media', 'chat.css')}" nonce="${nonce}">
<title>AIML Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.presenter.setPoster(undefined);
    this.readiness.dispose();
  }
}

async function insertAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage('AIML Chat: open an editor to insert the code.');
    return;
  }
  const { insertSpaces, tabSize } = editor.options;
  const indentOptions = { insertSpaces: insertSpaces !== false, tabSize: typeof tabSize === 'number' ? tabSize : 4 };
  await editor.edit((edit) => {
    // Each cursor gets the block re-indented to its own line (multi-cursor inserts differ).
    for (const selection of editor.selections) {
      const line = editor.document.lineAt(selection.start.line).text;
      edit.replace(selection, reindentForInsertion(code, cursorIndent(line, selection.start.character), indentOptions));
    }
  });
}

async function openLink(href: string): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    return;
  }
  // Only web links: a model-written link must not open command: or file: URIs.
  if (uri.scheme !== 'https' && uri.scheme !== 'http') return;
  await vscode.env.openExternal(uri);
}
