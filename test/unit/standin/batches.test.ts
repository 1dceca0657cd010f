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
  const poll = async (id: string): Promise<BatchView> => await (await fetch(`${standIn.url}/v1/batches/${id}`, { headers: authHeaders() })).json() as BatchView;
  const results = async (id: string) => {
    const res = await fetch(`${standIn.url}/v1/batches/${id}/results`, { headers: authHeaders() });
    return { status: res.status, lines: (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string; result: Record<string, unknown> }) };
  };

  it('creates, progresses one request per poll, ends, and serves JSON-lines results', async () => {
    const batch = await create([item('a'), item('b'), item('c')]);
    assert.equal(batch.type, 'message_batch');
    assert.match(batch.id, /^msgbatch_/);
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(batch.request_counts, { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    assert.equal(batch.results_url, null);
    assert.ok(Date.parse(batch.expires_at) > Date.parse(batch.created_at));

    assert.equal((await results(batch.id)).status, 400, 'no results before the end');
    assert.equal((await poll(batch.id)).request_counts.succeeded, 1);
    assert.equal((await poll(batch.id)).request_counts.succeeded, 2);
    const ended = await poll(batch.id);
    assert.equal(ended.processing_status, 'ended');
    assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 0 });
    assert.ok(ended.ended_at);
    assert.equal(ended.results_url, `${standIn.url}/v1/batches/${batch.id}/results`);

    const { status, lines } = await results(batch.id);
    assert.equal(status, 200);
    assert.deepEqual(lines.map((l) => l.custom_id), ['a', 'b', 'c']);
    const message = lines[1].result.message as { type: string; content: { text: string }[] };
    assert.equal(lines[1].result.type, 'succeeded');
    assert.equal(message.type, 'message');
    assert.match(message.content[0].text, /Prompt for b/);
  });

  it('turns invalid params and scripted custom_ids into errored and expired results', async () => {
    const invalid = { custom_id: 'bad-params', params: request({ model: 'claude-opus-4-7', temperature: 0.1 }) };
    const batch = await create([item('fine'), invalid, item('scripted-error'), item('scripted-expire'), item('prompted', 'x [[batch:expire]]')]);
    let view = batch;
    while (view.processing_status !== 'ended') view = await poll(batch.id);
    assert.deepEqual(view.request_counts, { processing: 0, succeeded: 1, errored: 2, canceled: 0, expired: 2 });
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
    const ended = await poll(batch.id);
    assert.equal(ended.processing_status, 'ended');
    assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 0, errored: 0, canceled: 2, expired: 0 });
    assert.deepEqual((await results(batch.id)).lines.map((l) => l.result), [{ type: 'canceled' }, { type: 'canceled' }]);
  });

  it('keeps the requests that finished before a cancel', async () => {
    const batch = await create([item('a'), item('b'), item('c')]);
    await poll(batch.id);
    await postJson(`${standIn.url}/v1/batches/cancel/${batch.id}`, {});
    const ended = await poll(batch.id);
    assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 1, errored: 0, canceled: 2, expired: 0 });
  });

  it('refuses a malformed batch and unknown ids, and requires the key', async () => {
    assert.equal((await postJson(`${standIn.url}/v1/batches`, { requests: [] })).status, 400);
    assert.equal((await postJson(`${standIn.url}/v1/batches`, { requests: [item('same'), item('same')] })).status, 400);
    assert.equal((await postJson(`${standIn.url}/v1/batches`, { requests: [item('has space')] })).status, 400);
    const missing = await fetch(`${standIn.url}/v1/batches/msgbatch_nope`, { headers: authHeaders() });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json() as { error: { type: string } }).error.type, 'not_found_error');
    assert.equal((await fetch(`${standIn.url}/v1/batches/msgbatch_nope`)).status, 401);
  });

  it('can progress by time instead of polls', async () => {
    const timed = await startStandIn({ batchStepMs: 1 });
    try {
      const res = await postJson(`${timed.url}/v1/batches`, { requests: [item('a'), item('b')] });
      const { id } = await res.json() as BatchView;
      // Two milliseconds later both requests are done; wait on the clock, not a fixed sleep.
      const start = Date.now();
      while (Date.now() - start < 3) await new Promise((resolve) => setImmediate(resolve));
      const view = await (await fetch(`${timed.url}/v1/batches/${id}`, { headers: authHeaders() })).json() as BatchView;
      assert.equal(view.processing_status, 'ended');
    } finally {
      await timed.close();
    }
  });
});
