import * as assert from 'node:assert/strict';
import { batchEndpoints } from '../../../src/core/batch/endpoints';

describe('batch endpoints', () => {
  it('uses the documented create, read (query parameter) and cancel paths, and encodes the id', () => {
    assert.equal(batchEndpoints.create, '/v1/batches');
    assert.equal(batchEndpoints.read('msgbatch_1'), '/v1/batches?batch_id=msgbatch_1');
    assert.equal(batchEndpoints.cancel('msgbatch_1'), '/v1/batches/cancel/msgbatch_1');
    assert.equal(batchEndpoints.read('a/b c&x=1'), '/v1/batches?batch_id=a%2Fb%20c%26x%3D1');
    assert.equal(batchEndpoints.cancel('../x'), '/v1/batches/cancel/..%2Fx');
  });
});
