// What the user feels, in the real workbench: code-server with the packaged extension, headless
// Chromium, the local stand-in streaming a ~200 KB markdown answer (75 code blocks) in 1 to 6
// character deltas. Per run:
//   - stream: the stand-in's own time for that answer, read by a plain client in this process (the
//     stand-in runs in a child process, bench/support/standInProcess.ts);
//   - last line: Send → the answer's last line in the chat webview's DOM (a MutationObserver in
//     the webview's frame notes the first moment the last line's text exists);
//   - long tasks: PerformanceObserver('longtask') inside the webview's frame, from Send to idle;
//   - round trip: a probe into the frame every 100 ms while the answer streams (Playwright's
//     evaluate needs the frame's main thread, so a busy renderer shows as a slow round trip).
// Medians of RUNS (default 3) runs. Needs the offline VS Code host (`npm run provision`) and
// dist/aiml-chat.vsix (`npm run package`; built here when missing).
// Run: npx tsx bench/workbench.bench.ts     (part of `npm run bench`; BENCH_SKIP_WORKBENCH=1 skips it there)
// PACE_MS=n makes the stand-in wait n ms between its writes (~2 KB each past the first 64 KB): the
// same answer at a rate a machine that is not also the server sees (PACE_MS=1: ~200 KB in 4-5 s,
// still far faster than a model writes), so long tasks and round trips show what streaming costs
// the view when the producer does not take the cores.
// Then FIRST_TEXT_RUNS (default 5) short answers: Send click → the prompt in the transcript, → the
// first delta message, → the first text, in the webview's own clock.
// The stand-in runs in a child process (STANDIN_IN_PROCESS=1: in this one, as before session 11).
// PROFILE=1 also prints, per run, the webview thread's functions with the most self time and the long tasks;
// PROFILE=trace a Chromium trace's summary per renderer main thread (style, layout, paint, script… in long tasks).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { getChatFrame, runCommand, sendPrompt, setApiKeyThroughUi } from '../test/e2e/support/chat';
import { startWorkbench, type Workbench } from '../test/e2e/support/workbench';
import { startProfile, stopProfile } from './support/cpuProfile';
import { startStandInProcess, type StandInProcess } from './support/standInProcess';
import { startTrace, stopTrace } from './support/trace';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.RUNS ?? 3);
const PACE_MS = Number(process.env.PACE_MS ?? 0);
/** Short answers for the time to first text (FIRST_TEXT_RUNS=0 skips them). */
const FIRST_TEXT_RUNS = Number(process.env.FIRST_TEXT_RUNS ?? 5);
/** STANDIN_IN_PROCESS=1: the stand-in in this process, as before session 11 (its work then delays this process's probes). */
const STANDIN_IN_PROCESS = process.env.STANDIN_IN_PROCESS === '1';
const LAST_LINE = 'Last line of the benchmark answer: zq7-end.';
/** The answer's first heading: its first text in the DOM. */
const FIRST_LINE = 'Section 1: streaming and rendering';

/** Deterministic markdown of about `bytes`, with `codeBlocks` fenced blocks spread through it. */
export function benchmarkAnswer(bytes = 200_000, codeBlocks = 75): string {
  const sections: string[] = [];
  const sectionBytes = bytes / codeBlocks;
  for (let n = 0; n < codeBlocks; n++) {
    const parts = [`## Section ${n + 1}: streaming and rendering`, ''];
    const code = [
      '```' + ['typescript', 'python', 'bash'][n % 3],
      ...Array.from({ length: 12 }, (_, line) => (n % 3 === 1 ? `value_${line} = compute(${line}, "text ${n}")  # note ${line}` : `const value${line} = compute(${line}, 'text ${n}'); // note ${line}`)),
      '```',
    ].join('\n');
    let prose = '';
    for (let p = 0; prose.length + code.length < sectionBytes - 200; p++) {
      prose += `Paragraph ${p} of section ${n + 1} has **bold**, \`inline code\`, a [link](https://example.com/${n}/${p}) and plain words that wrap across the narrow sidebar.\n\n`;
      if (p % 3 === 2) prose += `- item one of list ${p}\n- item two with *emphasis*\n- item three\n\n`;
    }
    parts.push(prose, code, '');
    sections.push(parts.join('\n'));
  }
  return `${sections.join('\n')}\n${LAST_LINE}\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The stand-in's own time for the answer, read by a plain client: first byte → last byte (the
 * stream), and request → last byte.
 */
async function streamOwnTime(standIn: StandInProcess, answer: string): Promise<{ streamMs: number; requestMs: number }> {
  await standIn.enqueue({ kind: 'text', text: answer });
  const started = performance.now();
  const response = await fetch(`${standIn.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 64_000, stream: true, messages: [{ role: 'user', content: 'bench' }] }),
  });
  if (!response.ok) throw new Error(`the stand-in answered ${response.status}: ${await response.text()}`);
  let firstByte: number | undefined;
  for await (const _chunk of response.body as unknown as AsyncIterable<Uint8Array>) firstByte ??= performance.now();
  const ended = performance.now();
  return { streamMs: ended - (firstByte ?? started), requestMs: ended - started };
}

