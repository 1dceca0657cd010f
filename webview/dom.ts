// A tiny element builder. Everything in the webview is built with DOM calls (never HTML strings),
// so no `style` attribute ever reaches the parser and the strict CSP has nothing to block.

type Child = Node | string | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (typeof value === 'function') {
        element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
      } else if (name === 'class') {
        if (value) element.className = String(value);
      } else if (value === true) {
        element.setAttribute(name, '');
      } else if (value !== false && value !== null && value !== undefined) {
        element.setAttribute(name, String(value));
      }
    }
  }
  appendChildren(element, children);
  return element;
}

export function appendChildren(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A codicon glyph; decorative, so hidden from screen readers (the button carries the name). */
export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A button with an icon and a visible or screen-reader-only label. */
export function iconButton(label: string, iconName: string, onClick: (event: Event) => void, options: { showLabel?: boolean; className?: string } = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', class: options.className ?? 'icon-button', title: label, onclick: onClick });
  button.appendChild(icon(iconName));
  if (options.showLabel) button.appendChild(h('span', { class: 'button-label' }, label));
  else button.setAttribute('aria-label', label);
  return button;
}

export { formatTokens, formatUsd } from './format';
