import * as assert from 'node:assert/strict';
import { headMessageCount, splitIndex, startsTurn } from '../../../src/shared/snapshotSplit';

const prompt = (n: number) => ({ id: `u${n}`, role: 'user', kind: 'prompt' });
const answer = (n: number) => ({ id: `a${n}`, role: 'assistant' });
const toolResults = (n: number) => ({ id: `r${n}`, role: 'user', kind: 'tool_results' });
const turns = (count: number) => Array.from({ length: count }, (_, n) => (n % 2 ? answer(n) : prompt(n)));

describe('splitIndex (where a long conversation is cut for opening)', () => {
  it('keeps the newest headCount messages, cut at the prompt at or before them', () => {
    assert.equal(splitIndex(turns(10), 4), 6);
    // 10 - 5 = 5 is an answer: the cut moves back to the prompt before it.
    assert.equal(splitIndex(turns(10), 5), 4);
    assert.equal(headMessageCount, 120);
    const long = turns(2000);
    const split = splitIndex(long);
    assert.equal(split, 1880);
    assert.equal(long[split].role, 'user');
  });

  it('never cuts an assistant turn glued together by tool results', () => {
    const messages = [prompt(0), answer(1), prompt(2), answer(3), toolResults(4), answer(5), toolResults(6), answer(7)];
    assert.equal(splitIndex(messages, 3), 2);
    assert.equal(splitIndex(messages, 4), 2);
  });

  it('is 0 (nothing held back) for a short conversation or one without an earlier prompt', () => {
    assert.equal(splitIndex(turns(4), 4), 0);
    assert.equal(splitIndex(turns(3), 4), 0);
    assert.equal(splitIndex([], 0), 0);
    assert.equal(splitIndex([prompt(0), answer(1), toolResults(2), answer(3), toolResults(4), answer(5)], 2), 0);
  });

  it('knows a prompt from tool results, answers and anything else', () => {
    assert.equal(startsTurn(prompt(0)), true);
    assert.equal(startsTurn({ role: 'user' }), true);
    assert.equal(startsTurn(toolResults(0)), false);
    assert.equal(startsTurn(answer(0)), false);
    assert.equal(startsTurn(null), false);
    assert.equal(startsTurn([prompt(0)]), false);
    assert.equal(startsTurn('user'), false);
  });
});
