// The images attached to the message being written: `new AttachmentTray(onChange)`, its element,
// add/remove/list/clear, and addImages()/addEncoded() which run the pipeline (images/prepare.ts).
// Paste, drop and the host's `addAttachment` are wired in images/imageInput.ts; the larger view of
// sent images is images/lightbox.ts; styles are in media/images.css.
//
// Each thumbnail shows the estimated token cost of the image and a `Remove image NAME` button.
// Problems (unsupported type, too many images, request too large) appear in one alert line under
// the thumbnails, so they are announced and never block typing.
import { h, icon } from './dom';
import { IMAGE_LIMITS, estimateImageTokens, formatBytes, rawLengthOfBase64 } from '../src/shared/images';
import { checkImageCount, checkRequestBudget } from '../src/shared/imagePolicy';
import type { AttachmentPayload } from '../src/shared/protocol';
import { base64ToBytes } from './images/base64';
import { isPrepareError, prepareImage } from './images/prepare';

export interface NamedImage {
  name: string;
  blob: Blob;
}

interface TrayItem {
  key: number;
  payload: AttachmentPayload;
  element: HTMLElement;
  objectUrl: string;
}

export class AttachmentTray {
  /** Put this in the composer, above or below the Message box. Hidden while empty. */
  readonly element: HTMLElement;
  private readonly listElement: HTMLElement;
  private readonly noticeElement: HTMLElement;
  private readonly items: TrayItem[] = [];
  private nextKey = 1;
  /** Images being prepared count against the 20-image limit before they land. */
  private pending = 0;

  /** `onChange` runs after every change (e.g. to enable Send or update a token total). */
  constructor(private readonly onChange?: (tray: AttachmentTray) => void) {
    this.listElement = h('ul', { class: 'attachment-list', 'aria-label': 'Attached images' });
    this.noticeElement = h('div', { class: 'attachment-notice', role: 'alert' });
    this.element = h('div', { class: 'attachment-tray' }, this.listElement, this.noticeElement);
    this.refresh();
  }

  get count(): number {
    return this.items.length;
  }

  /** The attachments for the `send` message, in the order they were added. */
  list(): AttachmentPayload[] {
    return this.items.map((item) => ({ ...item.payload }));
  }

  /** Sum of the estimated input tokens of all attached images. */
  estimatedTokens(): number {
    return this.items.reduce((sum, item) => sum + estimateImageTokens(item.payload), 0);
  }

  /** Adds a prepared image; refuses (with a notice) past 20 images or the request budget. */
  add(payload: AttachmentPayload): boolean {
    const count = checkImageCount(this.items.length);
    if (!count.ok) return this.refuse(count.message);
    const budget = checkRequestBudget([...this.items.map((i) => i.payload.data.length), payload.data.length]);
    if (!budget.ok) return this.refuse(budget.message);
    payload = { ...payload, name: this.uniqueName(payload.name) };
    const key = this.nextKey++;
    const objectUrl = URL.createObjectURL(new Blob([base64ToBytes(payload.data) as Uint8Array<ArrayBuffer>], { type: payload.mediaType }));
    const item: TrayItem = { key, payload, objectUrl, element: this.renderItem(key, payload, objectUrl) };
    this.items.push(item);
    this.listElement.appendChild(item.element);
    this.refresh();
    return true;
  }

  /** Removes by position in `list()` or by the image's name (the first with that name). */
  remove(which: number | string): void {
    const index = typeof which === 'number' ? which : this.items.findIndex((i) => i.payload.name === which);
    const [item] = index >= 0 ? this.items.splice(index, 1) : [];
    if (!item) return;
    this.dispose(item);
    this.clearNotice(); // a "too many images" notice is out of date once one is removed
    this.refresh();
  }

  /** Empties the tray, e.g. after the message was sent. */
  clear(): void {
    for (const item of this.items.splice(0)) this.dispose(item);
    this.clearNotice();
    this.refresh();
  }

  showNotice(message: string): void {
    this.noticeElement.textContent = message;
    this.updateVisibility();
  }

  clearNotice(): void {
    this.noticeElement.textContent = '';
    this.updateVisibility();
  }

