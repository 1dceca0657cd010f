// The frame around code blocks and tables: plain DOM, in the first bundle (streaming code shows in
// it before the markdown renderer, dist/markdown.js, has loaded).
import { h, icon } from '../dom';

/**
 * Wraps every top-level <pre> in a code block with its Copy / Insert at cursor toolbar, and every
 * table in a horizontal scroller (a narrow sidebar must not clip a wide table). `onCode` hears
 * each block's code element and fence language (to highlight it later).
 */
export function decorateCodeBlocks(root: DocumentFragment | Element, onCode?: (code: HTMLElement, language: string) => void): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    const language = code?.className.match(/language-(\S+)/)?.[1] ?? '';
    if (code && language) onCode?.(code, language);
    const wrapper = createCodeBlockShell(language);
    pre.replaceWith(wrapper);
    wrapper.appendChild(makeKeyboardScrollable(pre, language ? `Code, ${language}` : 'Code'));
  }
  for (const table of Array.from(root.querySelectorAll('table'))) {
    const scroller = makeKeyboardScrollable(h('div', { class: 'table-scroll' }), 'Table');
    table.replaceWith(scroller);
    scroller.appendChild(table);
  }
}

/**
 * A scroll container keyboard users can reach (Tab) and scroll (arrow keys), named for screen
 * readers: code blocks and tables scroll horizontally and may hold nothing else focusable.
 */
export function makeKeyboardScrollable<T extends HTMLElement>(element: T, name: string): T {
  element.tabIndex = 0;
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', name);
  return element;
}

/** The frame of a code block; the `pre` goes after the toolbar. Buttons act through delegation. */
export function createCodeBlockShell(language: string): HTMLDivElement {
  const toolbar = h('div', { class: 'code-toolbar' },
    h('span', { class: 'code-language' }, language),
    h('button', { type: 'button', class: 'code-action', 'data-action': 'copy', title: 'Copy' }, icon('copy'), h('span', { class: 'button-label' }, 'Copy')),
    h('button', { type: 'button', class: 'code-action', 'data-action': 'insert', title: 'Insert at cursor' }, icon('insert'), h('span', { class: 'button-label' }, 'Insert at cursor')),
  );
  return h('div', { class: 'code-block' }, toolbar);
}
