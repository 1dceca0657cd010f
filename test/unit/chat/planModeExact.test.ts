// Plan mode's wrapper of an executor, exactly: which calls reach the real executor (and in which
// mode), the card and the result each refused call gets, and the order of the answers.
import * as assert from 'node:assert/strict';
import { executorForMode, planModeRefusal, PLAN_MODE_INSTRUCTION, PLAN_MODE_REFUSED } from '../../../src/core/chat/planMode';
import type { ToolExecutionContext, ToolExecutor } from '../../../src/core/chat/toolExecutor';
import type { ToolCallState, ToolResultBlock, ToolUseBlock } from '../../../src/shared/model';

const call = (id: string, name: string): ToolUseBlock => ({ type: 'tool_use', id, name, input: {} });

/** Vouches for `read_*` tools only; records every batch and the context's mode. */
function recording(): ToolExecutor & { batches: string[][]; modes: Array<string | undefined> } {
  const batches: string[][] = [];
  const modes: Array<string | undefined> = [];
  return {
    batches,
    modes,
    definitions: () => [{ name: 'read_a', description: '', input_schema: {} }, { name: 'write_b', description: '', input_schema: {} }],
    isReadOnly: (name) => name.startsWith('read_'),
    execute: async (calls: ToolUseBlock[], context: ToolExecutionContext): Promise<ToolResultBlock[]> => {
      batches.push(calls.map((c) => c.id));
      modes.push(context.mode);
      return calls.map((c) => ({ type: 'tool_result', tool_use_id: c.id, content: `ran ${c.id}` }));
    },
  };
}

function run(calls: ToolUseBlock[]) {
  const inner = recording();
  const cards: ToolCallState[] = [];
  const plan = executorForMode(inner, 'plan');
  return { inner, cards, results: plan.execute(calls, { signal: new AbortController().signal, onCard: (state) => cards.push(state) }) };
}

describe('Plan mode (exact)', () => {
  it('runs every read-only call in one batch in Plan mode and answers each call in its own order', async () => {
    const t = run([call('r1', 'read_a'), call('w1', 'write_b'), call('r2', 'read_c')]);
    assert.deepEqual(await t.results, [
      { type: 'tool_result', tool_use_id: 'r1', content: 'ran r1' },
      { type: 'tool_result', tool_use_id: 'w1', is_error: true, content: planModeRefusal('write_b') },
      { type: 'tool_result', tool_use_id: 'r2', content: 'ran r2' },
    ]);
    assert.deepEqual(t.inner.batches, [['r1', 'r2']]);
    assert.deepEqual(t.inner.modes, ['plan']);
  });

  it('gives exactly the refused calls a failed card, and calls the executor not at all when nothing may run', async () => {
    const t = run([call('w1', 'write_b'), call('w2', 'run_command')]);
    assert.deepEqual((await t.results).map((r) => r.content), [planModeRefusal('write_b'), planModeRefusal('run_command')]);
    assert.deepEqual(t.inner.batches, []);
    assert.deepEqual(t.cards, [
      { toolUseId: 'w1', tool: 'write_b', target: '', status: 'failed', summary: 'refused: Plan mode offers read-only tools only' },
      { toolUseId: 'w2', tool: 'run_command', target: '', status: 'failed', summary: 'refused: Plan mode offers read-only tools only' },
    ]);
  });

  it('adds no card of its own for a call that runs', async () => {
    const t = run([call('r1', 'read_a')]);
    await t.results;
    assert.deepEqual(t.cards, []);
  });

  it('offers the read-only definitions and vouches only for what the executor vouches for', () => {
    const plan = executorForMode(recording(), 'plan');
    assert.deepEqual(plan.definitions().map((d) => d.name), ['read_a']);
    assert.equal(plan.isReadOnly?.('read_x'), true);
    assert.equal(plan.isReadOnly?.('write_b'), false);
  });

  it('the refusal names the tool, says nothing ran and how to carry the step out', () => {
    assert.equal(PLAN_MODE_REFUSED, 'Refused: Plan mode');
    assert.equal(planModeRefusal('run_command'), 'Refused: Plan mode offers read-only tools only, and "run_command" can change files or run commands. Nothing was run. '
      + 'Put this step in your plan instead; the user can switch to Agent mode to carry it out.');
  });

  it('the plan instruction is five lines: a plan, read-only tools, the plan\'s shape, no claimed changes, Agent mode', () => {
    assert.deepEqual(PLAN_MODE_INSTRUCTION.split('\n'), [
      'Plan mode is on: the user wants a plan, not changes.',
      'You have read-only tools only. Use them to look at the code the plan depends on.',
      'Answer with a step-by-step plan: the files to change and what to change in each, in order, then how to check the result (build, tests).',
      'Do not write the complete changes, and never say that you changed, created, deleted or ran anything: nothing is changed in Plan mode.',
      'The user carries the plan out by switching to Agent mode.',
    ]);
  });
});
