// Plan mode (issue 13): the tool set per mode from each tool's `readOnly`, the refusal of a tool that
// can change things (never executed, even when a hostile answer calls it), the plan instruction in
// the system prompt, and the mode stored on the turn's messages (a reload and a retry keep it).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { executorForMode, modeSystemAdditions, PLAN_MODE_INSTRUCTION, PLAN_MODE_REFUSED } from '../../../src/core/chat/planMode';
import { ChatSession } from '../../../src/core/chat/session/chatSession';
import type { ChatSessionDeps, SessionSettings, TurnInfo } from '../../../src/core/chat/session/types';
import type { ToolExecutor } from '../../../src/core/chat/toolExecutor';
import type { CommandRequest, CommandResult, CommandRunner } from '../../../src/core/tools/commandTool';
import { toolSpecs, customToolNames } from '../../../src/core/tools/definitions';
import { ToolRunner, type ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import { parseConversation } from '../../../src/core/chat/conversationFormat';
import type { ToolCallState, ToolUseBlock } from '../../../src/shared/model';
import { CardLog, FakeHost, settings as toolSettings, tempDir, writeFiles } from '../tools/fakeHost';
import { FakeExecutor, FakeMessagesApi, reply, silentLogger, toolUse, type Step } from './fakes';

class RecordingCommands implements CommandRunner {
  readonly runs: CommandRequest[] = [];
  async run(request: CommandRequest): Promise<CommandResult> {
    this.runs.push(request);
    return { output: 'ran', exitCode: 0, via: 'process', timedOut: false };
  }
}

const READ_TOOLS = ['read_file', 'list_directory', 'find_files', 'search_text', 'get_selection', 'get_diagnostics'];
const APP = 'export const a = 1;\n';

async function toolRunner(overrides: Partial<ToolRunnerSettings> = {}) {
  const ws = tempDir();
  await writeFiles(ws, { 'src/app.ts': APP });
  const commands = new RecordingCommands();
  const runner = new ToolRunner(new FakeHost([{ fsPath: ws, name: 'ws' }]), () => toolSettings({ autoApplyEdits: true, ...overrides }), commands);
  return { ws, runner, commands };
}

const call = (id: string, name: string, input: unknown): ToolUseBlock => ({ type: 'tool_use', id, name, input });

describe('Plan mode: tool set per mode', () => {
  it('marks exactly the tools that only read as readOnly', () => {
    assert.deepEqual(customToolNames.filter((name) => toolSpecs[name].readOnly), READ_TOOLS);
    assert.equal(toolSpecs.propose_edit.readOnly, false);
    assert.equal(toolSpecs.run_command.readOnly, false);
  });

  it('Agent mode offers edits and run_command; Plan mode only the read-only tools', async () => {
    const { runner } = await toolRunner();
    const agent = executorForMode(runner, 'agent').definitions().map((d) => d.name);
    assert.deepEqual(agent, [...READ_TOOLS, 'propose_edit', 'run_command']);
    const plan = executorForMode(runner, 'plan').definitions().map((d) => d.name);
    assert.deepEqual(plan, READ_TOOLS);
  });

  it('Plan mode with the text editor tool offers read_file and list_directory instead of it (it also writes)', async () => {
    const { runner } = await toolRunner({ editorToolStyle: 'anthropic' });
    assert.ok(runner.definitions().some((d) => d.name === 'str_replace_based_edit_tool'));
    assert.deepEqual(executorForMode(runner, 'plan').definitions().map((d) => d.name), READ_TOOLS);
  });

  it('counts a tool as able to change things unless its executor says it only reads (external tools)', () => {
    const external = new FakeExecutor([
      { name: 'read_file', description: '', input_schema: { type: 'object' } },
      { name: 'mcp_everything_echo', description: '', input_schema: { type: 'object' } },
    ]);
    assert.deepEqual(executorForMode(external, 'plan').definitions(), [], 'an executor without isReadOnly offers nothing in Plan mode');
    const vouching: ToolExecutor = { definitions: () => external.definitions(), isReadOnly: (name) => name === 'read_file', execute: (c, x) => external.execute(c, x) };
    assert.deepEqual(executorForMode(vouching, 'plan').definitions().map((d) => d.name), ['read_file']);
  });

  it('the ToolRunner does not vouch for the text editor tool or names it does not know', async () => {
    const { runner } = await toolRunner();
    assert.equal(runner.isReadOnly('read_file'), true);
    assert.equal(runner.isReadOnly('str_replace_based_edit_tool'), false);
    assert.equal(runner.isReadOnly('mcp_filesystem_read_file'), false);
    assert.equal(runner.isReadOnly('constructor'), false);
  });
});

describe('Plan mode: a call to a tool that can change things', () => {
  it('is refused with an error result and never run; read-only calls in the same message run, in order', async () => {
    const { ws, runner, commands } = await toolRunner();
    const cards = new CardLog();
    const plan = executorForMode(runner, 'plan');
    const results = await plan.execute([
      call('c1', 'propose_edit', { path: 'src/app.ts', action: 'replace', old_text: APP, new_text: 'hacked\n' }),
      call('c2', 'read_file', { path: 'src/app.ts' }),
      call('c3', 'run_command', { command: 'echo hi' }),
      call('c4', 'str_replace_based_edit_tool', { command: 'create', path: 'new.ts', file_text: 'x' }),
    ], { signal: new AbortController().signal, onCard: cards.onCard });
    assert.deepEqual(results.map((r) => r.tool_use_id), ['c1', 'c2', 'c3', 'c4']);
    assert.deepEqual(results.map((r) => r.is_error === true), [true, false, true, true]);
    for (const refused of [results[0], results[2], results[3]]) assert.match(String(refused.content), new RegExp(`^${PLAN_MODE_REFUSED}.*Nothing was run`));
    assert.match(String(results[1].content), /export const a = 1/);
    assert.equal(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), APP, 'the edit was not applied');
    await assert.rejects(fs.stat(path.join(ws, 'new.ts')), 'no file was created');
    assert.equal(commands.runs.length, 0, 'no command ran');
    assert.equal(cards.latest('c1')?.status, 'failed');
    assert.match(cards.latest('c3')?.summary ?? '', /Plan mode/);
    assert.equal(cards.updates.some((u) => u.status === 'awaiting_approval'), false, 'nothing asked the user');
  });

  it('the ToolRunner itself refuses a write in a Plan-mode context (defence in depth)', async () => {
    const { ws, runner } = await toolRunner();
    const [result] = await runner.execute([call('c1', 'propose_edit', { path: 'src/app.ts', action: 'create', new_text: 'x' })], { signal: new AbortController().signal, onCard: () => undefined, mode: 'plan' });
    assert.equal(result.is_error, true);
    assert.match(String(result.content), /Unknown tool "propose_edit"/);
    assert.equal(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), APP);
  });

  it('Agent mode passes the executor through unchanged', async () => {
    const { runner } = await toolRunner();
    assert.equal(executorForMode(runner, 'agent'), runner);
  });
});

