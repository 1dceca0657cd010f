// Rendering benchmark in headless Chromium (design notes: webview/README.md):
//  1. a ~200 KB markdown answer streamed in 5-character deltas, our incremental renderer against
//     the naive approach (markdown-it + DOMPurify re-rendering the whole text on each frame, same
//     configuration), both forcing layout after each render like a real frame would;
//  2. opening a 500-message conversation: init message to first paint of the newest turns, and
//     how long a key press waits while older turns are still being rendered in idle time.
// Run: npx tsx bench/render.bench.ts   (markdown tables and the raw JSON on stdout; BENCH_QUICK=1
// streams a 50 KB answer instead of 200 KB for a shorter run). Also `npm run bench render`.
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/support/browser';
import { startPageServer } from '../test/browser/support/pageServer';
import { ChatPage, initMessage, longConversation } from '../test/browser/support/chatPage';
import { generateAnswer } from '../test/browser/fixtures/markdownSamples';

interface Timing { totalMs: number; p95Ms: number; maxMs: number }
interface IncrementalTiming extends Timing { deltas: number; p95FrameMs: number }
interface NaiveTiming extends Timing { frames: number; sampled: number; extrapolated: boolean }

interface Harness {
  benchIncremental(source: string, deltaSize: number, frameEvery: number, forceLayout: boolean): IncrementalTiming;
  benchNaive(source: string, deltaSize: number, frameEvery: number, sampleEvery: number, forceLayout: boolean): NaiveTiming;
}

export interface StreamComparison {
  label: string;
  deltasPerFrame: number;
  ours: IncrementalTiming;
  naive: NaiveTiming;
  /** ours.totalMs / naive.totalMs */
  ratio: number;
  /** Our time per delta at the 95th percentile (a delta that triggers a frame includes the frame). */
  oursP95PerDeltaMs: number;
}

export interface RenderBenchResult {
  answerBytes: number;
  deltaSize: number;
  comparisons: StreamComparison[];
  openConversation: { messages: number; handledMs: number; firstPaintMs: number; keyPressDelayMs: number; settledMs: number; turnsInDom: number };
  targets: { ratioAtMost: number; p95PerDeltaBelowMs: number; interactiveBelowMs: number };
  passed: boolean;
  /** 1-minute load average before and after the run: timings on a busy machine are inflated. */
  loadAverage: { before: number; after: number };
}

async function compare(page: Page, source: string, deltaSize: number, deltasPerFrame: number, naiveSampleEvery: number, label: string): Promise<StreamComparison> {
  const ours = await page.evaluate(([s, d, f]) => (globalThis as unknown as { __renderer: Harness }).__renderer.benchIncremental(s, d, f, true), [source, deltaSize, deltasPerFrame] as const);
  const naive = await page.evaluate(([s, d, f, n]) => (globalThis as unknown as { __renderer: Harness }).__renderer.benchNaive(s, d, f, n, true), [source, deltaSize, deltasPerFrame, naiveSampleEvery] as const);
  return { label, deltasPerFrame, ours, naive, ratio: ours.totalMs / naive.totalMs, oursP95PerDeltaMs: ours.p95Ms };
}

/**
 * Opens a long conversation: init → first paint, how long a key press right after it waits, and
 * when the transcript settles (its number of rendered turns unchanged for 500 ms: the window of
 * turns around the viewport, not all of them, since the transcript is virtualised).
 */
async function openLongConversation(chat: ChatPage, messages: number): Promise<RenderBenchResult['openConversation']> {
  const init = initMessage(longConversation(messages));
  const timing = await chat.measureInit(init);
  const start = Date.now();
  // A key press right after the first paint, while older turns render in idle callbacks.
  await chat.page.getByRole('textbox', { name: 'Message' }).press('a');
  const delays = await chat.inputDelays();
  const countTurns = () => chat.page.evaluate(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('article').length);
  let turnsInDom = await countTurns();
  let changedAt = Date.now();
  while (Date.now() - changedAt < 500 && Date.now() - start < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const count = await countTurns();
    if (count !== turnsInDom) { turnsInDom = count; changedAt = Date.now(); }
  }
  return { messages, handledMs: timing.handledMs, firstPaintMs: timing.paintedMs, keyPressDelayMs: Math.max(0, ...delays), settledMs: timing.paintedMs + (changedAt - start), turnsInDom };
}

