// VS Code's tools (vscode.lm.tools) inside a real extension host: two tools the test-runner
// extension contributes and registers with vscode.lm.registerTool are offered once chosen in
// aimlChat.tools.vscodeTools (user settings only), called with vscode.lm.invokeTool after Allow on
// our card (nothing on Deny), and their text and image results come back to the model, through
// the executor and through a chat round trip against the stand-in.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ToolCallState, ToolResultBlock } from '../../src/shared/model';
import { encodePng, screenshotPixel } from '../support/images/encoders';
import { messagesRequestsSince, standInRequests } from './support/standIn';
import { until, type ChatApi, type ToolsApi } from './support/toolsApi';

const decide = (id: string, decision: 'allow' | 'deny') => vscode.commands.executeCommand<boolean>('aimlChat.internal.decide', id, decision);

describe('VS Code tools (vscode.lm.tools, extension host)', function () {
  this.timeout(60_000);
  let tools: ToolsApi;
  let chat: ChatApi;
  const invocations: Array<{ name: string; input: unknown }> = [];
  const registrations: vscode.Disposable[] = [];
  let n = 0;

  /** One call through the real executor; `decision` answers its Allow / Deny card. */
  async function run(name: string, input: unknown, decision: 'allow' | 'deny'): Promise<{ result: ToolResultBlock; asked?: ToolCallState }> {
    const id = `vt_${++n}`;
    let asked: ToolCallState | undefined;
    const onCard = (state: ToolCallState) => {
      if (state.status !== 'awaiting_approval' || asked) return;
      asked = state;
      void until(() => tools.pendingDecisions().some((p) => p.toolUseId === id), 'the pending decision').then(() => decide(id, decision));
    };
    const [result] = await tools.execute([{ type: 'tool_use', id, name, input }], { signal: new AbortController().signal, onCard });
    return { result, asked };
  }

  before(async () => {
    const api = await vscode.extensions.getExtension<{ tools: ToolsApi; chat: ChatApi }>('aiml-chat.aiml-chat')!.activate();
    tools = api.tools;
    chat = api.chat;
    registrations.push(
      vscode.lm.registerTool<{ message: string }>('aimlTest_echo', {
        invoke: (options) => {
          invocations.push({ name: 'aimlTest_echo', input: options.input });
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`Echo: ${options.input.message}`)]);
        },
      }),
      vscode.lm.registerTool('aimlTest_picture', {
        invoke: (options) => {
          invocations.push({ name: 'aimlTest_picture', input: options.input });
          return new vscode.LanguageModelToolResult([
            new vscode.LanguageModelTextPart('A 4×3 picture:'),
            vscode.LanguageModelDataPart.image(new Uint8Array(encodePng(4, 3, screenshotPixel(4, 3))), 'image/png'),
            vscode.LanguageModelDataPart.json({ width: 4, height: 3 }),
          ]);
        },
      }),
    );
    await until(() => vscode.lm.tools.some((t) => t.name === 'aimlTest_echo'), 'vscode.lm.tools to list the test tools');
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  after(async () => {
    registrations.forEach((r) => r.dispose());
    await vscode.workspace.getConfiguration('aimlChat').update('tools.vscodeTools', undefined, vscode.ConfigurationTarget.Global);
  });

  it('offers none of them until the user chose some; a workspace cannot choose', async () => {
    assert.ok(!tools.definitions().some((d) => d.name.startsWith('aimlTest_')));
    // Application scope: VS Code refuses to write it to the workspace at all.
    await assert.rejects(Promise.resolve(vscode.workspace.getConfiguration('aimlChat').update('tools.vscodeTools', ['*'], vscode.ConfigurationTarget.Workspace)));
    await vscode.workspace.getConfiguration('aimlChat').update('tools.vscodeTools', ['aimlTest_*'], vscode.ConfigurationTarget.Global);
    await until(() => tools.definitions().some((d) => d.name === 'aimlTest_echo'), 'the chosen tools to be offered');
    const echo = tools.definitions().find((d) => d.name === 'aimlTest_echo');
    assert.match(String(echo?.description), /Echoes its message back/);
    assert.deepEqual(echo?.input_schema, { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] });
    assert.ok(!tools.definitions().some((d) => d.name.startsWith('copilot_')), 'only the chosen ones');
  });

  it('calls a tool with vscode.lm.invokeTool after Allow, and nothing after Deny', async () => {
    const before = invocations.length;
    const denied = await run('aimlTest_echo', { message: 'no' }, 'deny');
    assert.equal(denied.asked?.approval?.kind, 'allow_deny');
    assert.equal(denied.result.is_error, true);
    assert.equal(invocations.length, before, 'Deny called nothing');
    const allowed = await run('aimlTest_echo', { message: 'hi' }, 'allow');
    assert.equal(allowed.result.is_error, undefined);
    assert.equal(allowed.result.content, 'Echo: hi');
    assert.deepEqual(invocations.slice(before), [{ name: 'aimlTest_echo', input: { message: 'hi' } }]);
  });

  it('maps an image and a JSON part back', async () => {
    const { result } = await run('aimlTest_picture', {}, 'allow');
    const blocks = result.content as Array<{ type: string; text?: string; source?: { media_type: string; data: string } }>;
    assert.ok(Array.isArray(blocks), `content blocks: ${JSON.stringify(result.content).slice(0, 300)}`);
    assert.match(blocks[0].text ?? '', /^A 4×3 picture:\n\{\s*"width": 4,\s*"height": 3\s*\}$/, 'the text and the JSON part, in order');
    const image = blocks.find((b) => b.type === 'image');
    assert.equal(image?.source?.media_type, 'image/png');
    assert.equal(image?.source?.data, Buffer.from(encodePng(4, 3, screenshotPixel(4, 3))).toString('base64'));
  });

  it('runs a round trip through the chat: the next request carries the tool result', async () => {
    const since = (await standInRequests()).length;
    await chat.newChat();
    const sent = chat.send('[[tool:aimlTest_echo {"message":"round trip"}]]');
    await until(() => tools.pendingDecisions().length > 0, 'the chat\'s Allow card');
    await decide(tools.pendingDecisions()[0].toolUseId, 'allow');
    await sent;
    await chat.waitIdle();
    const requests = await messagesRequestsSince(since);
    assert.equal(requests.length, 2);
    const first = requests[0].body as { tools: Array<{ name: string }> };
    assert.ok(first.tools.some((t) => t.name === 'aimlTest_echo'), 'offered to the model');
    assert.match(JSON.stringify((requests[1].body as { messages: unknown[] }).messages.at(-1)), /"type":"tool_result".*Echo: round trip/);
    assert.match(JSON.stringify(chat.currentConversation().messages.at(-1)?.content), /Echo: round trip/, 'the stand-in quoted the result');
  });
});
