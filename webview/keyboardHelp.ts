// The view's keyboard help: a `Keyboard shortcuts` button in the header, or `?` pressed outside a
// text field, opens a modal <dialog> (native focus trap and Escape) listing the keys of the view.
// Focus returns to where it was when the dialog closes.
import { h, iconButton } from './dom';
import { showModal } from './modal';

export const shortcuts: ReadonlyArray<readonly [keys: string, action: string]> = [
  ['Enter', 'Send the message'],
  ['Shift+Enter', 'New line in the message'],
  ['Up (empty message)', 'Recall the last prompt'],
  ['Escape', 'Stop the answer while it streams'],
  ['Tab / Shift+Tab', 'Move between the conversation, code blocks, buttons and the message box'],
  ['Arrow keys (on a code block)', 'Scroll the code'],
  ['Enter or Space (on a button)', 'Copy, Insert at cursor, Allow, Deny, Apply, Discard, Retry'],
  ['?', 'Show these shortcuts (outside the message box)'],
];

export function openKeyboardHelp(returnFocusTo?: HTMLElement | null): HTMLDialogElement {
  const title = h('h2', { id: 'keyboard-help-title' }, 'Keyboard shortcuts');
  const list = h('dl', { class: 'shortcut-list' });
  for (const [keys, action] of shortcuts) list.append(h('dt', null, h('kbd', null, keys)), h('dd', null, action));
  const closeButton = h('button', { type: 'button', class: 'secondary' }, 'Close');
  const dialog = h('dialog', { class: 'keyboard-help', 'aria-labelledby': 'keyboard-help-title' }, title, list, h('div', { class: 'button-row' }, closeButton));
  closeButton.addEventListener('click', () => dialog.close());
  return showModal(dialog, closeButton, returnFocusTo);
}

export function keyboardHelpButton(): HTMLButtonElement {
  const button = iconButton('Keyboard shortcuts', 'keyboard', () => openKeyboardHelp(button));
  return button;
}

/** `?` outside text fields opens the help (typing a `?` in the Message box stays a `?`). */
export function installKeyboardHelpKey(target: Document = document): void {
  target.addEventListener('keydown', (event) => {
    if (event.key !== '?' || event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    const active = event.target as HTMLElement | null;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    if (document.querySelector('dialog[open]')) return;
    event.preventDefault();
    openKeyboardHelp();
  });
}
