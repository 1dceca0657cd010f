import * as assert from 'node:assert/strict';
import { loadOlderMessages, stageSnapshot } from '../../../webview/stagedSnapshot';
import type { StoredMessage } from '../../../src/shared/model';

const prompt = (n: number) => ({ id: `u${n}`, role: 'user', kind: 'prompt', content: [{ type: 'text', text: `q${n}` }], createdAt: n });
const answer = (n: number) => ({ id: `a${n}`, role: 'assistant', content: [{ type: 'text', text: `a${n}` }], createdAt: n });
const toolResults = (n: number) => ({ id: `r${n}`, role: 'user', kind: 'tool_results', content: [{ type: 'tool_result', tool_use_id: `t${n}`, content: 'ok' }], createdAt: n });
const snapshot = (messages: unknown[], type = 'init') => ({ type, conversation: { id: 'c', messages, totals: {} }, busy: false });
const messagesOf = (raw: unknown) => (raw as { conversation: { messages: { id: string }[] } }).conversation.messages.map((m) => m.id);

/** Runs every scheduled slice at once, counting them. */
function synchronous(): { first: (step: () => void) => void; next: (step: () => void) => void; slices: () => number } {
  let slices = 0;
  return { first: (step) => { slices++; step(); }, next: (step) => { slices++; step(); }, slices: () => slices };
}

describe('stageSnapshot (opening a long conversation)', () => {
  it('splits a long snapshot at a prompt: the newest messages first, the older ones after', () => {
    const messages = Array.from({ length: 10 }, (_, n) => (n % 2 ? answer(n) : prompt(n)));
    const staged = stageSnapshot(snapshot(messages), 4);
    assert.ok(staged);
    assert.deepEqual(messagesOf(staged.head), ['u6', 'a7', 'u8', 'a9']);
    assert.deepEqual(staged.older.map((m) => (m as { id: string }).id), ['u0', 'a1', 'u2', 'a3', 'u4', 'a5']);
    // Everything else of the message is kept as it came.
    assert.equal((staged.head as { busy: boolean }).busy, false);
    assert.equal((staged.head as { conversation: { id: string } }).conversation.id, 'c');
  });

  it('never cuts an assistant turn glued together by tool results', () => {
    const messages = [prompt(0), answer(1), prompt(2), answer(3), toolResults(4), answer(5), toolResults(6), answer(7)];
    const staged = stageSnapshot(snapshot(messages, 'conversation'), 3);
    assert.ok(staged);
    assert.deepEqual(messagesOf(staged.head), ['u2', 'a3', 'r4', 'a5', 'r6', 'a7']);
    assert.equal(staged.older.length, 2);
  });

  it('leaves short snapshots, snapshots without an earlier prompt and other messages whole', () => {
    assert.equal(stageSnapshot(snapshot([prompt(0), answer(1)]), 4), undefined);
    assert.equal(stageSnapshot(snapshot([prompt(0), answer(1), toolResults(2), answer(3), toolResults(4), answer(5)]), 2), undefined);
    assert.equal(stageSnapshot({ type: 'messageAdded', message: prompt(0) }, 0), undefined);
    assert.equal(stageSnapshot({ type: 'init', conversation: { messages: 'nope' } }, 0), undefined);
    assert.equal(stageSnapshot(null), undefined);
    // The host already held the older part back (its own parts follow): not split again.
    const long = Array.from({ length: 10 }, (_, n) => (n % 2 ? answer(n) : prompt(n)));
    assert.equal(stageSnapshot({ ...snapshot(long), olderMessages: 30 }, 4), undefined);
    assert.equal(stageSnapshot([snapshot([])]), undefined);
  });
});

describe('loadOlderMessages', () => {
  it('validates the older messages in slices and hands them over once, oldest first', () => {
    const older = Array.from({ length: 250 }, (_, n) => (n % 2 ? answer(n) : prompt(n)));
    const schedule = synchronous();
    const handed: StoredMessage[][] = [];
    loadOlderMessages(older, { prepend: (messages) => handed.push(messages), invalid: () => assert.fail('all valid') }, schedule);
    assert.equal(handed.length, 1);
    assert.deepEqual(handed[0].map((m) => m.id), older.map((m) => m.id));
    assert.equal(schedule.slices(), 3, 'slices of 100 messages');
  });

  it('leaves out an invalid message and says which, keeping the rest', () => {
    const older = [prompt(0), { id: 'bad', role: 'system', content: [], createdAt: 1 }, prompt(2)];
    const invalid: string[] = [];
    let handed: StoredMessage[] = [];
    loadOlderMessages(older, { prepend: (messages) => { handed = messages; }, invalid: (index, error) => invalid.push(`${index} ${error}`) }, synchronous());
    assert.deepEqual(handed.map((m) => m.id), ['u0', 'u2']);
    assert.equal(invalid.length, 1);
    assert.match(invalid[0], /^1 role:/);
  });

  it('stops when cancelled (a newer conversation replaced it)', () => {
    const steps: (() => void)[] = [];
    const later = (step: () => void) => { steps.push(step); };
    let handed = false;
    const cancel = loadOlderMessages([prompt(0)], { prepend: () => { handed = true; }, invalid: () => undefined }, { first: later, next: later });
    cancel();
    for (const step of steps) step();
    assert.equal(handed, false);
  });
});
