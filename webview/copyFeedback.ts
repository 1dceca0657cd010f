// "Copied" after a code block's Copy: shown next to the button for a moment and announced. The
// button keeps its name (`Copy`, part of the view's contract); the confirmation is a separate,
// aria-hidden mark, because the announcer already says it to screen readers.
import { h, icon } from './dom';

export const copiedVisibleMs = 2000;

export function showCopied(button: HTMLElement, announce: (text: string) => void): void {
  const toolbar = button.parentElement;
  if (!toolbar) return;
  toolbar.querySelector('.copy-feedback')?.remove();
  const mark = h('span', { class: 'copy-feedback', 'aria-hidden': 'true' }, icon('check'), 'Copied');
  button.after(mark);
  announce('Copied to clipboard');
  setTimeout(() => mark.remove(), copiedVisibleMs);
}
