// CPU cost of reading a streamed answer: our MessagesClient against @anthropic-ai/sdk's
// messages.stream().finalMessage(), both reading the same recorded-format stream from a loopback
// HTTP server in this process. Cases: (a) a long text answer in many small text deltas, (b) one tool
// call whose input is a large file content (1, 2, 4 MB) in small input_json_delta fragments, which
// shows whether the cost grows linearly with the input size.
// Run: npx tsx bench/client.bench.ts   (prints a markdown table)
// A/B: CLIENT_BASELINE=/path/to/other/src/core/api/client.ts also measures that copy of the client
// (e.g. `git archive main src | tar -x -C /tmp/base`), alternating with ours in the same process.
import Anthropic from '@anthropic-ai/sdk';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessagesClient } from '../src/core/api/client';

export interface BenchResult {
  name: string;
  /** Size of the streamed content (text or tool input) in bytes. */
  contentBytes: number;
  events: number;
  runs: number;
  oursCpuMs: number;
  sdkCpuMs: number;
  /** ours / SDK: below 1 means ours is cheaper. */
  ratio: number;
  oursWallMs: number;
  sdkWallMs: number;
  /** The physical floor: the same bytes through a streaming TextDecoder and one JSON.parse per event. */
  floorCpuMs: number;
  /** ours / floor: the target is at most 1.5. */
  floorRatio: number;
  /** The baseline client's CPU (CLIENT_BASELINE), if one was given. */
  baselineCpuMs?: number;
}

const MODEL = 'claude-sonnet-4-6';

function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function messageStart(id: string): string {
  return sseEvent('message_start', {
    type: 'message_start',
    message: { id, type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 100, output_tokens: 1 } },
  });
}

function messageEnd(stopReason: string, outputTokens: number): string {
  return sseEvent('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } })
    + sseEvent('message_stop', { type: 'message_stop' });
}

/** Deterministic prose-like text with some multi-byte characters. */
function sampleText(bytes: number): string {
  const words = ['stream', 'délta', 'token', 'parser', 'función', 'editor', 'claude', 'snapshot', '✓', 'buffer', 'naïve', 'chunk'];
  const parts: string[] = [];
  let size = 0;
  for (let index = 0; size < bytes; index++) {
    const word = words[(index * 7 + (index >> 3)) % words.length] + (index % 17 === 16 ? '.\n' : ' ');
    parts.push(word);
    size += Buffer.byteLength(word);
  }
  return parts.join('');
}

/** Splits text into pieces of `size` characters, like the API's small deltas. */
function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size) result.push(text.slice(start, start + size));
  return result;
}

export interface StreamCase { name: string; body: Buffer; contentBytes: number; events: number }

export function textAnswerCase(textBytes = 200_000, deltaChars = 16): StreamCase {
  const text = sampleText(textBytes);
  const deltas = pieces(text, deltaChars);
  const body = messageStart('msg_bench_text')
    + sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
    + deltas.map((chunk) => sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } })).join('')
    + sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 })
    + messageEnd('end_turn', deltas.length);
  return { name: `text answer, ${Math.round(textBytes / 1000)} KB in ${deltaChars}-char deltas`, body: Buffer.from(body), contentBytes: Buffer.byteLength(text), events: deltas.length + 5 };
}

export function toolInputCase(fileBytes: number, fragmentChars = 32): StreamCase {
  const input = JSON.stringify({ path: 'src/generated/large.ts', content: sampleText(fileBytes) });
  const fragments = pieces(input, fragmentChars);
  const body = messageStart('msg_bench_tool')
    + sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_bench', name: 'write_file', input: {} } })
    + fragments.map((fragment) => sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: fragment } })).join('')
    + sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 })
    + messageEnd('tool_use', fragments.length);
  return { name: `tool input, ${fileBytes / 1_000_000} MB file in ${fragmentChars}-char fragments`, body: Buffer.from(body), contentBytes: Buffer.byteLength(input), events: fragments.length + 5 };
}

/** Serves whichever case is current; one write per response so the server costs little CPU. */
async function startServer(current: () => StreamCase): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_bench' });
      response.end(current().body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * The least any client must do with these bytes: decode them as a stream and parse each event's
 * JSON once. No validation, no accumulation: what ours costs above this is its own overhead.
 */
async function readAtFloor(url: string, body: string): Promise<number> {
  // node:http on its own socket (agent: false), so the floor never shares a connection with the
  // clients measured against it; it is also leaner than fetch, which makes the floor stricter.
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = httpRequest(`${url}/v1/messages`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, resolve);
    request.on('error', reject);
    request.end(body);
  });
  const decoder = new TextDecoder();
  let pending = '';
  let events = 0;
  for await (const chunk of response as AsyncIterable<Uint8Array>) {
    const text = pending + decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let end = text.indexOf('\n\n', from); end >= 0; end = text.indexOf('\n\n', from)) {
      const data = text.indexOf('data: ', from);
      JSON.parse(text.slice(data + 6, end));
      events++;
      from = end + 2;
    }
    pending = text.slice(from);
  }
  return events;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measure(run: () => Promise<void>, warmup: number, runs: number): Promise<{ cpuMs: number; wallMs: number }> {
  for (let index = 0; index < warmup; index++) await run();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let index = 0; index < runs; index++) {
    const startCpu = process.cpuUsage();
    const startWall = performance.now();
    await run();
    const used = process.cpuUsage(startCpu);
    wall.push(performance.now() - startWall);
    cpu.push((used.user + used.system) / 1000);
  }
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

export interface BenchOptions { warmup?: number; runs?: number; cases?: StreamCase[]; baseline?: typeof MessagesClient }

