// aimlChat.attachImage: from the command palette or the view's Attach image button it opens a file
// picker (png/jpeg/gif/webp, several at once); from the Explorer's context menu it takes the
// clicked file (or all selected ones). The bytes are read with workspace.fs (so remote and
// virtual file systems work), recognised by their content, and sent raw to the chat view, whose
// pipeline scales and re-encodes them. Anything else is refused with a clear message.
import * as vscode from 'vscode';
import { IMAGE_LIMITS, formatBytes } from '../shared/images';
import type { HostToWebview } from '../shared/protocol';
import { MAX_PICKED_IMAGE_BYTES, addAttachmentMessage, checkPickedImage } from '../core/images/imageFiles';
import { deliverWhenReady } from './viewReadiness';

export interface ImageCommandServices {
  log: vscode.LogOutputChannel;
}

/** What the chat view provider offers (ChatViewProvider has both). */
export interface ChatViewTarget {
  reveal(): Promise<void>;
  /** True once the webview is ready, so an image sent while the view is opening is not lost; false after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<boolean>;
  post(message: HostToWebview): void;
}

/** The webview should be ready within seconds; past this something is wrong and the user is told. */
const VIEW_READY_TIMEOUT_MS = 20_000;

export function registerImageCommands(services: ImageCommandServices, chatView: ChatViewTarget): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aimlChat.attachImage', async (clicked?: unknown, selected?: unknown) => {
      const fromExplorer = explorerUris(clicked, selected);
      const uris = fromExplorer ?? (await pickImages());
      if (!uris || uris.length === 0) return;
      services.log.info(`attach image: ${uris.length} file(s) from ${fromExplorer ? 'the Explorer or a drop' : 'the file picker'}`);
      await attachImages(uris, services, chatView);
    }),
  ];
}

/** Explorer passes (clickedUri, allSelectedUris); the view's button and the palette pass nothing. */
function explorerUris(clicked: unknown, selected: unknown): vscode.Uri[] | undefined {
  if (Array.isArray(selected) && selected.length > 0 && selected.every((u) => u instanceof vscode.Uri)) return selected as vscode.Uri[];
  if (clicked instanceof vscode.Uri) return [clicked];
  return undefined;
}

async function pickImages(): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    title: 'AIML Chat: Attach Image',
    openLabel: 'Attach',
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { Images: ['png', 'jpg', 'jpeg', 'gif', 'webp'] },
  });
}

export async function attachImages(uris: readonly vscode.Uri[], services: ImageCommandServices, chatView: ChatViewTarget): Promise<void> {
  const problems: string[] = [];
  const max = IMAGE_LIMITS.maxImagesPerMessage;
  if (uris.length > max) problems.push(`A message can carry at most ${max} images; the first ${max} were attached.`);
  const messages: HostToWebview[] = [];
  for (const uri of uris.slice(0, max)) {
    const name = uri.path.split('/').pop() || 'image';
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_PICKED_IMAGE_BYTES) {
        problems.push(`${name} is ${formatBytes(stat.size)}; images over ${formatBytes(MAX_PICKED_IMAGE_BYTES)} are not attached.`);
        continue;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      const checked = checkPickedImage(name, bytes);
      if (!checked.ok) problems.push(checked.message);
      else messages.push(addAttachmentMessage(name, bytes, checked.mediaType));
    } catch (error) {
      problems.push(`${name} could not be read: ${(error as Error).message}`);
    }
  }
  if (messages.length > 0) {
    await chatView.reveal();
    // After the timeout the user is told to attach again, so the images must not arrive later anyway.
    const delivered = await deliverWhenReady(chatView, messages, VIEW_READY_TIMEOUT_MS);
    if (!delivered) problems.push('The chat view did not open in time; open it and attach the image again.');
    services.log.info(`attached ${messages.length} image(s) from the host`);
  }
  if (problems.length > 0) {
    services.log.warn(`attach image: ${problems.join(' ')}`);
    void vscode.window.showWarningMessage(`AIML Chat: ${problems.join(' ')}`);
  }
}
