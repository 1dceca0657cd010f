import * as assert from 'node:assert/strict';
import { isRecord } from '../../../src/shared/records';

describe('isRecord (a JSON object read field by field)', () => {
  it('accepts plain objects, empty or not', () => {
    assert.equal(isRecord({}), true);
    assert.equal(isRecord({ role: 'user' }), true);
    assert.equal(isRecord(Object.create(null)), true);
  });

  it('refuses null, arrays, functions and primitives', () => {
    for (const value of [null, undefined, [], [{ role: 'user' }], () => ({}), 0, 1, '', 'text', true, false]) {
      assert.equal(isRecord(value), false, `isRecord(${JSON.stringify(value) ?? String(value)})`);
    }
  });
});
