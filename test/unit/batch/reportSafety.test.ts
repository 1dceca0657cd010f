// The batch report opens in VS Code's markdown preview, which renders raw HTML and loads https:
// images. Hostile model text must not make the rendered report fetch anything. The report is
// rendered here with markdown-it configured as the preview is (html on, linkify on), and the
// resulting HTML is searched for anything that would load.
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { renderReport } from '../../../src/core/batch/report';
import { parseResultLines } from '../../../src/core/batch/results';
import { inertMarkdown } from '../../../src/core/util/inertMarkdown';

const preview = new MarkdownIt({ html: true, linkify: true });
const entry = (customId: string, path: string) => ({ customId, path, location: `file:///ws/${path}`, language: 'typescript', bytes: 10 });
const ok = (id: string, text: string) => JSON.stringify({ custom_id: id, result: { type: 'succeeded', message: { content: [{ type: 'text', text }], stop_reason: 'end_turn' } } });

const hostile = [
  'Here is a pixel: ![tracker](https://evil.example/pixel.png) and ![ref][r]',
  '',
  '[r]: https://evil.example/ref.png',
  '',
  '<img src=https://evil.example/raw.png>',
  'inline <img src="https://evil.example/inline.png"> html',
  '<picture><source srcset="https://evil.example/s.png"></picture>',
  '<div>',
  '<img src=https://evil.example/in-block.png>',
  '</div>',
  '',
  '<style>body { background: url(https://evil.example/css.png) }</style>',
  '<svg><image href="https://evil.example/svg.png"/></svg>',
  '<video poster="https://evil.example/poster.png"></video>',
  'split tag <img',
  'src="https://evil.example/split.png">',
  'a `b',
  'c` ![x](https://evil.example/after-span.png) `d`',
  '| `a | ![cell](https://evil.example/cell.png) | b` |',
  '| --- | --- | --- |',
  '| `<img src=https://evil.example/code-cell.png>` | x | y |',
  '\\\\![double backslash](https://evil.example/bs.png)',
  '<!-- <img src=https://evil.example/comment.png> -->',
  '```ts',
  'const ok: Array<string> = []; // fenced code stays as written',
  '```',
  'Text with `Array<string>` in code.',
  '```',
  'an unclosed fence',
].join('\n');

/** Real tags of the rendered HTML (escaped text is `&lt;…`) that load something or hold CSS. */
function loads(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<([a-z][a-z0-9-]*)\b([^>]*)>/gi)) {
    const [tag, name, attributes] = match;
    if (/^(img|picture|source|style|svg|image|video|audio|iframe|object|embed|link|input)$/i.test(name)) found.push(tag);
    else if (/\b(src|srcset|poster|background|style|data)\s*=/i.test(attributes)) found.push(tag);
  }
  return found;
}

describe('batch report safety (markdown preview loads nothing remote)', () => {
  it('the hostile sample would load remote content if pasted raw (the check can fail)', () => {
    assert.ok(loads(preview.render(hostile)).length > 5);
  });

  it('renders hostile model text, prompt and error reasons without anything that loads', () => {
    const lines = [
      ok('a', hostile),
      ok('b', 'Second file: ![after an open fence](https://evil.example/second.png)'),
      JSON.stringify({ custom_id: 'c', result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'failed <img src=https://evil.example/reason.png>' } } } }),
    ].join('\n');
    const report = renderReport({
      batchId: 'msgbatch_1', task: 'custom', customPrompt: 'Look <img src=https://evil.example/prompt.png> ![p](https://evil.example/p.png)',
      model: 'claude-sonnet-4-6', createdAt: 0,
      entries: [entry('a', 'src/a.ts'), entry('b', 'src/b.ts'), entry('c', 'src/c.ts')], skipped: [], results: parseResultLines(lines),
    });
    const html = preview.render(report);
    assert.deepEqual(loads(html), [], html);
    // The images are still reachable, as links the user may choose to open.
    assert.match(html, /<a href="https:\/\/evil\.example\/pixel\.png">Image: tracker<\/a>/);
    // The second file's section is not swallowed by the first answer's unclosed fence.
    assert.match(html, /<h2><code>src\/b\.ts<\/code><\/h2>/);
    assert.match(html, /<a href="https:\/\/evil\.example\/second\.png">Image: after an open fence<\/a>/);
    // Code keeps its generics.
    assert.match(html, /<code>Array&lt;string&gt;<\/code>/);
    assert.match(html, /const ok: Array&lt;string&gt; = \[\];/);
  });

  it('leaves ordinary markdown alone', () => {
    const text = '## Notes\n\n- a list with `code` and **bold**\n- a [link](https://example.com)\n\n```js\nif (a < b) {}\n```\n\n1 < 2 is true';
    assert.equal(inertMarkdown(text), text);
  });
});
