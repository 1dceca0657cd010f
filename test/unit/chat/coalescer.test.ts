import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import type { DeltaOp } from '../../../src/shared/protocol';
import type { ApiMessage } from '../../../src/core/api/types';
import { DeltaCoalescer, deltaOpsForEvent } from '../../../src/core/chat/coalescer';
import { digestText, elideFromChars } from '../../../src/shared/textDigest';

function setup() {
  const clock = FakeTimers.createClock();
  const posts: { messageId: string; ops: DeltaOp[] }[] = [];
  const coalescer = new DeltaCoalescer((messageId, ops) => posts.push({ messageId, ops }), 30, {
    setTimeout: (cb, ms) => clock.setTimeout(cb, ms),
    clearTimeout: (h) => clock.clearTimeout(h as number),
  });
  return { clock, posts, coalescer };
}

describe('DeltaCoalescer', () => {
  it('flushes as a token arrives once the interval has passed, when the timer is held up by a busy thread', () => {
    // The clock moves (the host parses the stream) but the timer cannot fire in between.
    let now = 0;
    const posts: DeltaOp[][] = [];
    let timers = 0;
    let cleared = 0;
    const coalescer = new DeltaCoalescer((_, ops) => posts.push(ops), 30, {
      setTimeout: () => ++timers,
      clearTimeout: () => { cleared += 1; },
      now: () => now,
    });
    for (const [at, text] of [[0, 'a'], [10, 'b'], [29, 'c'], [30, 'd'], [31, 'e'], [45, 'f'], [61, 'g']] as const) {
      now = at;
      coalescer.push('m1', { op: 'append', index: 0, text });
    }
    // 'a' is the first text after a quiet interval: posted at once (see the next test).
    assert.deepEqual(posts.map((ops) => ops.map((op) => (op.op === 'append' ? op.text : op.op)).join('')), ['a', 'bcd', 'efg']);
    assert.equal(timers, 2, 'a timer per batch');
    assert.equal(cleared, 2, 'the held-up timers are cancelled, so nothing is posted twice');
  });

  it('posts the first text after a quiet interval at once, with the block start before it, and batches what follows', () => {
    // An answer's first token used to wait out the interval: ~30 ms more before the user saw anything.
    const clock = FakeTimers.createClock();
    const posts: DeltaOp[][] = [];
    const coalescer = new DeltaCoalescer((_, ops) => posts.push(ops), 30, {
      setTimeout: (cb, ms) => clock.setTimeout(cb, ms),
      clearTimeout: (h) => clock.clearTimeout(h as number),
      now: () => clock.now,
    });
    const start: DeltaOp = { op: 'start', index: 0, block: { type: 'text', text: '' } };
    coalescer.push('m1', start);
    assert.equal(posts.length, 0, 'a start alone shows nothing, so it waits for text');
    clock.tick(5);
    coalescer.push('m1', { op: 'append', index: 0, text: 'Hel' });
    assert.deepEqual(posts, [[start, { op: 'append', index: 0, text: 'Hel' }]], 'the first text goes at once, with the start');
    clock.tick(1);
    coalescer.push('m1', { op: 'append', index: 0, text: 'lo' });
    clock.tick(10);
    coalescer.push('m1', { op: 'append', index: 0, text: ' there' });
    assert.equal(posts.length, 1, 'text within the interval of the last post waits');
    clock.tick(30);
    assert.deepEqual(posts[1], [{ op: 'append', index: 0, text: 'lo there' }]);
    // Quiet (a tool running): the next text goes at once again.
    clock.tick(500);
    coalescer.push('m1', { op: 'append', index: 0, text: '!' });
    assert.equal(posts.length, 3);
    assert.equal(clock.countTimers(), 0, 'nothing left pending');
  });

  it('turns N tokens within 30 ms into one post whose text is their concatenation', () => {
    const { clock, posts, coalescer } = setup();
    const tokens = Array.from({ length: 50 }, (_, i) => `tok${i} `);
    for (const t of tokens) {
      coalescer.push('m1', { op: 'append', index: 0, text: t });
      clock.tick(0.5);
    }
    assert.equal(posts.length, 0);
    clock.tick(30);
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0], { messageId: 'm1', ops: [{ op: 'append', index: 0, text: tokens.join('') }] });
  });

  it('keeps the order of ops across blocks and only merges appends to the same block', () => {
    const { clock, posts, coalescer } = setup();
    const ops: DeltaOp[] = [
      { op: 'start', index: 0, block: { type: 'thinking', thinking: '', signature: '' } },
      { op: 'append', index: 0, text: 'let ' },
      { op: 'append', index: 0, text: 'me think' },
      { op: 'finish', index: 0, block: { type: 'thinking', thinking: 'let me think', signature: 's' } },
      { op: 'start', index: 1, block: { type: 'text', text: '' } },
      { op: 'append', index: 1, text: 'Hel' },
      { op: 'append', index: 1, text: 'lo' },
    ];
    for (const op of ops) coalescer.push('m1', op);
    clock.tick(30);
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0].ops, [ops[0], { op: 'append', index: 0, text: 'let me think' }, ops[3], ops[4], { op: 'append', index: 1, text: 'Hello' }]);
  });

  it('posts at most once per interval under a steady stream', () => {
    const { clock, posts, coalescer } = setup();
    for (let ms = 0; ms < 300; ms++) {
      coalescer.push('m1', { op: 'append', index: 0, text: 'x' });
      clock.tick(1);
    }
    clock.tick(30);
    assert.ok(posts.length <= 11, `${posts.length} posts`);
    assert.ok(posts.length >= 9, `${posts.length} posts`);
    assert.equal(posts.map((p) => (p.ops[0] as { text: string }).text).join('').length, 300);
  });

  it('flushes at once on finish and then posts nothing more from the cancelled timer', () => {
    const { clock, posts, coalescer } = setup();
    coalescer.push('m1', { op: 'append', index: 0, text: 'a' });
    coalescer.push('m2', { op: 'append', index: 0, text: 'b' });
    coalescer.flush();
    assert.deepEqual(posts.map((p) => p.messageId), ['m1', 'm2']);
    clock.tick(100);
    assert.equal(posts.length, 2);
  });

  it('discards pending ops when a full snapshot replaces them', () => {
    const { clock, posts, coalescer } = setup();
    coalescer.push('m1', { op: 'append', index: 0, text: 'a' });
    coalescer.discard();
    clock.tick(100);
    assert.equal(posts.length, 0);
  });
});

