// Checkpoints recorded through the real ToolRunner: an auto-applied edit and creation, and a
// run_command that deletes a file, all in one turn; restoring the turn brings every file back.
// A checkpoint that cannot be recorded stops the edit; a transient turn (VS Code's Chat) records nothing.
import * as assert from 'node:assert/strict';
import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { turnsWithChanges } from '../../../src/core/checkpoints/model';
import { TurnCheckpointer } from '../../../src/core/checkpoints/recorder';
import { Restorer } from '../../../src/core/checkpoints/restore';
import { CheckpointStore } from '../../../src/core/checkpoints/store';
import type { CommandRequest, CommandResult, CommandRunner } from '../../../src/core/tools/commandTool';
import { ToolRunner } from '../../../src/core/tools/toolRunner';
import type { ToolUseBlock } from '../../../src/shared/model';
import { FakeHost, settings, tempDir, writeFiles } from '../tools/fakeHost';
import { nodeFiles, walkLister } from './nodeFiles';

class DeletingRunner implements CommandRunner {
  constructor(private readonly file: string) {}
  async run(_request: CommandRequest): Promise<CommandResult> {
    await unlink(this.file);
    return { output: '', exitCode: 0, via: 'process', timedOut: false };
  }
}

describe('checkpoints through the tool runner', () => {
  let ws: string;
  let storage: string;
  let store: CheckpointStore;
  const turn = { conversationId: 'c1', turnId: 'p1', mode: 'agent' as const };

  beforeEach(async () => {
    ws = tempDir('aiml-cp-ws-');
    storage = tempDir('aiml-cp-store-');
    store = new CheckpointStore(storage);
    await writeFiles(ws, { 'src/a.ts': 'export const a = 1;\n', 'notes.md': '# notes\n' });
  });
  afterEach(async () => {
    await rm(ws, { recursive: true, force: true });
    await rm(storage, { recursive: true, force: true });
  });

  const runnerWith = (checkpoints: ConstructorParameters<typeof ToolRunner>[4]) => new ToolRunner(
    new FakeHost([{ fsPath: ws, name: 'ws' }]),
    () => settings({ autoApplyEdits: true, commandAllowlist: ['rm'] }),
    new DeletingRunner(path.join(ws, 'notes.md')),
    undefined,
    checkpoints,
  );
  const calls: ToolUseBlock[] = [
    { type: 'tool_use', id: 't1', name: 'propose_edit', input: { path: 'src/a.ts', action: 'replace', old_text: 'a = 1', new_text: 'a = 2' } },
    { type: 'tool_use', id: 't2', name: 'propose_edit', input: { path: 'src/b.ts', action: 'create', new_text: 'export {};\n' } },
    { type: 'tool_use', id: 't3', name: 'run_command', input: { command: 'rm notes.md' } },
  ];
  const run = (executor: { execute: ToolRunner['execute'] }) => executor.execute(calls, { signal: new AbortController().signal, onCard: () => undefined });

  it('records an edit, a creation and a deletion by a command, and restores all three', async () => {
    const runner = runnerWith((t) => new TurnCheckpointer(store, t, nodeFiles, walkLister(ws)));
    const results = await run(runner.forTurn(turn));
    assert.deepEqual(results.map((r) => r.is_error), [undefined, undefined, undefined], JSON.stringify(results));
    assert.equal(await nodeFiles.size(path.join(ws, 'notes.md')), undefined, 'the command ran');

    assert.deepEqual(turnsWithChanges(await store.load('c1')), ['p1']);
    const restorer = new Restorer(store, nodeFiles, (p) => p.startsWith(ws));
    const result = await restorer.restore('c1', (await restorer.plan('c1', 'p1'))!);
    assert.deepEqual(result.failed, []);
    assert.equal(await readFile(path.join(ws, 'src/a.ts'), 'utf8'), 'export const a = 1;\n');
    assert.equal(await nodeFiles.size(path.join(ws, 'src/b.ts')), undefined);
    assert.equal(await readFile(path.join(ws, 'notes.md'), 'utf8'), '# notes\n');
  });

  it('writes nothing when the checkpoint cannot be recorded', async () => {
    const runner = runnerWith(() => ({ beforeWrite: async () => { throw new Error('disk full'); }, aroundCommand: (go) => go() }));
    const [edit] = await run(runner.forTurn(turn));
    assert.equal(edit.is_error, true);
    assert.match(String(edit.content), /checkpoint of src\/a\.ts could not be recorded \(disk full\), so nothing was written/);
    assert.equal(await readFile(path.join(ws, 'src/a.ts'), 'utf8'), 'export const a = 1;\n');
  });

  it('records nothing for a transient turn or without a recorder', async () => {
    await run(runnerWith((t) => new TurnCheckpointer(store, t, nodeFiles, walkLister(ws))).forTurn({ ...turn, transient: true }));
    assert.deepEqual((await store.load('c1')).turns, []);
    await writeFile(path.join(ws, 'notes.md'), '# notes\n');
    await writeFile(path.join(ws, 'src/a.ts'), 'export const a = 1;\n');
    await rm(path.join(ws, 'src/b.ts'));
    const plain = await run(runnerWith(undefined).forTurn(turn));
    assert.equal(plain[0].is_error, undefined);
    assert.deepEqual((await store.load('c1')).turns, []);
  });
});
