import assert from 'node:assert/strict';
import { startStandIn, type StandIn } from '../../support/standin';
import { authHeaders, postJson } from '../../support/standin/test-client';
import { request } from './helpers';

interface BatchView {
  id: string; type: string; processing_status: string; results_url: string | null;
  request_counts: Record<'processing' | 'succeeded' | 'errored' | 'canceled' | 'expired', number>;
  created_at: string; expires_at: string; ended_at: string | null; cancel_initiated_at: string | null;
}

const item = (customId: string, prompt = `Prompt for ${customId}`) => ({ custom_id: customId, params: request({ messages: [{ role: 'user', content: prompt }] }) });

describe('stand-in: message batches', () => {
  let standIn: StandIn;
  before(async () => { standIn = await startStandIn(); });
  after(() => standIn.close());
  beforeEach(() => standIn.reset());

  const create = async (requests: unknown[]): Promise<BatchView> => {
    const res = await postJson(`${standIn.url}/v1/batches`, { requests });
    assert.equal(res.status, 200);
    return await res.json() as BatchView;
  };
  const readUrl = (id: string) => `${standIn.url}/v1/batches?batch_id=${encodeURIComponent(id)}`;
  /** The documented read while the batch runs: one JSON status object. */
  const poll = async (id: string): Promise<BatchView> => {
    const res = await fetch(readUrl(id), { headers: authHeaders() });
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    return await res.json() as BatchView;
  };
  /** Reads until the same endpoint answers JSON lines. */
  const results = async (id: string) => {
    for (let n = 0; n < 20; n++) {
      const res = await fetch(readUrl(id), { headers: authHeaders() });
      const text = await res.text();
      if (!res.headers.get('content-type')?.includes('jsonl')) continue;
      return { status: res.status, lines: text.trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string; result: Record<string, unknown> }) };
    }
    throw new Error('the batch never answered results');
  };

  it('creates, progresses one request per poll, ends, and serves JSON-lines results', async () => {
    const batch = await create([item('a'), item('b'), item('c')]);
    assert.equal(batch.type, 'message_batch');
    assert.match(batch.id, /^msgbatch_/);
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(batch.request_counts, { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    assert.equal(batch.results_url, null);
    assert.ok(Date.parse(batch.expires_at) > Date.parse(batch.created_at));

    assert.equal((await poll(batch.id)).request_counts.succeeded, 1);
    const running = await poll(batch.id);
    assert.equal(running.processing_status, 'in_progress');
    assert.deepEqual(running.request_counts, { processing: 1, succeeded: 2, errored: 0, canceled: 0, expired: 0 });

    // The read that ends the batch switches to JSON lines: same endpoint, same 200, another body.
    const endedRead = await fetch(readUrl(batch.id), { headers: authHeaders() });
    assert.equal(endedRead.status, 200);
    assert.equal(endedRead.headers.get('content-type'), 'application/x-jsonl');
    const lines = (await endedRead.text()).trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string; result: Record<string, unknown> });
    assert.deepEqual(lines.map((l) => l.custom_id), ['a', 'b', 'c']);
    const message = lines[1].result.message as { type: string; content: { text: string }[] };
    assert.equal(lines[1].result.type, 'succeeded');
    assert.equal(message.type, 'message');
    assert.match(message.content[0].text, /Prompt for b/);
  });

  it('turns invalid params and scripted custom_ids into errored and expired results', async () => {
    const invalid = { custom_id: 'bad-params', params: request({ model: 'claude-opus-4-7', temperature: 0.1 }) };
    const batch = await create([item('fine'), invalid, item('scripted-error'), item('scripted-expire'), item('prompted', 'x [[batch:expire]]')]);
    const byId = Object.fromEntries((await results(batch.id)).lines.map((l) => [l.custom_id, l.result]));
    assert.equal(byId.fine.type, 'succeeded');
    assert.deepEqual(byId['bad-params'].type, 'errored');
    const error = byId['bad-params'].error as { type: string; error: { type: string; message: string } };
    assert.equal(error.type, 'error');
    assert.equal(error.error.type, 'invalid_request_error');
    assert.match(error.error.message, /temperature/);
    assert.equal((byId['scripted-error'].error as { error: { type: string } }).error.type, 'api_error');
    assert.deepEqual(byId['scripted-expire'], { type: 'expired' });
    assert.deepEqual(byId.prompted, { type: 'expired' });
  });

  it('cancels: canceling at once, then ended with unfinished requests canceled', async () => {
    const batch = await create([item('scripted-slow-1'), item('scripted-slow-2')]);
    assert.equal((await poll(batch.id)).processing_status, 'in_progress', 'a slow batch does not progress by itself');
    const canceling = await (await postJson(`${standIn.url}/v1/batches/cancel/${batch.id}`, {})).json() as BatchView;
    assert.equal(canceling.processing_status, 'canceling');
    assert.ok(canceling.cancel_initiated_at);
    assert.deepEqual((await results(batch.id)).lines.map((l) => l.result), [{ type: 'canceled' }, { type: 'canceled' }]);
    const late = await postJson(`${standIn.url}/v1/batches/cancel/${batch.id}`, {});
    assert.equal(late.status, 400, 'an ended batch cannot be canceled (the docs\' example)');
  });

  it('keeps the requests that finished before a cancel', async () => {
    const batch = await create([item('a'), item('b'), item('c')]);
    await poll(batch.id);
    await postJson(`${standIn.url}/v1/batches/cancel/${batch.id}`, {});
    assert.deepEqual((await results(batch.id)).lines.map((l) => l.result.type), ['succeeded', 'canceled', 'canceled']);
  });

  it('refuses a malformed batch and unknown ids, and requires the key', async () => {
    assert.equal((await postJson(`${standIn.url}/v1/batches`, { requests: [] })).status, 400);
    assert.equal((await postJson(`${standIn.url}/v1/batches`, { requests: [item('same'), item('same')] })).status, 400);
    assert.equal((await postJson(`${standIn.url}/v1/batches`, { requests: [item('has space')] })).status, 400);
    const missing = await fetch(readUrl('msgbatch_nope'), { headers: authHeaders() });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json() as { error: { type: string } }).error.type, 'not_found_error');
    assert.equal((await fetch(readUrl('msgbatch_nope'))).status, 401);
    assert.equal((await fetch(`${standIn.url}/v1/batches`, { headers: authHeaders() })).status, 400, 'the read needs batch_id');
  });

  it('answers 404 for the batch paths the gateway does not document (Anthropic\'s shapes)', async () => {
    const batch = await create([item('scripted-slow-a')]);
    for (const path of [`/v1/batches/${batch.id}`, `/v1/batches/${batch.id}/results`, `/v1/messages/batches/${batch.id}`, `/v1/messages/batches/${batch.id}/results`]) {
      const res = await fetch(`${standIn.url}${path}`, { headers: authHeaders() });
      assert.equal(res.status, 404, path);
    }
    assert.equal((await postJson(`${standIn.url}/v1/batches/${batch.id}/cancel`, {})).status, 404);
    assert.equal((await poll(batch.id)).id, batch.id, 'the batch itself is still there');
  });

  it('can progress by time instead of polls', async () => {
    const timed = await startStandIn({ batchStepMs: 1 });
    try {
      const res = await postJson(`${timed.url}/v1/batches`, { requests: [item('a'), item('b')] });
      const { id } = await res.json() as BatchView;
      // Two milliseconds later both requests are done; wait on the clock, not a fixed sleep.
      const start = Date.now();
      while (Date.now() - start < 3) await new Promise((resolve) => setImmediate(resolve));
      const read = await fetch(`${timed.url}/v1/batches?batch_id=${id}`, { headers: authHeaders() });
      assert.equal(read.headers.get('content-type'), 'application/x-jsonl', 'an ended batch reads as results');
    } finally {
      await timed.close();
    }
  });
});
