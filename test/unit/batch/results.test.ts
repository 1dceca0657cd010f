import * as assert from 'node:assert/strict';
import { parseResultLines } from '../../../src/core/batch/results';
import { BatchObject, errorText } from '../../../src/core/batch/schemas';

const message = (text: string) => ({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 7 } });

describe('batch results parsing', () => {
  it('reads every result type; blank lines, CRLF and a BOM are fine', () => {
    const lines = [
      JSON.stringify({ custom_id: 'a', result: { type: 'succeeded', message: message('Answer A') } }),
      '',
      JSON.stringify({ custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too large' } } } }),
      '   ',
      JSON.stringify({ custom_id: 'c', result: { type: 'canceled' } }),
      JSON.stringify({ custom_id: 'd', result: { type: 'expired' } }),
    ];
    const parsed = parseResultLines(`\uFEFF${lines.join('\r\n')}\r\n`);
    assert.deepEqual(parsed.malformed, []);
    assert.deepEqual(parsed.outcomes.map((o) => [o.customId, o.type]), [['a', 'succeeded'], ['b', 'errored'], ['c', 'canceled'], ['d', 'expired']]);
    const [a, b, c] = parsed.outcomes;
    assert.equal(a.type === 'succeeded' && a.text, 'Answer A');
    assert.equal(b.type === 'errored' && b.reason, 'invalid_request_error: max_tokens: too large');
    assert.match(c.type === 'canceled' ? c.reason : '', /canceled/);
  });

  it('reports a malformed line with its number and keeps the others', () => {
    const text = [
      JSON.stringify({ custom_id: 'a', result: { type: 'succeeded', message: message('ok') } }),
      '{"custom_id": "b", "result": {"type": "succ',
      JSON.stringify({ custom_id: 'c', result: { type: 'teleported' } }),
      JSON.stringify({ result: { type: 'canceled' } }),
      JSON.stringify({ custom_id: 'e', result: { type: 'succeeded', message: { content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: 'part 1' }, { type: 'text', text: 'part 2' }] } } }),
    ].join('\n');
    const parsed = parseResultLines(text);
    assert.deepEqual(parsed.outcomes.map((o) => o.customId), ['a', 'e']);
    assert.deepEqual(parsed.malformed.map((m) => [m.line, m.reason.split(' (')[0]]), [[2, 'not valid JSON'], [3, 'unexpected shape'], [4, 'unexpected shape']]);
    const e = parsed.outcomes[1];
    assert.equal(e.type === 'succeeded' && e.text, 'part 1\n\npart 2');
  });

  it('reads flat and string error shapes', () => {
    assert.equal(errorText({ type: 'overloaded_error', message: 'Overloaded' }), 'overloaded_error: Overloaded');
    assert.equal(errorText('boom'), 'boom');
    assert.equal(errorText(undefined), 'no reason given');
  });

  it('accepts a batch object with extra, null and missing optional fields', () => {
    const parsed = BatchObject.parse({
      id: 'msgbatch_x', type: 'message_batch', processing_status: 'in_progress',
      request_counts: { processing: 2, succeeded: 1 }, results_url: null, created_at: '2026-11-22T00:00:00Z', gateway_extra: { a: 1 },
    });
    assert.deepEqual(parsed.request_counts, { processing: 2, succeeded: 1, errored: 0, canceled: 0, expired: 0 });
    assert.equal((parsed as Record<string, unknown>).gateway_extra !== undefined, true);
    assert.equal(BatchObject.parse({ id: 'b', processing_status: 'queued' }).request_counts.processing, 0);
    assert.equal(BatchObject.safeParse({ processing_status: 'ended' }).success, false);
  });
});
