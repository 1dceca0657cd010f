// The tool runner, exact (issue 17): which tools each mode and style offers, how decisions are
// routed (wrong kind, twice, after Stop), the cards, the tool_result of every outcome, and the
// exact text of the runner's own refusals.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ExternalResultPart, ExternalToolInfo, ExternalToolSource } from '../../../src/core/tools/externalTools';
import type { CommandRequest, CommandResult, CommandRunner } from '../../../src/core/tools/commandTool';
import type { TurnCheckpoint } from '../../../src/core/checkpoints/recorder';
import { AbortedError, DEFAULT_COMMAND_TIMEOUT_SECONDS, ToolRunner, type ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ChatMode, ToolCallState, ToolUseBlock } from '../../../src/shared/model';
import { CardLog, FakeHost, settings, tempDir, writeFiles } from './fakeHost';

class RecordingCommands implements CommandRunner {
  requests: CommandRequest[] = [];
  async run(request: CommandRequest): Promise<CommandResult> {
    this.requests.push(request);
    return { output: 'ok', exitCode: 0, via: 'process', timedOut: false };
  }
}

async function setup(overrides: Partial<ToolRunnerSettings> = {}, withCommands = false) {
  const ws = tempDir('aiml-runner-exact-');
  await writeFiles(ws, { 'a.txt': 'one\ntwo\n', 'empty.txt': '' });
  const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
  let current = settings(overrides);
  const commands = withCommands ? new RecordingCommands() : undefined;
  const runner = new ToolRunner(host, () => current, commands);
  const cards = new CardLog();
  const exec = (calls: Array<{ id?: string; name: string; input: unknown }>, extra: { signal?: AbortSignal; mode?: ChatMode; onCard?: (s: ToolCallState) => void } = {}) =>
    runner.execute(calls.map((c, i): ToolUseBlock => ({ type: 'tool_use', id: c.id ?? `c${i + 1}`, name: c.name, input: c.input })), {
      signal: extra.signal ?? new AbortController().signal, mode: extra.mode,
      onCard: (s) => { cards.onCard(s); extra.onCard?.(s); },
    });
  return { ws, host, runner, cards, commands, exec, set: (o: Partial<ToolRunnerSettings>) => { current = settings(o); } };
}

const names = (runner: ToolRunner, mode?: ChatMode) => runner.definitions(mode).map((d) => d.name);

