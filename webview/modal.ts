// A native modal <dialog> (focus trap, backdrop, inert page behind it) opened over the view:
// Escape closes it and goes no further (the view also binds Escape: stop the answer), and on close
// it leaves the page and focus returns to the element that opened it.
export function showModal(dialog: HTMLDialogElement, initialFocus: HTMLElement, returnFocusTo?: HTMLElement | null): HTMLDialogElement {
  const opener = returnFocusTo ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  initialFocus.focus();
  return dialog;
}