export async function runClientBench(options: BenchOptions = {}): Promise<BenchResult[]> {
  const cases = options.cases ?? [textAnswerCase(), toolInputCase(1_000_000), toolInputCase(2_000_000), toolInputCase(4_000_000)];
  let current = cases[0];
  const { url, server } = await startServer(() => current);
  const ours = new MessagesClient({ baseUrl: url, apiKey: 'bench-key', maxRetries: 0 });
  const sdk = new Anthropic({ apiKey: 'bench-key', baseURL: url, maxRetries: 0 });
  const baseline = options.baseline ? new options.baseline({ baseUrl: url, apiKey: 'bench-key', maxRetries: 0 }) : undefined;
  const request = { model: MODEL, max_tokens: 64_000, messages: [{ role: 'user' as const, content: 'Go.' }] };
  const results: BenchResult[] = [];
  try {
    for (const streamCase of cases) {
      current = streamCase;
      const big = streamCase.contentBytes > 1_500_000;
      const warmup = options.warmup ?? (big ? 2 : 5);
      const runs = options.runs ?? (big ? 7 : 21);
      // Check once that both produce the same content, so the comparison is fair.
      const [mine, theirs] = [await ours.stream(request), await sdk.messages.stream(request).finalMessage()];
      if (JSON.stringify(mine.content) !== JSON.stringify(theirs.content)) throw new Error(`outputs differ for ${streamCase.name}`);
      // Alternate the two so that drift (GC, CPU frequency) affects both alike.
      const oursRuns: Array<{ cpuMs: number; wallMs: number }> = [];
      const sdkRuns: Array<{ cpuMs: number; wallMs: number }> = [];
      const floorRuns: Array<{ cpuMs: number; wallMs: number }> = [];
      const baselineRuns: Array<{ cpuMs: number; wallMs: number }> = [];
      const floorBody = JSON.stringify({ ...request, stream: true });
      if (await readAtFloor(url, floorBody) !== streamCase.events) throw new Error(`the floor reader miscounted ${streamCase.name}`);
      for (let round = 0; round < 3; round++) {
        oursRuns.push(await measure(async () => { await ours.stream(request); }, round === 0 ? warmup : 1, Math.ceil(runs / 3)));
        sdkRuns.push(await measure(async () => { await sdk.messages.stream(request).finalMessage(); }, round === 0 ? warmup : 1, Math.ceil(runs / 3)));
        floorRuns.push(await measure(async () => { await readAtFloor(url, floorBody); }, round === 0 ? warmup : 1, Math.ceil(runs / 3)));
        if (baseline) baselineRuns.push(await measure(async () => { await baseline.stream(request); }, round === 0 ? warmup : 1, Math.ceil(runs / 3)));
      }
      const floorCpuMs = median(floorRuns.map((run) => run.cpuMs));
      const oursCpuMs = median(oursRuns.map((run) => run.cpuMs));
      const sdkCpuMs = median(sdkRuns.map((run) => run.cpuMs));
      results.push({
        name: streamCase.name,
        contentBytes: streamCase.contentBytes,
        events: streamCase.events,
        runs: Math.ceil(runs / 3) * 3,
        oursCpuMs,
        sdkCpuMs,
        ratio: oursCpuMs / sdkCpuMs,
        oursWallMs: median(oursRuns.map((run) => run.wallMs)),
        sdkWallMs: median(sdkRuns.map((run) => run.wallMs)),
        floorCpuMs,
        floorRatio: oursCpuMs / floorCpuMs,
        ...(baseline ? { baselineCpuMs: median(baselineRuns.map((run) => run.cpuMs)) } : {}),
      });
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return results;
}

export function formatTable(results: BenchResult[]): string {
  const perMb = (ms: number, bytes: number) => (ms / (bytes / 1e6)).toFixed(0);
  const rows = results.map((result) => `| ${result.name} | ${(result.contentBytes / 1e6).toFixed(2)} MB | ${result.events} | ${result.runs} | ${result.oursCpuMs.toFixed(1)} | ${result.sdkCpuMs.toFixed(1)} | ${result.ratio.toFixed(2)} | ${perMb(result.oursCpuMs, result.contentBytes)} | ${perMb(result.sdkCpuMs, result.contentBytes)} | ${result.oursWallMs.toFixed(1)} | ${result.sdkWallMs.toFixed(1)} | ${result.floorCpuMs.toFixed(1)} | ${result.floorRatio.toFixed(2)} |`);
  if (results.some((result) => result.baselineCpuMs !== undefined)) {
    rows.push('', '| stream | baseline CPU ms | baseline/floor | ours CPU ms | ours/floor |', '| --- | ---: | ---: | ---: | ---: |');
    for (const result of results) rows.push(`| ${result.name} | ${result.baselineCpuMs?.toFixed(1)} | ${((result.baselineCpuMs ?? 0) / result.floorCpuMs).toFixed(2)} | ${result.oursCpuMs.toFixed(1)} | ${result.floorRatio.toFixed(2)} |`);
  }
  return [
    '| stream | content | events | runs | ours CPU ms | SDK CPU ms | ours/SDK | ours CPU ms/MB | SDK CPU ms/MB | ours wall ms | SDK wall ms | floor CPU ms | ours/floor |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

const invokedDirectly = typeof process !== 'undefined' && process.argv[1] !== undefined && /client\.bench\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const baselinePath = process.env.CLIENT_BASELINE;
  const baseline = baselinePath ? import(baselinePath).then((module: { MessagesClient: typeof MessagesClient }) => module.MessagesClient) : Promise.resolve(undefined);
  baseline.then((client) => runClientBench({ baseline: client })).then((results) => {
    console.log(`Node ${process.version}, ${new Date().toISOString()}\n`);
    console.log(formatTable(results));
  }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