/** The Stop button hidden again: checked in the page, without Playwright's role engine (which restyles the whole document). */
async function waitIdleCheaply(frame: Frame, timeout: number): Promise<void> {
  await frame.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } | null } }).document.querySelector('button.stop-button')?.hidden === true, undefined, { timeout, polling: 50 });
}

/**
 * Installs the long-task observer and the last-line watcher inside the webview's frame. Browser
 * code as a string: this file is type-checked without the DOM library.
 */
const INSTRUMENT = `(lastLine, firstLine, promptLine) => {
  for (const observer of window.__benchObservers ?? []) observer.disconnect();
  const bench = { sendClickAt: undefined, promptAt: undefined, longTasks: [], longTaskNames: [], lastLineAt: undefined, firstTextAt: undefined, firstDeltaAt: undefined, lastDeltaAt: undefined, deltaMessages: 0, hostMessages: 0, hostBytes: 0, largestMessageBytes: 0, endBytes: 0 };
  window.__bench = bench;
  // When the host's delta messages arrive in the frame (after the workbench's relay).
  const onMessage = (event) => {
    // What the relay carried: every host message, its JSON size, and the end of the answer
    // (messageUpdated and the delta with the finish op) on its own.
    const bytes = JSON.stringify(event.data ?? null).length;
    bench.hostMessages += 1;
    bench.hostBytes += bytes;
    bench.largestMessageBytes = Math.max(bench.largestMessageBytes, bytes);
    if (event.data?.type === 'messageUpdated' || (event.data?.type === 'delta' && event.data.ops.some((op) => op.op === 'finish'))) bench.endBytes += bytes;
    if (event.data?.type !== 'delta') return;
    bench.firstDeltaAt ??= Date.now();
    bench.lastDeltaAt = Date.now();
    bench.deltaMessages += 1;
  };
  window.addEventListener('message', onMessage);
  // The user's Send: the click as the page gets it, before the composer's handler runs.
  const onClick = (event) => { if (event.target.closest?.('button.send-button')) bench.sendClickAt ??= Date.now(); };
  document.addEventListener('click', onClick, true);
  const longTasks = new PerformanceObserver((list) => { for (const entry of list.getEntries()) { bench.longTasks.push(entry.duration); if (entry.duration > 50) bench.longTaskNames.push(entry.name + ' ' + Math.round(entry.duration)); } });
  longTasks.observe({ type: 'longtask' });
  // Looks only at the nodes a mutation added and the text it changed, never at the container's
  // whole text (which would cost the webview O(answer) per mutation and inflate every figure).
  const seen = (text) => {
    if (!text) return false;
    if (promptLine && bench.promptAt === undefined && text.includes(promptLine)) bench.promptAt = Date.now();
    if (bench.firstTextAt === undefined && text.includes(firstLine)) bench.firstTextAt = Date.now();
    if (!text.includes(lastLine)) return false;
    bench.firstTextAt ??= Date.now();
    bench.lastLineAt = Date.now();
    return true;
  };
  const watcher = new MutationObserver((records) => {
    if (bench.lastLineAt !== undefined) return;
    for (const record of records) {
      if (record.type === 'characterData' ? seen(record.target.data) : Array.from(record.addedNodes).some((node) => seen(node.textContent))) return;
    }
  });
  watcher.observe(document.body, { subtree: true, childList: true, characterData: true });
  window.__benchObservers = [longTasks, watcher, { disconnect: () => { window.removeEventListener('message', onMessage); document.removeEventListener('click', onClick, true); } }];
}`;

