// Markdown -> sanitised DOM. One markdown-it + DOMPurify configuration used for everything the
// model writes, so a streamed answer and the same answer rendered at once produce the same nodes.
// It is its own bundle (dist/markdown.js, webview/markdownEntry.ts), loaded after the view's first
// paint; webview/markdown/renderer.ts stands in for it until then.
// Code blocks come out plain and are highlighted in idle time (idleHighlight.ts).
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';
import { highlightCode, knowsLanguage } from './highlight';
import { IdleHighlighter } from './idleHighlight';
import { decorateCodeBlocks } from './codeBlocks';

export { createCodeBlockShell, decorateCodeBlocks, makeKeyboardScrollable } from './codeBlocks';

const markdown = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
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

// highlight.js escapes the code it wraps in spans; its HTML is sanitised all the same (spans with
// classes only), so a flaw in a grammar cannot put markup on the page.
const highlightPurifyConfig = {
  ALLOWED_TAGS: ['span'],
  ALLOWED_ATTR: ['class'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true as const,
};

/** Puts highlighting markup (`html`) in place of a code element's plain text, sanitised. */
export function showHighlighted(code: HTMLElement, html: string): void {
  code.replaceChildren(DOMPurify.sanitize(html, highlightPurifyConfig));
}

function highlightCodeElement(code: HTMLElement): void {
  const language = code.className.match(/language-(\S+)/)?.[1] ?? '';
  const html = highlightCode(code.textContent ?? '', language);
  if (html) showHighlighted(code, html);
}

const idleHighlighter = new IdleHighlighter<HTMLElement>(highlightCodeElement);

/** markdown-it's HTML, sanitised, with code blocks framed; `onCode` hears each block with a known language. */
function renderToFragment(source: string, onCode: (code: HTMLElement) => void): DocumentFragment {
  const fragment = DOMPurify.sanitize(markdown.render(source), purifyConfig);
  decorateCodeBlocks(fragment, (code, language) => { if (knowsLanguage(language)) onCode(code); });
  return fragment;
}

/** Renders markdown into sanitised, decorated DOM nodes ready to insert; code is highlighted once idle. */
export function renderMarkdown(source: string): DocumentFragment {
  return renderToFragment(source, (code) => idleHighlighter.add(code));
}

/** Renders markdown with its code highlighted at once (the warm-up, the naive benchmark baseline, tests). */
export function renderHighlighted(source: string): DocumentFragment {
  return renderToFragment(source, highlightCodeElement);
}

/** Highlights the blocks waiting for idle time now (benchmarks count the whole work). */
export function highlightWaitingBlocks(): void {
  idleHighlighter.flush();
}

/** How many code blocks wait for idle time (tests). */
export function blocksWaitingForHighlight(): number {
  return idleHighlighter.size;
}
