// The chat sidebar: serves the HTML shell with a strict CSP, validates every message from the
// webview, and holds back all posts until the webview says `ready`. The webview keeps no state of
// its own worth saving: each `ready` (first load, or reload after being hidden) gets a full `init`
// built from the host's conversation, so retainContextWhenHidden is not needed.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import { cursorIndent, reindentForInsertion } from '../core/util/reindent';
import type { ChatController } from './chatController';

export const CHAT_VIEW_ID = 'aimlChat.chat';

/** Handlers for webview messages that are not chat state (clipboard, editor, commands, tools). */
export interface ChatViewActions {
  hasApiKey(): Promise<boolean>;
  onToolDecision?(message: Extract<WebviewToHost, { type: 'toolDecision' }>): void;
  onShowDiff?(toolUseId: string): void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly attachmentsFolder: vscode.Uri,
    private readonly controller: ChatController,
    private readonly actions: ChatViewActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    controller.setPoster((message) => this.post(message));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
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
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidChangeVisibility(() => {
        // A hidden view's webview is torn down; the next `ready` re-initialises it.
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
        }
      }),
    );
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

  /** Resolvers of postWhenReady calls made before the webview said `ready`. */
  private readonly waitingForReady: Array<() => void> = [];

  /**
   * Posts once the webview is ready (at once when it already is). For messages that must not be
   * lost while the view is still loading, e.g. an image attached from the Explorer (added by the
   * image-pipeline helper).
   */
  async postWhenReady(message: HostToWebview): Promise<void> {
    if (!this.view || !this.ready) await new Promise<void>((resolve) => this.waitingForReady.push(resolve));
    this.post(message);
  }

  post(message: HostToWebview): void {
    if (!this.view || !this.ready) return;
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
        const init = await this.controller.initMessage(await this.actions.hasApiKey());
        this.ready = true;
        this.post(init);
        for (const resolve of this.waitingForReady.splice(0)) resolve();
        return;
      }
      case 'send':
        return this.controller.send(message.text, message.attachments);
      case 'stop':
        return this.controller.stop();
      case 'retry':
        return this.controller.retry();
      case 'newChat':
        return this.controller.newChat();
      case 'setApiKey':
        await vscode.commands.executeCommand('aimlChat.setApiKey');
        return;
      case 'selectModel':
        await vscode.commands.executeCommand('aimlChat.selectModel', message.model);
        return;
      case 'pickImage':
        await vscode.commands.executeCommand('aimlChat.attachImage');
        return;
      case 'attachImageUris':
        // Same path as the Explorer's context menu: (clicked, all selected).
        await vscode.commands.executeCommand('aimlChat.attachImage', undefined, message.uris.map((u) => vscode.Uri.parse(u, true)));
        return;
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
    this.controller.setPoster(undefined);
    for (const d of this.disposables.splice(0)) d.dispose();
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
