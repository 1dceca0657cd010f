// The incremental markdown renderer in a real Chromium: streamed output must equal the whole text
// rendered at once, finished blocks must keep their node identity, and model output is sanitised.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useBrowser } from './support/hooks';
import { everyN, generateAnswer, longListAnswer, mixedAnswer, randomPositions, trickyPositions } from './fixtures/markdownSamples';

interface Renderer {
  renderAll(source: string): string;
  stream(source: string, positions: number[], frameEvery?: number): string;
  identity(head: string, rest: string, pieceSize: number): { frozenCount: number; keptCount: number; removedFrozen: number };
  midFence(source: string): { streamingBlocks: number; highlightSpans: number; codeText: string };
  idleHighlighting(source: string): Promise<{ spansBefore: number; spansAfter: number; html: string; highlightedAtOnce: string; removedSpans: number; waiting: number }>;
  showHighlighted(html: string): string;
  backlog(source: string): { framesToDrain: number; firstFrameShare: number; html: string };
  finishMutations(source: string, pieceSize: number): { blocks: number; added: number; removed: number };
  slices(source: string): { slices: number; frames: number; rendered: number; maxChunksPerFrame: number; chunks: number; liveChunks: number; renderedOutsideFrames: number; html: string };
  sizesAfterBurst(source: string): Promise<{ chunks: number; skippedBeforeRendered: number; wrongHeights: string[] }>;
  restoredChunks(source: string): { chunks: number; liveChunks: number };
  finishBeforeFirstFrame(source: string, streamed: boolean): { chunksAtOnce: number; pending: boolean; chunks: number; html: string };
  hostileStream(source: string, pieceSize: number): { unsafe: string[]; maxImages: number; tailHtml: string };
  taskChains(depth: number): Promise<{ order: string[]; synchronous: boolean; firstRuns: number }>;
}
const renderer = () => (globalThis as unknown as { __renderer: Renderer }).__renderer;

