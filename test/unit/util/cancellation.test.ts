import * as assert from 'node:assert/strict';
import { withCancellation, type CancellationLike } from '../../../src/core/util/cancellation';

/** A token like VS Code's: listeners are kept until their disposable is disposed. */
class FakeToken implements CancellationLike {
  readonly listeners = new Set<() => unknown>();
  isCancellationRequested = false;
  onCancellationRequested(listener: () => unknown): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
  cancel(): void {
    this.isCancellationRequested = true;
    for (const listener of [...this.listeners]) listener();
  }
}

describe('withCancellation (CancellationToken -> AbortSignal)', () => {
  it('aborts the signal when the token is cancelled', async () => {
    const token = new FakeToken();
    const aborted = await withCancellation(token, async (signal) => {
      token.cancel();
      return signal.aborted;
    });
    assert.equal(aborted, true);
  });

  it('removes its listener from the token when the work ends, succeeded or failed', async () => {
    const token = new FakeToken();
    await withCancellation(token, async () => 'done');
    assert.equal(token.listeners.size, 0, 'the cancellation listener was left on the token');
    await assert.rejects(withCancellation(token, async () => { throw new Error('failed'); }), /failed/);
    assert.equal(token.listeners.size, 0);
  });

  it('starts aborted when the token is already cancelled', async () => {
    const token = new FakeToken();
    token.cancel();
    assert.equal(await withCancellation(token, async (signal) => signal.aborted), true);
  });
});
