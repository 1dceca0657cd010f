// The markdown renderer (markdown-it, DOMPurify, highlight.js: about half of the webview's code) is
// a bundle of its own, dist/markdown.js, loaded right after the view's first paint so that opening
// the view does not wait for it (issue 15: the chat view within 300 ms). Until it has loaded, text
// shows as plain paragraphs (textContent: nothing is parsed or executed); each StreamingMarkdown that
// showed text then renders it again as markdown, once.
// The second bundle hands its renderer over with a window event; the script element carries the
// first bundle's nonce, so the page's Content-Security-Policy (scripts by nonce only) is unchanged.

export type MarkdownRender = (source: string) => DocumentFragment;

/** The event dist/markdown.js dispatches on window, with its renderMarkdown as `detail`. */
export const MARKDOWN_LOADED_EVENT = 'aiml-chat-markdown-renderer';

let loaded: MarkdownRender | undefined;
let waiting: Array<() => void> = [];

/** Markdown once the renderer has loaded, plain paragraphs before. */
export function renderMarkdown(source: string): DocumentFragment {
  return loaded ? loaded(source) : plainParagraphs(source);
}

export function markdownLoaded(): boolean {
  return loaded !== undefined;
}

/** Runs `callback` when the renderer arrives; never if it already has (nothing was shown plain). */
export function afterMarkdownLoads(callback: () => void): void {
  if (!loaded) waiting.push(callback);
}

export function installMarkdownRenderer(render: MarkdownRender): void {
  if (loaded) return;
  loaded = render;
  const callbacks = waiting;
  waiting = [];
  for (const callback of callbacks) callback();
}

/**
 * Adds dist/markdown.js next to the running bundle (`from`, captured while it ran), with its nonce.
 * `onError` hears when it cannot load: the answers stay readable as plain text.
 */
export function loadMarkdownRenderer(from: HTMLScriptElement | null, onError: (message: string) => void): void {
  if (loaded || !from?.src) return;
  window.addEventListener(MARKDOWN_LOADED_EVENT, (event) => {
    const render: unknown = (event as CustomEvent).detail;
    if (typeof render === 'function') installMarkdownRenderer(render as MarkdownRender);
  }, { once: true });
  const script = document.createElement('script');
  script.nonce = from.nonce;
  script.src = new URL('markdown.js', from.src).href;
  script.addEventListener('error', () => onError(`the markdown renderer (${script.src}) did not load; answers show as plain text`));
  document.body.appendChild(script);
}

function plainParagraphs(source: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const paragraph of source.split(/\n{2,}/)) {
    if (!paragraph.trim()) continue;
    const element = document.createElement('p');
    element.className = 'md-plain';
    element.textContent = paragraph;
    fragment.appendChild(element);
  }
  return fragment;
}
