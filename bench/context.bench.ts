// Context features, measured:
// 1. Mention search: the `Context` listbox's fuzzy matcher on a generated 50,000-path workspace —
//    index build, the first query on a fresh index (what the user waits for after typing `#x`),
//    then steady-state queries; medians and p95 over repeated runs.
// 2. Compaction: a long conversation generated deterministically (seeded: prompts, tool calls with
//    large results, answers) replayed turn by turn against a 200k-token window, with and without
//    automatic compaction at 80 %. Each summary request goes over loopback HTTP to the stand-in,
//    which validates it and reports its usage; the stand-in's summary is scripted at a realistic
//    size (SUMMARY_CHARS). Token figures are the request builder's estimates (chars/4).
// Run: npx tsx bench/context.bench.ts [--search-only]   (prints markdown tables)
import { performance } from 'node:perf_hooks';
import type { Conversation, StoredMessage } from '../src/shared/model';
import { MessagesClient } from '../src/core/api/client';
import { FuzzyFileIndex, type FileEntry } from '../src/core/context/fuzzyFiles';
import { buildSummaryRequest, compactionRecord, historyForRequest, planCompaction, shouldCompact, summaryFromAnswer } from '../src/core/context/compaction';
import { DEFAULT_CONTEXT_WINDOW } from '../src/core/context/meter';
import { estimateMessagesTokens } from '../src/core/context/tokens';
import { startStandIn, validateMessagesRequest } from '../test/support/standin';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = ['src', 'core', 'api', 'util', 'components', 'services', 'models', 'views', 'test', 'lib', 'server', 'client', 'auth', 'user', 'order', 'payment', 'config', 'shared', 'hooks', 'store', 'router', 'widgets', 'i18n', 'legacy', 'internal', 'adapters'];
const NAMES = ['index', 'controller', 'service', 'helpers', 'types', 'schema', 'handler', 'provider', 'reducer', 'factory', 'repository', 'validator', 'mapper', 'client', 'utils'];
const EXTS = ['.ts', '.tsx', '.js', '.json', '.md', '.css', '.test.ts', '.py', '.go'];

export function generateWorkspace(count: number, seed = 42): FileEntry[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  // A tree of about count/20 folders (up to 6 deep), then files spread over them.
  const folders = new Set<string>(WORDS.slice(0, 8));
  const folderList = [...folders];
  while (folders.size < count / 20) {
    const parent = pick(folderList);
    const child = `${parent}/${pick(WORDS)}${random() < 0.3 ? Math.floor(random() * 10) : ''}`;
    if (child.split('/').length > 6 || folders.has(child)) continue;
    folders.add(child);
    folderList.push(child);
  }
  const files = new Set<string>();
  while (files.size < count) {
    const name = `${pick(NAMES)}${random() < 0.5 ? pick(['User', 'Order', 'Chat', 'Cart', 'Token', '']) : ''}${Math.floor(random() * 40)}${pick(EXTS)}`;
    files.add(`${pick(folderList)}/${name}`);
  }
  return [...folderList.map((path) => ({ path, isFolder: true })), ...[...files].map((path) => ({ path, isFolder: false }))];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

function mentionSearch(): void {
  const QUERIES = ['c', 'ctrl', 'usercontroller', 'auth/serv', 'src/core/api/index', 'zzqx'];
  const workspace = generateWorkspace(50_000);
  const files = workspace.filter((e) => !e.isFolder).length;
  console.log(`### Mention search on a generated workspace (${files} files + ${workspace.length - files} folders)\n`);
  const builds: number[] = [];
  const firsts: number[] = [];
  for (let run = 0; run < 15; run++) {
    const t0 = performance.now();
    const index = new FuzzyFileIndex(workspace);
    const t1 = performance.now();
    index.search(QUERIES[run % QUERIES.length], 50);
    const t2 = performance.now();
    builds.push(t1 - t0);
    firsts.push(t2 - t1);
  }
  console.log('| step | median ms | p95 ms |');
  console.log('| --- | ---: | ---: |');
  console.log(`| build the index (once per file-list change) | ${median(builds).toFixed(1)} | ${p95(builds).toFixed(1)} |`);
  console.log(`| first query on a fresh index | ${median(firsts).toFixed(1)} | ${p95(firsts).toFixed(1)} |`);
  const typing: number[] = [];
  for (let run = 0; run < 10; run++) {
    const fresh = new FuzzyFileIndex(workspace);
    const t0 = performance.now();
    for (let i = 0; i <= 'usercontroller'.length; i++) fresh.search('usercontroller'.slice(0, i), 50);
    typing.push((performance.now() - t0) / ('usercontroller'.length + 1));
  }
  console.log(`| per keystroke while typing "usercontroller" (each query narrows the last) | ${median(typing).toFixed(1)} | ${p95(typing).toFixed(1)} |`);
  const index = new FuzzyFileIndex(workspace);
  for (const query of QUERIES) {
    const times: number[] = [];
    let hits = 0;
    for (let run = 0; run < 40; run++) {
      index.search('', 1); // forget the previous query: measure a full scan
      const t1 = performance.now();
      hits = index.search(query, 50).length;
      times.push(performance.now() - t1);
    }
    console.log(`| full scan for "${query}" (${hits} shown) | ${median(times).toFixed(1)} | ${p95(times).toFixed(1)} |`);
  }
  console.log('');
}

const SUMMARY_CHARS = 10_000;
const OVERHEAD_TOKENS = 3_000; // system prompt + tool definitions

export function generateLongConversation(turns: number, seed = 7): StoredMessage[] {
  const random = seeded(seed);
  const messages: StoredMessage[] = [];
  let n = 0;
  const words = (count: number): string => Array.from({ length: count }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  for (let turn = 0; turn < turns; turn++) {
    messages.push({ id: `m${++n}`, role: 'user', kind: 'prompt', createdAt: n, content: [{ type: 'text', text: `Turn ${turn}: ${words(40 + Math.floor(random() * 160))}` }] });
    const rounds = Math.floor(random() * 3);
    for (let round = 0; round < rounds; round++) {
      const id = `toolu_${turn}_${round}`;
      messages.push({ id: `m${++n}`, role: 'assistant', status: 'complete', createdAt: n, content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id, name: 'read_file', input: { path: `src/${words(2).replace(' ', '/')}.ts` } }] });
      messages.push({ id: `m${++n}`, role: 'user', kind: 'tool_results', createdAt: n, content: [{ type: 'tool_result', tool_use_id: id, content: words(800 + Math.floor(random() * 3000)) }] });
    }
    messages.push({ id: `m${++n}`, role: 'assistant', status: 'complete', createdAt: n, content: [{ type: 'text', text: words(100 + Math.floor(random() * 400)) }] });
  }
  return messages;
}

