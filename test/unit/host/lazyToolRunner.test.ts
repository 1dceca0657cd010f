// The tool runner comes from its own bundle on first use (src/host/tools/lazyRunner.ts): nothing
// loads it before tools are asked for, it is loaded once, and decisions before it find nothing.
import * as assert from 'node:assert/strict';
import { LazyToolRunner, type ToolsBundle } from '../../../src/host/tools/lazyRunner';
import type { ToolRunnerDeps } from '../../../src/host/tools/runnerBundle';

/** A stand-in bundle whose runner records the calls it gets. */
function fakeBundle(calls: string[]): { bundle: ToolsBundle; loads: () => number; disposed: () => number } {
  let loads = 0;
  let disposed = 0;
  const runner = {
    forTurn: (turn: { id: string }) => { calls.push(`forTurn ${turn.id}`); return { definitions: () => [], isReadOnly: () => true, execute: async () => [] }; },
    definitions: (mode?: string) => { calls.push(`definitions ${mode ?? 'agent'}`); return [{ name: 'read_file', description: 'd', input_schema: { type: 'object' } }]; },
    isReadOnly: (name: string) => { calls.push(`isReadOnly ${name}`); return name === 'read_file'; },
    toolsNotice: () => { calls.push('toolsNotice'); return undefined; },
    execute: async () => { calls.push('execute'); return []; },
    decide: (id: string, decision: string) => { calls.push(`decide ${id} ${decision}`); return true; },
    showDiff: async (id: string) => { calls.push(`showDiff ${id}`); return true; },
    pendingDecisions: () => [{ toolUseId: 't1', kind: 'allow_deny' as const }],
  };
  const bundle = {
    createToolRunner: (deps: ToolRunnerDeps) => {
      loads++;
      calls.push(`created with ${Object.keys(deps).sort().join(',')}`);
      return { runner, dispose: () => { disposed++; } };
    },
    chooseVscodeTools: async () => { calls.push('chooseVscodeTools'); },
  } as unknown as ToolsBundle;
  return { bundle, loads: () => loads, disposed: () => disposed };
}

const deps = { proposals: {}, log: {}, checkpoints: () => ({}) } as unknown as ToolRunnerDeps;

describe('LazyToolRunner (dist/tools.js on first use)', () => {
  it('loads nothing until tools are asked for; decisions before that find nothing pending', async () => {
    const calls: string[] = [];
    const fake = fakeBundle(calls);
    let required = 0;
    const runner = new LazyToolRunner(deps, () => { required++; return fake.bundle; });
    assert.equal(runner.decide('t1', 'allow'), false);
    assert.equal(await runner.showDiff('t1'), false);
    assert.deepEqual(runner.pendingDecisions(), []);
    runner.dispose();
    assert.equal(required, 0, 'the bundle was not required');
    assert.equal(runner.isLoaded, false);
    assert.deepEqual(calls, []);
  });

  it('loads the bundle once on the first definitions() and forwards every call to the one runner', async () => {
    const calls: string[] = [];
    const fake = fakeBundle(calls);
    const timings: number[] = [];
    let required = 0;
    const runner = new LazyToolRunner(deps, () => { required++; return fake.bundle; }, (ms) => timings.push(ms));
    assert.deepEqual(runner.definitions('plan').map((d) => d.name), ['read_file']);
    assert.equal(runner.isLoaded, true);
    assert.equal(runner.isReadOnly('read_file'), true);
    assert.equal(runner.toolsNotice(), undefined);
    runner.forTurn({ id: 'turn-1' } as never);
    await runner.execute([], {} as never);
    assert.equal(runner.decide('t1', 'deny'), true);
    assert.equal(await runner.showDiff('t1'), true);
    assert.deepEqual(runner.pendingDecisions(), [{ toolUseId: 't1', kind: 'allow_deny' }]);
    await runner.module().chooseVscodeTools();
    assert.equal(required, 1, 'required once');
    assert.equal(fake.loads(), 1, 'one runner');
    assert.equal(timings.length, 1);
    assert.deepEqual(calls, ['created with checkpoints,log,proposals', 'definitions plan', 'isReadOnly read_file', 'toolsNotice', 'forTurn turn-1', 'execute', 'decide t1 deny', 'showDiff t1', 'chooseVscodeTools']);
    runner.dispose();
    assert.equal(fake.disposed(), 1, 'its terminals go with the extension');
  });

  it('the command that only needs the module does not build the runner', async () => {
    const calls: string[] = [];
    const fake = fakeBundle(calls);
    const runner = new LazyToolRunner(deps, () => fake.bundle);
    await runner.module().chooseVscodeTools();
    assert.equal(runner.isLoaded, false);
    assert.deepEqual(calls, ['chooseVscodeTools']);
  });
});
