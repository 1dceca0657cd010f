// The second webview bundle, dist/markdown.js: the markdown renderer, loaded after the first paint
// and handed to the first bundle by an event (webview/markdown/renderer.ts).
import { renderMarkdown } from './markdown/render';
import { MARKDOWN_LOADED_EVENT } from './markdown/renderer';

window.dispatchEvent(new CustomEvent(MARKDOWN_LOADED_EVENT, { detail: renderMarkdown }));
