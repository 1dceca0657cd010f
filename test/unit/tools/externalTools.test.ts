// VS Code / MCP tools (vscode.lm.tools) through the pure mapping and the real ToolRunner with a
// recording source: nothing offered until chosen, names under the API's rules (stable, collision
// safe, mapped back), schemas the API accepts, every call asks (Allow / Deny) unless VS Code's own
// chat token is passed, results (text, images, JSON, other) mapped back within the output budget.
import * as assert from 'node:assert/strict';
import { OUTPUT_BUDGET } from '../../../src/core/tools/commandTool';
import { externalResultContent } from '../../../src/core/tools/externalToolCall';
import { API_TOOL_NAME, apiToolName, ExternalToolTable, isChosen, MAX_DESCRIPTION, toInputSchema, type ExternalInvokeOptions, type ExternalResultPart, type ExternalToolInfo, type ExternalToolSource } from '../../../src/core/tools/externalTools';
import { ToolRunner, type ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ImageBlock, TextBlock, ToolCallState } from '../../../src/shared/model';
import { png } from '../images/fixtures';
import { CardLog, FakeHost, settings, tempDir } from './fakeHost';

const echo: ExternalToolInfo = {
  name: 'mcp_everything_echo', description: 'Echoes back the input', tags: [],
  inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
};
const listed: ExternalToolInfo[] = [
  echo,
  { name: 'mcp_everything_add', description: 'Adds two numbers', tags: [], inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } },
  { name: 'copilot_readFile', description: 'Read a file', tags: ['vscode_editing'] },
  { name: 'read_file', description: 'Another extension\'s read_file', tags: [] },
  { name: 'some.extension/tool name', description: '', tags: [] },
];

class RecordingSource implements ExternalToolSource {
  calls: Array<{ name: string; input: object; options: ExternalInvokeOptions }> = [];
  reply: ExternalResultPart[] | Error = [{ kind: 'text', text: 'Echo: hi' }];
  constructor(private readonly tools: ExternalToolInfo[] = listed) {}
  list(): readonly ExternalToolInfo[] { return this.tools; }
  async invoke(name: string, input: object, options: ExternalInvokeOptions): Promise<ExternalResultPart[]> {
    this.calls.push({ name, input, options });
    if (this.reply instanceof Error) throw this.reply;
    return this.reply;
  }
}

function setup(overrides: Partial<ToolRunnerSettings> = { externalTools: ['mcp_everything_*'] }) {
  const source = new RecordingSource();
  const runner = new ToolRunner(new FakeHost([{ fsPath: tempDir(), name: 'ws' }]), () => settings(overrides), undefined, source);
  const cards = new CardLog();
  let n = 0;
  const call = async (name: string, input: unknown, decision?: 'allow' | 'deny', extra: { invocationToken?: unknown; signal?: AbortSignal } = {}) => {
    const id = `x${++n}`;
    const onCard = (state: ToolCallState) => {
      cards.onCard(state);
      if (state.status === 'awaiting_approval' && decision) void Promise.resolve().then(() => assert.ok(runner.decide(id, decision)));
    };
    const [result] = await runner.execute([{ type: 'tool_use', id, name, input }], { signal: extra.signal ?? new AbortController().signal, onCard, invocationToken: extra.invocationToken });
    return { result, text: typeof result.content === 'string' ? result.content : JSON.stringify(result.content), asked: cards.updates.filter((u) => u.toolUseId === id).find((u) => u.status === 'awaiting_approval') };
  };
  return { runner, source, call };
}

