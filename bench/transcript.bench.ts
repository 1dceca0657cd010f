// Long conversations in the chat webview (issue 15), in headless Chromium, ours against the
// transcript of the commit this branch started from (main's, rebuilt from git in this run):
//  1. open a 2,000-message conversation: init dispatched → the Message box focused and a probe
//     answered (median of RUNS runs), long tasks during the first 3 s, DOM size once settled;
//  2. scroll top → bottom (300 px per frame) with a longtask observer, DOM size at its largest;
//  3. 1,000 streamed turns (prompt, answer streamed in deltas, completion), heap sampled every
//     100 turns after a forced garbage collection (CDP HeapProfiler.collectGarbage);
//  4. re-rendering a turn from its stored markdown against keeping its sanitised HTML as a string.
// Run: HEAVY_EXCLUSIVE=1 /work/wt/heavy npx tsx bench/transcript.bench.ts   (also `npm run bench transcript`)
// RUNS (default 3), TURNS (default 1000) override the sizes; PARTS (default open,scroll,heap,cache)
// picks the measurements; PROFILE=1 prints where our webview's main thread spends opening (CDP Profiler).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/browser/support/browser';
import { baselineWebviewPath, startPageServer, type PageServer } from '../test/browser/support/pageServer';
import { ChatPage, initMessage, longConversation } from '../test/browser/support/chatPage';
import { startProfile, stopProfile } from './support/cpuProfile';

const ROOT = resolve(__dirname, '..');
const RUNS = Number(process.env.RUNS ?? 3);
const TURNS = Number(process.env.TURNS ?? 1000);
const MESSAGES = 2000;
const PARTS = new Set((process.env.PARTS ?? 'open,scroll,heap,cache').split(','));
const PROFILE = process.env.PROFILE === '1';
type Variant = 'ours' | 'baseline';

