// Batch answers from a gateway that may send anything: the exact classification of each body
// shape, the exact refusal detail, the status normalisation, the results parser's line numbers,
// excerpts and reasons, and the readable reason of every error shape.
import * as assert from 'node:assert/strict';
import { BatchClient, classifyBatchRead, resultsPolling } from '../../../src/core/batch/client';
import type { BatchHttp } from '../../../src/core/batch/http';
import { messageText, parseResultLines } from '../../../src/core/batch/results';
import { BatchObject, errorText, isEnded } from '../../../src/core/batch/schemas';

const line = (customId: string, result: unknown): string => JSON.stringify({ custom_id: customId, result });
const ok = (text: string) => ({ type: 'succeeded', message: { content: [{ type: 'text', text }], stop_reason: 'end_turn' } });
const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    const info = (error as { info?: { kind?: string; message?: string } }).info;
    assert.equal(info?.kind, 'malformed_response');
    return info?.message ?? '';
  }
  return assert.fail('expected a malformed_response error');
};

describe('batch client, exactly', () => {
  it('names the batch and the reason when a read is neither status nor results', () => {
    assert.match(refusal(() => classifyBatchRead('b1', '\uFEFF  \n ')), /the read of batch b1 answered an empty body/);
    for (const body of ['[]', '[{"id":"a"},{"id":"b"}]', `[${line('a', ok('x'))},{"id":"b"}]`, '{"id":5}', '"text"', 'null', '{"custom_id":5}']) {
      assert.match(refusal(() => classifyBatchRead('b1', body)), /the read of batch b1 answered neither a batch status nor results/, body);
    }
    for (const body of ['not json\n{"custom_id":"a"}', '{"id":"a"}\n{"id":"b"}', '{"custom_id":5}\nx']) {
      assert.match(refusal(() => classifyBatchRead('b1', body)), /the read of batch b1 is neither JSON nor JSON lines of results/, body);
    }
  });

  it('keeps the exact text of results: an array becomes JSON lines, a single line gets its newline', () => {
    const a = line('a', ok('x'));
    const b = line('b', { type: 'expired' });
    const array = classifyBatchRead('b1', `\uFEFF [${a},${b}] `);
    assert.equal(array.kind === 'results' && array.text, `${a}\n${b}\n`);
    const single = classifyBatchRead('b1', a);
    assert.equal(single.kind === 'results' && single.text, `${a}\n`);
    const lines = classifyBatchRead('b1', `${a}\nnot json\n${b}`);
    assert.equal(lines.kind === 'results' && lines.text, `${a}\nnot json\n${b}\n`);
    assert.deepEqual(lines.batch, { id: 'b1', type: 'message_batch', processing_status: 'ended', request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 1 } });
  });

  it('normalises the short status: canceling in either spelling and any case, anything else running', () => {
    const status = (body: unknown): string => {
      const read = classifyBatchRead('b1', JSON.stringify(body));
      return read.kind === 'status' ? String(read.batch.processing_status) : 'results';
    };
    assert.equal(status({ id: 'x', status: 'Canceling' }), 'canceling');
    assert.equal(status({ id: 'x', status: 'CANCELLING' }), 'canceling');
    assert.equal(status({ id: 'x', status: 'generating' }), 'in_progress');
    assert.equal(status({ id: 'x', status: 5 }), 'in_progress');
    assert.equal(status({ id: 'x' }), 'in_progress');
    assert.equal(status({ id: 'x', status: 'canceling', processing_status: 'ended' }), 'ended');
    assert.equal(status([{ id: 'x', processing_status: 'canceling' }]), 'canceling');
  });

  it('says where a status object is wrong', () => {
    assert.match(refusal(() => classifyBatchRead('b1', '{"id":"","processing_status":"ended"}')), /the status answer is not a batch object at id: /);
  });

  it('create, read and cancel call the documented paths with the documented bodies', async () => {
    const calls: unknown[][] = [];
    const status = { id: 'b/1', processing_status: 'in_progress' };
    const http: BatchHttp = {
      request: async (method, path, body) => { calls.push([method, path, body]); return status as never; },
      requestText: async (method, path) => { calls.push([method, path]); return JSON.stringify(status); },
    };
    const client = new BatchClient({ http });
    await assert.rejects(client.create([]), /^Error: A batch needs at least one request\.$/);
    const requests = [{ custom_id: 'a', params: { model: 'm', max_tokens: 1, messages: [] } }];
    assert.equal((await client.create(requests)).id, 'b/1');
    assert.equal((await client.read('b/1')).kind, 'status');
    assert.equal((await client.cancel('b/1')).id, 'b/1');
    assert.deepEqual(calls, [['POST', '/v1/batches', { requests }], ['GET', '/v1/batches?batch_id=b%2F1'], ['POST', '/v1/batches/cancel/b%2F1', undefined]]);
    const bad: BatchHttp = { request: async () => ({ id: 'x' }) as never, requestText: async () => '' };
    await assert.rejects(new BatchClient({ http: bad }).cancel('x'), (error: { info?: { message?: string } }) => /the cancel answer is not a batch object at processing_status/.test(error.info?.message ?? ''));
  });

  it('resultsPolling is done only once a read answered results', async () => {
    let body = JSON.stringify({ id: 'b', processing_status: 'ended' });
    const http: BatchHttp = { request: async () => ({}) as never, requestText: async () => body };
    const polling = resultsPolling(new BatchClient({ http }), 'b');
    assert.equal(polling.isDone(), false);
    assert.equal(polling.last(), undefined);
    assert.equal((await polling.retrieve(new AbortController().signal)).processing_status, 'ended');
    assert.equal(polling.isDone(), false);
    body = line('a', ok('x'));
    await polling.retrieve(new AbortController().signal);
    assert.equal(polling.isDone(), true);
    assert.equal(polling.last()?.kind, 'results');
  });
});