async function instrument(frame: Frame, lastLine = LAST_LINE, firstLine = FIRST_LINE, promptLine = ''): Promise<void> {
  await frame.evaluate(`(${INSTRUMENT})(${JSON.stringify(lastLine)}, ${JSON.stringify(firstLine)}, ${JSON.stringify(promptLine)})`);
}

/**
 * A short answer, as most are: its first text is what the user waits for. It starts with a
 * character found nowhere else on the page, so its first delta (1 to 6 characters) is the first text.
 */
const SHORT_FIRST = '¶';
const SHORT_ANSWER = `${SHORT_FIRST} Short answer: the change is safe, because the loop ends before the buffer fills. Short answer zq8-last.`;

interface FirstTextResult {
  /** The Send click → the prompt shown in the transcript (the host echoes it). */
  clickToPromptMs: number;
  /** In the webview's own clock: the Send click → the first delta message, → the answer's first text in the DOM. */
  clickToFirstDeltaMs: number; clickToFirstTextMs: number;
  /** The stand-in's own part: its request → its first byte (Node's wall clock). */
  standInMs: number;
}

/** Time to first text: Send on a short answer, in the webview's clock, from the click it gets. */
async function firstTextRun(standIn: StandInProcess, frame: Frame): Promise<FirstTextResult> {
  const prompt = 'A short question, please (zq8-prompt).';
  await instrument(frame, 'zq8-last', SHORT_FIRST, 'zq8-prompt');
  await standIn.enqueue({ kind: 'text', text: SHORT_ANSWER });
  await sendPrompt(frame, prompt);
  await frame.waitForFunction(() => (globalThis as unknown as { __bench: { lastLineAt?: number } }).__bench.lastLineAt !== undefined, undefined, { timeout: 60_000, polling: 20 });
  await waitIdleCheaply(frame, 60_000);
  const measured = await frame.evaluate('window.__bench') as { sendClickAt: number; promptAt: number; firstDeltaAt: number; firstTextAt: number };
  const served = await standIn.served();
  return { clickToPromptMs: measured.promptAt - measured.sendClickAt, clickToFirstDeltaMs: measured.firstDeltaAt - measured.sendClickAt, clickToFirstTextMs: measured.firstTextAt - measured.sendClickAt, standInMs: served.firstByteAt - served.requestAt };
}

/** What the webview shows at the end of the last answer, for a failure message. */
async function describeLastAnswer(frame: Frame): Promise<string> {
  return frame.evaluate<string>(`(() => {
    const turns = document.querySelectorAll('[role="log"] article');
    const text = turns[turns.length - 1]?.textContent ?? '';
    const alert = document.querySelector('[role="alert"]')?.textContent ?? '';
    return text.length + ' characters, ending "' + text.slice(-160) + '"; alert: "' + alert + '"';
  })()`).catch((error: unknown) => String(error));
}

interface RunResult {
  /** In the webview's own clock (Chromium's wall clock can differ from Node's by 100 ms): the Send click → the first delta message in the frame, → the answer's first text in the DOM. */
  clickToFirstDeltaMs: number; clickToFirstTextMs: number;
  streamMs: number; requestMs: number; lastLineMs: number; ratio: number;
  /** Send → the first delta message in the frame, → the last one, → the answer's first text in the DOM. */
  firstDeltaMs: number; lastDeltaMs: number; deltaMessages: number; firstTextMs: number;
  /** Host messages into the frame during the run: count, KB in all, the largest (KB), and the end of the answer (finish + messageUpdated, KB). */
  hostMessages: number; hostKB: number; largestMessageKB: number; endKB: number;
  /** First text → last line in the DOM (the answer as the user sees it stream), and its ratio to the stream. */
  shownMs: number; shownRatio: number;
  /** The stand-in's first → last byte of this run's answer (sharing the cores with the workbench), and Send → its last byte. */
  servedMs: number; servedEndMs: number;
  longestTaskMs: number; longTasksOver50: number; roundTripP95Ms: number; roundTrips: number }