/** Main's webview as of the merge base, bundled like ours (same CSS, same page, same CSP). */
function buildBaseline(): string {
  const base = execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(ROOT, 'out', 'bench-baseline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${base} tsconfig.json webview src/shared | tar -x -C ${dir}`], { cwd: ROOT });
  esbuild.buildSync({
    absWorkingDir: ROOT, entryPoints: [join(dir, 'webview', 'main.ts')], outfile: baselineWebviewPath, bundle: true, minify: true,
    format: 'iife', platform: 'browser', target: ['chrome120'], logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' },
  });
  return base.slice(0, 10);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function openChat(browser: Browser, server: PageServer, variant: Variant): Promise<ChatPage> {
  const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
  const chat = new ChatPage(page);
  // main's baseline bundle has the renderer built in: nothing to wait for.
  await chat.open(variant === 'baseline' ? `${server.chatUrl}?baseline` : server.chatUrl, { markdown: variant !== 'baseline' });
  return chat;
}

// Page-side helpers as strings: this file is type-checked without the DOM library.
const INSTALL_LONGTASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
})()`;
const DOM_ELEMENTS = 'document.getElementsByTagName("*").length';
const frames = (n: number) => `new Promise((done) => { let left = ${n}; const step = () => (--left <= 0 ? done() : requestAnimationFrame(step)); requestAnimationFrame(step); })`;

interface OpenResult { interactiveMs: number; handledMs: number; paintedMs: number; longestTaskMs: number; longTasksOver50: number; elementsSettled: number; articlesSettled: number; settledMs: number }

async function measureOpen(chat: ChatPage, profile = false): Promise<OpenResult> {
  const page = chat.page;
  await page.evaluate(INSTALL_LONGTASKS);
  // The message is put in the page first, so serialising it over the DevTools protocol is not timed.
  await page.evaluate((m) => { (globalThis as unknown as { __init: unknown }).__init = m; }, initMessage(longConversation(MESSAGES)));
  const profiler = profile ? await startProfile(page, page.mainFrame()) : undefined;
  // First frame: the rAF after init, then a task (the frame was painted meanwhile).
  const handledMs = await page.evaluate(`(() => {
    window.__t0 = performance.now(); window.__dispatch(window.__init);
    requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now() - window.__t0; }, 0));
    return performance.now() - window.__t0; })()`) as number;
  await page.getByRole('textbox', { name: 'Message' }).focus();
  const probe = await page.evaluate('({ at: performance.now() - window.__t0, painted: window.__painted, focused: document.activeElement.getAttribute("aria-label") })') as { at: number; painted: number; focused: string };
  if (probe.focused !== 'Message') throw new Error(`the Message box is not focused (${probe.focused})`);
  if (profiler) console.error(`opening, interactive after ${probe.at.toFixed(0)} ms:\n${await stopProfile(profiler, 40)}`);
  // Settled: the baseline renders older turns in idle time until every turn is in the DOM.
  // (Polled from here: waitForFunction with a string would need 'unsafe-eval', which the page's CSP refuses.)
  for (let last = -1, polls = 0; polls < 240; polls++) {
    const now = await page.evaluate(`({ n: ${DOM_ELEMENTS}, at: performance.now() - window.__t0 })`) as { n: number; at: number };
    if (now.n === last && now.at > 3000) break;
    last = now.n;
    await new Promise((done) => setTimeout(done, 500));
  }
  const settled = await page.evaluate(`({ at: performance.now() - window.__t0, elements: ${DOM_ELEMENTS}, articles: document.querySelectorAll('article').length, longTasks: window.__longTasks })`) as { at: number; elements: number; articles: number; longTasks: number[] };
  return {
    interactiveMs: probe.at, handledMs, paintedMs: probe.painted, longestTaskMs: Math.max(0, ...settled.longTasks), longTasksOver50: settled.longTasks.filter((d) => d > 50).length,
    elementsSettled: settled.elements, articlesSettled: settled.articles, settledMs: settled.at,
  };
}

interface ScrollResult { frames: number; durationMs: number; longestTaskMs: number; longTasksOver50: number; maxElements: number; longestFrameMs: number }

async function measureScroll(page: Page): Promise<ScrollResult> {
  await page.evaluate(`(async () => { document.querySelector('[role=log]').scrollTop = 0; await ${frames(10)}; })()`);
  return await page.evaluate(`(async () => {
    const log = document.querySelector('[role=log]');
    window.__longTasks = [];
    let maxElements = 0, count = 0, longestFrame = 0, last = performance.now();
    const start = last;
    while (log.scrollTop + log.clientHeight < log.scrollHeight - 2 && count < 20000) {
      log.scrollTop += 300;
      await new Promise((done) => requestAnimationFrame(done));
      const now = performance.now();
      longestFrame = Math.max(longestFrame, now - last);
      last = now;
      count++;
      if (count % 5 === 0) maxElements = Math.max(maxElements, ${DOM_ELEMENTS});
    }
    await ${frames(5)};
    return { frames: count, durationMs: performance.now() - start, longestTaskMs: Math.max(0, ...window.__longTasks),
      longTasksOver50: window.__longTasks.filter((d) => d > 50).length, maxElements: Math.max(maxElements, ${DOM_ELEMENTS}), longestFrameMs: longestFrame };
  })()`) as ScrollResult;
}

interface HeapSample { turns: number; heapMB: number; nodes: number; elements: number }

/** Streams `count` turns into the page: prompt, answer (~1.6 KB with a code block) in 12 deltas, completion. */
const STREAM_TURNS = `async (from, count) => {
  const send = window.__dispatch;
  for (let t = from; t < from + count; t++) {
    send({ type: 'messageAdded', message: { id: 'u' + t, role: 'user', kind: 'prompt', content: [{ type: 'text', text: 'Question ' + t + ': how does the streaming work here?' }], createdAt: t } });
    const id = 'a' + t;
    send({ type: 'state', busy: true });
    send({ type: 'messageAdded', message: { id, role: 'assistant', content: [], createdAt: t, model: 'claude-sonnet-4-6', status: 'streaming' } });
    send({ type: 'delta', messageId: id, ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }] });
    let text = '';
    for (let d = 0; d < 12; d++) {
      const piece = d === 5 ? '\\n\\n\`\`\`ts\\nconst answer' + t + ' = compute(' + d + ');\\nconsole.log(answer' + t + ');\\n\`\`\`\\n\\n'
        : 'Paragraph ' + d + ' of answer ' + t + ' has **bold** text, \`code\` and a [link](https://example.com/' + t + ') to wrap in the sidebar. ';
      text += piece;
      send({ type: 'delta', messageId: id, ops: [{ op: 'append', index: 0, text: piece }] });
      if (d % 4 === 3) await new Promise((done) => requestAnimationFrame(done));
    }
    send({ type: 'delta', messageId: id, ops: [{ op: 'finish', index: 0, block: { type: 'text', text } }] });
    send({ type: 'messageUpdated', messageId: id, status: 'complete', usage: { input_tokens: 100 + t, output_tokens: 300 }, content: [{ type: 'text', text }] });
    send({ type: 'state', busy: false });
    await new Promise((done) => requestAnimationFrame(done));
  }
}`;

async function measureHeap(chat: ChatPage): Promise<HeapSample[]> {
  const page = chat.page;
  await chat.send(initMessage([]));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const samples: HeapSample[] = [];
  const sample = async (turns: number) => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    samples.push({ turns, heapMB: metric('JSHeapUsedSize') / 2 ** 20, nodes: metric('Nodes'), elements: await page.evaluate(DOM_ELEMENTS) as number });
  };
  await sample(0);
  for (let done = 0; done < TURNS; done += 100) {
    await page.evaluate(`(${STREAM_TURNS})(${done}, ${Math.min(100, TURNS - done)})`);
    await sample(Math.min(done + 100, TURNS));
  }
  await cdp.detach();
  return samples;
}

interface CacheResult { turns: number; renderMsPerTurn: number; parseMsPerTurn: number; sourceKB: number; htmlKB: number }

/** Re-render from the stored markdown vs parse a cached sanitised HTML string, per answer of the 2,000-message conversation. */
async function measureCache(browser: Browser, server: PageServer): Promise<CacheResult> {
  const page = await browser.newPage();
  await page.goto(server.rendererUrl);
  await page.waitForFunction(() => '__renderer' in globalThis);
  const sources = longConversation(MESSAGES).filter((m) => m.role === 'assistant').map((m) => (m.content[0] as { text: string }).text);
  const result = await page.evaluate(`((sources) => {
    const render = (s) => window.__renderer.renderAll(s);
    for (const s of sources.slice(0, 50)) render(s);
    const t0 = performance.now();
    const html = sources.map(render);
    const renderMs = performance.now() - t0;
    const range = document.createRange();
    range.selectNodeContents(document.body);
    const host = document.createElement('div');
    document.body.appendChild(host);
    const t1 = performance.now();
    for (const h of html) { host.appendChild(range.createContextualFragment(h)); host.textContent = ''; }
    const parseMs = performance.now() - t1;
    return { turns: sources.length, renderMs, parseMs, sourceChars: sources.reduce((n, s) => n + s.length, 0), htmlChars: html.reduce((n, s) => n + s.length, 0) };
  })`.concat(`(${JSON.stringify(sources)})`)) as { turns: number; renderMs: number; parseMs: number; sourceChars: number; htmlChars: number };
  await page.close();
  return { turns: result.turns, renderMsPerTurn: result.renderMs / result.turns, parseMsPerTurn: result.parseMs / result.turns, sourceKB: result.sourceChars / 1024, htmlKB: result.htmlChars / 1024 };
}

export interface TranscriptBenchResult {
  baseline: string;
  open: Record<Variant, OpenResult[]>;
  scroll: Record<Variant, ScrollResult>;
  heap: Record<Variant, HeapSample[]>;
  cache: CacheResult;
  loadAverage: { before: number; after: number };
}

export async function runTranscriptBench(): Promise<TranscriptBenchResult> {
  const loadBefore = loadavg()[0];
  const baseline = buildBaseline();
  const server = await startPageServer();
  const browser = await launchChromium();
  try {
    const open: Record<Variant, OpenResult[]> = { ours: [], baseline: [] };
    const scroll = {} as Record<Variant, ScrollResult>;
    const heap = {} as Record<Variant, HeapSample[]>;
    for (let run = 0; run < RUNS && (PARTS.has('open') || PARTS.has('scroll')); run++) {
      // Alternating, so a change in the machine's load touches both sides alike.
      for (const variant of ['ours', 'baseline'] as Variant[]) {
        const chat = await openChat(browser, server, variant);
        open[variant].push(await measureOpen(chat, PROFILE && variant === 'ours'));
        if (run === 0 && PARTS.has('scroll')) scroll[variant] = await measureScroll(chat.page);
        await chat.page.close();
      }
    }
    for (const variant of ['ours', 'baseline'] as Variant[]) {
      if (!PARTS.has('heap')) break;
      const chat = await openChat(browser, server, variant);
      heap[variant] = await measureHeap(chat);
      await chat.page.close();
    }
    const cache = PARTS.has('cache') ? await measureCache(browser, server) : { turns: 0, renderMsPerTurn: 0, parseMsPerTurn: 0, sourceKB: 0, htmlKB: 0 };
    return { baseline, open, scroll, heap, cache, loadAverage: { before: loadBefore, after: loadavg()[0] } };
  } finally {
    await browser.close();
    await server.close();
  }
}

function report(r: TranscriptBenchResult): string {
  const m = (variant: Variant, pick: (o: OpenResult) => number) => median(r.open[variant].map(pick));
  const row = (label: string, ours: number, base: number, digits = 0) => `| ${label} | ${ours.toFixed(digits)} | ${base.toFixed(digits)} | ${base ? (ours / base).toFixed(2) : '–'} |`;
  const openRow = (label: string, pick: (o: OpenResult) => number, digits = 0) => row(label, m('ours', pick), m('baseline', pick), digits);
  const lastFive = (samples: HeapSample[]) => samples.filter((s) => s.turns >= TURNS - 500);
  const growth = (samples: HeapSample[]) => { const l = lastFive(samples); return l.length ? l[l.length - 1].heapMB - l[0].heapMB : 0; };
  const heapEnd = (v: Variant) => r.heap[v][r.heap[v].length - 1];
  const open = r.open.ours.length > 0;
  const { scroll, heap } = { scroll: r.scroll.ours !== undefined, heap: r.heap.ours !== undefined };
  const targets: string[] = [];
  if (open) targets.push(`interactive ≤ 300 ms ${m('ours', (o) => o.interactiveMs) <= 300 ? 'met' : 'NOT met'}`);
  if (scroll) targets.push(`no long task over 50 ms while scrolling ${r.scroll.ours.longTasksOver50 === 0 ? 'met' : 'NOT met'}`);
  if (heap) targets.push(`heap < 150 MB ${heapEnd('ours').heapMB < 150 ? 'met' : 'NOT met'}; flat over the last 500 turns (growth ${growth(r.heap.ours).toFixed(1)} MB, `
    + `${((growth(r.heap.ours) * 1024) / 500).toFixed(1)} KB per turn: the stored messages)`);
  const lines = [
    `#### Opening a ${MESSAGES}-message conversation (median of ${RUNS} runs), scrolling it, ${TURNS} streamed turns`,
    '',
    `| measure | ours | main's transcript (${r.baseline}) | ours / main |`,
    '| --- | ---: | ---: | ---: |',
    ...(open ? [
      openRow('init handled (ms)', (o) => o.handledMs),
      openRow('first frame painted after init (ms)', (o) => o.paintedMs),
      openRow('interactive: Message box focused + probe answered (ms, target ≤ 300)', (o) => o.interactiveMs),
      openRow('longest task, first 3 s (ms)', (o) => o.longestTaskMs),
      openRow('long tasks over 50 ms, first 3 s', (o) => o.longTasksOver50),
      openRow('settled after (ms)', (o) => o.settledMs),
      openRow('DOM elements once settled', (o) => o.elementsSettled),
      openRow('articles in the DOM once settled', (o) => o.articlesSettled),
    ] : []),
    ...(scroll ? [
      row('scroll top → bottom: frames (300 px each)', r.scroll.ours.frames, r.scroll.baseline.frames),
      row('scroll: longest task (ms, target ≤ 50)', r.scroll.ours.longestTaskMs, r.scroll.baseline.longestTaskMs),
      row('scroll: long tasks over 50 ms', r.scroll.ours.longTasksOver50, r.scroll.baseline.longTasksOver50),
      row('scroll: longest frame (ms)', r.scroll.ours.longestFrameMs, r.scroll.baseline.longestFrameMs),
      row('scroll: most DOM elements', r.scroll.ours.maxElements, r.scroll.baseline.maxElements),
    ] : []),
    ...(heap ? [
      row(`heap after ${TURNS} streamed turns (MB, target < 150)`, heapEnd('ours').heapMB, heapEnd('baseline').heapMB, 1),
      row('heap growth over the last 500 turns (MB)', growth(r.heap.ours), growth(r.heap.baseline), 1),
      row(`DOM nodes after ${TURNS} turns (CDP)`, heapEnd('ours').nodes, heapEnd('baseline').nodes),
      '',
      '| turns | ' + r.heap.ours.map((s) => s.turns).join(' | ') + ' |',
      '| --- | ' + r.heap.ours.map(() => '---:').join(' | ') + ' |',
      '| ours heap MB | ' + r.heap.ours.map((s) => s.heapMB.toFixed(1)).join(' | ') + ' |',
      '| main heap MB | ' + r.heap.baseline.map((s) => s.heapMB.toFixed(1)).join(' | ') + ' |',
      '| ours DOM nodes | ' + r.heap.ours.map((s) => s.nodes).join(' | ') + ' |',
      '| main DOM nodes | ' + r.heap.baseline.map((s) => s.nodes).join(' | ') + ' |',
    ] : []),
    ...(r.cache.turns ? ['',
      `Re-rendering vs caching sanitised HTML (${r.cache.turns} answers): re-render ${r.cache.renderMsPerTurn.toFixed(3)} ms per answer from ${r.cache.sourceKB.toFixed(0)} KB of markdown `
        + `(already held); a cache would parse ${r.cache.parseMsPerTurn.toFixed(3)} ms per answer and hold ${r.cache.htmlKB.toFixed(0)} KB more of HTML strings.`] : []),
    '',
    `Targets (ours): ${targets.join('; ')}.`,
    '',
    `Load average ${r.loadAverage.before.toFixed(1)} → ${r.loadAverage.after.toFixed(1)}.`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && /transcript\.bench\.ts$/.test(process.argv[1])) {
  runTranscriptBench().then((result) => {
    console.log(report(result));
    console.log('\n<details><summary>raw JSON</summary>\n\n```json\n' + JSON.stringify(result, null, 2) + '\n```\n\n</details>');
  }, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
