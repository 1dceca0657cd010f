// The batch poller, exactly: every delay it waits (onWait), when it retries and reports a retry,
// how the error count resets, the default limit of six consecutive failures, a nudge during a
// request, a custom isDone, the signal handed to retrieve, and the real-timer sleep's clean-up.
import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { makeError } from '../../../src/core/api/errors';
import { BackoffSchedule, BatchPoller, pollUntilEnded, systemClock, type PollOptions, type PollOutcome } from '../../../src/core/batch/poller';
import { BatchObject } from '../../../src/core/batch/schemas';

const batch = (status: string, succeeded = 0): BatchObject => BatchObject.parse({ id: 'msgbatch_1', processing_status: status, request_counts: { succeeded } });

describe('batch poller, exact', () => {
  let clock: FakeTimers.Clock;
  beforeEach(() => { clock = FakeTimers.install({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
  afterEach(() => clock.uninstall());

  /** Runs the poller to its end on fake time; `steps` answer retrieve() in order (the last repeats). */
  async function run(steps: Array<BatchObject | Error>, options: Partial<PollOptions> = {}) {
    const calls: number[] = [];
    const waits: number[] = [];
    const retries: Array<[string, number, number]> = [];
    const signals: AbortSignal[] = [];
    let i = 0;
    const retrieve = async (signal: AbortSignal): Promise<BatchObject> => {
      calls.push(clock.now);
      signals.push(signal);
      const step = steps[Math.min(i++, steps.length - 1)];
      if (step instanceof Error) throw step;
      return step;
    };
    let outcome: PollOutcome | undefined;
    let failure: unknown;
    const full: PollOptions = { retrieve, random: () => 0.5, onWait: (d) => waits.push(d), onRetry: (e, n, d) => retries.push([(e as Error).message, n, d]), ...options };
    (options.retrieve ? pollUntilEnded(full) : new BatchPoller(full).run())
      .then((o) => { outcome = o; }, (e) => { failure = e; });
    for (let n = 0; n < 60 && outcome === undefined && failure === undefined; n++) await clock.runToLastAsync();
    return { outcome, failure, calls, waits, retries, signals };
  }

  it('waits each scheduled delay, and reports a retry only after a failure', async () => {
    const r = await run([batch('in_progress'), makeError('network'), batch('in_progress'), batch('ended', 2)]);
    assert.equal(r.outcome?.kind, 'ended');
    assert.equal(r.outcome?.batch?.request_counts.succeeded, 2);
    assert.deepEqual(r.waits, [2000, 4000, 8000]);
    assert.deepEqual(r.calls, [0, 2000, 6000, 14000]);
    assert.deepEqual(r.retries.map(([, n, d]) => [n, d]), [[1, 4000]]);
  });

  it('hands retrieve a live signal of its own when none is given', async () => {
    const r = await run([batch('ended')]);
    assert.equal(r.signals.length, 1);
    assert.ok(r.signals[0] instanceof AbortSignal);
    assert.equal(r.signals[0].aborted, false);
    assert.deepEqual(r.waits, []);
  });

  it('gives up after six consecutive transient failures by default, rethrowing the last', async () => {
    const error = makeError('network');
    const r = await run([error]);
    assert.equal(r.failure, error);
    assert.equal(r.calls.length, 6);
    assert.deepEqual(r.retries.map(([, n]) => n), [1, 2, 3, 4, 5]);
  });

  it('counts only consecutive failures: a success in between starts the count again', async () => {
    const e = makeError('network');
    const r = await run([e, batch('in_progress'), e, batch('in_progress'), e, batch('ended')], { maxConsecutiveErrors: 2 });
    assert.equal(r.failure, undefined);
    assert.equal(r.outcome?.kind, 'ended');
    assert.deepEqual(r.retries.map(([, n]) => n), [1, 1, 1]);
  });

  it('takes the longer of the schedule and a Retry-After hint', async () => {
    const r = await run([makeError('rate_limit', { retryAfterMs: 1000 }), makeError('rate_limit', { retryAfterMs: 9000 }), batch('ended')]);
    assert.deepEqual(r.waits, [2000, 9000]);
    assert.deepEqual(r.retries.map(([, n, d]) => [n, d]), [[1, 2000], [2, 9000]]);
  });

  it('ends when a custom isDone says so, whatever the status', async () => {
    const r = await run([batch('in_progress', 1), batch('in_progress', 2), batch('in_progress', 3)], { isDone: (b) => b.request_counts.succeeded >= 2 });
    assert.equal(r.outcome?.kind, 'ended');
    assert.equal(r.calls.length, 2);
    const status = await run([batch('in_progress'), batch('canceling'), batch('ended')]);
    assert.equal(status.calls.length, 3, 'by default only `ended` ends it');
  });

  it('pollUntilEnded runs one poller to its end', async () => {
    let n = 0;
    const r = await run([], { retrieve: async () => batch(++n === 3 ? 'ended' : 'in_progress') });
    assert.equal(r.outcome?.kind, 'ended');
    assert.deepEqual(r.waits, [2000, 4000]);
  });

  it('skips the wait when nudged during a request, and waits normally after that', async () => {
    const calls: number[] = [];
    const waits: number[] = [];
    const poller: BatchPoller = new BatchPoller({
      random: () => 0.5, initialDelayMs: 1000, onWait: (d) => waits.push(d),
      retrieve: async () => {
        calls.push(clock.now);
        if (calls.length === 2) poller.nudge();
        return batch(calls.length === 4 ? 'ended' : 'in_progress');
      },
    });
    let outcome: PollOutcome | undefined;
    void poller.run().then((o) => { outcome = o; });
    for (let n = 0; n < 10 && !outcome; n++) await clock.runToLastAsync();
    assert.equal(outcome?.kind, 'ended');
    assert.deepEqual(calls, [0, 1000, 1000, 3000], 'the nudge reset the schedule and skipped one wait only');
    assert.deepEqual(waits, [1000, 1000, 2000]);
  });

  it('returns aborted with no batch when aborted before the first read, and never calls retrieve', async () => {
    const controller = new AbortController();
    controller.abort();
    let called = false;
    const outcome = await new BatchPoller({ retrieve: async () => { called = true; return batch('ended'); }, signal: controller.signal }).run();
    assert.deepEqual(outcome, { kind: 'aborted', batch: undefined });
    assert.equal(called, false);
  });

  it('caps the first delay at the maximum and never waits a negative time', () => {
    assert.equal(new BackoffSchedule({ initialDelayMs: 100_000, maxDelayMs: 1000, jitter: 0 }).take(), 1000);
    assert.equal(new BackoffSchedule({ jitter: 0.9 }, () => -5).take(), 0, 'a random() out of range cannot make a negative wait');
    const schedule = new BackoffSchedule({ initialDelayMs: 10, factor: 1.5, jitter: 0.1 }, () => 1);
    assert.deepEqual([schedule.take(), schedule.take(), schedule.take()], [11, 17, 25]);
  });

  it('sleep clears its timer and its abort listener when woken, and its listener when the time is up', async () => {
    const added: unknown[][] = [];
    const removed: unknown[][] = [];
    const controller = new AbortController();
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    Object.assign(signal, {
      addEventListener: (...args: Parameters<typeof add>) => { added.push([args[0], args[2]]); add(...args); },
      removeEventListener: (...args: Parameters<typeof remove>) => { removed.push([args[0]]); remove(...args); },
    });
    const woken = systemClock.sleep(60_000, signal);
    assert.equal(clock.countTimers(), 1);
    controller.abort();
    await woken;
    assert.equal(clock.countTimers(), 0, 'the timer was cleared');
    assert.deepEqual(added, [['abort', { once: true }]]);
    assert.deepEqual(removed, [['abort']]);

    const timed = new AbortController().signal;
    const removedTimed: string[] = [];
    const removeTimed = timed.removeEventListener.bind(timed);
    Object.assign(timed, { removeEventListener: (...args: Parameters<typeof removeTimed>) => { removedTimed.push(String(args[0])); removeTimed(...args); } });
    let done = false;
    void systemClock.sleep(500, timed).then(() => { done = true; });
    await clock.tickAsync(499);
    assert.equal(done, false);
    await clock.tickAsync(1);
    assert.equal(done, true);
    assert.deepEqual(removedTimed, ['abort']);
    assert.equal(systemClock.now(), 500);
  });
});
