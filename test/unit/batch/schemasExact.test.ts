// The batch schemas at their edges: the documented statuses, an empty id, timestamps of each
// allowed type, a message without content, every result type, and error bodies whose nested
// error or message is empty.
import * as assert from 'node:assert/strict';
import { classifyBatchRead } from '../../../src/core/batch/client';
import { parseResultLines } from '../../../src/core/batch/results';
import { BatchObject, BatchResultLine, ResultMessage, emptyCounts, errorText, processingStatuses } from '../../../src/core/batch/schemas';

describe('batch schemas, exact', () => {
  it('names the three documented statuses and starts counts at zero', () => {
    assert.deepEqual([...processingStatuses], ['in_progress', 'canceling', 'ended']);
    assert.deepEqual(emptyCounts(), { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    const counts = emptyCounts();
    counts.errored++;
    assert.equal(emptyCounts().errored, 0, 'a fresh object each time');
  });

  it('needs a non-empty id and a status; timestamps may be strings, numbers or null', () => {
    assert.equal(BatchObject.safeParse({ id: '', processing_status: 'ended' }).success, false);
    assert.equal(BatchObject.safeParse({ id: 'b' }).success, false);
    assert.equal(BatchObject.safeParse({ id: 'b', processing_status: 5 }).success, false);
    assert.equal(BatchObject.safeParse({ id: 'b', processing_status: 'ended', type: 5 }).success, false);
    const parsed = BatchObject.parse({ id: 'b', processing_status: 'ended', created_at: 1, expires_at: '2026', ended_at: null, results_url: 'https://r' });
    assert.deepEqual([parsed.created_at, parsed.expires_at, parsed.ended_at, parsed.results_url], [1, '2026', null, 'https://r']);
    for (const field of ['created_at', 'expires_at', 'ended_at', 'cancel_initiated_at', 'archived_at', 'results_url']) {
      assert.equal(BatchObject.safeParse({ id: 'b', processing_status: 'ended', [field]: true }).success, false, field);
    }
    assert.deepEqual(BatchObject.parse({ id: 'b', processing_status: 'ended', request_counts: { succeeded: 'x', expired: 3 } }).request_counts, { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 3 });
  });

  it('reads a message without content as empty, and each result type', () => {
    assert.deepEqual(ResultMessage.parse({}), { content: [] });
    assert.equal(ResultMessage.safeParse({ stop_reason: 5 }).success, false);
    assert.equal(ResultMessage.safeParse({ content: 'text' }).success, false);
    for (const type of ['succeeded', 'errored', 'canceled', 'expired']) {
      const result = type === 'succeeded' ? { type, message: {} } : { type };
      assert.equal(BatchResultLine.safeParse({ custom_id: 'a', result }).success, true, type);
    }
    assert.equal(BatchResultLine.safeParse({ custom_id: 'a', result: { type: 'succeeded' } }).success, false, 'a success needs its message');
    assert.equal(BatchResultLine.safeParse({ custom_id: 5, result: { type: 'canceled' } }).success, false);
  });

  it('reads error bodies with an empty message or a null nested error', () => {
    assert.equal(errorText({ type: 'error' }), 'error');
    assert.equal(errorText({ type: 'api_error', message: '' }), 'api_error');
    assert.equal(errorText({ type: 'api_error', error: null, message: 'm' }), 'api_error: m');
    assert.equal(errorText({ error: { message: 'inner' } }), 'inner');
    assert.equal(errorText({ message: 5 }), '{"message":5}');
    assert.equal(errorText(''), '');
    assert.equal(errorText([1]), '[1]');
  });

  it('drops a byte-order mark before the text or a line, and keeps one inside a value', () => {
    const parsed = parseResultLines('\uFEFF{"custom_id":"a\uFEFFb","result":{"type":"canceled"}}\n\uFEFF{"custom_id":"d","result":{"type":"expired"}}\n{"custom_id":"c","result":{"type":"teleported"}}');
    assert.deepEqual(parsed.outcomes.map((o) => o.customId), ['a\uFEFFb', 'd']);
    assert.deepEqual(parsed.malformed, [{ line: 3, reason: "unexpected shape (result.type: Invalid discriminator value. Expected 'succeeded' | 'errored' | 'canceled' | 'expired')", excerpt: '{"custom_id":"c","result":{"type":"teleported"}}' }]);
    const status = classifyBatchRead('b', '\uFEFF {"id":"x\uFEFF","processing_status":"ended"}');
    assert.equal(status.kind === 'status' && status.batch.id, 'x\uFEFF');
    const results = classifyBatchRead('b', '\uFEFF{"custom_id":"a\uFEFF","result":{"type":"canceled"}}\nnot json');
    assert.equal(results.kind, 'results');
    assert.deepEqual(results.kind === 'results' && results.results.outcomes.map((o) => o.customId), ['a\uFEFF']);
  });
});