async function compactionSavings(): Promise<void> {
  const TURNS = 120;
  const recorded = generateLongConversation(TURNS);
  const standIn = await startStandIn({ apiKey: 'test-key', chunking: 'none', lineEnding: 'lf' });
  const api = new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key', maxRetries: 0 });
  try {
    const window = DEFAULT_CONTEXT_WINDOW;
    const conv: Conversation = { version: 1, id: 'bench', title: 'bench', createdAt: 0, updatedAt: 0, model: 'claude-sonnet-4-6', messages: [], totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 } };
    let withTokens = 0;
    let withoutTokens = 0;
    let largestWith = 0;
    let overflowAtTurn: number | undefined;
    let compactions = 0;
    let summaryInput = 0;
    let summaryOutput = 0;
    let summaryUsd = 0;
    let turn = 0;
    for (const message of recorded) {
      if (message.kind === 'prompt') turn++;
      conv.messages.push(message);
      if (message.role !== 'user') continue; // every user message (prompt or tool results) starts a request
      const full = OVERHEAD_TOKENS + estimateMessagesTokens(conv.messages);
      withoutTokens += full;
      if (overflowAtTurn === undefined && full > window) overflowAtTurn = turn;
      let sent = OVERHEAD_TOKENS + estimateMessagesTokens(historyForRequest(conv));
      if (message.kind === 'prompt' && shouldCompact(sent, window, 80)) {
        const plan = planCompaction(conv);
        if (plan) {
          standIn.enqueue({ kind: 'text', text: `## Summary\n${'decisions, files and open tasks. '.repeat(SUMMARY_CHARS / 32)}` });
          const answer = await api.create(buildSummaryRequest(plan, conv.model));
          conv.compaction = compactionRecord(plan, summaryFromAnswer(answer), answer, message.createdAt);
          compactions++;
          summaryInput += conv.compaction.inputTokens ?? 0;
          summaryOutput += conv.compaction.outputTokens ?? 0;
          summaryUsd += conv.compaction.usdSpent ?? 0;
          sent = OVERHEAD_TOKENS + estimateMessagesTokens(historyForRequest(conv));
        }
      }
      largestWith = Math.max(largestWith, sent);
      withTokens += sent;
    }
    const rejected = standIn.requests.filter((r) => !validateMessagesRequest(r.body).ok).length;
    console.log(`### Compaction on a generated ${TURNS}-turn conversation (${conv.messages.length} messages, seed 7), window ${window.toLocaleString('en')} tokens, compaction at 80 %\n`);
    console.log('| measure | without compaction | with compaction |');
    console.log('| --- | ---: | ---: |');
    console.log(`| input tokens sent over all requests | ${withoutTokens.toLocaleString('en')} | ${(withTokens + summaryInput).toLocaleString('en')} (incl. ${summaryInput.toLocaleString('en')} for summaries) |`);
    console.log(`| largest request (tokens) | ${(OVERHEAD_TOKENS + estimateMessagesTokens(conv.messages)).toLocaleString('en')} | ${largestWith.toLocaleString('en')} |`);
    console.log(`| first turn over the window (request refused) | ${overflowAtTurn ?? 'none'} | none |`);
    console.log(`| summary requests (validated by the stand-in; ${rejected} rejected) | 0 | ${compactions} (${summaryOutput.toLocaleString('en')} output tokens, $${summaryUsd.toFixed(4)} reported) |`);
    console.log(`| input tokens saved | | ${(withoutTokens - withTokens - summaryInput).toLocaleString('en')} (${(((withoutTokens - withTokens - summaryInput) / withoutTokens) * 100).toFixed(0)} %) |`);
  } finally {
    await standIn.close();
  }
}

async function main(): Promise<void> {
  mentionSearch();
  if (!process.argv.includes("--search-only")) await compactionSavings();
}

void main();
