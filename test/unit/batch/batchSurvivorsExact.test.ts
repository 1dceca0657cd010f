// Cases the first mutation run of src/core/batch showed untested: white-space-only lines around
// suggestion fences, one-character and backtick-bearing fence lines, a snippet found twice inside
// lines, a fuzzy match on the last line, edits touching in answer order, a reason with a trailing
// break, the exact refusal of a create or cancel answer, a hash with a leading zero, Retry-After on
// a bare object, a clock's sleep skipped after a nudge, nested record paths and repeated failures.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as z from '../../../src/shared/zod';
import { BatchFile } from '../../../src/core/batch/batchFile';
import { BatchClient } from '../../../src/core/batch/client';
import { CustomIdAllocator, shortHash } from '../../../src/core/batch/customId';
import { retryAfterOf } from '../../../src/core/batch/http';
import { BatchPoller, type Clock } from '../../../src/core/batch/poller';
import { renderReport } from '../../../src/core/batch/report';
import { parseResultLines } from '../../../src/core/batch/results';
import { BatchObject } from '../../../src/core/batch/schemas';
import { extractSuggestions, planSuggestions, type Suggestion } from '../../../src/core/batch/suggestions';

const pairs = (answer: string) => extractSuggestions(answer).map((s) => [s.original, s.replacement]);
const s = (original: string, replacement: string): Suggestion => ({ original, replacement, answerLine: 1 });
const apiSaid = (error: unknown): string => ((error as { info?: { message?: string } }).info?.message ?? '').replace(/^.*The API said: "(.*)"\.$/, '$1');

