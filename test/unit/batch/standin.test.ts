// The batch client against the local stand-in over loopback: the real HTTP path (shared messages
// client, auth, JSON lines) from create to report, and a cancel midway.
import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../../src/core/api/client';
import { BatchClient, resultsPolling } from '../../../src/core/batch/client';
import { batchHttpFromClient } from '../../../src/core/batch/http';
import { BatchPoller } from '../../../src/core/batch/poller';
import { renderReport } from '../../../src/core/batch/report';
import { buildBatchRequests, type BatchFileInput } from '../../../src/core/batch/requests';
import { startStandIn, type StandIn } from '../../support/standin';

const encode = (text: string) => new TextEncoder().encode(text);
const file = (path: string, text: string): BatchFileInput => ({ path, location: `file:///ws/${path}`, bytes: encode(text) });
// Polling at 1 ms keeps the test fast; the schedule itself is covered with fake timers.
const fast = { initialDelayMs: 1, maxDelayMs: 5, random: () => 0.5 };

describe('batch client against the stand-in', function () {
  this.timeout(20_000);
  let standIn: StandIn;
  let client: BatchClient;

  before(async () => {
    standIn = await startStandIn({ apiKey: 'test-key' });
    const messages = new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key' });
    client = new BatchClient({ http: batchHttpFromClient(messages) });
  });
  after(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('creates, polls to the end, downloads results and writes the report', async () => {
    const built = buildBatchRequests([
      file('src/math.ts', 'export const add = (a: number, b: number) => a + b;\n'),
      file('lib/util.py', 'def double(x):\n    return 2 * x\n'),
      file('scripted-expire.sh', 'echo hi\n'),
      file('logo.png', '\u0000PNG'),
    ], { task: 'explain', model: 'claude-sonnet-4-6', maxTokens: 1024 });
    const created = await client.create(built.requests);
    assert.equal(created.processing_status, 'in_progress');
    assert.equal(created.request_counts.processing, 3);

    const seen: number[] = [];
    const reads = resultsPolling(client, created.id);
    const outcome = await new BatchPoller({ ...fast, ...reads, onProgress: (b) => seen.push(b.request_counts.processing) }).run();
    assert.equal(outcome.kind, 'ended');
    assert.deepEqual(seen, [2, 1, 0], 'the stand-in finishes one request per read; the last read answers the results');
    const last = reads.last();
    assert.equal(last?.kind, 'results');
    if (last?.kind !== 'results') return;
    const ended = last.batch;
    const results = last.results;
    assert.deepEqual(results.malformed, []);
    assert.deepEqual(results.outcomes.map((o) => o.type).sort(), ['expired', 'succeeded', 'succeeded']);

    const report = renderReport({ batchId: created.id, task: 'explain', model: 'claude-sonnet-4-6', createdAt: Date.now(), counts: ended.request_counts, entries: built.entries, skipped: built.skipped, results });
    assert.match(report, /\| Results \| 2 succeeded, 0 errored, 0 canceled, 1 expired \|/);
    assert.match(report, /^## `src\/math\.ts`$/m);
    assert.match(report, /^## `lib\/util\.py`$/m);
    assert.match(report, /- `scripted-expire\.sh` — \*\*expired\*\*/);
    assert.match(report, /- `logo\.png` — binary file/);

    const paths = standIn.requests.map((r) => `${r.method} ${r.path}`);
    assert.equal(paths[0], 'POST /v1/batches');
    assert.deepEqual(paths.slice(1), Array(3).fill(`GET /v1/batches?batch_id=${created.id}`), 'only the documented read');
    assert.ok(standIn.requests.every((r) => r.authMatched === true), 'every call carries the key');
    const sent = standIn.requests[0].body as { requests: Array<{ custom_id: string; params: Record<string, unknown> }> };
    assert.deepEqual(sent.requests.map((r) => r.custom_id), built.entries.map((e) => e.customId));
    assert.equal(sent.requests[0].params.stream, undefined);
  });

  it('cancels midway: canceling, then ended with the unfinished requests canceled', async () => {
    const built = buildBatchRequests([file('a.ts', 'let a = 1;\n'), file('b.ts', 'let b = 2;\n')], {
      task: 'custom', customPrompt: 'Summarise. [[batch:slow]]', model: 'claude-haiku-4-5', maxTokens: 256,
    });
    const created = await client.create(built.requests);
    const statuses: string[] = [];
    const reads = resultsPolling(client, created.id);
    const polling = new BatchPoller({ ...fast, isDone: reads.isDone, retrieve: async (signal) => {
      const batch = await reads.retrieve(signal);
      statuses.push(batch.processing_status);
      // Cancel once the batch has been seen running twice.
      if (statuses.length === 2) {
        const canceling = await client.cancel(created.id, signal);
        statuses.push(`cancel→${canceling.processing_status}`);
      }
      return batch;
    } }).run();
    const outcome = await polling;
    assert.equal(outcome.kind, 'ended');
    assert.deepEqual(statuses, ['in_progress', 'in_progress', 'cancel→canceling', 'ended']);
    assert.equal(outcome.batch.request_counts.canceled, 2);
    const last = reads.last();
    assert.equal(last?.kind, 'results');
    const results = last?.kind === 'results' ? last.results : { outcomes: [], malformed: [] };
    assert.deepEqual(results.outcomes.map((o) => o.type), ['canceled', 'canceled']);
    const report = renderReport({ batchId: created.id, task: 'custom', customPrompt: 'Summarise.', model: 'claude-haiku-4-5', createdAt: Date.now(), entries: built.entries, skipped: [], results });
    assert.match(report, /- `a\.ts` — \*\*canceled\*\*/);
    assert.match(report, /- `b\.ts` — \*\*canceled\*\*/);
  });

  it('reports a 404 for an unknown batch as a non-retryable error', async () => {
    await assert.rejects(client.read('msgbatch_missing'), (error: { info?: { kind?: string; retryable?: boolean } }) => error.info?.kind === 'not_found' && error.info.retryable === false);
  });
});
