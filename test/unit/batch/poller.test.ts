import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { makeError } from '../../../src/core/api/errors';
import { BackoffSchedule, BatchPoller, type PollOutcome } from '../../../src/core/batch/poller';
import { BatchObject } from '../../../src/core/batch/schemas';

function batch(status: string, counts: Partial<BatchObject['request_counts']> = {}): BatchObject {
  return BatchObject.parse({ id: 'msgbatch_1', processing_status: status, request_counts: { processing: 0, ...counts } });
}

/** A retrieve() that answers from a script and records when it was called (fake time). */
function scripted(clock: FakeTimers.Clock, steps: Array<BatchObject | Error>) {
  const calls: number[] = [];
  let i = 0;
  const retrieve = async (): Promise<BatchObject> => {
    calls.push(clock.now);
    const step = steps[Math.min(i++, steps.length - 1)];
    if (step instanceof Error) throw step;
    return step;
  };
  return { retrieve, calls };
}

describe('batch poller', () => {
  let clock: FakeTimers.Clock;
  beforeEach(() => { clock = FakeTimers.install({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
  afterEach(() => clock.uninstall());

  async function runToEnd(poller: BatchPoller): Promise<PollOutcome> {
    let outcome: PollOutcome | undefined;
    let failure: unknown;
    poller.run().then((o) => { outcome = o; }, (e) => { failure = e; });
    for (let n = 0; n < 50 && outcome === undefined && failure === undefined; n++) await clock.runToLastAsync();
    if (failure !== undefined) throw failure;
    assert.ok(outcome, 'poller did not finish');
    return outcome;
  }

  it('backs off 2 s, 4 s, 8 s … up to 60 s, without jitter when random() is 0.5', () => {
    const schedule = new BackoffSchedule({}, () => 0.5);
    assert.deepEqual(Array.from({ length: 8 }, () => schedule.take()), [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    schedule.reset();
    assert.equal(schedule.take(), 2000);
  });

  it('keeps jitter within ±20 %', () => {
    assert.equal(new BackoffSchedule({}, () => 0).take(), 1600);
    assert.equal(new BackoffSchedule({}, () => 0.999999).take(), 2400);
  });

  it('polls on the backoff schedule until the batch has ended, reporting progress', async () => {
    const steps = [
      batch('in_progress', { processing: 3 }),
      batch('in_progress', { processing: 2, succeeded: 1 }),
      batch('in_progress', { processing: 1, succeeded: 2 }),
      batch('ended', { succeeded: 3 }),
    ];
    const { retrieve, calls } = scripted(clock, steps);
    const progress: number[] = [];
    const outcome = await runToEnd(new BatchPoller({ retrieve, random: () => 0.5, onProgress: (b) => progress.push(b.request_counts.succeeded) }));
    assert.equal(outcome.kind, 'ended');
    assert.deepEqual(calls, [0, 2000, 6000, 14000]);
    assert.deepEqual(progress, [0, 1, 2, 3]);
  });

  it('retries transient errors (network, 503 honouring retry-after)', async () => {
    const steps = [
      batch('in_progress', { processing: 1 }),
      makeError('network'),
      makeError('server', { status: 503, retryAfterMs: 30_000 }),
      batch('ended', { succeeded: 1 }),
    ];
    const { retrieve, calls } = scripted(clock, steps);
    const retries: Array<[number, number]> = [];
    const outcome = await runToEnd(new BatchPoller({ retrieve, random: () => 0.5, onRetry: (_e, n, delay) => retries.push([n, delay]) }));
    assert.equal(outcome.kind, 'ended');
    // 2 s, then 4 s, then the server's 30 s beats the schedule's 8 s.
    assert.deepEqual(calls, [0, 2000, 6000, 36000]);
    assert.deepEqual(retries, [[1, 4000], [2, 30000]]);
  });

  it('gives up after too many consecutive transient errors, and at once on a permanent one', async () => {
    const flaky = scripted(clock, [makeError('network')]);
    await assert.rejects(runToEnd(new BatchPoller({ retrieve: flaky.retrieve, random: () => 0.5, maxConsecutiveErrors: 3 })), /reach the AI\/ML API/);
    assert.equal(flaky.calls.length, 3);

    const denied = scripted(clock, [makeError('authentication', { status: 401 })]);
    await assert.rejects(runToEnd(new BatchPoller({ retrieve: denied.retrieve })), /rejected the key/);
    assert.equal(denied.calls.length, 1);
  });

  it('follows a cancel: canceling is polled until ended, and nudge() skips the wait', async () => {
    const steps = [batch('in_progress', { processing: 5 }), batch('canceling', { processing: 2, succeeded: 1 }), batch('ended', { succeeded: 1, canceled: 4 })];
    const { retrieve, calls } = scripted(clock, steps);
    const poller = new BatchPoller({ retrieve, random: () => 0.5, initialDelayMs: 10_000 });
    let outcome: PollOutcome | undefined;
    void poller.run().then((o) => { outcome = o; });
    await clock.tickAsync(1);
    assert.deepEqual(calls, [0]);
    // The user cancels 3 s into the 10 s wait: the poller asks again right away.
    await clock.tickAsync(2999);
    poller.nudge();
    await clock.tickAsync(0);
    assert.deepEqual(calls, [0, 3000]);
    await clock.tickAsync(10_000);
    assert.equal(outcome?.kind, 'ended');
    assert.equal(outcome?.batch?.request_counts.canceled, 4);
    assert.deepEqual(calls, [0, 3000, 13000]);
  });

  it('stops when aborted, during a wait or a request, returning the last status', async () => {
    const controller = new AbortController();
    const { retrieve, calls } = scripted(clock, [batch('in_progress', { processing: 2 })]);
    let outcome: PollOutcome | undefined;
    void new BatchPoller({ retrieve, signal: controller.signal, random: () => 0.5 }).run().then((o) => { outcome = o; });
    await clock.tickAsync(2500);
    assert.equal(calls.length, 2);
    controller.abort();
    await clock.tickAsync(0);
    assert.equal(outcome?.kind, 'aborted');
    assert.equal(outcome?.batch?.request_counts.processing, 2);
    await clock.tickAsync(120_000);
    assert.equal(calls.length, 2, 'no polling after abort');

    const inFlight = new AbortController();
    const hanging = (signal: AbortSignal) => new Promise<BatchObject>((_r, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    const pending = new BatchPoller({ retrieve: hanging, signal: inFlight.signal }).run();
    inFlight.abort();
    assert.equal((await pending).kind, 'aborted');
  });
});