describe('batch, cases from the first mutation run', () => {
  it('skips white-space-only lines before a fence and before WITH:, and drops a blank original', () => {
    assert.deepEqual(pairs('REPLACE:\n  \t\n```\na\n```\n   \nWITH:\n \n```\nb\n```'), [['a', 'b']]);
    assert.deepEqual(pairs('REPLACE:\n```\n   \n```\nWITH:\n```\nb\n```'), []);
  });

  it('needs three fence characters and no backtick after them', () => {
    for (const open of ['~', '~~', '```a`b', '``` `x', 'x```']) {
      assert.deepEqual(pairs(`REPLACE:\n${open}\na\n${open}\nWITH:\n\`\`\`\nb\n\`\`\``), [], open);
    }
    assert.deepEqual(pairs('REPLACE:\n~~~ a`b\na\n~~~\nWITH:\n```\nb\n```'), [], 'no backtick in a tilde fence line either');
  });

  it('calls a snippet found twice inside lines ambiguous, and matches the last line line by line', () => {
    assert.deepEqual(planSuggestions('ab\nab', [s('b', 'c')]).rejected.map((r) => r.reason), ['the original snippet occurs more than once in the file']);
    assert.deepEqual(planSuggestions('x\na  ', [s('a \n', 'b')]), { edits: [{ start: 2, end: 5, original: 'a  ', replacement: 'b' }], rejected: [], proposedText: 'x\nb' });
    assert.deepEqual(planSuggestions('a  ', [s('a \n', 'b')]).proposedText, 'b');
  });

  it('applies touching edits given in either order', () => {
    assert.equal(planSuggestions('ab', [s('b', 'Y'), s('a', 'X')]).proposedText, 'XY');
  });

  it('writes a reason with breaks and padding on one trimmed line', () => {
    const results = parseResultLines(JSON.stringify({ custom_id: 'a', result: { type: 'errored', error: ' \n busy \n ' } }));
    const md = renderReport({ batchId: 'b', task: 'explain', model: 'm', createdAt: 0, entries: [{ customId: 'a', path: 'a.ts', location: 'file:///a.ts', language: '', bytes: 1 }], skipped: [], results });
    assert.ok(md.endsWith('## Requests without an answer\n\n- `a.ts` — **errored**: busy\n'), md);
  });

  it('says exactly what a create or cancel answer lacked, and reads a short status of any type', async () => {
    const client = new BatchClient({ http: { request: async (_m: string, p: string) => (p.includes('cancel') ? {} : 7) as never, requestText: async () => '{"id":"x","status":5}' } });
    await assert.rejects(client.create([{ custom_id: 'a', params: {} as never }]), (e) => apiSaid(e) === 'the create answer is not a batch object: Invalid input: expected object, received number');
    await assert.rejects(client.cancel('b'), (e) => apiSaid(e) === 'the cancel answer is not a batch object at id: Invalid input: expected string, received undefined');
    const read = await client.read('x');
    assert.equal(read.kind === 'status' && read.batch.processing_status, 'in_progress');
  });

  it('reports the reason and a 120-character excerpt of a line of the wrong shape', () => {
    const long = `{"custom_id":"${'x'.repeat(200)}","result":{"type":"nope"}}`;
    assert.deepEqual(parseResultLines(`5\n${long}`).malformed, [
      { line: 1, reason: 'unexpected shape (Invalid input: expected object, received number)', excerpt: '5' },
      { line: 2, reason: "unexpected shape (result.type: Invalid discriminator value. Expected 'succeeded' | 'errored' | 'canceled' | 'expired')", excerpt: long.slice(0, 120) },
    ]);
  });

  it('pads a hash to eight hex digits, and drops separators at both ends of a slug', () => {
    assert.equal(shortHash('f8'), '0d226273');
    const ids = new CustomIdAllocator();
    assert.equal(ids.idFor('f8'), 'f8-0d226273');
    assert.equal(ids.idFor('__a.b--'), `a_b-${shortHash('__a.b--')}`);
  });

  it('finds no Retry-After on an object without one', () => {
    assert.equal(retryAfterOf({}), undefined);
    assert.equal(retryAfterOf({ retryAfterMs: '5' }), undefined);
  });

  it('does not call the clock\'s sleep after a nudge during a request', async () => {
    const slept: number[] = [];
    const clock: Clock = { now: () => 0, sleep: async (ms) => { slept.push(ms); } };
    let calls = 0;
    const poller: BatchPoller = new BatchPoller({
      clock, random: () => 0.5,
      retrieve: async () => {
        calls++;
        if (calls === 2) poller.nudge();
        return BatchObject.parse({ id: 'b', processing_status: calls === 3 ? 'ended' : 'in_progress' });
      },
    });
    assert.equal((await poller.run()).kind, 'ended');
    assert.deepEqual(slept, [2000]);
  });

  describe('batches.json', () => {
    let folder: string;
    beforeEach(async () => { folder = await mkdtemp(path.join(tmpdir(), 'aiml-batchfile2-')); });
    afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

    it('names a nested field of a record it keeps unread', async () => {
      const Nested = z.object({ id: z.string(), meta: z.object({ n: z.number() }) });
      const file = path.join(folder, 'batches.json');
      const logged: string[] = [];
      await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ version: 1, batches: [{ id: 'a', meta: { n: 'x' } }] })));
      const read = await new BatchFile(file, Nested, { log: (m) => logged.push(m) }).read();
      assert.deepEqual(read.opaque, [{ id: 'a', meta: { n: 'x' } }]);
      assert.deepEqual(logged, ['batch record kept unread (meta.n: Invalid input: expected number, received string)']);
    });

    it('tells of a failure again after a save of the same file succeeded', async () => {
      const file = path.join(folder, 'batches.json');
      const failures: string[] = [];
      const store = new BatchFile(file, z.object({ id: z.string() }), { onSaveFailed: (f) => failures.push(path.basename(f)) });
      await mkdir(file);
      await assert.rejects(store.update((r) => r, () => []));
      await assert.rejects(store.update((r) => r, () => []));
      await rm(file, { recursive: true });
      await store.update((r) => [...r, { id: 'a' }], () => []);
      await rm(file);
      await mkdir(file);
      await assert.rejects(store.update((r) => r, () => []));
      assert.deepEqual(failures, ['batches.json', 'batches.json']);
    });
  });
});
