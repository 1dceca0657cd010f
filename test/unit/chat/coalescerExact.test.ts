// The coalescer's remaining rules asserted exactly: what each event becomes, messages flushed in
// the order they began, one timer at a time, and nothing posted after discard or dispose.
import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import type { DeltaOp } from '../../../src/shared/protocol';
import type { ApiMessage, StreamEvent } from '../../../src/core/api/types';
import { DeltaCoalescer, deltaOpsForEvent } from '../../../src/core/chat/coalescer';

function setup(intervalMs?: number) {
  const clock = FakeTimers.createClock();
  const posts: [string, DeltaOp[]][] = [];
  let timersSet = 0;
  const coalescer = new DeltaCoalescer((id, ops) => posts.push([id, ops]), intervalMs, {
    setTimeout: (cb, ms) => { timersSet++; return clock.setTimeout(cb, ms); },
    clearTimeout: (h) => clock.clearTimeout(h as number),
  });
  return { clock, posts, coalescer, timers: () => timersSet };
}
const append = (index: number, text: string): DeltaOp => ({ op: 'append', index, text });

describe('DeltaCoalescer: exact', () => {
  it('waits 30 ms by default, with one timer for a whole batch', () => {
    const { clock, posts, coalescer, timers } = setup();
    coalescer.push('m', append(0, 'a'));
    coalescer.push('m', append(0, 'b'));
    clock.tick(29);
    assert.deepEqual(posts, []);
    clock.tick(1);
    assert.deepEqual(posts, [['m', [append(0, 'ab')]]]);
    assert.equal(timers(), 1);
    coalescer.push('m', append(0, 'c'));
    assert.equal(timers(), 2);
  });

  it('flushes messages in the order they began, merging only consecutive appends to one block', () => {
    const { posts, coalescer } = setup(10);
    const start: DeltaOp = { op: 'start', index: 1, block: { type: 'text', text: '' } };
    coalescer.push('second', append(0, 'x'));
    coalescer.push('first', append(0, 'y'));
    coalescer.push('second', start);
    coalescer.push('second', append(1, 'p'));
    coalescer.push('second', append(0, 'q'));
    coalescer.push('second', append(0, 'r'));
    coalescer.flush();
    assert.deepEqual(posts, [['second', [append(0, 'x'), start, append(1, 'p'), append(0, 'qr')]], ['first', [append(0, 'y')]]]);
    coalescer.flush();
    assert.equal(posts.length, 2);
  });

  it('posts nothing after discard or dispose, even when the timer would have fired', () => {
    for (const end of ['discard', 'dispose'] as const) {
      const { clock, posts, coalescer } = setup(10);
      coalescer.push('m', append(0, 'a'));
      coalescer[end]();
      clock.tick(100);
      coalescer.flush();
      assert.deepEqual(posts, [], end);
    }
  });
});

describe('deltaOpsForEvent: exact', () => {
  const snapshot = { content: [{ type: 'text', text: 'done' }] } as unknown as ApiMessage;
  it('starts, appends thinking, finishes only known blocks, and ignores the rest', () => {
    const block = { type: 'thinking', thinking: '', signature: '' };
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_start', index: 3, content_block: block } as StreamEvent, snapshot), [{ op: 'start', index: 3, block }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_delta', index: 3, delta: { type: 'thinking_delta', thinking: 'hm' } }, snapshot), [{ op: 'append', index: 3, text: 'hm' }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: {} } } as StreamEvent, snapshot), []);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_stop', index: 0 }, snapshot), [{ op: 'finish', index: 0, block: { type: 'text', text: 'done' } }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_stop', index: 5 }, snapshot), []);
    assert.deepEqual(deltaOpsForEvent({ type: 'message_stop' }, snapshot), []);
  });
});
