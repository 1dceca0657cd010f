// Ways images reach the composer besides the host's file picker: pasting into the Message box,
// dropping files anywhere on the chat (with a visible overlay while dragging), and the host's
// `addAttachment` message (file picker, Explorer context menu). All of them go through the same
// pipeline in AttachmentTray.addImages, which recognises the type by the bytes.
import { h, icon } from '../dom';
import { IMAGE_LIMITS } from '../../src/shared/images';
import { checkImageCount } from '../../src/shared/imagePolicy';
import { base64ToBytes } from './base64';
import type { AttachmentTray, NamedImage } from '../attachments';

export interface ImageInputOptions {
  tray: AttachmentTray;
  /** Pasting an image here attaches it; it gets focus after a drop, ready for the question. */
  messageBox: HTMLElement;
  /** Files dropped anywhere on this element are attached (usually the whole view). */
  dropZone: HTMLElement;
  /**
   * Files dragged from VS Code's own Explorer (with Shift) arrive as URIs, not bytes: they are
   * handed to the host (`attachImageUris`), which reads them and answers with addAttachment.
   */
  attachUris?: (uris: string[]) => void;
}

export interface ImageInput {
  /** Handles the host's `addAttachment` message (file picker, Explorer context menu). */
  addFromHost(message: { name: string; mediaType: string; data: string }): Promise<void>;
  /** Resolves when every paste/drop started so far has been prepared (tests, busy states). */
  idle(): Promise<void>;
  dispose(): void;
}

export function installImageInput(options: ImageInputOptions): ImageInput {
  const { tray, messageBox, dropZone } = options;
  let work: Promise<void> = Promise.resolve();
  const attach = (images: NamedImage[]): void => {
    if (images.length > 0) work = work.then(() => tray.addImages(images));
  };

  const onPaste = (event: Event): void => {
    const data = (event as ClipboardEvent).clipboardData;
    if (!data || event.defaultPrevented) return;
    const files = filesOf(data);
    // Office apps put a picture of the copied cells next to their text: text wins, as users expect.
    if (files.length === 0 || data.getData('text/plain') !== '') return;
    event.preventDefault();
    attach(files.map((file, i) => ({ name: pastedName(file, i), blob: file })));
  };

  const overlay = h('div', { class: 'drop-overlay', 'aria-hidden': 'true' },
    h('div', { class: 'drop-overlay-label' }, icon('file-media'), 'Drop images to attach'));
  overlay.hidden = true;
  dropZone.appendChild(overlay);
  // dragenter/dragleave fire for every child crossed; a counter tells when the drag really left.
  let dragDepth = 0;
  const carriesFiles = (event: DragEvent): boolean => {
    const types = event.dataTransfer?.types ?? [];
    return types.includes('Files') || (!!options.attachUris && URI_TYPES.some((t) => types.includes(t)));
  };
  const onDragEnter = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    overlay.hidden = false;
  };
  const onDragOver = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // without this the browser refuses the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    overlay.hidden = false;
  };
  const onDragLeave = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) overlay.hidden = true;
  };
  const onDrop = (event: DragEvent): void => {
    dragDepth = 0;
    overlay.hidden = true;
    const files = event.dataTransfer ? filesOf(event.dataTransfer) : [];
    if (files.length === 0) {
      const uris = event.dataTransfer && options.attachUris ? urisOf(event.dataTransfer) : [];
      if (uris.length === 0) return;
      event.preventDefault();
      if (uris.length > IMAGE_LIMITS.maxImagesPerMessage) tray.showNotice(checkImageCountMessage(uris.length));
      options.attachUris?.(uris.slice(0, IMAGE_LIMITS.maxImagesPerMessage));
      messageBox.focus();
      return;
    }
    event.preventDefault();
    attach(files.map((file, i) => ({ name: file.name || `dropped image ${i + 1}`, blob: file })));
    messageBox.focus();
  };

  messageBox.addEventListener('paste', onPaste);
  dropZone.addEventListener('dragenter', onDragEnter);
  dropZone.addEventListener('dragover', onDragOver);
  dropZone.addEventListener('dragleave', onDragLeave);
  dropZone.addEventListener('drop', onDrop);

  return {
    addFromHost: async (message) => {
      // The declared media type is only a hint: the pipeline recognises the bytes itself and scales.
      attach([{ name: message.name, blob: new Blob([base64ToBytes(message.data) as Uint8Array<ArrayBuffer>]) }]);
      await work;
    },
    idle: async () => {
      // New work may be queued while waiting: wait until the chain stops growing.
      let seen: Promise<void> | undefined;
      while (seen !== work) {
        seen = work;
        await seen;
      }
    },
    dispose: () => {
      messageBox.removeEventListener('paste', onPaste);
      dropZone.removeEventListener('dragenter', onDragEnter);
      dropZone.removeEventListener('dragover', onDragOver);
      dropZone.removeEventListener('dragleave', onDragLeave);
      dropZone.removeEventListener('drop', onDrop);
      overlay.remove();
    },
  };
}

function filesOf(data: DataTransfer): File[] {
  const fromItems = Array.from(data.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
  return fromItems.length > 0 ? fromItems : Array.from(data.files ?? []);
}

/** Drag types VS Code's Explorer and editor tabs put on a drag (lower-cased, as the DOM reports them). */
const URI_TYPES = ['resourceurls', 'application/vnd.code.uri-list', 'text/uri-list'];

function urisOf(data: DataTransfer): string[] {
  // `resourceurls` (a JSON list) and the code uri-list carry every selected file; text/uri-list
  // is cut to the first one by VS Code, so it is the last resort.
  try {
    const list: unknown = JSON.parse(data.getData('resourceurls') || 'null');
    if (Array.isArray(list) && list.every((u) => typeof u === 'string') && list.length > 0) return list;
  } catch {
    // not JSON: fall through to the uri lists
  }
  for (const type of ['application/vnd.code.uri-list', 'text/uri-list']) {
    const uris = data.getData(type).split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    if (uris.length > 0) return uris;
  }
  return [];
}

function checkImageCountMessage(count: number): string {
  const check = checkImageCount(0, count);
  return check.ok ? '' : check.message;
}

function pastedName(file: File, index: number): string {
  // Screenshots pasted from the clipboard are all called "image.png"; number them so each
  // thumbnail's remove button has its own name.
  const stamp = new Date().toTimeString().slice(0, 8).replace(/:/g, '');
  const extension = file.type.startsWith('image/') ? file.type.slice(6).replace('jpeg', 'jpg') : 'bin';
  return !file.name || file.name === 'image.png' ? `pasted-${stamp}${index > 0 ? `-${index + 1}` : ''}.${extension}` : file.name;
}