export async function runRenderBench(options: { quick?: boolean } = {}): Promise<RenderBenchResult> {
  const quick = options.quick ?? process.env.BENCH_QUICK === '1';
  const loadBefore = loadavg()[0];
  const server = await startPageServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.rendererUrl);
    await page.waitForFunction(() => '__renderer' in globalThis);
    const answerBytes = quick ? 50 * 1024 : 200 * 1024;
    const source = generateAnswer(answerBytes);
    const deltaSize = 5;
    const deltas = Math.ceil(source.length / deltaSize);
    // Warm up the JIT and the highlighters on a small answer first.
    await compare(page, generateAnswer(20_000), deltaSize, 1, 50, 'warm-up');
    const comparisons = [
      // A frame for every delta (the worst case for us: no coalescing at all). Rendering the whole
      // text 40,000 times would take hours, so the naive side is timed on an evenly spread sample
      // of frames and its total extrapolated from their mean.
      await compare(page, source, deltaSize, 1, Math.max(1, Math.round(deltas / 200)), 'frame per delta (naive sampled, extrapolated)'),
      // Deltas coalesced to one frame per 20 deltas (~100 characters), the same for both sides.
      await compare(page, source, deltaSize, 20, Math.max(1, Math.round(deltas / 20 / 200)), 'frame per 20 deltas (naive sampled, extrapolated)'),
    ];
    const chatPage = await browser.newPage({ viewport: { width: 420, height: 800 } });
    const chat = new ChatPage(chatPage);
    await chat.open(server.chatUrl);
    const openConversation = await openLongConversation(chat, 500);
    const targets = { ratioAtMost: 0.1, p95PerDeltaBelowMs: 4, interactiveBelowMs: 300 };
    const passed = comparisons.every((c) => c.ratio <= targets.ratioAtMost && c.oursP95PerDeltaMs < targets.p95PerDeltaBelowMs)
      && openConversation.firstPaintMs + openConversation.keyPressDelayMs < targets.interactiveBelowMs;
    return { answerBytes: source.length, deltaSize, comparisons, openConversation, targets, passed, loadAverage: { before: loadBefore, after: loadavg()[0] } };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Markdown for `npm run bench` (scripts/bench.mjs collects stdout into bench/results/latest.md). */
function markdownReport(result: RenderBenchResult): string {
  const ms = (value: number, digits = 0) => `${value.toFixed(digits)} ms`;
  const lines = [
    `### Streaming a ${(result.answerBytes / 1024).toFixed(0)} KB answer in ${result.deltaSize}-character deltas (headless Chromium, layout forced after each render)`,
    '',
    '| frames | ours total | ours p95 per delta | ours p95 per frame | ours max | naive total | naive p95 per frame | ours / naive |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of result.comparisons) {
    const naiveTotal = c.naive.extrapolated ? `${ms(c.naive.totalMs)} (extrapolated from ${c.naive.sampled} of ${c.naive.frames} frames)` : ms(c.naive.totalMs);
    lines.push(`| ${c.label} | ${ms(c.ours.totalMs)} | ${ms(c.ours.p95Ms, 2)} | ${ms(c.ours.p95FrameMs, 2)} | ${ms(c.ours.maxMs, 1)} | ${naiveTotal} | ${ms(c.naive.p95Ms, 1)} | ${(c.ratio * 100).toFixed(2)} % |`);
  }
  const o = result.openConversation;
  lines.push('', `### Opening a ${o.messages}-message conversation`, '', '| init handled | first paint | key press waited | transcript settled | turns in the DOM |', '| --- | --- | --- | --- | --- |',
    `| ${ms(o.handledMs)} | ${ms(o.firstPaintMs)} | ${ms(o.keyPressDelayMs, 1)} | ${ms(o.settledMs)} | ${o.turnsInDom} of ${o.messages} |`, '',
    `Targets (ours <= 10 % of naive, p95 per delta < 4 ms, interactive < 300 ms): **${result.passed ? 'met' : 'NOT met'}**. `
    + `Load average ${result.loadAverage.before.toFixed(1)} -> ${result.loadAverage.after.toFixed(1)} (timings on a busy machine are inflated).`,
    '', '<details><summary>raw JSON</summary>', '', '```json', JSON.stringify(result, null, 2), '```', '', '</details>');
  return lines.join('\n');
}

if (process.argv[1] && /render\.bench\.ts$/.test(process.argv[1])) {
  runRenderBench().then((result) => {
    console.log(markdownReport(result));
    process.exitCode = result.passed ? 0 : 1;
  }, (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
}
