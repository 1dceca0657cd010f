// run_command inside a real extension host against the stand-in: the model's command runs after
// Run and its output reaches the next request; Deny runs nothing; the timeout and Stop kill it.
// code-server's terminal may have no shell integration in the headless harness: each test then
// goes through the child-process fallback, and asserts which of the two paths ran.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/host/chatFeature';

interface RecordedRequest { path: string; body: { messages?: Array<{ role: string; content: unknown }> } }
interface ToolsApi { pendingDecisions(): Array<{ toolUseId: string; kind: string }> }
interface ToolResult { type: 'tool_result'; tool_use_id: string; content: unknown; is_error?: boolean }

const standInUrl = () => String(process.env.AIML_STANDIN_URL ?? vscode.workspace.getConfiguration('aimlChat').inspect<string>('baseUrl')?.globalValue).replace(/\/+$/, '');

async function toolResultSent(toolUseId: string): Promise<ToolResult | undefined> {
  const body = (await (await fetch(`${standInUrl()}/__standin/requests`)).json()) as RecordedRequest[] | { requests: RecordedRequest[] };
  const requests = (Array.isArray(body) ? body : body.requests).filter((r) => r.path.endsWith('/messages'));
  for (const request of requests.reverse()) {
    for (const message of request.body.messages ?? []) {
      if (!Array.isArray(message.content)) continue;
      const found = (message.content as ToolResult[]).find((b) => b.type === 'tool_result' && b.tool_use_id === toolUseId);
      if (found) return found;
    }
  }
  return undefined;
}

async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const textOf = (result: ToolResult | undefined) => (typeof result?.content === 'string' ? result.content : JSON.stringify(result?.content ?? ''));
/** The extension host's own node, so the commands do not depend on the shell's PATH. */
const node = JSON.stringify(process.execPath);
const PATHS = /ran in the "AIML Chat" terminal|ran as a child process \(shell integration not available in the "AIML Chat" terminal\)/;

describe('run_command (extension host + stand-in)', function () {
  this.timeout(90_000);
  let chat: ChatTestApi;
  let tools: ToolsApi;
  let scratch: string;
  let scratchRel: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatTestApi; tools: ToolsApi }>('aiml-chat.aiml-chat');
    assert.ok(extension);
    ({ chat, tools } = await extension.activate());
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder && folder.uri.scheme === 'file');
    scratchRel = `commands-it-${process.pid}`;
    scratch = path.join(folder.uri.fsPath, scratchRel);
    await fs.mkdir(scratch, { recursive: true });
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  after(async () => {
    await fs.rm(scratch, { recursive: true, force: true });
  });

  /** Sends a prompt that makes the stand-in call run_command, and returns the call's id once its card asks. */
  async function proposeCommand(input: Record<string, unknown>): Promise<{ id: string; answered: Promise<void> }> {
    await chat.newChat();
    const answered = chat.send(`[[tool:run_command ${JSON.stringify({ cwd: scratchRel, ...input })}]]`).then(() => chat.waitIdle());
    await until(() => tools.pendingDecisions().length === 1, 'the command card');
    const [pending] = tools.pendingDecisions();
    assert.equal(pending.kind, 'allow_deny');
    return { id: pending.toolUseId, answered };
  }
  const decide = (id: string, decision: 'allow' | 'deny') => vscode.commands.executeCommand<boolean>('aimlChat.internal.decide', id, decision);

  it('runs the command on Run and its output reaches the next request', async function () {
    const { id, answered } = await proposeCommand({ command: `${node} -e "console.log(40 + 2, process.cwd())"` });
    assert.equal(await decide(id, 'allow'), true);
    await answered;
    const result = await toolResultSent(id);
    assert.ok(result, 'the tool result went to the stand-in');
    const text = textOf(result);
    assert.equal(result.is_error, undefined, text);
    assert.match(text, /42 /);
    assert.ok(text.includes(scratch), `ran in the working folder: ${text}`);
    assert.match(text, /exited with code 0/);
    assert.match(text, PATHS, 'names the path it ran through');
    // The terminal is always opened; it ran the command only if its shell reported integration
    // (which may still arrive after the runner gave up waiting, hence one direction only).
    const terminal = vscode.window.terminals.find((t) => t.name === 'AIML Chat') as (vscode.Terminal & { shellIntegration?: unknown }) | undefined;
    assert.ok(terminal, 'the "AIML Chat" terminal was opened');
    const viaTerminal = text.includes('ran in the "AIML Chat" terminal');
    if (viaTerminal) assert.ok(terminal.shellIntegration, 'ran in the terminal, so it has shell integration');
    // Shown in the results (test-results/integration.json): which path this harness exercised.
    if (this.test) this.test.title += viaTerminal ? ' [terminal with shell integration]' : ' [child process: no shell integration]';
  });

  it('runs nothing on Deny and tells the model', async () => {
    const marker = path.join(scratch, 'denied.txt');
    const { id, answered } = await proposeCommand({ command: `${node} -e "require('fs').writeFileSync('denied.txt', 'x')"` });
    assert.equal(await decide(id, 'deny'), true);
    await answered;
    const result = await toolResultSent(id);
    assert.equal(result?.is_error, true);
    assert.match(textOf(result), /denied/);
    assert.equal(existsSync(marker), false);
  });

  it('stops a command at its timeout', async () => {
    // The command records its pid and would run for 60 s: the result must come at the 1 s timeout,
    // long before that, and the process must be gone (polled, not timed: the machine may be loaded).
    const pidFile = path.join(scratch, 'timeout.pid');
    const { id, answered } = await proposeCommand({ command: `${node} -e "require('fs').writeFileSync('timeout.pid', String(process.pid)); setTimeout(() => {}, 60000)"`, timeoutSeconds: 1 });
    const started = Date.now();
    assert.equal(await decide(id, 'allow'), true);
    await answered;
    const result = await toolResultSent(id);
    assert.equal(result?.is_error, true);
    assert.match(textOf(result), /timed out after 1 s and was stopped/);
    assert.match(textOf(result), PATHS);
    assert.ok(Date.now() - started < 45_000, 'did not wait for the command to end by itself');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
    await until(() => !alive(), 'the timed-out process to be killed');
  });

  it('Stop kills a running command and sends no result', async () => {
    const marker = path.join(scratch, 'stopped.txt');
    const { id, answered } = await proposeCommand({ command: `${node} -e "setTimeout(() => require('fs').writeFileSync('stopped.txt', 'x'), 4000)"` });
    assert.equal(await decide(id, 'allow'), true);
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    chat.stop();
    await answered;
    assert.equal(await toolResultSent(id), undefined, 'a stopped call sends no result');
    await new Promise((r) => setTimeout(r, Math.max(0, 5000 - (Date.now() - started))));
    assert.equal(existsSync(marker), false, 'the command was killed');
  });
});
