// The extension host's CPU per stream event, end to end in one process, without the webview: the
// ~200 KB markdown answer of the workbench benchmark (75 code blocks) in 1 to 6 character deltas,
// about 58,000 events, served from a loopback HTTP server in one write. Two paths, alternating:
//   - client: MessagesClient.stream() alone (bytes → events → accumulated message);
//   - chat: the sidebar's whole host side as the extension wires it: ChatSession.send() (turn runner,
//     session events, throttled saving) → ChatPresenter → DeltaCoalescer (its real 30 ms policy) →
//     the view's post function, which here serialises each message as VS Code's
//     webview.postMessage does in the extension host (JSON.stringify) and stops there.
// The difference is what the chat adds per event on top of the client. Medians of CPU time.
// Run: npx tsx bench/hostStream.bench.ts   (prints a markdown table)
// Profile: npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/hostStream.bench.ts chat
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import * as path from 'node:path';
import { MessagesClient } from '../src/core/api/client';
import type { ChatSettings } from '../src/host/config';
import type { HostToWebview } from '../src/shared/protocol';
import { FakeExecutor, chatForStandIn } from '../test/unit/chat/fakes';
import { benchmarkAnswer } from './workbench.bench';

const MODEL = 'claude-sonnet-4-6';

function sseEvent(data: Record<string, unknown>): string {
  return `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The answer as the API streams it: deltas of 1 to 6 code points (seeded), a ping every 40. */
export function answerStream(text: string): { body: Buffer; events: number } {
  const chars = [...text];
  const parts: string[] = [
    sseEvent({ type: 'message_start', message: { id: 'msg_host_bench', type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 100, output_tokens: 1 } } }),
    sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ];
  let seed = 15;
  let deltas = 0;
  for (let at = 0; at < chars.length;) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const size = 1 + (seed >>> 16) % 6;
    parts.push(sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chars.slice(at, at + size).join('') } }));
    at += size;
    if (++deltas % 40 === 0) parts.push(sseEvent({ type: 'ping' }));
  }
  parts.push(
    sseEvent({ type: 'content_block_stop', index: 0 }),
    sseEvent({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: deltas } }),
    sseEvent({ type: 'message_stop' }),
  );
  return { body: Buffer.from(parts.join('')), events: parts.length };
}

const settings = (baseUrl: string): ChatSettings => ({
  baseUrl, model: MODEL, maxTokens: 64_000, temperature: 0.5, thinkingEnabled: false, thinkingBudgetTokens: 2048,
  promptCaching: false, spendCapUsd: null, balanceWarningUsd: null, requestTimeoutMs: 60_000, answerTimeoutMs: 600_000,
  toolsEnabled: false, autoApproveReads: true, autoApplyEdits: false, toolApproval: {}, maxToolCallsPerTurn: 25, secretFilePatterns: [],
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function cpuMs(run: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export interface HostStreamResult {
  events: number; runs: number; clientCpuMs: number; chatCpuMs: number; posts: number; postedBytes: number;
  /** Wall time inside the chat's per-event callback, per answer. */
  callbackMs: number;
  /** Wall time serialising the posts, per answer. */
  postMs: number;
}

export async function runHostStreamBench(options: { runs?: number; warmup?: number; only?: 'client' | 'chat' } = {}): Promise<HostStreamResult> {
  const answer = benchmarkAnswer();
  const stream = answerStream(answer);
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.end(stream.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const folder = await mkdtemp(path.join(os.tmpdir(), 'aiml-host-bench-'));
  const client = new MessagesClient({ baseUrl: url, apiKey: 'bench-key', maxRetries: 0 });
  const request = { model: MODEL, max_tokens: 64_000, messages: [{ role: 'user' as const, content: 'Go.' }] };
  const { session, presenter, deps } = chatForStandIn({ folder, settings: () => settings(url), executor: new FakeExecutor() });
  // Wall time inside the chat's per-event callback (turn runner → session → presenter → coalescer,
  // and the posts it triggers), summed over the answer: the chain's own share, garbage collection aside.
  let callbackMs = 0;
  const createApi = deps.createApi;
  deps.createApi = (...args) => {
    const api = createApi(...args);
    return {
      create: (request, options) => api.create(request, options),
      stream: (request, options = {}) => api.stream(request, {
        ...options,
        onEvent: (event, message) => {
          const start = performance.now();
          options.onEvent?.(event, message);
          callbackMs += performance.now() - start;
        },
      }),
    };
  };
  let posts = 0;
  let postedBytes = 0;
  // What the extension host does with a posted message: serialise it (the webview side is left out).
  let postMs = 0;
  presenter.setPoster((message: HostToWebview) => {
    const start = performance.now();
    posts++;
    postedBytes += JSON.stringify(message).length;
    postMs += performance.now() - start;
  });

  const runClient = async () => {
    const message = await client.stream(request);
    if ((message.content[0] as { text?: string }).text !== answer) throw new Error('the client lost text');
  };
  const runChat = async () => {
    await session.send({ text: 'Go.' });
    const last = session.conversation.messages.at(-1);
    if (last?.status !== 'complete' || (last.content[0] as { text?: string }).text !== answer) throw new Error(`the chat did not complete: ${JSON.stringify(last?.error)}`);
  };
  const clientRuns: number[] = [];
  const chatRuns: number[] = [];
  const chatPosts: number[] = [];
  const chatBytes: number[] = [];
  const chatCallbacks: number[] = [];
  const chatPostMs: number[] = [];
  const runs = options.runs ?? 15;
  try {
    for (let round = 0; round < (options.warmup ?? 3) + runs; round++) {
      const measured = round >= (options.warmup ?? 3);
      if (options.only !== 'chat') {
        const ms = await cpuMs(runClient);
        if (measured) clientRuns.push(ms);
      }
      if (options.only !== 'client') {
        await session.newChat(); // outside the measurement: each answer starts a fresh conversation
        posts = 0;
        postedBytes = 0;
        callbackMs = 0;
        postMs = 0;
        const ms = await cpuMs(runChat);
        if (measured) { chatRuns.push(ms); chatPosts.push(posts); chatBytes.push(postedBytes); chatCallbacks.push(callbackMs); chatPostMs.push(postMs); }
      }
    }
  } finally {
    presenter.dispose();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(folder, { recursive: true, force: true });
  }
  return {
    events: stream.events, runs,
    clientCpuMs: clientRuns.length ? median(clientRuns) : NaN,
    chatCpuMs: chatRuns.length ? median(chatRuns) : NaN,
    posts: chatPosts.length ? median(chatPosts) : NaN,
    postedBytes: chatBytes.length ? median(chatBytes) : NaN,
    callbackMs: chatCallbacks.length ? median(chatCallbacks) : NaN,
    postMs: chatPostMs.length ? median(chatPostMs) : NaN,
  };
}

export function formatHostStreamTable(result: HostStreamResult): string {
  const perEvent = (ms: number) => (1000 * ms / result.events).toFixed(2);
  return [
    `200 KB markdown answer, 1–6 char deltas: ${result.events} events, ${result.runs} runs each (alternating), medians`,
    '',
    '| path | CPU ms per answer | µs per event |',
    '| --- | ---: | ---: |',
    `| client (bytes → events → message) | ${result.clientCpuMs.toFixed(1)} | ${perEvent(result.clientCpuMs)} |`,
    `| chat host side (session → presenter → coalescer → post) | ${result.chatCpuMs.toFixed(1)} | ${perEvent(result.chatCpuMs)} |`,
    `| what the chat adds to the client | ${(result.chatCpuMs - result.clientCpuMs).toFixed(1)} | ${perEvent(result.chatCpuMs - result.clientCpuMs)} |`,
    `| of which inside the per-event callback (wall) | ${result.callbackMs.toFixed(1)} | ${perEvent(result.callbackMs)} |`,
    '',
    `Posts per answer: ${result.posts}, ${(result.postedBytes / 1000).toFixed(0)} KB serialised in ${result.postMs.toFixed(1)} ms (wall).`,
  ].join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && /hostStream\.bench\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const only = process.argv[2] === 'client' || process.argv[2] === 'chat' ? process.argv[2] : undefined;
  runHostStreamBench({ only }).then((result) => {
    console.log(`Node ${process.version}, ${new Date().toISOString()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    console.log(formatHostStreamTable(result));
  }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
