// The small pure parts of batches, asserted exactly: the cost estimate shown before sending (list
// prices per model family, the batch discount, the wording), custom ids, fence languages and the
// retry decision of a poll error.
import * as assert from 'node:assert/strict';
import { CustomIdAllocator, CUSTOM_ID_PATTERN, shortHash } from '../../../src/core/batch/customId';
import { BATCH_DISCOUNT, describeEstimate, estimateCost, listPrice } from '../../../src/core/batch/estimate';
import { batchHttpFromClient, isRetryableError, retryAfterOf, type JsonRequester } from '../../../src/core/batch/http';
import { BackoffSchedule, systemClock } from '../../../src/core/batch/poller';
import { fenceFor, fenceLanguage } from '../../../src/core/batch/languages';

describe('batch cost estimate', () => {
  it('prices each model family at its list price', () => {
    const old = { input: 15, output: 75 };
    for (const model of ['claude-opus-4', 'claude-opus-4-0', 'claude-opus-4-1', 'claude-opus-4.1', 'claude-opus-4-20250514', 'claude-opus-4-1-20250805', 'claude-opus-4-latest']) assert.deepEqual(listPrice(model), old, model);
    for (const model of ['claude-opus-4-5', 'claude-opus-4.6', 'claude-opus-4-7', 'claude-opus-4-5-20251101', 'claude-opus-4-9']) assert.deepEqual(listPrice(model), { input: 5, output: 25 }, model);
    assert.deepEqual(listPrice('claude-sonnet-4-6'), { input: 3, output: 15 });
    assert.deepEqual(listPrice('claude-haiku-4-5'), { input: 1, output: 5 });
    assert.equal(listPrice('claude-opus-4-2'), undefined, 'neither the old nor the new Opus price');
    assert.equal(listPrice('gpt-4o'), undefined);
  });

  it('charges half the list price for the input and the most the output could cost', () => {
    assert.equal(BATCH_DISCOUNT, 0.5);
    assert.deepEqual(estimateCost('claude-sonnet-4-6', 1_000_000, 1_000_000), { inputTokens: 1_000_000, maxOutputTokens: 1_000_000, maxUsd: 9 });
    assert.deepEqual(estimateCost('claude-haiku-4-5', 2_000_000, 0), { inputTokens: 2_000_000, maxOutputTokens: 0, maxUsd: 1 });
    assert.deepEqual(estimateCost('claude-opus-4-1', 0, 200_000), { inputTokens: 0, maxOutputTokens: 200_000, maxUsd: 7.5 });
    assert.deepEqual(estimateCost('unknown', 10, 20), { inputTokens: 10, maxOutputTokens: 20 });
  });

  it('words the estimate with compact token counts and at least one cent', () => {
    assert.equal(describeEstimate({ inputTokens: 999, maxOutputTokens: 1000, maxUsd: 0.004 }),
      "≈ 999 input tokens, at most 1.0k output tokens; at most about $0.01 at Anthropic's list prices (batches cost half the normal price; the gateway's rates may differ).");
    assert.equal(describeEstimate({ inputTokens: 9_999, maxOutputTokens: 10_000, maxUsd: 0.01 }),
      "≈ 10.0k input tokens, at most 10k output tokens; at most about $0.01 at Anthropic's list prices (batches cost half the normal price; the gateway's rates may differ).");
    assert.equal(describeEstimate({ inputTokens: 999_999, maxOutputTokens: 1_000_000, maxUsd: 12.345 }),
      "≈ 1000k input tokens, at most 1.0M output tokens; at most about $12.35 at Anthropic's list prices (batches cost half the normal price; the gateway's rates may differ).");
    assert.equal(describeEstimate({ inputTokens: 12_400, maxOutputTokens: 2_500_000 }), '≈ 12k input tokens, at most 2.5M output tokens. Batches cost half the normal price.');
  });
});