describe('tools: VS Code and MCP tools (mapping)', () => {
  it('chooses by exact name or by a prefix ending in *', () => {
    assert.ok(isChosen('mcp_everything_echo', ['mcp_everything_*']));
    assert.ok(isChosen('mcp_everything_echo', ['mcp_everything_echo']));
    assert.ok(isChosen('anything', ['*']));
    assert.ok(!isChosen('mcp_everything_echo', ['mcp_everything']));
    assert.ok(!isChosen('mcp_other_echo', ['mcp_everything_*']));
    assert.ok(!isChosen('x', []));
    assert.ok(!isChosen('x', ['', '  ']));
  });

  it('keeps valid names, rewrites the rest to the API rules, stably and without collisions', () => {
    const reserved = new Set(['read_file']);
    assert.equal(apiToolName('mcp_everything_echo', reserved), 'mcp_everything_echo');
    const renamed = apiToolName('read_file', reserved);
    assert.notEqual(renamed, 'read_file');
    assert.match(renamed, API_TOOL_NAME);
    const long = apiToolName(`mcp_${'x'.repeat(100)}.tool`, reserved);
    assert.match(long, API_TOOL_NAME);
    assert.equal(apiToolName('a.b', reserved), apiToolName('a.b', new Set()), 'the same name whatever else is listed');
    assert.notEqual(apiToolName('a.b', reserved), apiToolName('a/b', reserved), 'two names that clean to the same text differ by their hash');
    assert.match(apiToolName('', reserved), API_TOOL_NAME);
  });

  it('builds a table of the chosen tools only, each mapped back to its own name', () => {
    const table = new ExternalToolTable(listed, ['*'], new Set(['read_file', 'list_directory']));
    const defs = table.definitions();
    assert.equal(defs.length, listed.length);
    assert.equal(new Set(defs.map((d) => d.name)).size, defs.length, 'unique names');
    for (const def of defs) {
      assert.match(def.name, API_TOOL_NAME);
      assert.ok(table.tool(def.name), `${def.name} maps back`);
    }
    assert.ok(!defs.some((d) => d.name === 'read_file'), 'our own name stays ours');
    assert.deepEqual(defs.map((d) => table.tool(d.name)?.name).sort(), listed.map((t) => t.name).sort());
    assert.equal(new ExternalToolTable(listed, [], new Set()).size, 0, 'nothing chosen, nothing offered');
    assert.deepEqual(new ExternalToolTable(listed, ['mcp_everything_*'], new Set()).definitions().map((d) => d.name), ['mcp_everything_add', 'mcp_everything_echo']);
  });

  it('sends an object schema without the keywords the API refuses, and a capped description', () => {
    assert.deepEqual(toInputSchema(echo.inputSchema), { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] });
    assert.deepEqual(toInputSchema(undefined), { type: 'object', properties: {} });
    assert.deepEqual(toInputSchema({ type: 'string' }), { type: 'object', properties: {} });
    assert.deepEqual(toInputSchema({ anyOf: [{ type: 'object' }], properties: { a: { type: 'number' } } }), { type: 'object', properties: { a: { type: 'number' } } });
    assert.deepEqual(toInputSchema({ type: 'object', required: 'a' }), { type: 'object', properties: {} });
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.self = cyclic;
    assert.deepEqual(toInputSchema(cyclic), { type: 'object', properties: {} });
    assert.deepEqual(toInputSchema({ type: 'object', properties: { big: { description: 'x'.repeat(40_000) } } }), { type: 'object', properties: {} });
    const table = new ExternalToolTable([{ name: 't', description: 'd'.repeat(5000), tags: [] }, { name: 'u', description: '', tags: [] }], ['*'], new Set());
    const [t, u] = table.definitions();
    assert.equal(String(t.description).length, MAX_DESCRIPTION);
    assert.equal(u.description, 'The tool u.');
  });

  it('maps text, JSON, images and unknown parts back, within the output budget', () => {
    const image = png(4, 3);
    const mapped = externalResultContent('t', [
      { kind: 'text', text: 'hello' },
      { kind: 'data', mimeType: 'application/json', data: new TextEncoder().encode('{"a":1}') },
      { kind: 'data', mimeType: 'image/png', data: image },
      { kind: 'data', mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') },
      { kind: 'data', mimeType: 'application/octet-stream', data: new Uint8Array(10) },
      { kind: 'other', value: { node: 'tsx' } },
    ]);
    assert.equal(mapped.content, 'hello\n{"a":1}\n[10 bytes of application/octet-stream left out: only text and images reach the model]\n{"node":"tsx"}');
    const blocks = mapped.blocks as Array<TextBlock | ImageBlock>;
    assert.equal(blocks[0].type, 'text');
    const img = blocks.find((b): b is ImageBlock => b.type === 'image');
    assert.equal(img?.source.media_type, 'image/png');
    assert.equal(img?.source.data, Buffer.from(image).toString('base64'));
    const long = externalResultContent('t', [{ kind: 'text', text: 'y'.repeat(OUTPUT_BUDGET * 3) }]);
    assert.ok(long.content.length < OUTPUT_BUDGET + 200 && long.content.includes('cut from the middle'));
    assert.equal(externalResultContent('t', []).content, '(no output)');
    assert.match(externalResultContent('t', [{ kind: 'data', mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) }]).content, /\[/, 'a broken image becomes a note');
  });
});