  /**
   * Prepares and attaches images (paste, drop, host picker). Unsupported files and failures are
   * collected into one notice; the others are attached.
   */
  async addImages(images: readonly NamedImage[]): Promise<void> {
    if (images.length === 0) return;
    // The previous notice stays until this batch has a problem of its own or the tray is
    // cleared: a refusal must not vanish because another image arrived right after it.
    const room = IMAGE_LIMITS.maxImagesPerMessage - this.items.length - this.pending;
    const accepted = images.slice(0, Math.max(0, room));
    const problems: string[] = [];
    if (accepted.length < images.length) {
      const count = checkImageCount(this.items.length + this.pending, images.length);
      if (!count.ok) problems.push(count.message);
    }
    this.pending += accepted.length;
    this.element.setAttribute('aria-busy', 'true');
    try {
      // In order, so thumbnails appear in the order the files were given.
      for (const image of accepted) {
        const result = await prepareImage(image.blob, image.name);
        this.pending--;
        if (isPrepareError(result)) problems.push(result.error);
        else if (!this.add(result)) problems.push(this.noticeElement.textContent ?? '');
      }
    } finally {
      this.pending = Math.max(0, this.pending);
      if (this.pending === 0) this.element.removeAttribute('aria-busy');
    }
    if (problems.length > 0) this.showNotice(problems.filter(Boolean).join(' '));
  }

  /** Two images with one name would give two identical `Remove image NAME` buttons. */
  private uniqueName(name: string): string {
    const taken = new Set(this.items.map((i) => i.payload.name));
    if (!taken.has(name)) return name;
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let n = 2;
    while (taken.has(`${stem} (${n})${extension}`)) n++;
    return `${stem} (${n})${extension}`;
  }

  /**
   * The host's `addAttachment` message (file picker, Explorer): raw file bytes as base64. The
   * declared media type is only a hint; the pipeline recognises the bytes itself and scales.
   */
  async addEncoded(name: string, _mediaType: string, data: string): Promise<void> {
    await this.addImages([{ name, blob: new Blob([base64ToBytes(data) as Uint8Array<ArrayBuffer>]) }]);
  }

  private refuse(message: string): false {
    this.showNotice(message);
    return false;
  }

  private renderItem(key: number, payload: AttachmentPayload, objectUrl: string): HTMLElement {
    const tokens = estimateImageTokens(payload);
    const size = formatBytes(rawLengthOfBase64(payload.data));
    const details = `${payload.width}×${payload.height}, ${size}, about ${tokens.toLocaleString('en-US')} tokens`;
    const removeButton = h('button', {
      type: 'button',
      class: 'icon-button attachment-remove',
      'aria-label': `Remove image ${payload.name}`,
      title: `Remove image ${payload.name}`,
      onclick: () => this.removeByKey(key),
    }, icon('close'));
    return h('li', { class: 'attachment', 'data-key': String(key), title: `${payload.name}: ${details}` },
      h('img', { class: 'attachment-thumb', src: objectUrl, alt: payload.name, width: payload.width, height: payload.height }),
      h('span', { class: 'attachment-tokens', 'aria-label': `${payload.name}, ${details}` }, `~${formatCompactTokens(tokens)} tok`),
      removeButton,
    );
  }

  private removeByKey(key: number): void {
    const index = this.items.findIndex((i) => i.key === key);
    if (index < 0) return;
    // Keep keyboard users in the tray: focus moves to the next remove button, or the previous.
    const neighbour = this.items[index + 1] ?? this.items[index - 1];
    this.remove(index);
    neighbour?.element.querySelector<HTMLButtonElement>('.attachment-remove')?.focus();
  }

  private dispose(item: TrayItem): void {
    item.element.remove();
    URL.revokeObjectURL(item.objectUrl);
  }

  private refresh(): void {
    this.updateVisibility();
    this.onChange?.(this);
  }

  /** The tray shows while it has thumbnails or a notice (a refusal shows even with no image). */
  private updateVisibility(): void {
    this.noticeElement.hidden = !this.noticeElement.textContent;
    this.listElement.hidden = this.items.length === 0;
    this.element.hidden = this.items.length === 0 && this.noticeElement.hidden;
  }
}

function formatCompactTokens(tokens: number): string {
  return tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
}
