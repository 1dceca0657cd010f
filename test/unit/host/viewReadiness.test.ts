import * as assert from 'node:assert/strict';
import { deliverWhenReady, ViewReadiness } from '../../../src/host/viewReadiness';

describe('ViewReadiness (the chat view lifecycle)', () => {
  it('disposes the earlier view\'s listeners when a view is resolved again', () => {
    const readiness = new ViewReadiness();
    const disposed: string[] = [];
    readiness.attach([{ dispose: () => disposed.push('first.message') }, { dispose: () => disposed.push('first.visibility') }]);
    readiness.markReady();
    readiness.attach([{ dispose: () => disposed.push('second.message') }]);
    assert.deepEqual(disposed, ['first.message', 'first.visibility']);
    assert.equal(readiness.isReady, false, 'a new view is not ready until its webview says so');
    readiness.dispose();
    assert.deepEqual(disposed, ['first.message', 'first.visibility', 'second.message']);
  });

  it('posts to a view that becomes ready in time', async () => {
    const readiness = new ViewReadiness();
    const posted: string[] = [];
    const target = { whenReady: (ms: number) => readiness.whenReady(ms), post: (m: string) => posted.push(m) };
    const delivering = deliverWhenReady(target, ['a', 'b'], 1000);
    readiness.markReady();
    assert.equal(await delivering, true);
    assert.deepEqual(posted, ['a', 'b']);
  });

  it('does not attach an image later once its attach timed out', async () => {
    const readiness = new ViewReadiness();
    const posted: string[] = [];
    const target = { whenReady: (ms: number) => readiness.whenReady(ms), post: (m: string) => posted.push(m) };
    assert.equal(await deliverWhenReady(target, ['image'], 20), false);
    // The view opens after the user was told to attach the image again.
    readiness.markReady();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(posted, [], 'the timed-out image must not appear in the composer');
  });
});