describe('tool runner: what is offered, exact', () => {
  it('read-only: the six read tools only', async () => {
    const { runner } = await setup();
    for (const name of ['read_file', 'list_directory', 'find_files', 'search_text', 'get_selection', 'get_diagnostics']) assert.equal(runner.isReadOnly(name), true, name);
    for (const name of ['propose_edit', 'run_command', 'str_replace_based_edit_tool', 'unknown', 'toString']) assert.equal(runner.isReadOnly(name), false, name);
  });

  it('plan mode offers the read tools, read_file and list_directory included in the anthropic style', async () => {
    const { runner } = await setup({ editorToolStyle: 'anthropic' }, true);
    assert.deepEqual(names(runner, 'plan'), ['read_file', 'list_directory', 'find_files', 'search_text', 'get_selection', 'get_diagnostics']);
    assert.deepEqual(names(runner, 'agent'), ['str_replace_based_edit_tool', 'find_files', 'search_text', 'get_selection', 'get_diagnostics', 'run_command']);
    assert.deepEqual(names(runner), names(runner, 'agent'));
  });

  it('run_command only with a command runner; the text editor tool not when set to never', async () => {
    const { runner, set } = await setup({}, true);
    assert.deepEqual(names(runner).slice(-2), ['propose_edit', 'run_command']);
    assert.equal((await setup()).runner.definitions().some((d) => d.name === 'run_command'), false);
    set({ editorToolStyle: 'anthropic', toolApproval: { str_replace_based_edit_tool: 'never' } });
    assert.deepEqual(names(runner), ['find_files', 'search_text', 'get_selection', 'get_diagnostics', 'run_command']);
    set({ editorToolStyle: 'anthropic', toolApproval: { str_replace_based_edit_tool: 'ask' } });
    assert.deepEqual(runner.definitions()[0], { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' });
  });

  it('the tools-off notice is undefined while tools are on', async () => {
    const { runner } = await setup();
    assert.equal(runner.toolsNotice(), undefined);
  });
});

describe('tool runner: results and cards, exact', () => {
  it('every card appears as validating before the first call runs', async () => {
    const { exec, cards } = await setup();
    await exec([{ name: 'read_file', input: { path: 'a.txt' } }, { name: 'read_file', input: { path: 'a.txt' } }]);
    assert.deepEqual(cards.updates.slice(0, 2), [
      { toolUseId: 'c1', tool: 'read_file', target: '', status: 'validating' },
      { toolUseId: 'c2', tool: 'read_file', target: '', status: 'validating' },
    ]);
    assert.deepEqual(cards.latest('c1'), { toolUseId: 'c1', tool: 'read_file', target: 'a.txt', status: 'succeeded', summary: 'read 2 lines', details: undefined });
  });

  it('a succeeded call has no is_error; an empty content becomes "(no output)"', async () => {
    const { exec } = await setup();
    const [ok, empty] = await exec([{ name: 'read_file', input: { path: 'a.txt' } }, { name: 'get_diagnostics', input: {} }]);
    assert.equal('is_error' in ok, false);
    assert.deepEqual(Object.keys(ok).sort(), ['content', 'tool_use_id', 'type']);
    assert.equal(typeof empty.content, 'string');
    assert.notEqual(empty.content, '');
  });

  it('tools off: the notice is the result, the card says so', async () => {
    const { exec, cards } = await setup({ toolsEnabled: false });
    const [result] = await exec([{ name: 'read_file', input: { path: 'a.txt' } }]);
    assert.equal(result.is_error, true);
    assert.equal(cards.latest('c1')?.summary, 'tools are off');
  });

  it('an unknown tool, and the text editor tool in plan mode, are answered with the offered list', async () => {
    const { exec, cards } = await setup({ editorToolStyle: 'anthropic' });
    const [unknown] = await exec([{ name: 'nope', input: {} }]);
    assert.equal(unknown.content, 'Unknown tool "nope". Available tools: str_replace_based_edit_tool, find_files, search_text, get_selection, get_diagnostics.');
    assert.equal(cards.latest('c1')?.summary, 'unknown tool');
    const [planned] = await exec([{ name: 'str_replace_based_edit_tool', input: { command: 'view', path: 'a.txt' } }], { mode: 'plan' });
    assert.equal(planned.content, 'Unknown tool "str_replace_based_edit_tool". Available tools: read_file, list_directory, find_files, search_text, get_selection, get_diagnostics.');
    const [edit] = await exec([{ name: 'propose_edit', input: { path: 'a.txt', action: 'create', new_text: 'x' } }], { mode: 'plan' });
    assert.match(String(edit.content), /^Unknown tool "propose_edit"\./);
  });

  it('a tool not offered in this style is unknown, though it is one of ours', async () => {
    const { exec } = await setup({ editorToolStyle: 'anthropic' });
    const [result] = await exec([{ name: 'read_file', input: { path: 'a.txt' } }]);
    assert.match(String(result.content), /^Unknown tool "read_file"\. Available tools: str_replace_based_edit_tool,/);
  });

  it('invalid input: the schema message, "Nothing was run.", and summary "invalid input"', async () => {
    const { exec, cards } = await setup({ editorToolStyle: 'anthropic' });
    const [custom] = await exec([{ id: 'x', name: 'find_files', input: { pattern: 1 } }]);
    assert.equal(custom.content, 'Invalid input for find_files: pattern: Invalid input: expected string, received number. Nothing was run.');
    assert.equal(cards.latest('x')?.summary, 'invalid input');
    const [editor] = await exec([{ id: 'y', name: 'str_replace_based_edit_tool', input: '{"command":"view"' }]);
    assert.match(String(editor.content), /^Invalid input for str_replace_based_edit_tool: /);
    assert.equal(cards.latest('y')?.summary, 'invalid input');
  });

  it('input null or undefined counts as {}; a JSON string is parsed; other strings stay strings', async () => {
    const { exec, host, ws } = await setup();
    host.selection = { absPath: path.join(ws, 'a.txt'), documentName: 'a.txt', languageId: 'plaintext', startLine: 1, endLine: 1, text: 'one', isEmpty: false };
    const [fromNull, fromUndefined] = await exec([{ name: 'get_selection', input: null }, { name: 'get_selection', input: undefined }]);
    assert.equal(fromNull.content, 'File: a.txt (plaintext), selected lines 1-1:\none');
    assert.equal(fromUndefined.content, fromNull.content);
    const [text] = await exec([{ name: 'read_file', input: 'a.txt' }]);
    assert.match(String(text.content), /^Invalid input for read_file: /);
    assert.equal(text.is_error, true);
  });

  it('a handler that throws: "<tool> failed: <message>", summary "failed"', async () => {
    const { exec, host, cards } = await setup();
    host.stat = async () => { throw new Error('disk gone'); };
    const [result] = await exec([{ name: 'read_file', input: { path: 'a.txt' } }]);
    assert.deepEqual(result, { type: 'tool_result', tool_use_id: 'c1', content: 'read_file failed: disk gone', is_error: true });
    assert.equal(cards.latest('c1')?.summary, 'failed');
    assert.equal(cards.latest('c1')?.status, 'failed');
  });

  it('a handler that throws after Stop: the run stops with an AbortError, later cards skipped', async () => {
    const { exec, host, cards } = await setup();
    const controller = new AbortController();
    host.stat = async () => { controller.abort(); throw new Error('interrupted'); };
    await assert.rejects(exec([{ name: 'read_file', input: { path: 'a.txt' } }, { name: 'read_file', input: { path: 'a.txt' } }], { signal: controller.signal }), (error: Error) => error instanceof AbortedError && error.message === 'The tool calls were stopped.' && error.name === 'AbortError');
    assert.deepEqual(cards.latest('c2'), { toolUseId: 'c2', tool: 'read_file', target: '', status: 'skipped', summary: 'stopped', approval: undefined });
    assert.equal(cards.latest('c1')?.status, 'skipped');
  });

  it('stopped before the first call: nothing runs, every card skipped', async () => {
    const { exec, host, cards } = await setup();
    const controller = new AbortController();
    controller.abort();
    let stats = 0;
    host.stat = async () => { stats++; return undefined; };
    await assert.rejects(exec([{ name: 'read_file', input: { path: 'a.txt' } }], { signal: controller.signal }), AbortedError);
    assert.equal(stats, 0);
    assert.equal(cards.latest('c1')?.status, 'skipped');
  });

  it('run_command gets the default timeout and an empty allowlist when none is set', async () => {
    const { exec, commands } = await setup({ commandAllowlist: ['ls'] }, true);
    await exec([{ name: 'run_command', input: { command: 'ls' } }]);
    assert.equal(commands!.requests.length, 1);
    assert.equal(commands!.requests[0].timeoutMs, 120_000);
    assert.equal(DEFAULT_COMMAND_TIMEOUT_SECONDS, 120);
    // Without an allowlist the same command asks first.
    const second = await setup({}, true);
    const [denied] = await second.exec([{ id: 'q', name: 'run_command', input: { command: 'ls' } }], { onCard: (s) => { if (s.status === 'awaiting_approval') void Promise.resolve().then(() => second.runner.decide('q', 'deny')); } });
    assert.equal(second.cards.latest('q')?.status, 'denied', String(denied.content));
    assert.equal(second.commands!.requests.length, 0);
  });
});

describe('tool runner: decisions, exact', () => {
  it('routes a decision only to its own kind, once; showDiff only for a pending edit', async () => {
    const { exec, runner, host } = await setup();
    const seen: string[] = [];
    const done = exec([{ id: 'e', name: 'propose_edit', input: { path: 'a.txt', action: 'replace', old_text: 'one', new_text: 'uno' } }], {
      onCard: (s) => {
        if (s.status !== 'awaiting_approval' || seen.length) return;
        seen.push('asked');
        void Promise.resolve().then(async () => {
          assert.deepEqual(runner.pendingDecisions(), [{ toolUseId: 'e', kind: 'apply_discard' }]);
          assert.equal(runner.decide('e', 'allow'), false);
          assert.equal(runner.decide('e', 'deny'), false);
          assert.equal(runner.decide('other', 'apply'), false);
          assert.equal(await runner.showDiff('other'), false);
          assert.equal(await runner.showDiff('e'), true);
          assert.equal(host.reviews[0].revealed, 1);
          assert.equal(runner.decide('e', 'apply', [0]), true);
          assert.equal(runner.decide('e', 'apply'), false);
          assert.deepEqual(runner.pendingDecisions(), []);
        });
      },
    });
    const [result] = await done;
    assert.equal(result.is_error, undefined, String(result.content));
    assert.deepEqual(host.writes.map((w) => w.newText), ['uno\ntwo\n']);
  });

  it('an allow_deny question takes allow or deny only, and has no diff to show', async () => {
    const { exec, runner } = await setup({ autoApproveReads: false });
    const checks: boolean[] = [];
    const [result] = await exec([{ id: 'r', name: 'read_file', input: { path: 'a.txt' } }], {
      onCard: (s) => {
        if (s.status !== 'awaiting_approval') return;
        void Promise.resolve().then(async () => {
          checks.push(runner.decide('r', 'apply'), runner.decide('r', 'discard'), await runner.showDiff('r'));
          assert.deepEqual(runner.pendingDecisions(), [{ toolUseId: 'r', kind: 'allow_deny' }]);
          checks.push(runner.decide('r', 'allow'));
        });
      },
    });
    assert.deepEqual(checks, [false, false, false, true]);
    assert.match(String(result.content), /^a\.txt \(lines 1-2 of 2\)/);
  });

  it('Stop while waiting removes the pending decision; a later decide is ignored', async () => {
    const { exec, runner } = await setup({ autoApproveReads: false });
    const controller = new AbortController();
    const running = exec([{ id: 'r', name: 'read_file', input: { path: 'a.txt' } }], { signal: controller.signal, onCard: (s) => { if (s.status === 'awaiting_approval') void Promise.resolve().then(() => controller.abort()); } });
    await assert.rejects(running, AbortedError);
    assert.deepEqual(runner.pendingDecisions(), []);
    assert.equal(runner.decide('r', 'allow'), false);
  });

  it('a decision made before Stop stands: the stop listener is removed', async () => {
    const { exec, runner } = await setup({ autoApproveReads: false });
    const controller = new AbortController();
    const [result] = await exec([{ id: 'r', name: 'read_file', input: { path: 'a.txt' } }], {
      signal: controller.signal,
      onCard: (s) => { if (s.status === 'awaiting_approval') void Promise.resolve().then(() => { runner.decide('r', 'allow'); controller.abort(); }); },
    });
    assert.match(String(result.content), /^a\.txt \(lines 1-2 of 2\)/);
  });
});

describe('tool runner: checkpoints per turn', () => {
  it('records for a normal turn, never for a transient one', async () => {
    const ws = tempDir('aiml-runner-cp-');
    await writeFiles(ws, { 'a.txt': 'one\n' });
    const recorded: string[] = [];
    const made: string[] = [];
    const runner = new ToolRunner(new FakeHost([{ fsPath: ws, name: 'ws' }]), () => settings({ autoApplyEdits: true }), undefined, undefined, (turn): TurnCheckpoint => {
      made.push(turn.turnId);
      return { beforeWrite: async (abs) => { recorded.push(path.basename(abs)); }, aroundCommand: (go) => go() };
    });
    const call: ToolUseBlock = { type: 'tool_use', id: 'e', name: 'propose_edit', input: { path: 'a.txt', action: 'insert', line: 1, new_text: 'two' } };
    const context = { signal: new AbortController().signal, onCard: () => undefined };
    await runner.forTurn({ conversationId: 'c', turnId: 't1', mode: 'agent' }).execute([call], context);
    await runner.forTurn({ conversationId: 'c', turnId: 't2', mode: 'agent', transient: true }).execute([call], context);
    assert.deepEqual(made, ['t1']);
    assert.deepEqual(recorded, ['a.txt']);
    const executor = runner.forTurn({ conversationId: 'c', turnId: 't3', mode: 'plan' });
    assert.deepEqual(executor.definitions('plan').map((d) => d.name), names(runner, 'plan'));
    assert.equal(executor.isReadOnly!('read_file'), true);
    assert.equal(executor.isReadOnly!('propose_edit'), false);
  });
});

class Source implements ExternalToolSource {
  calls: string[] = [];
  list(): readonly ExternalToolInfo[] {
    return [{ name: 'read_file', description: 'Another read_file', tags: [] }, { name: 'mcp_echo', description: 'Echo', tags: [], inputSchema: { type: 'object', properties: {} } }];
  }
  async invoke(name: string): Promise<ExternalResultPart[]> { this.calls.push(name); return [{ kind: 'text', text: 'echoed' }]; }
}

describe('tool runner: VS Code / MCP tools beside our own, exact', () => {
  const rig = async (withSource = true, externalTools = ['*']) => {
    const ws = tempDir('aiml-runner-ext-');
    await writeFiles(ws, { 'a.txt': 'one\n' });
    const source = new Source();
    const runner = new ToolRunner(new FakeHost([{ fsPath: ws, name: 'ws' }]), () => settings({ externalTools }), undefined, withSource ? source : undefined);
    const exec = (name: string, mode?: ChatMode) => runner.execute([{ type: 'tool_use', id: 'e1', name, input: {} }], { signal: new AbortController().signal, onCard: (s) => { if (s.status === 'awaiting_approval') void Promise.resolve().then(() => runner.decide('e1', 'allow')); }, mode });
    return { runner, source, exec };
  };
  const ours = ['read_file', 'list_directory', 'find_files', 'search_text', 'get_selection', 'get_diagnostics', 'propose_edit'];

  it('our names are reserved: read_file is ours, the other one gets another name', async () => {
    const { runner, source, exec } = await rig();
    const all = names(runner);
    assert.deepEqual(all.slice(0, 7), ours);
    assert.equal(all.filter((n) => n === 'read_file').length, 1);
    assert.ok(all.includes('mcp_echo'));
    const [result] = await runner.execute([{ type: 'tool_use', id: 'r', name: 'read_file', input: { path: 'a.txt' } }], { signal: new AbortController().signal, onCard: () => undefined });
    assert.equal(result.content, 'a.txt (lines 1-1 of 1)\n     1\tone');
    assert.deepEqual(source.calls, []);
    const [echo] = await exec('mcp_echo');
    assert.equal(echo.content, 'echoed');
    assert.deepEqual(source.calls, ['mcp_echo']);
  });

  it('plan mode neither offers nor runs them', async () => {
    const { runner, source, exec } = await rig();
    assert.deepEqual(names(runner, 'plan'), ours.slice(0, 6));
    const [result] = await exec('mcp_echo', 'plan');
    assert.equal(result.content, `Unknown tool "mcp_echo". Available tools: ${ours.slice(0, 6).join(', ')}.`);
    assert.deepEqual(source.calls, []);
  });

  it('chosen tools without a source: none offered, nothing breaks', async () => {
    const { runner } = await rig(false);
    assert.deepEqual(names(runner), ours);
    const [result] = await runner.execute([{ type: 'tool_use', id: 'r', name: 'read_file', input: { path: 'a.txt' } }], { signal: new AbortController().signal, onCard: () => undefined });
    assert.equal(result.is_error, undefined);
  });
});

describe('tool runner: cards while running and Stop, exact', () => {
  it('a call shows "running" (with its target for the text editor) between validating and the outcome', async () => {
    const { exec, cards } = await setup({ editorToolStyle: 'anthropic' });
    await exec([{ id: 'v', name: 'str_replace_based_edit_tool', input: { command: 'view', path: 'a.txt' } }, { id: 'f', name: 'find_files', input: { pattern: '*.txt' } }]);
    // The second update is the runner's own; the handler then sets the target again.
    assert.deepEqual(cards.updates.filter((u) => u.toolUseId === 'v').map((u) => [u.status, u.target]).slice(0, 2), [['validating', ''], ['running', 'a.txt']]);
    assert.equal(cards.latest('v')?.status, 'succeeded');
    assert.deepEqual(cards.updates.filter((u) => u.toolUseId === 'f').map((u) => u.status).slice(0, 2), ['validating', 'running']);
  });

  it('Stop during the second call leaves the first call\'s card as it ended', async () => {
    const { exec, host, cards } = await setup();
    const controller = new AbortController();
    const stat = host.stat.bind(host);
    let n = 0;
    host.stat = async (abs) => { if (++n === 2) { controller.abort(); throw new Error('stopped'); } return stat(abs); };
    await assert.rejects(exec([{ name: 'read_file', input: { path: 'a.txt' } }, { name: 'read_file', input: { path: 'a.txt' } }], { signal: controller.signal }), AbortedError);
    assert.equal(cards.latest('c1')?.status, 'succeeded');
    assert.equal(cards.latest('c2')?.status, 'skipped');
  });

  it('Stop just before the question is asked: the wait ends at once', async () => {
    const { exec, host } = await setup();
    const controller = new AbortController();
    const open = host.openProposal.bind(host);
    host.openProposal = async (proposal) => { controller.abort(); return open(proposal); };
    await assert.rejects(exec([{ name: 'propose_edit', input: { path: 'a.txt', action: 'replace', old_text: 'one', new_text: 'uno' } }], { signal: controller.signal }), AbortedError);
    assert.equal(host.reviews[0].closed, true);
  });

  it('no abort listener is left behind, after a decision or after Stop', async () => {
    const { exec, runner } = await setup({ autoApproveReads: false });
    const decided = new AbortController();
    await exec([{ id: 'r', name: 'read_file', input: { path: 'a.txt' } }], { signal: decided.signal, onCard: (s) => { if (s.status === 'awaiting_approval') void Promise.resolve().then(() => runner.decide('r', 'allow')); } });
    assert.equal(getEventListeners(decided.signal, 'abort').length, 0);
    const stopped = new AbortController();
    await assert.rejects(exec([{ id: 's', name: 'read_file', input: { path: 'a.txt' } }], { signal: stopped.signal, onCard: (s) => { if (s.status === 'awaiting_approval') void Promise.resolve().then(() => stopped.abort()); } }));
    assert.equal(getEventListeners(stopped.signal, 'abort').length, 0);
  });

  it('input that is not an object: the exact schema message (arrays and plain strings are not parsed as JSON)', async () => {
    const { exec } = await setup();
    const [array, text] = await exec([{ name: 'read_file', input: [5] }, { name: 'read_file', input: 'a.txt' }]);
    assert.equal(array.content, 'Invalid input for read_file: (input): Invalid input: expected object, received array. Nothing was run.');
    assert.equal(text.content, 'Invalid input for read_file: (input): Invalid input: expected object, received string. Nothing was run.');
  });
});

describe('tool runner: the content gate it builds', () => {
  it('uses the host\'s ignore rules: a link into node_modules is not found', async () => {
    const { exec, ws } = await setup();
    await writeFiles(ws, { 'node_modules/dep/index.js': 'x\n', 'src/own.js': 'y\n' });
    await fs.symlink(path.join(ws, 'node_modules/dep/index.js'), path.join(ws, 'src/to-dep.js'));
    const [result] = await exec([{ name: 'find_files', input: { pattern: '**/*.js' } }]);
    assert.equal(result.content, 'src/own.js');
  });
});
