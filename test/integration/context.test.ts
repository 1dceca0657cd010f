// Context in the real extension host against the stand-in: a #-mentioned file reaches the request,
// instruction files go into the system prompt, compaction triggers for a small context window and
// the next request is smaller and still valid, and a failed compaction hands the prompt back.
// Restricted Mode: the harness starts VS Code with --disable-workspace-trust (every workspace is
// trusted and trust cannot be revoked from a test), so the trust gate is unit-tested instead
// (test/unit/context/instructions.test.ts, "reads nothing at all in an untrusted workspace").
import * as assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextAttachment } from '../../src/shared/context';
import type { ChatTestApi } from '../../src/host/chatFeature';

interface RecordedRequest { method: string; path: string; body: { system?: Array<{ text: string }>; messages?: Array<{ role: string; content: Array<{ type: string; text?: string }> }>; stream?: boolean } }

function standInUrl(): string {
  const fromEnv = process.env.AIML_STANDIN_URL;
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  const inspected = vscode.workspace.getConfiguration('aimlChat').inspect<string>('baseUrl');
  return String(inspected?.globalValue ?? inspected?.defaultValue).replace(/\/+$/, '');
}

async function messageRequests(): Promise<RecordedRequest[]> {
  const response = await fetch(`${standInUrl()}/__standin/requests`);
  const body = (await response.json()) as RecordedRequest[] | { requests: RecordedRequest[] };
  return (Array.isArray(body) ? body : body.requests).filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
}

async function enqueue(steps: unknown[]): Promise<void> {
  await fetch(`${standInUrl()}/__standin/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(steps) });
}

const isSummaryRequest = (r: RecordedRequest) => /working memory of a coding conversation/.test(r.body.system?.[0]?.text ?? '');
const lastUserText = (r: RecordedRequest) => (r.body.messages ?? []).filter((m) => m.role === 'user').at(-1)?.content.map((b) => b.text ?? '').join('\n') ?? '';

describe('context (extension host + stand-in)', function () {
  this.timeout(60_000);
  let chat: ChatTestApi;
  const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatTestApi }>('aiml-chat.aiml-chat');
    chat = (await extension!.activate()).chat;
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  afterEach(() => chat.setContextWindow(undefined));

  it('a mentioned file reaches the request as a delimited block, and is stored with the prompt', async () => {
    await chat.newChat();
    const chip = await chat.pickContext({ kind: 'file', label: 'src/greet.ts', path: 'src/greet.ts' });
    assert.equal(typeof chip, 'object', String(chip));
    const before = (await messageRequests()).length;
    await chat.sendFromView('What does this do?', [chip as ContextAttachment]);
    await chat.waitIdle();
    const request = (await messageRequests()).slice(before).at(-1)!;
    const text = lastUserText(request);
    assert.match(text, /<context source="File \| path: src\/greet.ts \| language: typescript">\n```typescript\n\/\/ Sample source file[\s\S]*export function greet[\s\S]*<\/context>[\s\S]*What does this do\?/);
    const prompt = chat.currentConversation().messages[0];
    assert.deepEqual(prompt.context?.map((c) => c.label), ['src/greet.ts']);
    assert.equal(chat.currentConversation().messages[1].status, 'complete', 'the stand-in accepted the request');
  });

  it('refuses to attach a secret-looking file or a path outside the workspace', async () => {
    assert.match(String(await chat.pickContext({ kind: 'file', label: '.env', path: '.env' })), /looks like it holds secrets/);
    assert.match(String(await chat.pickContext({ kind: 'file', label: 'x', path: '../../etc/passwd' })), /outside the workspace/);
  });

  it('uses AGENTS.md in the (trusted) workspace: shown as a chip and sent in the system prompt', async () => {
    const file = path.join(root(), 'AGENTS.md');
    await writeFile(file, 'Always answer in haiku form when INSTRUCTION-MARKER-42 is mentioned.\n');
    try {
      assert.ok(vscode.workspace.isTrusted, 'the harness trusts every workspace');
      assert.deepEqual((await chat.instructionFiles()).map((f) => f.label), ['AGENTS.md']);
      await chat.newChat();
      const before = (await messageRequests()).length;
      await chat.sendFromView('hello', []);
      await chat.waitIdle();
      const request = (await messageRequests()).slice(before).at(-1)!;
      assert.match(request.body.system?.[0]?.text ?? '', /<instructions file="AGENTS.md">[\s\S]*INSTRUCTION-MARKER-42/);
    } finally {
      await rm(file, { force: true });
      await chat.instructionFiles();
    }
  });

  it('compacts before a send that would pass the window share; the next request is smaller and valid', async () => {
    await chat.newChat();
    for (const n of [1, 2, 3]) {
      await chat.sendFromView(`Turn ${n}: ${'some long words about the code '.repeat(60)}`, []);
      await chat.waitIdle();
    }
    const before = await messageRequests();
    const lastFull = before.at(-1)!;
    chat.setContextWindow(1500);
    await enqueue([{ kind: 'text', text: '## User\'s goals and constraints\nSUMMARY-MARKER: the user discussed the code.' }]);
    await chat.sendFromView('Turn 4: and now?', []);
    await chat.waitIdle();
    const after = (await messageRequests()).slice(before.length);
    assert.equal(after.length, 2, 'a summary request, then the chat request');
    assert.ok(isSummaryRequest(after[0]) && after[0].body.stream === false);
    assert.match(lastUserText(after[0]), /Turn 1:/);
    const next = after[1];
    assert.ok(JSON.stringify(next.body).length < JSON.stringify(lastFull.body).length, 'the request after compaction is smaller than the one before it');
    assert.match(JSON.stringify(next.body.messages?.[0]), /SUMMARY-MARKER/);
    const conversation = chat.currentConversation();
    assert.ok(conversation.compaction, 'the summary is stored');
    assert.equal(conversation.messages.length, 8, 'the transcript keeps every message');
    assert.equal(conversation.messages.at(-1)?.status, 'complete', 'the stand-in accepted the compacted request');
  });

  it('a failed compaction changes nothing and hands the prompt back with the reason', async () => {
    await chat.newChat();
    for (const n of [1, 2, 3]) {
      await chat.sendFromView(`Round ${n}: ${'words '.repeat(300)}`, []);
      await chat.waitIdle();
    }
    const messagesBefore = chat.currentConversation().messages.length;
    chat.setContextWindow(1500);
    await enqueue([1, 2, 3].map(() => ({ kind: 'fault', fault: 'http500' })));
    const returned = chat.returnedPrompts.length;
    await chat.sendFromView('KEEP-THIS-PROMPT', []);
    await chat.waitIdle();
    assert.equal(chat.currentConversation().messages.length, messagesBefore);
    assert.equal(chat.currentConversation().compaction, undefined);
    assert.deepEqual(chat.returnedPrompts.slice(returned), ['compaction_failed: KEEP-THIS-PROMPT']);
  });
});