describe('deltaOpsForEvent', () => {
  const snapshot = { content: [{ type: 'tool_use', id: 't', name: 'read_file', input: { path: 'a' } }] } as unknown as ApiMessage;
  it('maps stream events to start/append/finish ops', () => {
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'hi' } }, snapshot), [{ op: 'append', index: 2, text: 'hi' }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"pa' } }, snapshot), [{ op: 'append', index: 0, text: '{"pa' }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'x' } }, snapshot), []);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_stop', index: 0 }, snapshot), [{ op: 'finish', index: 0, block: snapshot.content[0] }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'ping' }, snapshot), []);
  });

  it('finishes a long text or thinking block with its digest instead of the text the appends carried', () => {
    const long = 'a'.repeat(elideFromChars);
    const answer = { content: [{ type: 'text', text: long }, { type: 'thinking', thinking: long, signature: 'sig' }] } as unknown as ApiMessage;
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_stop', index: 0 }, answer), [{ op: 'finish', index: 0, block: { type: 'text', text: '' }, elided: digestText(long) }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_stop', index: 1 }, answer), [{ op: 'finish', index: 1, block: { type: 'thinking', thinking: '', signature: 'sig' }, elided: digestText(long) }]);
    assert.deepEqual(deltaOpsForEvent({ type: 'content_block_stop', index: 2 }, answer), []);
  });
});
