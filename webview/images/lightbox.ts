// A larger view of an image in a sent message, inside the webview, in a modal dialog (../modal.ts:
// focus trap, backdrop, Escape); focus goes back to the thumbnail on close.
import { h, icon } from '../dom';
import { showModal } from '../modal';
import type { ImageRefBlock } from '../../src/shared/model';

let openDialog: HTMLDialogElement | undefined;

/** Shows `src` large; Escape, the Close button or a click outside the image closes it. */
export function openLightbox(src: string, name: string, returnFocusTo?: HTMLElement | null): HTMLDialogElement {
  openDialog?.close();
  const closeButton = h('button', { type: 'button', class: 'icon-button lightbox-close', 'aria-label': 'Close', title: 'Close (Escape)' }, icon('close'));
  const dialog = h('dialog', { class: 'image-lightbox', 'aria-label': `Image ${name}` },
    h('figure', { class: 'lightbox-figure' },
      h('img', { class: 'lightbox-image', src, alt: name }),
      h('figcaption', { class: 'lightbox-caption' }, name)),
    closeButton);
  closeButton.addEventListener('click', () => dialog.close());
  // A click on the backdrop lands on the dialog element itself, not on its content.
  dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener('close', () => { if (openDialog === dialog) openDialog = undefined; });
  openDialog = showModal(dialog, closeButton, returnFocusTo);
  return dialog;
}

/**
 * The thumbnail of an image in a sent message (for the transcript): a button named
 * `View image NAME` that opens the lightbox. `uri` is the webview URI from `attachmentUris`.
 */
export function renderSentImage(ref: Pick<ImageRefBlock, 'name' | 'width' | 'height'>, uri: string | undefined): HTMLElement {
  const name = ref.name ?? 'image';
  if (!uri) return h('span', { class: 'sent-image sent-image-missing', role: 'img', 'aria-label': `${name} (no longer stored)` }, icon('file-media'), name);
  const known = ref.width > 0 && ref.height > 0;
  // Width and height reserve the space before the image loads, so the transcript does not jump.
  const button = h('button', { type: 'button', class: 'sent-image', 'aria-label': `View image ${name}`, title: known ? `${name} (${ref.width}×${ref.height})` : name },
    h('img', { src: uri, alt: '', width: known ? ref.width : null, height: known ? ref.height : null, loading: 'lazy' }));
  button.addEventListener('click', () => openLightbox(uri, name, button));
  return button;
}
