// Telling the status object from the JSON-lines results by the body, for every shape the gateway's
// docs show (bare status, status in a one-element array, the short `{id, status}`, JSON lines,
// a JSON array of results) and for bodies that are neither.
import * as assert from 'node:assert/strict';
import { classifyBatchRead } from '../../../src/core/batch/client';

const statusObject = {
  id: 'msgbatch_1', type: 'message_batch', processing_status: 'in_progress',
  request_counts: { processing: 2, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
  ended_at: null, created_at: '2026-05-04T14:26:56.800735+00:00', expires_at: '2026-05-05T14:26:56.800735+00:00',
  cancel_initiated_at: null, results_url: null,
};
const line = (customId: string, result: unknown) => JSON.stringify({ custom_id: customId, result });
const succeeded = (text: string) => ({ type: 'succeeded', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 2 } } });

describe('batch read: status or results, by the body', () => {
  it('reads the documented status object (bare or in a one-element array)', () => {
    for (const body of [JSON.stringify(statusObject), JSON.stringify([statusObject]), `\uFEFF ${JSON.stringify(statusObject)}\n`]) {
      const read = classifyBatchRead('msgbatch_1', body);
      assert.equal(read.kind, 'status');
      assert.equal(read.batch.processing_status, 'in_progress');
      assert.equal(read.batch.request_counts.succeeded, 1);
    }
  });

  it('reads the short status of the docs ({id, status: "generating"}) as running', () => {
    const read = classifyBatchRead('msgbatch_1', JSON.stringify([{ id: 'msgbatch_1', status: 'generating' }]));
    assert.equal(read.kind, 'status');
    assert.equal(read.batch.processing_status, 'in_progress');
  });

  it('reads JSON lines as results, with counts derived from them', () => {
    const body = [line('a', succeeded('first')), line('b', { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'boom' } } }), line('c', { type: 'expired' })].join('\n') + '\n';
    const read = classifyBatchRead('msgbatch_1', body);
    assert.equal(read.kind, 'results');
    if (read.kind !== 'results') return;
    assert.equal(read.batch.processing_status, 'ended');
    assert.deepEqual(read.batch.request_counts, { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 1 });
    assert.deepEqual(read.results.outcomes.map((o) => o.type), ['succeeded', 'errored', 'expired']);
    assert.equal(read.text, body);
  });

  it('reads a single result line and a JSON array of results as results', () => {
    const single = classifyBatchRead('b', line('only', succeeded('x')));
    assert.equal(single.kind, 'results');
    const array = classifyBatchRead('b', JSON.stringify([JSON.parse(line('a', succeeded('x'))), JSON.parse(line('b', { type: 'canceled' }))]));
    assert.equal(array.kind, 'results');
    if (array.kind === 'results') assert.deepEqual(array.results.outcomes.map((o) => o.customId), ['a', 'b']);
  });

  it('keeps the good lines of results with a malformed line, and reports the bad one', () => {
    const read = classifyBatchRead('b', `${line('a', succeeded('x'))}\n{"custom_id": "b", "result": \n${line('c', { type: 'canceled' })}\n`);
    assert.equal(read.kind, 'results');
    if (read.kind !== 'results') return;
    assert.deepEqual(read.results.outcomes.map((o) => o.customId), ['a', 'c']);
    assert.equal(read.results.malformed.length, 1);
    assert.equal(read.results.malformed[0].line, 2);
  });

  it('refuses bodies that are neither, with a malformed_response error', () => {
    for (const body of ['', '   ', '<html>Bad gateway</html>', '{"hello": 1}', '[1, 2]', 'not json\nat all', '{"id": 5}']) {
      assert.throws(() => classifyBatchRead('b', body), (error: { info?: { kind?: string } }) => error.info?.kind === 'malformed_response', JSON.stringify(body));
    }
  });

  it('classifies a large body (10 000 result lines) as results without losing lines', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => line(`r${i}`, { type: 'canceled' })).join('\n');
    const read = classifyBatchRead('b', body);
    assert.equal(read.kind, 'results');
    if (read.kind === 'results') assert.equal(read.batch.request_counts.canceled, 10_000);
  });
});
