// The chat view's open time in the real workbench (issue 15): code-server with the packaged
// extension, headless Chromium. Per run: the view is closed (the primary side bar hidden: a
// retained webview stays, hidden; otherwise it is disposed), then "AIML Chat: Focus on Chat View" is
// picked in the command palette; timed from Enter to the Message box visible in the webview's
// frame, and to it focused there (Playwright focus, then document.activeElement checked). For the
// long conversation also: to its newest turn shown. Two workbenches: an empty chat, and a stored
// 2,000-message conversation (the last one open, so the view restores it). The first open of each
// (the webview's first load in that window) is reported apart from the medians of RUNS re-opens.
// The frame's own clock splits the time: until its navigation starts (VS Code: side bar, webview
// host), until webview.js has loaded, until the Message box shows.
// Run: HEAVY_EXCLUSIVE=1 /work/wt/heavy npx tsx bench/viewOpen.bench.ts   (packages dist/aiml-chat.vsix when missing)
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { ConversationStore } from '../src/core/chat/conversationStore';
import { conversation, longConversation } from '../test/browser/support/chatPage';
import { frameShown, openPalette, runCommand, setApiKeyThroughUi } from '../test/e2e/support/chat';
import { startWorkbench, type Profile } from '../test/e2e/support/workbench';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.RUNS ?? 3);
const OPEN_COMMAND = 'AIML Chat: Focus on Chat View';
type Scenario = 'empty' | 'long';

/**
 * frameStartMs/scriptLoadedMs are left out when the frame was not loaded again (a retained webview
 * shown again). heapMb: the webview frame's JS heap once open (performance.memory), what a hidden
 * retained view keeps.
 */
interface OpenTimes { frameStartMs?: number; scriptLoadedMs?: number; visibleMs: number; focusedMs: number; newestTurnMs?: number; heapMb?: number }

/** A stored 2,000-message conversation, the last one open (the chat session restores it). */
async function storeLongConversation(profile: Profile): Promise<void> {
  const store = new ConversationStore(path.join(profile.userDataDir, 'User', 'globalStorage', 'aiml-chat.aiml-chat', 'conversations'));
  const stored = { ...conversation(longConversation(2000)), id: 'bench-long', title: 'Long conversation', updatedAt: Date.now() };
  await store.save(stored);
  await store.flush();
  await store.setLastOpenId(stored.id);
}

/** The frame whose Message box is visible now, if any (a retained hidden webview's frame is not on screen). */
async function visibleMessageBox(page: Page): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.isDetached()) continue;
    if (await frame.getByRole('textbox', { name: 'Message' }).isVisible().catch(() => false) && await frameShown(frame)) return frame;
  }
  return undefined;
}

async function closeView(page: Page): Promise<void> {
  await runCommand(page, 'View: Close Primary Side Bar');
  for (let polls = 0; await visibleMessageBox(page); polls++) {
    if (polls > 400) throw new Error('the chat view did not close');
    await page.waitForTimeout(25);
  }
}

async function openView(page: Page, scenario: Scenario): Promise<OpenTimes> {
  await openPalette(page);
  await page.keyboard.type(OPEN_COMMAND);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: OPEN_COMMAND }).first().waitFor({ timeout: 15_000 });
  const start = Date.now();
  await page.keyboard.press('Enter');
  let frame: Frame | undefined;
  while (!(frame = await visibleMessageBox(page))) {
    if (Date.now() - start > 60_000) throw new Error('the Message box did not show');
    await page.waitForTimeout(10);
  }
  const visibleMs = Date.now() - start;
  await frame.getByRole('textbox', { name: 'Message' }).focus();
  const focused = await frame.evaluate('document.activeElement?.getAttribute("aria-label")');
  if (focused !== 'Message') throw new Error(`the Message box did not take focus (${String(focused)})`);
  const focusedMs = Date.now() - start;
  // Where the time went, on the frame's own clock (epoch ms): its navigation began (VS Code's part
  // before it: the side bar, the webview host), our bundle arrived (HTML, CSP, the script's load).
  const clock = await frame.evaluate(`(() => {
    const script = performance.getEntriesByType('resource').find((entry) => /webview\\.js/.test(entry.name));
    return { origin: performance.timeOrigin, scriptLoaded: script ? script.responseEnd : 0 };
  })()`) as { origin: number; scriptLoaded: number };
  // A frame older than the Enter was shown again, not loaded (retainContextWhenHidden).
  const reloaded = clock.origin >= start;
  const times: OpenTimes = { ...(reloaded ? { frameStartMs: Math.round(clock.origin - start), scriptLoadedMs: Math.round(clock.origin + clock.scriptLoaded - start) } : {}), visibleMs, focusedMs };
  if (scenario === 'long') {
    await frame.getByRole('log').getByRole('article').last().filter({ hasText: 'Answer 999' }).waitFor({ timeout: 60_000 });
    times.newestTurnMs = Date.now() - start;
  }
  const heap = await frame.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0') as number;
  return heap ? { ...times, heapMb: Math.round(heap / 1e5) / 10 } : times;
}