describe('batch results, exactly', () => {
  it('numbers lines from 1 across blank and CRLF lines, and keeps 120 characters of a bad one', () => {
    const bad = `{${'x'.repeat(200)}`;
    const wrongType = line('b', { type: 'nope' });
    const parsed = parseResultLines(`\uFEFF${line('a', ok(' hi '))}\r\n\r\n  \n${bad}\n${wrongType}\n5\n${line('c', { type: 'canceled' })}`);
    assert.deepEqual(parsed.malformed.map((m) => [m.line, m.reason.split(' (')[0], m.excerpt]), [[4, 'not valid JSON', bad.slice(0, 120)], [5, 'unexpected shape', wrongType], [6, 'unexpected shape', '5']]);
    assert.match(parsed.malformed[1].reason, /^unexpected shape \(result\.type: /);
    assert.doesNotMatch(parsed.malformed[2].reason, /^unexpected shape \(: /);
    assert.deepEqual(parsed.outcomes.map((o) => o.customId), ['a', 'c']);
  });

  it('gives each outcome its exact reason or text', () => {
    const parsed = parseResultLines([
      line('s', { type: 'succeeded', message: { content: [{ type: 'text', text: ' one ' }, { type: 'thinking', thinking: 'hidden', signature: 's' }, { type: 'text', text: 'two ' }], stop_reason: 'max_tokens' } }),
      line('e', { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } } }),
      line('c', { type: 'canceled' }),
      line('x', { type: 'expired' }),
    ].join('\n'));
    const [s, ...rest] = parsed.outcomes;
    assert.equal(s.type === 'succeeded' && s.text, 'one \n\ntwo');
    assert.equal(s.type === 'succeeded' && s.stopReason, 'max_tokens');
    assert.deepEqual(rest, [
      { customId: 'e', type: 'errored', reason: 'overloaded_error: busy' },
      { customId: 'c', type: 'canceled', reason: 'the batch was canceled before this request ran' },
      { customId: 'x', type: 'expired', reason: 'the batch expired (24 h) before this request ran' },
    ]);
    assert.equal(messageText({ content: [] }), '');
  });

  it('errorText reads every error shape', () => {
    assert.equal(errorText(undefined), 'no reason given');
    assert.equal(errorText(null), 'no reason given');
    assert.equal(errorText('plain'), 'plain');
    assert.equal(errorText({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }), 'invalid_request_error: bad');
    assert.equal(errorText({ type: 'error', message: 'flat' }), 'flat');
    assert.equal(errorText({ message: 'only' }), 'only');
    assert.equal(errorText({ type: 'overloaded_error' }), 'overloaded_error');
    assert.equal(errorText({ type: 'api_error', message: 'm', error: 'not an object' }), 'api_error: m');
    assert.equal(errorText({ foo: 1 }), '{"foo":1}');
    assert.equal(errorText({ type: 5 }), '{"type":5}');
    assert.equal(errorText(42), '42');
    assert.equal(errorText({ big: 'x'.repeat(400) }).length, 300);
  });

  it('counts and statuses tolerate what a gateway leaves out', () => {
    assert.deepEqual(BatchObject.parse({ id: 'b', processing_status: 'new_state', request_counts: { processing: -1, succeeded: 1.5, errored: 2 } }).request_counts, { processing: 0, succeeded: 0, errored: 2, canceled: 0, expired: 0 });
    assert.deepEqual(BatchObject.parse({ id: 'b', processing_status: 'ended', request_counts: null }).request_counts, { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    assert.equal(isEnded({ processing_status: 'ended' }), true);
    assert.equal(isEnded({ processing_status: 'canceling' }), false);
  });
});
