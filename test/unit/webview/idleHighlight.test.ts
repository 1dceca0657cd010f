import { strict as assert } from 'node:assert';
import { IdleHighlighter, type IdleDeadlineLike } from '../../../webview/markdown/idleHighlight';

/** A code element as far as the queue looks at it. */
const block = (name: string, connected = true) => ({ name, isConnected: connected });

function setUp(cost = 1) {
  let clock = 0;
  const callbacks: ((deadline: IdleDeadlineLike) => void)[] = [];
  const highlighted: string[] = [];
  const highlighter = new IdleHighlighter<{ name: string; isConnected: boolean }>(
    (code: { name: string }) => { highlighted.push(code.name); clock += cost; },
    (callback) => { callbacks.push(callback); },
    () => clock,
  );
  /** Runs the one callback asked for, with `idleMs` of idle time from now (or timed out). */
  const runIdle = (idleMs: number | 'timed out') => {
    assert.equal(callbacks.length, 1, 'one idle callback asked for at a time');
    const callback = callbacks.shift();
    const start = clock;
    callback?.(idleMs === 'timed out'
      ? { didTimeout: true, timeRemaining: () => 0 }
      : { didTimeout: false, timeRemaining: () => Math.max(0, idleMs - (clock - start)) });
  };
  return { highlighter, highlighted, callbacks, runIdle };
}

describe('code highlighting in idle time', () => {
  it('does nothing until idle, then highlights the newest block first', () => {
    const { highlighter, highlighted, callbacks, runIdle } = setUp();
    for (const name of ['a', 'b', 'c']) highlighter.add(block(name));
    assert.deepEqual(highlighted, []);
    assert.equal(callbacks.length, 1);
    runIdle(50);
    assert.deepEqual(highlighted, ['c', 'b', 'a']);
    assert.equal(highlighter.size, 0);
    assert.equal(callbacks.length, 0, 'nothing left, nothing asked for');
  });

  it('drops blocks no longer on the page', () => {
    const { highlighter, highlighted, runIdle } = setUp();
    highlighter.add(block('kept'));
    highlighter.add(block('removed', false));
    runIdle(50);
    assert.deepEqual(highlighted, ['kept']);
  });

  it('stops when the idle time runs short and goes on in the next idle callback', () => {
    const { highlighter, highlighted, callbacks, runIdle } = setUp(3);
    for (const name of ['a', 'b', 'c', 'd', 'e']) highlighter.add(block(name));
    // 7 ms: a block at 3 ms leaves 4, another leaves 1 (< 2): stop.
    runIdle(7);
    assert.deepEqual(highlighted, ['e', 'd']);
    assert.equal(callbacks.length, 1);
    runIdle(100);
    assert.deepEqual(highlighted, ['e', 'd', 'c', 'b', 'a']);
  });

  it('works at most half a frame in a callback, however long the idle time the browser grants', () => {
    // Up to 50 ms of idle time when nothing animates: working it all, plus the block that started
    // last, made long tasks (over 50 ms).
    const { highlighter, highlighted, callbacks, runIdle } = setUp(3);
    for (let n = 0; n < 10; n++) highlighter.add(block(String(n)));
    runIdle(50);
    // 3, 6, 9 ms: the third block ends past the 8 ms budget.
    assert.deepEqual(highlighted, ['9', '8', '7']);
    assert.equal(callbacks.length, 1, 'the rest in the next callback');
  });

  it('works a timed-out callback (no idle time) for half a frame, not until the queue is empty', () => {
    const { highlighter, highlighted, runIdle } = setUp(3);
    for (let n = 0; n < 10; n++) highlighter.add(block(String(n)));
    runIdle('timed out');
    // 3, 6, 9 ms: the third block ends past the 8 ms budget.
    assert.deepEqual(highlighted, ['9', '8', '7']);
    assert.equal(highlighter.size, 7);
  });

  it('flush highlights everything waiting at once, and a later idle callback finds nothing to do', () => {
    const { highlighter, highlighted, callbacks, runIdle } = setUp(5);
    for (let n = 0; n < 10; n++) highlighter.add(block(String(n)));
    highlighter.flush();
    assert.equal(highlighted.length, 10);
    assert.equal(highlighter.size, 0);
    runIdle(50);
    assert.equal(highlighted.length, 10);
    assert.equal(callbacks.length, 0);
  });

  it('asks for a new idle callback for blocks added after one ran', () => {
    const { highlighter, highlighted, callbacks, runIdle } = setUp();
    highlighter.add(block('a'));
    runIdle(50);
    highlighter.add(block('b'));
    assert.equal(callbacks.length, 1);
    runIdle(50);
    assert.deepEqual(highlighted, ['a', 'b']);
  });
});