async function measure(scenario: Scenario): Promise<{ first: OpenTimes; reopens: OpenTimes[] }> {
  const wb = await startWorkbench({ standIn: { anyKey: true }, beforeStart: scenario === 'long' ? storeLongConversation : undefined });
  try {
    // Activates the extension first: activation is measured on its own (the Activation section).
    await setApiKeyThroughUi(wb.page, 'bench-key');
    await closeView(wb.page);
    const first = await openView(wb.page, scenario);
    process.stderr.write(`[viewOpen] ${scenario} first: ${JSON.stringify(first)}\n`);
    const reopens: OpenTimes[] = [];
    for (let run = 0; run < RUNS; run++) {
      await closeView(wb.page);
      reopens.push(await openView(wb.page, scenario));
      process.stderr.write(`[viewOpen] ${scenario} run ${run + 1}: ${JSON.stringify(reopens.at(-1))}\n`);
    }
    return { first, reopens };
  } finally {
    await wb.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function runViewOpenBench(): Promise<Partial<Record<Scenario, { first: OpenTimes; reopens: OpenTimes[] }>>> {
  if (!existsSync(path.join(ROOT, 'dist', 'aiml-chat.vsix'))) execSync('npm run --silent package', { cwd: ROOT, stdio: 'inherit' });
  // VIEWS=long (or empty) measures one workbench only, for a short exclusive hold.
  const views = (process.env.VIEWS ?? 'empty,long').split(',') as Scenario[];
  const results: Partial<Record<Scenario, { first: OpenTimes; reopens: OpenTimes[] }>> = {};
  for (const scenario of ['empty', 'long'] as Scenario[]) if (views.includes(scenario)) results[scenario] = await measure(scenario);
  return results;
}

function report(results: Partial<Record<Scenario, { first: OpenTimes; reopens: OpenTimes[] }>>): string {
  const label: Record<Scenario, string> = { empty: 'empty chat', long: '2,000-message conversation' };
  const cell = (times: OpenTimes[], pick: (t: OpenTimes) => number | undefined, digits = 0) => {
    const values = times.map(pick).filter((v): v is number => v !== undefined);
    return values.length ? `${median(values).toFixed(digits)} (${values.map((v) => v.toFixed(digits)).join(', ')})` : '–';
  };
  const lines = ['| view | open: first in the window (ms) | re-open: median (runs) (ms) |', '| --- | ---: | ---: |'];
  for (const scenario of ['empty', 'long'] as Scenario[]) {
    const result = results[scenario];
    if (!result) continue;
    const { first, reopens } = result;
    lines.push(`| ${label[scenario]}: the webview's frame starts loading | ${first.frameStartMs ?? '–'} | ${cell(reopens, (t) => t.frameStartMs)} |`);
    lines.push(`| ${label[scenario]}: webview.js loaded | ${first.scriptLoadedMs ?? '–'} | ${cell(reopens, (t) => t.scriptLoadedMs)} |`);
    lines.push(`| ${label[scenario]}: Message box visible | ${first.visibleMs} | ${cell(reopens, (t) => t.visibleMs)} |`);
    lines.push(`| ${label[scenario]}: Message box focused (target ≤ 300) | ${first.focusedMs} | ${cell(reopens, (t) => t.focusedMs)} |`);
    if (scenario === 'long') lines.push(`| ${label[scenario]}: newest turn shown | ${first.newestTurnMs ?? '–'} | ${cell(reopens, (t) => t.newestTurnMs)} |`);
    lines.push(`| ${label[scenario]}: the webview frame's JS heap once open (MB) | ${first.heapMb ?? '–'} | ${cell(reopens, (t) => t.heapMb, 1)} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && /viewOpen\.bench\.ts$/.test(process.argv[1])) {
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  runViewOpenBench().then((results) => {
    console.log(`Node ${process.version}, ${new Date().toISOString()}, load average ${loadBefore} → ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    console.log(report(results));
    console.log('\n```json\n' + JSON.stringify(results) + '\n```');
  }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
