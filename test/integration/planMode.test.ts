// Plan mode inside a real extension host against the stand-in (issue 13): plan then act. The Plan
// request offers read-only tools and asks for a plan; a write the model calls anyway is refused and
// nothing changes on disk; the Agent request that follows (`Act on this plan`) offers edits and
// run_command again.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { messagesRequestsSince, standInRequests, standInUrl } from './support/standIn';

interface ChatApi {
  send(text: string, mode?: 'agent' | 'plan'): Promise<void>;
  waitIdle(): Promise<void>;
  newChat(): Promise<void>;
  currentConversation(): { messages: Array<{ role: string; mode?: string; content: unknown[] }> };
}

interface RequestBody {
  system?: unknown;
  tools?: Array<{ name: string }>;
  messages: Array<{ role: string; content: unknown }>;
}

async function enqueue(steps: unknown[]): Promise<void> {
  const response = await fetch(`${standInUrl()}/__standin/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(steps) });
  assert.equal(response.status, 200);
}

const WRITE_TOOLS = ['propose_edit', 'run_command'];

describe('Plan mode (extension host)', function () {
  this.timeout(60_000);
  let chat: ChatApi;
  let folder: string;
  const created = `plan-it-${process.pid}.ts`;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatApi }>('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    chat = (await extension.activate()).chat;
    folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(folder, 'a folder is open');
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  after(async () => {
    await fs.rm(path.join(folder, created), { force: true });
  });

  it('plan then act: the plan request has read-only tools and the plan instruction, the act request has the write tools', async () => {
    await chat.newChat();
    const since = (await standInRequests()).length;
    // A confused or hostile plan answer tries to create a file, then gives its plan.
    await enqueue([
      { kind: 'toolUse', calls: [{ name: 'propose_edit', input: { path: created, action: 'create', new_text: 'planted\n' } }] },
      { kind: 'text', text: '1. Add the function.\n2. Run the tests.' },
      { kind: 'text', text: 'Done as planned.' },
    ]);
    await chat.send('How would you add a greet function?', 'plan');
    await chat.waitIdle();
    const plan = (await messagesRequestsSince(since)).map((r) => r.body as RequestBody);
    assert.equal(plan.length, 2, 'the plan request and the one carrying the refused call\'s result');
    const planTools = (plan[0].tools ?? []).map((t) => t.name);
    assert.ok(planTools.includes('read_file'), `read-only tools are offered: ${planTools.join(', ')}`);
    for (const name of WRITE_TOOLS) assert.ok(!planTools.includes(name), `${name} is not offered in Plan mode`);
    assert.match(JSON.stringify(plan[0].system), /Plan mode is on[^"]*step-by-step plan/);
    const refusal = JSON.stringify(plan[1].messages.at(-1)?.content);
    assert.match(refusal, /"is_error":true/);
    assert.match(refusal, /Refused: Plan mode/);
    await assert.rejects(fs.stat(path.join(folder, created)), 'the refused edit created nothing');
    const answer = chat.currentConversation().messages.at(-1);
    assert.equal(answer?.mode, 'plan', 'the plan answer is marked, so the view offers Act on this plan');

    await chat.send('Act on this plan.', 'agent');
    await chat.waitIdle();
    const act = (await messagesRequestsSince(since)).map((r) => r.body as RequestBody)[2];
    assert.ok(act, 'the act request was sent');
    const actTools = (act.tools ?? []).map((t) => t.name);
    for (const name of WRITE_TOOLS) assert.ok(actTools.includes(name), `${name} is offered in Agent mode: ${actTools.join(', ')}`);
    assert.doesNotMatch(JSON.stringify(act.system), /Plan mode is on/);
    assert.match(JSON.stringify(act.messages), /1\. Add the function/, 'the plan is in the history the agent acts on');
  });
});