describe('incremental markdown rendering (Chromium)', function () {
  const fixture = useBrowser();
  let page: Page;

  before(async function () {
    this.timeout(60_000);
    page = await fixture.browser().newPage();
    await page.goto(fixture.server().rendererUrl);
    await page.waitForFunction(() => 'renderer' in globalThis || '__renderer' in globalThis);
  });

  const renderAll = (source: string) => page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.renderAll(s), source);
  const stream = (source: string, positions: number[], frameEvery = 1) =>
    page.evaluate(([s, p, f]) => (globalThis as unknown as { __renderer: Renderer }).__renderer.stream(s, p, f), [source, positions, frameEvery] as const);

  const samples: [string, string][] = [['mixed answer', mixedAnswer], ['long list', longListAnswer], ['generated 8 KB answer', generateAnswer(8_000)]];
  for (const [name, source] of samples) {
    describe(name, () => {
      const patterns: [string, (s: string) => number[], number?][] = [
        ['1-character deltas', (s) => everyN(s.length, 1)],
        ['5-character deltas', (s) => everyN(s.length, 5)],
        ['17-character deltas, a frame every 3', (s) => everyN(s.length, 17), 3],
        ['cuts inside fences, list items and at blank lines', trickyPositions],
        ['random cuts', (s) => randomPositions(s.length, 60, 7)],
        ['one piece', () => []],
      ];
      for (const [label, positions, frameEvery] of patterns) {
        it(`streamed in ${label} equals rendering at once`, async () => {
          const expected = await renderAll(source);
          assert.equal(await stream(source, positions(source), frameEvery ?? 1), expected);
        });
      }
    });
  }

  it('never re-renders finished blocks: frozen nodes stay the same objects', async () => {
    const head = '# Title\n\nFirst paragraph.\n\n```ts\nconst a = 1;\n```\n\n- a list\n- of items\n\nA last paragraph\n';
    const rest = 'that keeps growing.\n\nMore text.\n\n```python\nprint("hi")\n```\n\n' + generateAnswer(3_000);
    const result = await page.evaluate(([h, r]) => (globalThis as unknown as { __renderer: Renderer }).__renderer.identity(h, r, 5), [head, rest] as const);
    assert.ok(result.frozenCount >= 4, `expected several frozen blocks, got ${result.frozenCount}`);
    assert.equal(result.removedFrozen, 0, 'a frozen node was removed');
    assert.equal(result.keptCount, result.frozenCount);
  });

  it('works off a backlog larger than a frame in several frames, with the same result', async () => {
    // 200 KB arriving at once (a stall in the relay): one frame rendering all of it would be a
    // long task of hundreds of milliseconds; the frame budget spreads it over many frames.
    const source = generateAnswer(200_000);
    const result = await page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.backlog(s), source);
    assert.ok(result.framesToDrain > 1, `rendered in ${result.framesToDrain} frame(s)`);
    assert.ok(result.firstFrameShare < 0.9, `the first frame rendered ${(result.firstFrameShare * 100).toFixed(0)} % of the backlog`);
    assert.equal(result.html, await renderAll(`Start.\n\n${source}`));
  });

  it('works off a backlog in slices of their own tasks, with layout read only in frames', async () => {
    // The backlog is rendered by slices (MessageChannel tasks) between frames, not one slice per
    // frame, and not one chunk per frame: the end of an answer no longer trails the stream by a
    // frame per 8 ms of work or per ~64 blocks. The transcript's follow-the-bottom (onRendered,
    // which reads layout) runs once per frame only.
    const source = generateAnswer(200_000);
    const result = await page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.slices(s), source);
    assert.ok(result.chunks > 10, `expected many chunks, got ${result.chunks}`);
    // The whole backlog is there at once: slices work it off, a few frames at most.
    assert.ok(result.slices > 0 && result.rendered <= 3, `${result.slices} slices and ${result.rendered} rendering frames for ${result.chunks} chunks`);
    assert.ok(result.maxChunksPerFrame > 1, `at most ${result.maxChunksPerFrame} chunk started between two frames`);
    assert.equal(result.renderedOutsideFrames, 0, 'onRendered ran outside a frame');
    assert.equal(result.liveChunks, result.chunks, 'every chunk of the live answer skips while off screen');
    assert.equal(result.html, await renderAll(source));
  });

  it('gives every chunk skipped before a frame rendered it its real height, not the guessed one', async () => {
    // 200 KB at once, rendered into chunks before the renderer's next frame: the browser skips
    // every chunk below the first before one was laid out. Once caught up, they are sized.
    const result = await page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.sizesAfterBurst(s), generateAnswer(200_000));
    assert.ok(result.chunks > 10, `expected many chunks, got ${result.chunks}`);
    assert.ok(result.skippedBeforeRendered > 5, `only ${result.skippedBeforeRendered} chunks were skipped before being rendered`);
    assert.deepEqual(result.wrongHeights, []);
  });

  it('renders a streamed answer whose end came before any frame in slices, a restored one at once', async () => {
    // A busy view can get every delta and the finish op of a 200 KB answer before its first frame:
    // rendering it all in that task took 330 ms in the workbench.
    const source = generateAnswer(200_000);
    const finish = (streamed: boolean) => page.evaluate(([s, f]) => (globalThis as unknown as { __renderer: Renderer }).__renderer.finishBeforeFirstFrame(s, f), [source, streamed] as const);
    const streamed = await finish(true);
    assert.ok(streamed.chunks > 10, `expected many chunks, got ${streamed.chunks}`);
    assert.ok(streamed.pending, 'the rest waits for frames');
    // One frame's budget (8 ms) in the finishing task: a few chunks at most.
    assert.ok(streamed.chunksAtOnce <= streamed.chunks / 4, `${streamed.chunksAtOnce} of ${streamed.chunks} chunks rendered in the finishing task`);
    const restored = await finish(false);
    assert.equal(restored.pending, false);
    assert.equal(restored.chunksAtOnce, restored.chunks);
    const expected = await renderAll(source);
    assert.equal(streamed.html, expected);
    assert.equal(restored.html, expected);
  });

  it('keeps chunks of an answer rendered at once (a restored one) always laid out', async () => {
    const result = await page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.restoredChunks(s), generateAnswer(60_000));
    assert.ok(result.chunks > 2, `expected several chunks, got ${result.chunks}`);
    assert.equal(result.liveChunks, 0);
  });

  it('has no final pass: the end of a long live stream touches only the last block', async () => {
    const source = generateAnswer(40_000);
    const result = await page.evaluate(([s, n]) => (globalThis as unknown as { __renderer: Renderer }).__renderer.finishMutations(s, n), [source, 6] as const);
    assert.ok(result.blocks > 100, `expected a long answer, got ${result.blocks} blocks`);
    assert.ok(result.added <= 3 && result.removed <= 3, `finish added ${result.added} and removed ${result.removed} nodes`);
  });

  it('shows an open fence as plain growing text and highlights it only once closed', async () => {
    const open = 'Intro.\n\n```ts\nconst x: number = 1;\nfunction f() { return x; }\n';
    const result = await page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.midFence(s), open);
    assert.equal(result.streamingBlocks, 1);
    assert.equal(result.highlightSpans, 0);
    assert.equal(result.codeText, 'const x: number = 1;\nfunction f() { return x; }\n');
    const closed = await page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.idleHighlighting(s), `${open}\`\`\`\n`);
    assert.match(closed.html, /hljs-keyword/);
  });

  it('renders code plain and highlights it in idle time, as highlighting at once would', async () => {
    const source = mixedAnswer + '\n\n```python\ndef f(x):\n    return x + 1\n```\n\n```unknown-language\nplain <b>text</b>\n```\n';
    const result = await page.evaluate((s) => (globalThis as unknown as { __renderer: Renderer }).__renderer.idleHighlighting(s), source);
    assert.equal(result.spansBefore, 0, 'no highlighting while the markdown renders');
    assert.ok(result.spansAfter > 10, `expected highlighted code after idle time, got ${result.spansAfter} spans`);
    assert.equal(result.html, result.highlightedAtOnce);
    assert.equal(result.waiting, 0);
    assert.equal(result.removedSpans, 0, 'a block taken off the page before its turn is dropped, not highlighted');
  });

  it('sanitises highlighting markup: spans with classes only', async () => {
    const hostile = '<span class="hljs-keyword" onclick="window.__pwned=1">const</span><img src=x onerror="window.__pwned=1"><a href="javascript:1">x</a><style>*{}</style>';
    const html = await page.evaluate((h) => (globalThis as unknown as { __renderer: Renderer }).__renderer.showHighlighted(h), hostile);
    assert.equal(html, '<span class="hljs-keyword">const</span>x');
  });

  describe('sanitising model output', () => {
    const attacks = [
      '<script>window.__pwned = 1</script>',
      '<img src="https://evil.example/pixel.png" onerror="window.__pwned = 1">',
      '<iframe src="https://evil.example"></iframe>',
      '[click](javascript:window.__pwned=1)',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '![tracker](https://evil.example/t.gif)',
      '![inline](data:image/png;base64,iVBORw0KGgo=)',
      '<a href="https://evil.example" onclick="window.__pwned=1">x</a>',
      '<style>body{display:none}</style>',
      '<svg><script>window.__pwned=1</script></svg>',
      '<div style="background:url(https://evil.example/x)">styled</div>',
    ];
    for (const attack of attacks) {
      it(`neutralises ${attack.slice(0, 50)}`, async () => {
        const html = await renderAll(`Before\n\n${attack}\n\nAfter`);
        assert.doesNotMatch(html, /<(script|img|iframe|style|svg|object|embed)\b/i);
        // Attributes inside real tags (escaped text such as `&lt;img onerror=` is harmless).
        assert.doesNotMatch(html, /<[a-z][^>]*\s(on\w+|style|src)=/i);
        assert.doesNotMatch(html, /<a[^>]*href="(javascript|data|vbscript|file):/i);
        assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
      });
    }

    it('sanitises the live tail: a hostile open block never reaches the DOM unsanitised mid-stream', async () => {
      // The block still streaming is rendered on every frame (not frozen yet): it must go through
      // the same sanitiser, whatever cut of the attack a frame sees.
      const attack = 'Intro.\n\n<img src=x onerror="window.__pwned=1">\n<script>window.__pwned=1</script><a href="javascript:window.__pwned=1" onclick="window.__pwned=1">x</a> <iframe src="https://evil.example"></iframe>';
      for (const size of [1, 3, 7]) {
        const result = await page.evaluate(([s, n]) => (globalThis as unknown as { __renderer: Renderer }).__renderer.hostileStream(s, n), [attack, size] as const);
        assert.deepEqual(result.unsafe, [], `unsafe nodes mid-stream (${size}-character deltas)`);
        assert.equal(result.maxImages, 0);
        assert.match(result.tailHtml, /&lt;img src=x onerror=/, 'the attack is shown as text');
        assert.doesNotMatch(result.tailHtml, /<a[^>]*href="javascript:/i);
      }
      await page.waitForTimeout(100);
      assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
    });

    it('renders a remote markdown image as a link showing its full URL', async () => {
      const html = await renderAll('![chart](https://example.com/chart.png)');
      assert.match(html, /<a href="https:\/\/example.com\/chart.png" class="image-link" title="https:\/\/example.com\/chart.png">Image: chart<\/a>/);
    });

    it('gives every link its full URL as tooltip', async () => {
      const html = await renderAll('[short](https://example.com/a/very/long/path?q=1) and www.example.org');
      assert.match(html, /href="https:\/\/example.com\/a\/very\/long\/path\?q=1" title="https:\/\/example.com\/a\/very\/long\/path\?q=1"/);
      assert.match(html, /title="http:\/\/www.example.org"/);
    });

    it('aligns table cells with classes, not style attributes', async () => {
      const html = await renderAll('| a | b |\n| :-: | --: |\n| 1 | 2 |');
      assert.match(html, /class="align-center"/);
      assert.match(html, /class="align-right"/);
    });
  });

  it('wraps each code block with Copy and Insert at cursor buttons', async () => {
    const html = await renderAll('```ts\nlet a = 1;\n```\n\n```\nplain\n```');
    assert.equal(html.match(/data-action="copy"/g)?.length, 2);
    assert.equal(html.match(/data-action="insert"/g)?.length, 2);
  });

  it('runs slices through one shared nextTask: later tasks, in order, never clamped like nested setTimeout(0)', async () => {
    const result = await page.evaluate(() => (globalThis as unknown as { __renderer: Renderer }).__renderer.taskChains(60));
    assert.equal(result.synchronous, false, 'a slice never runs inside the caller');
    assert.deepEqual(result.order.slice(0, 2), ['a', 'b'], 'callbacks asked for together run in order');
    // 60 nested setTimeout(0)s take at least 55 × 4 ms; 60 nested slices are done long before.
    assert.deepEqual(result.order.slice(2), ['slices', 'timeouts']);
    assert.equal(result.firstRuns, 1, 'the first slice after a paint runs once (frame or fallback timer)');
  });

  void renderer;
});
