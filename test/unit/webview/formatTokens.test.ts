import * as assert from 'node:assert/strict';
import { formatTokens } from '../../../webview/format';

describe('formatTokens', () => {
  it('writes counts as en-US does, without loading Intl for whole numbers', () => {
    for (const count of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890, -4_321, Number.MAX_SAFE_INTEGER]) {
      assert.equal(formatTokens(count), count.toLocaleString('en-US'), String(count));
    }
    assert.equal(formatTokens(12_345), '12,345');
  });

  it('leaves fractions and huge numbers to toLocaleString', () => {
    assert.equal(formatTokens(1234.5), '1,234.5');
    assert.equal(formatTokens(1e21), (1e21).toLocaleString('en-US'));
  });
});