describe('batch custom ids', () => {
  it('hashes with 32-bit FNV-1a, eight hex digits', () => {
    assert.equal(shortHash(''), '811c9dc5');
    assert.equal(shortHash('a'), 'e40c292c');
    assert.equal(shortHash('src/a.ts'), '3f0d7c10');
  });

  it('derives a readable, valid and unique id from each path', () => {
    const ids = new CustomIdAllocator();
    assert.equal(ids.idFor('src/a.ts'), 'src_a_ts-3f0d7c10');
    assert.equal(ids.idFor('src/a.ts'), 'src_a_ts-3f0d7c10-2', 'the same path twice gets a second id');
    assert.equal(ids.idFor('src/a.ts'), 'src_a_ts-3f0d7c10-3');
    assert.equal(ids.idFor('///'), 'file-1d37d324', 'nothing left of the path: a generic name');
    assert.equal(ids.idFor('-_/x y/_-'), `x_y-${shortHash('-_/x y/_-')}`, 'no leading or trailing separators, runs folded');
    assert.equal(ids.idFor('///'), 'file-1d37d324-2');
  });

  it('keeps the end of a long path and stays within 64 characters with a suffix', () => {
    const ids = new CustomIdAllocator();
    const long = 'very/long/folder/name/that/goes/on/and/on/for/quite/a/while/file.ts';
    const first = ids.idFor(long);
    assert.equal(first, 'lder_name_that_goes_on_and_on_for_quite_a_while_file_ts-69b6d225');
    assert.equal(first.length, 64);
    assert.equal(ids.idFor(long), 'lder_name_that_goes_on_and_on_for_quite_a_while_file_ts-69b6d2-2');
    const cut = ids.idFor(`${'a'.repeat(40)}/_${'b'.repeat(54)}`);
    assert.equal(cut, `${'b'.repeat(54)}-${shortHash(`${'a'.repeat(40)}/_${'b'.repeat(54)}`)}`, 'a cut that starts at a separator drops it');
    for (const id of [first, cut]) assert.match(id, CUSTOM_ID_PATTERN);
    assert.equal(CUSTOM_ID_PATTERN.test('a'.repeat(65)), false);
    assert.equal(CUSTOM_ID_PATTERN.test(''), false);
    assert.equal(CUSTOM_ID_PATTERN.test('a.b'), false);
  });
});

describe('batch fence languages', () => {
  it('tags by file name first, then by extension, case-insensitively', () => {
    assert.equal(fenceLanguage('src/app.ts'), 'typescript');
    assert.equal(fenceLanguage('C:\\work\\Main.PY'), 'python');
    assert.equal(fenceLanguage('deploy/Dockerfile'), 'dockerfile');
    assert.equal(fenceLanguage('GNUmakefile'), 'makefile');
    assert.equal(fenceLanguage('a/Makefile'), 'makefile');
    assert.equal(fenceLanguage('notes.yml'), 'yaml');
    assert.equal(fenceLanguage('.bashrc'), '', 'a leading dot is not an extension');
    assert.equal(fenceLanguage('LICENSE'), '');
    assert.equal(fenceLanguage('x.unknown'), '');
    assert.equal(fenceLanguage(''), '');
  });

  it('makes a fence longer than any fence at a line start inside the content', () => {
    assert.equal(fenceFor('plain'), '```');
    assert.equal(fenceFor('a\n```js\nx\n```'), '````');
    assert.equal(fenceFor('a\n  \t`````\n'), '``````');
    assert.equal(fenceFor('inline ````` run'), '```', 'only runs at a line start can close a fence');
    assert.equal(fenceFor('``'), '```');
  });
});

