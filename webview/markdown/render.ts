// Markdown -> sanitised DOM. One markdown-it + DOMPurify configuration used for everything the
// model writes, so a streamed answer and the same answer rendered at once produce the same nodes.
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';
import { highlightCode } from './highlight';
import { h, icon } from '../dom';

const markdown = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  highlight: (code, language) => highlightCode(code, language),
});

// Images are never loaded from the model's output (no remote requests, no tracking pixels): a
// markdown image becomes a link with its alt text, which the user may open through the host.
markdown.renderer.rules.image = (tokens, index) => {
  const token = tokens[index];
  const src = token.attrGet('src') ?? '';
  const alt = token.children?.map((child) => child.content).join('') || src;
  const escape = markdown.utils.escapeHtml;
  return `<a href="${escape(src)}" class="image-link">${escape(`Image: ${alt}`)}</a>`;
};

// markdown-it aligns table cells with a `style` attribute, which the webview's CSP (no
// 'unsafe-inline' styles) would refuse. Use classes instead.
markdown.core.ruler.push('align_with_classes', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const style = token.attrGet('style');
    const match = style && /text-align:\s*(left|right|center)/.exec(style);
    if (!style) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    if (match) token.attrJoin('class', `align-${match[1]}`);
  }
});

const allowedTags = [
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p',
  'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const purifyConfig = {
  ALLOWED_TAGS: allowedTags,
  ALLOWED_ATTR: ['href', 'class', 'start', 'title'],
  // http(s), mailto, fragments and scheme-less (relative) paths; javascript:, data:, file: and the
  // rest are dropped. Opening is always delegated to the host anyway.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true as const,
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    const href = node.getAttribute('href');
    // The full URL as the tooltip, so a link text can never disguise where it goes.
    if (href) node.setAttribute('title', href);
    else node.removeAttribute('title');
  }
});

/** The HTML markdown-it produces (unsanitised; exposed for the naive benchmark baseline). */
export function markdownToHtml(source: string): string {
  return markdown.render(source);
}

export function sanitizeToFragment(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, purifyConfig);
}

/** Renders markdown into sanitised, decorated DOM nodes ready to insert. */
export function renderMarkdown(source: string): DocumentFragment {
  const fragment = sanitizeToFragment(markdownToHtml(source));
  decorateCodeBlocks(fragment);
  return fragment;
}

/**
 * Wraps every top-level <pre> in a code block with its Copy / Insert at cursor toolbar, and every
 * table in a horizontal scroller (a narrow sidebar must not clip a wide table).
 */
export function decorateCodeBlocks(root: DocumentFragment | Element): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const language = pre.querySelector('code')?.className.match(/language-(\S+)/)?.[1] ?? '';
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
