// The second webview bundle, dist/markdown.js: the markdown renderer, loaded after the first paint
// and handed to the first bundle by an event (webview/markdown/renderer.ts).
import { renderHighlighted, renderMarkdown } from './markdown/render';
import { MARKDOWN_LOADED_EVENT } from './markdown/renderer';
import { warmUpInIdleTime } from './markdown/warmUp';

window.dispatchEvent(new CustomEvent(MARKDOWN_LOADED_EVENT, { detail: renderMarkdown }));
// The warm-up highlights at once: compiling the grammars is what it is for.
warmUpInIdleTime(renderHighlighted);
