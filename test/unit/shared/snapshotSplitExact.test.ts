// Exact cases for the mutation run of src/shared/snapshotSplit.ts (issue 17): the edges that the
// behaviour tests in snapshotSplit.test.ts do not reach.
import * as assert from 'node:assert/strict';
import { splitIndex, startsTurn } from '../../../src/shared/snapshotSplit';

const prompt = (n: number) => ({ id: `u${n}`, role: 'user', kind: 'prompt' });
const answer = (n: number) => ({ id: `a${n}`, role: 'assistant' });
const toolResults = (n: number) => ({ id: `r${n}`, role: 'user', kind: 'tool_results' });

describe('splitIndex and startsTurn (exact edges)', () => {
  it('is 0, not a negative index, when no message before the cut starts a turn', () => {
    // The cut (index 2) walks back to 0, and index 0 is no prompt either: the whole list is the head.
    assert.equal(splitIndex([answer(0), toolResults(1), answer(2), toolResults(3), answer(4)], 3), 0);
    assert.equal(splitIndex([toolResults(0), answer(1)], 1), 0);
  });

  it('is 0 at exactly headCount messages and cuts from one more on', () => {
    const five = [prompt(0), answer(1), prompt(2), answer(3), prompt(4)];
    assert.equal(splitIndex(five, 5), 0);
    assert.equal(splitIndex([...five, answer(5)], 5), 0, 'index 1 is an answer: back to the prompt at 0');
    assert.equal(splitIndex([...five, answer(5), prompt(6)], 5), 2);
    assert.equal(splitIndex(five, 6), 0, 'fewer messages than headCount');
  });

  it('takes only plain records as messages: a function carrying a user role is none', () => {
    // isRecord's typeof check: postMessage and JSON never carry functions, but a record is what the
    // rule reads, and a function is no record.
    assert.equal(startsTurn(Object.assign(() => undefined, { role: 'user' })), false);
    assert.equal(startsTurn(Object.assign(['x'], { role: 'user' })), false, 'an array with a role is no message either');
    assert.equal(startsTurn(undefined), false);
  });
});