describe('Plan mode: the session', () => {
  const settings: SessionSettings = {
    baseUrl: 'http://127.0.0.1:1', requestTimeoutMs: 5000, answerTimeoutMs: 60_000, model: 'claude-sonnet-4-6', maxTokens: 1000, temperature: null,
    thinkingEnabled: false, thinkingBudgetTokens: 2048, promptCaching: true, spendCapUsd: null, maxToolCallsPerTurn: 25,
  };
  let folder: string;
  beforeEach(async () => { folder = await mkdtemp(path.join(tmpdir(), 'aiml-plan-')); });
  afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

  async function setup(steps: Step[]) {
    const api = new FakeMessagesApi(steps);
    const { runner, ws } = await toolRunner();
    const turns: TurnInfo[] = [];
    const deps: ChatSessionDeps = {
      store: new ConversationStore(path.join(folder, 'conversations')),
      attachments: new FileAttachmentStore(path.join(folder, 'attachments')),
      getApiKey: async () => 'test-key',
      settings: () => settings,
      createApi: () => api,
      executor: (turn) => { turns.push(turn); return runner; },
      workspaceName: () => undefined,
      confirm: async () => true,
      logger: silentLogger,
      systemPromptAdditions: () => ['Workspace instructions.'],
    };
    return { api, session: new ChatSession(deps), turns, ws, deps };
  }

  const systemText = (request: { system?: unknown }) => JSON.stringify(request.system);
  const toolNames = (request: { tools?: Array<{ name: string }> }) => (request.tools ?? []).map((t) => t.name);

  it('a Plan-mode send asks for a plan with read-only tools; an Agent-mode send has every tool and no plan instruction', async () => {
    const t = await setup([reply('1. Change a.'), reply('Done.')]);
    await t.session.send({ text: 'rename a', mode: 'plan' });
    await t.session.send({ text: 'Act on this plan.', mode: 'agent' });
    const [plan, act] = t.api.requests;
    assert.deepEqual(toolNames(plan), READ_TOOLS);
    assert.ok(systemText(plan).includes(JSON.stringify(PLAN_MODE_INSTRUCTION).slice(1, -1)), 'the plan instruction is in the system prompt');
    assert.match(systemText(plan), /Workspace instructions\.\\n\\nPlan mode is on/, 'after the workspace additions');
    assert.deepEqual(toolNames(act), [...READ_TOOLS, 'propose_edit', 'run_command']);
    assert.doesNotMatch(systemText(act), /Plan mode/);
    assert.doesNotMatch(systemText(plan), /propose edits|Edits are proposals/, 'the Plan prompt does not offer edits');
    assert.match(systemText(act), /and to propose edits/);
    assert.deepEqual(t.turns.map((turn) => turn.mode), ['plan', 'agent']);
    const messages = t.session.conversation.messages;
    assert.deepEqual(messages.map((m) => [m.role, m.mode]), [['user', 'plan'], ['assistant', 'plan'], ['user', undefined], ['assistant', undefined]]);
  });

  it('a hostile Plan-mode answer that calls propose_edit gets the refusal back and the file stays as it was', async () => {
    const t = await setup([
      reply([toolUse('t1', 'propose_edit', { path: 'src/app.ts', action: 'create', new_text: 'pwned' })], 'tool_use'),
      reply('Here is the plan.'),
    ]);
    await t.session.send({ text: 'plan it', mode: 'plan' });
    const results = t.api.requests[1].messages.at(-1)?.content as Array<{ type: string; is_error?: boolean; content?: string }>;
    assert.equal(results[0].type, 'tool_result');
    assert.equal(results[0].is_error, true);
    assert.match(String(results[0].content), new RegExp(`^${PLAN_MODE_REFUSED}`));
    assert.equal(await fs.readFile(path.join(t.ws, 'src/app.ts'), 'utf8'), APP);
    const toolCards = t.session.conversation.messages.flatMap((m) => Object.values(m.toolCalls ?? {})) as ToolCallState[];
    assert.equal(toolCards[0]?.status, 'failed');
  });

  it('a retry of a Plan-mode turn stays in Plan mode, and the stored mode survives a reload', async () => {
    const t = await setup([{ kind: 'fail', content: [], error: Object.assign(new Error('overloaded'), { info: { kind: 'overloaded', message: 'busy', retryable: true } }) }, reply('The plan.')]);
    await t.session.send({ text: 'plan it', mode: 'plan' });
    await t.session.retry();
    assert.deepEqual(toolNames(t.api.requests[1]), READ_TOOLS);
    assert.match(systemText(t.api.requests[1]), /Plan mode is on/);
    await t.deps.store.flush();
    const reloaded = await t.deps.store.load(t.session.conversation.id);
    assert.equal(reloaded.kind, 'ok');
    if (reloaded.kind === 'ok') assert.deepEqual(reloaded.conversation.messages.filter((m) => m.status !== 'error').map((m) => m.mode), ['plan', 'plan']);
  });

  it('modeSystemAdditions adds the plan instruction in Plan mode only; it forbids claiming changes', () => {
    assert.deepEqual(modeSystemAdditions('agent'), []);
    assert.deepEqual(modeSystemAdditions('plan'), [PLAN_MODE_INSTRUCTION]);
    assert.match(PLAN_MODE_INSTRUCTION, /step-by-step plan/);
    assert.match(PLAN_MODE_INSTRUCTION, /never say that you changed/);
  });

  it('a stored mode this release does not know is read as plan (read-only), not dropped into agent', () => {
    const file = { version: 1, id: 'c', title: 't', createdAt: 0, updatedAt: 0, model: 'm', totals: {}, messages: [{ id: 'u', role: 'user', kind: 'prompt', createdAt: 0, content: [{ type: 'text', text: 'x' }], mode: 'ask' }] };
    const parsed = parseConversation(file);
    assert.equal(parsed.kind, 'ok');
    if (parsed.kind === 'ok') {
      assert.equal(parsed.conversation.messages[0].mode, 'plan');
      assert.match(parsed.notes.join(' '), /unknown mode "ask" read as "plan"/);
    }
  });
});
