// run_command (commandTool.ts) on a CallScope with a recording runner (issue 17): the exact card,
// the exact denial, the exact result lines for each way a command ends, the output clean-up and
// the head/tail cut at their edges, and the checkpoint around the run.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { TurnCheckpoint } from '../../../src/core/checkpoints/recorder';
import { cleanOutput, runCommandTool, trimOutput, type CommandRequest, type CommandResult, type CommandRunner, type CommandSettings } from '../../../src/core/tools/commandTool';
import { CallScope } from '../../../src/core/tools/callScope';
import { FakeHost, tempDir, writeFiles } from './fakeHost';
import { scopeFor, type ScopeOptions } from './scopeHarness';

class Runner implements CommandRunner {
  runs: CommandRequest[] = [];
  constructor(public reply: Partial<CommandResult> = {}) {}
  async run(request: CommandRequest): Promise<CommandResult> {
    this.runs.push(request);
    return { output: 'ok\n', exitCode: 0, via: 'process', timedOut: false, ...this.reply };
  }
}

const allowAll: CommandSettings = { commandAllowlist: ['ls', 'npm test'], commandTimeoutSeconds: 120 };
let ws = '';
let host: FakeHost;
before(async () => {
  ws = tempDir('aiml-cmd-exact-');
  await writeFiles(ws, { 'pkg/a.txt': 'a\n' });
  host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
});
const scope = (options: ScopeOptions = {}) => scopeFor(host, { policyNames: ['run_command'], ...options });

describe('run_command: output clean-up', () => {
  it('removes CSI, OSC (BEL or ST ended) and two-character escapes; CR and CRLF become LF; trailing blanks go', () => {
    assert.equal(cleanOutput('\x1b[1;31mred\x1b[0m \x1b[?25lcursor'), 'red cursor');
    assert.equal(cleanOutput('a\x1b]0;title\x07b\x1b]8;;http://x\x1b\\c'), 'abc');
    assert.equal(cleanOutput('a\x1bMb\x1b=c\x1b_d\x1b\\e'), 'ab\x1b=cde');
    assert.equal(cleanOutput('one\r\ntwo\rthree\n'), 'one\ntwo\nthree');
    assert.equal(cleanOutput('  lead\n\n \t\n'), '  lead');
    assert.equal(cleanOutput('x\x1b[2Ky\x1b[10;20Hz'), 'xyz');
    assert.equal(cleanOutput('a\x1b[2 qb\x1b[1!pc\x1b[>0;1;2cd'), 'abcd');
    assert.equal(cleanOutput('a\x1b]\x07b\x1b@c\x1bZd\x1b[e'), 'abcd');
  });

  it('keeps text within the budget as it is, exactly at the budget too', () => {
    assert.equal(trimOutput('0123456789', 10), '0123456789');
  });

  it('past the budget keeps 40 % head and 60 % tail and counts the cut characters and line breaks', () => {
    assert.equal(trimOutput('abcdefghijk', 10), 'abcd\n[… 1 characters (0 lines) cut from the middle of the output …]\nfghijk');
    assert.equal(trimOutput('0123\n\n6789abcdefgh', 10), '0123\n[… 8 characters (2 lines) cut from the middle of the output …]\ncdefgh');
    // Line breaks in the kept head and tail are not counted as cut.
    assert.equal(trimOutput('a\nbcdefghij\nk', 10), 'a\nbc\n[… 3 characters (0 lines) cut from the middle of the output …]\nghij\nk');
    assert.equal(trimOutput('x'.repeat(16_001)).length, 16_000 + '\n[… 1 characters (0 lines) cut from the middle of the output …]\n'.length);
    assert.equal(trimOutput('x'.repeat(16_000)), 'x'.repeat(16_000));
  });
});

describe('run_command: asking', () => {
  it('the card shows the command, its folder and the allowlist\'s reason; deny runs nothing', async () => {
    const s = scope({ answer: 'deny' });
    const runner = new Runner();
    const out = await runCommandTool(s, runner, { commandAllowlist: [], commandTimeoutSeconds: 5 }, { command: 'make', cwd: 'pkg' });
    assert.deepEqual(s.asked()[0].approval, { kind: 'command', reason: 'commands ask before they run (aimlChat.tools.commandAllowlist)', command: { text: 'make', cwd: 'pkg' } });
    assert.equal(s.asked()[0].target, 'make');
    assert.deepEqual(out, { status: 'denied', summary: 'denied by the user', content: 'The user denied running this command. Do not retry it; ask the user what to do instead.', isError: true });
    assert.deepEqual(runner.runs, []);
  });

  it('an allowlisted command runs unasked; with run_command set to ask, it asks with that reason', async () => {
    const runner = new Runner();
    await runCommandTool(scope(), runner, allowAll, { command: 'ls' });
    assert.equal(runner.runs.length, 1);
    const forced = scope({ settings: { toolApproval: { run_command: 'ask' } }, answer: 'allow' });
    await runCommandTool(forced, runner, allowAll, { command: 'ls' });
    assert.equal(forced.asked()[0].approval?.reason, 'run_command is set to ask (aimlChat.tools.approval)');
    assert.equal(forced.asked()[0].approval?.command?.cwd, '.');
    assert.equal(runner.runs.length, 2);
  });

  it('a per-tool auto does not let a command through the allowlist', async () => {
    const s = scope({ settings: { toolApproval: { run_command: 'auto' } }, answer: 'deny' });
    await runCommandTool(s, new Runner(), { commandAllowlist: [], commandTimeoutSeconds: 5 }, { command: 'make' });
    assert.equal(s.asked().length, 1);
  });
});

