import * as assert from 'node:assert/strict';
import { BatchEndpoints, pathUnderBase } from '../../../src/core/batch/endpoints';

describe('batch endpoints', () => {
  it('uses the documented create and cancel paths and fills status/results templates', () => {
    const e = new BatchEndpoints();
    assert.equal(e.create, '/v1/batches');
    assert.equal(e.cancel('msgbatch_1'), '/v1/batches/cancel/msgbatch_1');
    assert.equal(e.status('msgbatch_1'), '/v1/batches/msgbatch_1');
    assert.deepEqual(e.results('msgbatch_1', 'https://api.aimlapi.com'), { path: '/v1/batches/msgbatch_1/results', source: 'settings' });
  });

  it('takes status and results paths from settings, and encodes the id', () => {
    const e = new BatchEndpoints({ statusPath: 'batches/status/{batch_id}', resultsPath: '/b/{batch_id}/out?format=jsonl' });
    assert.equal(e.status('a/b c'), '/batches/status/a%2Fb%20c');
    assert.equal(e.results('x', 'http://127.0.0.1:9').path, '/b/x/out?format=jsonl');
    assert.equal(new BatchEndpoints({ statusPath: '  ' }).status('x'), '/v1/batches/x');
  });

  it('follows a relative or same-origin results_url, never another origin', () => {
    const e = new BatchEndpoints();
    const base = 'http://127.0.0.1:4000';
    assert.deepEqual(e.results('x', base, '/v1/batches/x/results?page=1'), { path: '/v1/batches/x/results?page=1', source: 'results_url' });
    assert.deepEqual(e.results('x', base, 'http://127.0.0.1:4000/files/x.jsonl'), { path: '/files/x.jsonl', source: 'results_url' });
    assert.deepEqual(e.results('x', base, 'https://evil.example/x.jsonl'), { path: '/v1/batches/x/results', source: 'settings', ignoredResultsUrl: 'https://evil.example/x.jsonl' });
    assert.equal(e.results('x', base, 'http://127.0.0.1:4001/x').source, 'settings');
  });

  it('does not repeat a base URL path prefix', () => {
    assert.equal(pathUnderBase('https://proxy.local/aiml/v1/batches/x/results', 'https://proxy.local/aiml/'), '/v1/batches/x/results');
    assert.equal(pathUnderBase('/v1/batches/x/results', 'https://proxy.local/aiml'), '/v1/batches/x/results');
    assert.equal(pathUnderBase('javascript:alert(1)', 'https://proxy.local'), undefined);
  });
});