async function oneRun(wb: Workbench, standIn: StandInProcess, frame: Frame, answer: string): Promise<RunResult> {
  const { streamMs, requestMs } = await streamOwnTime(standIn, answer);
  await instrument(frame);
  await standIn.enqueue({ kind: 'text', text: answer });
  const roundTrips: number[] = [];
  let streaming = true;
  const profile = process.env.PROFILE === '1' ? await startProfile(wb.page, frame) : undefined;
  if (process.env.PROFILE === 'trace') await startTrace(wb.browser, wb.page);
  const sentAt = Date.now();
  await sendPrompt(frame, 'Benchmark answer, please.');
  const probe = (async () => {
    while (streaming) {
      const started = performance.now();
      await frame.evaluate(() => 0);
      roundTrips.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    // A function, not a string: a string predicate is eval'd in the page, which the webview's CSP refuses.
    await frame.waitForFunction(() => (globalThis as unknown as { __bench: { lastLineAt?: number } }).__bench.lastLineAt !== undefined, undefined, { timeout: 120_000, polling: 50 });
    await waitIdleCheaply(frame, 120_000);
  } catch (error) {
    throw new Error(`the answer did not finish rendering: ${await describeLastAnswer(frame)}`, { cause: error });
  } finally {
    streaming = false;
    await probe.catch(() => undefined);
  }
  if (profile) process.stderr.write(`${await stopProfile(profile)}\n`);
  if (process.env.PROFILE === 'trace') process.stderr.write(`${await stopTrace(wb.browser)}\n`);
  const measured = await frame.evaluate('window.__bench') as { sendClickAt: number; longTasks: number[]; longTaskNames: string[]; lastLineAt: number; firstTextAt: number; firstDeltaAt: number; lastDeltaAt: number; deltaMessages: number; hostMessages: number; hostBytes: number; largestMessageBytes: number; endBytes: number };
  if (measured.longTaskNames.length) process.stderr.write(`[workbench] long tasks (attribution, ms): ${measured.longTaskNames.join(', ')}\n`);
  const served = await standIn.served();
  const lastLineMs = measured.lastLineAt - sentAt;
  return {
    clickToFirstDeltaMs: measured.firstDeltaAt - measured.sendClickAt,
    clickToFirstTextMs: measured.firstTextAt - measured.sendClickAt,
    streamMs,
    requestMs,
    lastLineMs,
    ratio: lastLineMs / streamMs,
    firstDeltaMs: measured.firstDeltaAt - sentAt,
    lastDeltaMs: measured.lastDeltaAt - sentAt,
    deltaMessages: measured.deltaMessages,
    hostMessages: measured.hostMessages,
    hostKB: measured.hostBytes / 1024,
    largestMessageKB: measured.largestMessageBytes / 1024,
    endKB: measured.endBytes / 1024,
    firstTextMs: measured.firstTextAt - sentAt,
    shownMs: measured.lastLineAt - measured.firstTextAt,
    shownRatio: (measured.lastLineAt - measured.firstTextAt) / streamMs,
    servedMs: served.endAt - served.firstByteAt,
    servedEndMs: served.endAt - sentAt,
    longestTaskMs: Math.max(0, ...measured.longTasks),
    longTasksOver50: measured.longTasks.filter((duration) => duration > 50).length,
    roundTripP95Ms: percentile(roundTrips, 95),
    roundTrips: roundTrips.length,
  };
}

export async function runWorkbenchBench(): Promise<{ results: RunResult[]; firstText: FirstTextResult[] }> {
  if (!existsSync(path.join(ROOT, 'dist', 'aiml-chat.vsix'))) execSync('npm run --silent package', { cwd: ROOT, stdio: 'inherit' });
  const standIn = await startStandInProcess({ anyKey: true, maxTextDelta: 6, tokenDelayMs: PACE_MS }, STANDIN_IN_PROCESS);
  const wb = await startWorkbench({ standInUrl: standIn.url, machineSettings: { 'aimlChat.maxTokens': 64_000 } }).catch((error: unknown) => {
    standIn.close();
    throw error;
  });
  try {
    await setApiKeyThroughUi(wb.page, 'bench-key');
    const frame = await getChatFrame(wb.page);
    const answer = benchmarkAnswer();
    const results: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await oneRun(wb, standIn, frame, answer);
      process.stderr.write(`[workbench] run ${run + 1}: ${JSON.stringify(result)}\n`);
      results.push(result);
      await runCommand(wb.page, 'AIML Chat: New Chat');
    }
    const firstText: FirstTextResult[] = [];
    for (let run = 0; run < FIRST_TEXT_RUNS; run++) {
      const result = await firstTextRun(standIn, frame);
      process.stderr.write(`[workbench] first text ${run + 1}: ${JSON.stringify(result)}\n`);
      firstText.push(result);
      await runCommand(wb.page, 'AIML Chat: New Chat');
    }
    return { results, firstText };
  } finally {
    await wb.close();
    standIn.close();
  }
}

export function formatWorkbenchTable(results: RunResult[]): string {
  const row = (label: string, pick: (r: RunResult) => number, digits = 0) => `| ${label} | ${results.map((r) => pick(r).toFixed(digits)).join(' | ')} | **${median(results.map(pick)).toFixed(digits)}** |`;
  return [
    `| 200 KB markdown answer, 1–6 char deltas | ${results.map((_, n) => `run ${n + 1}`).join(' | ')} | median |`,
    `| --- | ${results.map(() => '---:').join(' | ')} | ---: |`,
    row('stream, its own time: first → last byte (ms)', (r) => r.streamMs),
    row('stream, request → last byte (ms)', (r) => r.requestMs),
    row('Send → last line in the DOM (ms)', (r) => r.lastLineMs),
    row('last line / stream, first → last byte', (r) => r.ratio, 2),
    row('stream in the run, first → last byte as the stand-in wrote it (ms)', (r) => r.servedMs),
    row('Send → the stand-in\'s last byte (ms)', (r) => r.servedEndMs),
    row('Send → first delta message in the webview (ms)', (r) => r.firstDeltaMs),
    row('Send click → first delta message in the webview (ms)', (r) => r.clickToFirstDeltaMs),
    row('Send click → first text in the DOM (ms)', (r) => r.clickToFirstTextMs),
    row('Send → last delta message in the webview (ms)', (r) => r.lastDeltaMs),
    row('delta messages', (r) => r.deltaMessages),
    row('host messages into the webview', (r) => r.hostMessages),
    row('host messages, KB in all', (r) => r.hostKB),
    row('largest host message (KB)', (r) => r.largestMessageKB, 1),
    row('end of the answer: finish op + messageUpdated (KB)', (r) => r.endKB, 1),
    row('Send → first text in the DOM (ms)', (r) => r.firstTextMs),
    row('first text → last line in the DOM (ms)', (r) => r.shownMs),
    row('last delta message → last line in the DOM (ms)', (r) => r.lastLineMs - r.lastDeltaMs),
    row('first text → last line / stream, first → last byte (target ≤ 1.2)', (r) => r.shownRatio, 2),
    row('longest task in the webview (ms, target ≤ 50)', (r) => r.longestTaskMs),
    row('long tasks over 50 ms', (r) => r.longTasksOver50),
    row('round trip into the webview, p95 (ms, target ≤ 50)', (r) => r.roundTripP95Ms),
    row('round-trip probes', (r) => r.roundTrips),
  ].join('\n');
}

export function formatFirstTextTable(results: FirstTextResult[]): string {
  const row = (label: string, pick: (r: FirstTextResult) => number) => `| ${label} | ${results.map((r) => pick(r).toFixed(0)).join(' | ')} | **${median(results.map(pick)).toFixed(0)}** |`;
  return [
    `| short answer, time to first text | ${results.map((_, n) => `run ${n + 1}`).join(' | ')} | median |`,
    `| --- | ${results.map(() => '---:').join(' | ')} | ---: |`,
    row('Send click → the prompt in the transcript (ms)', (r) => r.clickToPromptMs),
    row('Send click → first delta message in the webview (ms)', (r) => r.clickToFirstDeltaMs),
    row('Send click → first text in the DOM (ms)', (r) => r.clickToFirstTextMs),
    row('of which the stand-in: request → its first byte (ms)', (r) => r.standInMs),
  ].join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && /workbench\.bench\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  runWorkbenchBench().then(({ results, firstText }) => {
    console.log(`Node ${process.version}, ${new Date().toISOString()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}${PACE_MS ? `, stand-in paced ${PACE_MS} ms per write` : ''}\n`);
    console.log(formatWorkbenchTable(results));
    if (firstText.length) console.log(`\n${formatFirstTextTable(firstText)}`);
  }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