describe('tools: VS Code and MCP tools (runner)', () => {
  it('offers nothing external until the user chose some, and nothing in Restricted Mode', () => {
    const names = (o: Partial<ToolRunnerSettings>) => setup(o).runner.definitions().map((d) => d.name);
    assert.ok(!names({}).some((n) => n.startsWith('mcp_')));
    assert.ok(names({ externalTools: ['mcp_everything_*'] }).includes('mcp_everything_echo'));
    assert.ok(names({ externalTools: ['mcp_everything_*'] }).includes('read_file'), 'our own tools stay');
    assert.deepEqual(names({ externalTools: ['*'], workspaceTrusted: false }), []);
    assert.deepEqual(names({ externalTools: ['*'], toolsEnabled: false }), []);
  });

  it('asks with an Allow / Deny card showing the input, then calls the tool by its own name', async () => {
    const { call, source } = setup();
    const { result, text, asked } = await call('mcp_everything_echo', { message: 'hi' }, 'allow');
    assert.equal(asked?.approval?.kind, 'allow_deny');
    assert.match(asked?.approval?.reason ?? '', /ask before every call: mcp_everything_echo \{"message":"hi"\}/);
    assert.equal(source.calls.length, 1);
    assert.equal(source.calls[0].name, 'mcp_everything_echo');
    assert.deepEqual(source.calls[0].input, { message: 'hi' });
    assert.equal(result.is_error, undefined);
    assert.equal(text, 'Echo: hi');
  });

  it('calls nothing on Deny', async () => {
    const { call, source } = setup();
    const { result, text } = await call('mcp_everything_echo', { message: 'hi' }, 'deny');
    assert.equal(source.calls.length, 0);
    assert.equal(result.is_error, true);
    assert.match(text, /denied/);
  });

  it('asks even when the tool is set to auto; refuses when set to never', async () => {
    const auto = setup({ externalTools: ['*'], toolApproval: { mcp_everything_echo: 'auto' } });
    assert.ok((await auto.call('mcp_everything_echo', { message: 'a' }, 'allow')).asked, 'auto does not skip the card');
    const never = setup({ externalTools: ['*'], toolApproval: { mcp_everything_echo: 'never' } });
    const { result, asked } = await never.call('mcp_everything_echo', { message: 'a' }, 'allow');
    assert.equal(asked, undefined);
    assert.equal(result.is_error, true);
    assert.equal(never.source.calls.length, 0);
  });

  it('leaves asking to VS Code inside its own chat request (the token is passed on)', async () => {
    const { call, source } = setup();
    const token = { opaque: true };
    const { asked } = await call('mcp_everything_echo', { message: 'hi' }, undefined, { invocationToken: token });
    assert.equal(asked, undefined);
    assert.equal(source.calls[0].options.invocationToken, token);
  });

  it('maps a rewritten name back, refuses tools not chosen, and reports failures to the model', async () => {
    const all = setup({ externalTools: ['*'] });
    const def = all.runner.definitions().find((d) => d.name.startsWith('some_extension_tool_name'));
    assert.ok(def);
    await all.call(def.name, {}, 'allow');
    assert.equal(all.source.calls[0].name, 'some.extension/tool name');

    const { call, source } = setup();
    const notChosen = await call('copilot_readFile', {}, 'allow');
    assert.match(notChosen.text, /Unknown tool/);
    const notObject = await call('mcp_everything_echo', 'plain text', 'allow');
    assert.match(notObject.text, /expected a JSON object/);
    assert.equal(source.calls.length, 0);
    source.reply = new Error('MCP server exited');
    const failed = await call('mcp_everything_echo', { message: 'x' }, 'allow');
    assert.equal(failed.result.is_error, true);
    assert.match(failed.text, /mcp_everything_echo failed: MCP server exited/);
  });

  it('passes the turn\'s AbortSignal to the call', async () => {
    const { call, source } = setup();
    const controller = new AbortController();
    await call('mcp_everything_echo', { message: 'hi' }, 'allow', { signal: controller.signal });
    assert.equal(source.calls[0].options.signal, controller.signal);
  });
});