describe('batch poll errors', () => {
  it('retries what is transient and nothing else', () => {
    assert.equal(isRetryableError(undefined), false);
    assert.equal(isRetryableError('network down'), false);
    assert.equal(isRetryableError(Object.assign(new TypeError('fetch failed'), { name: 'AbortError' })), false, 'an abort is never retried');
    assert.equal(isRetryableError({ retryable: false, info: { retryable: true } }), false, 'the error itself decides first');
    assert.equal(isRetryableError({ retryable: true }), true);
    assert.equal(isRetryableError({ info: { retryable: false, kind: 'network' } }), false);
    assert.equal(isRetryableError({ info: { retryable: true } }), true);
    for (const kind of ['network', 'timeout', 'overloaded', 'rate_limit', 'server']) assert.equal(isRetryableError({ info: { kind } }), true, kind);
    for (const kind of ['authentication', 'invalid_request', 'not_found']) assert.equal(isRetryableError({ info: { kind } }), false, kind);
    assert.equal(isRetryableError(new TypeError('fetch failed')), true, 'a fetch network failure');
    assert.equal(isRetryableError(new Error('HTTP 400')), false);
  });

  it('reads a Retry-After hint from the error or its info', () => {
    assert.equal(retryAfterOf(null), undefined);
    assert.equal(retryAfterOf(5), undefined);
    assert.equal(retryAfterOf({ retryAfterMs: 0 }), 0);
    assert.equal(retryAfterOf({ retryAfterMs: 1200, info: { retryAfterMs: 5 } }), 1200);
    assert.equal(retryAfterOf({ info: { retryAfterMs: 300 } }), 300);
    assert.equal(retryAfterOf({ retryAfterMs: -1 }), undefined);
    assert.equal(retryAfterOf({ info: { retryAfterMs: '300' } }), undefined);
  });

  it('sends batch calls through the shared client with the JSON-lines accept header', async () => {
    const calls: unknown[][] = [];
    const client: JsonRequester = {
      requestJson: async (...args) => { calls.push(['json', ...args]); return { ok: 1 } as never; },
      requestText: async (...args) => { calls.push(['text', ...args]); return 'line'; },
    };
    const http = batchHttpFromClient(client);
    const signal = new AbortController().signal;
    assert.deepEqual(await http.request('POST', '/v1/batches', { a: 1 }, signal), { ok: 1 });
    assert.equal(await http.requestText('GET', '/v1/batches?batch_id=b', signal), 'line');
    assert.deepEqual(calls, [
      ['json', 'POST', '/v1/batches', { a: 1 }, { signal }],
      ['text', 'GET', '/v1/batches?batch_id=b', undefined, { signal }, 'application/x-jsonl, application/x-ndjson, application/json, text/plain'],
    ]);
  });
});

describe('batch poll clock and backoff', () => {
  it('sleeps on the real timers, and wakes at once when aborted before or during the wait', async () => {
    let started = Date.now();
    await systemClock.sleep(30);
    assert.ok(Date.now() - started >= 25, 'slept about the time asked');
    const aborted = new AbortController();
    aborted.abort();
    started = Date.now();
    await systemClock.sleep(60_000, aborted.signal);
    const during = new AbortController();
    setTimeout(() => during.abort(), 10);
    await systemClock.sleep(60_000, during.signal);
    assert.ok(Date.now() - started < 5_000, 'neither waited for the minute');
    assert.ok(Math.abs(systemClock.now() - Date.now()) < 50);
  });

  it('doubles from 2 s up to a minute by default, and keeps the jitter between 0 and 90 %', () => {
    const plain = new BackoffSchedule({ jitter: 0 });
    assert.deepEqual(Array.from({ length: 8 }, () => plain.take()), [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    plain.reset();
    assert.equal(plain.take(), 2000);
    assert.deepEqual([0, 1].map((r) => new BackoffSchedule({ jitter: 5 }, () => r).take()), [200, 3800], 'jitter capped at 0.9');
    assert.deepEqual([0, 1].map((r) => new BackoffSchedule({ jitter: -1 }, () => r).take()), [2000, 2000], 'no negative jitter');
    assert.deepEqual([0, 0.5, 1].map((r) => new BackoffSchedule({}, () => r).take()), [1600, 2000, 2400], 'default jitter ±20 %');
    const custom = new BackoffSchedule({ initialDelayMs: 100, maxDelayMs: 250, factor: 3, jitter: 0 });
    assert.deepEqual([custom.take(), custom.take(), custom.take()], [100, 250, 250]);
  });
});