describe('run_command: the working folder', () => {
  it('defaults to the workspace folder, passed as an absolute path', async () => {
    const runner = new Runner();
    const s = scope();
    await runCommandTool(s, runner, allowAll, { command: 'ls' });
    assert.equal(runner.runs[0].cwd, ws);
    await runCommandTool(scope(), runner, allowAll, { command: 'ls', cwd: 'pkg' });
    assert.equal(runner.runs[1].cwd, path.join(ws, 'pkg'));
  });

  it('a file or a missing folder is not a folder; outside the workspace is refused by kind', async () => {
    const runner = new Runner();
    assert.deepEqual(await runCommandTool(scope(), runner, allowAll, { command: 'ls', cwd: 'pkg/a.txt' }), { status: 'failed', summary: 'not a folder', content: 'cwd "pkg/a.txt" is not a folder in the workspace. Nothing was run.', isError: true });
    assert.equal((await runCommandTool(scope(), runner, allowAll, { command: 'ls', cwd: 'nope' })).summary, 'not a folder');
    assert.equal((await runCommandTool(scope(), runner, allowAll, { command: 'ls', cwd: '../..' })).refusal, 'outside_workspace');
    assert.deepEqual(runner.runs, []);
  });
});

describe('run_command: the result', () => {
  const run = async (reply: Partial<CommandResult>, input: { command: string; cwd?: string; timeoutSeconds?: number } = { command: 'ls', cwd: 'pkg' }, settings = allowAll) => {
    const runner = new Runner(reply);
    const s = scope();
    const out = await runCommandTool(s, runner, settings, input);
    return { out, runner, s };
  };

  it('exit 0 as a child process: succeeded, with the exact lines', async () => {
    const { out, s, runner } = await run({ output: '\x1b[32mfile\x1b[0m\r\n' });
    assert.deepEqual(out, {
      status: 'succeeded', summary: 'exited with code 0 · ran as a child process', isError: false,
      content: '$ ls\n(in pkg, ran as a child process; exited with code 0)\nfile', details: '$ ls\n(in pkg, ran as a child process; exited with code 0)\nfile',
    });
    assert.deepEqual(s.cards.at(-1), { ...s.cards.at(-1), status: 'running', summary: 'in pkg' });
    assert.equal(runner.runs[0].timeoutMs, 120_000);
  });

  it('in the terminal; with the runner\'s note; without output', async () => {
    assert.equal((await run({ via: 'terminal' })).out.content, '$ ls\n(in pkg, ran in the "AIML Chat" terminal; exited with code 0)\nok');
    assert.equal((await run({ via: 'terminal' })).out.summary, 'exited with code 0 · ran in the terminal');
    assert.equal((await run({ note: 'shell integration not available' })).out.content, '$ ls\n(in pkg, ran as a child process (shell integration not available); exited with code 0)\nok');
    assert.equal((await run({ output: ' \n' })).out.content, '$ ls\n(in pkg, ran as a child process; exited with code 0)\n(no output)');
  });

  it('a non-zero exit fails; an unknown exit code does not; a timeout fails and names the seconds', async () => {
    const failed = (await run({ exitCode: 1 })).out;
    assert.deepEqual([failed.status, failed.isError, failed.summary], ['failed', true, 'exited with code 1 · ran as a child process']);
    const unknown = (await run({ exitCode: undefined })).out;
    assert.deepEqual([unknown.status, unknown.isError, unknown.summary], ['succeeded', false, 'finished (exit code unknown) · ran as a child process']);
    const timedOut = await run({ exitCode: 0, timedOut: true }, { command: 'ls', cwd: 'pkg', timeoutSeconds: 9 });
    assert.deepEqual([timedOut.out.status, timedOut.out.isError, timedOut.out.summary], ['failed', true, 'timed out after 9 s and was stopped · ran as a child process']);
    assert.equal(timedOut.runner.runs[0].timeoutMs, 9000);
  });

  it('the settings\' timeout applies when the call names none', async () => {
    const { runner, out } = await run({ timedOut: true, exitCode: undefined }, { command: 'ls' }, { ...allowAll, commandTimeoutSeconds: 4 });
    assert.equal(runner.runs[0].timeoutMs, 4000);
    assert.equal(out.content, '$ ls\n(in ., ran as a child process; timed out after 4 s and was stopped)\nok');
  });

  it('long output is cut to the budget', async () => {
    const { out } = await run({ output: 'y'.repeat(20_000) });
    assert.ok(out.content.includes('[… 4000 characters (0 lines) cut from the middle of the output …]'));
  });

  it('runs inside the turn\'s checkpoint when there is one, with the turn\'s signal', async () => {
    const calls: string[] = [];
    const checkpoint = { aroundCommand: async <T>(fn: () => Promise<T>) => { calls.push('before'); const r = await fn(); calls.push('after'); return r; } } as unknown as TurnCheckpoint;
    const base = scope();
    const stop = new AbortController();
    const withCheckpoint = new CallScope('t', ['run_command'], host, base.gate, base.settings, stop.signal, { toolUseId: 't', tool: 'run_command', target: '', status: 'validating' }, () => undefined, async () => ({ decision: 'allow' }), checkpoint);
    const runner = new Runner();
    const recording: CommandRunner = { run: async (r) => { calls.push('run'); return runner.run(r); } };
    await runCommandTool(withCheckpoint, recording, allowAll, { command: 'ls' });
    assert.deepEqual(calls, ['before', 'run', 'after']);
    assert.equal(runner.runs[0].signal, stop.signal);
  });
});
