// VS Code / MCP tools (externalTools.ts, externalToolCall.ts) at their exact edges (issue 17): the
// names the API sees (hash, length, counter), the choice rules, schemas and descriptions at their
// limits, each result part mapped exactly, and one call from card to result on a CallScope.
import * as assert from 'node:assert/strict';
import { EXTERNAL_ASK_REASON, externalResultContent, runExternalTool } from '../../../src/core/tools/externalToolCall';
import { apiToolName, ExternalToolTable, isChosen, MAX_DESCRIPTION, MAX_SCHEMA_CHARS, toInputSchema, toolDescription, type ExternalInvokeOptions, type ExternalResultPart, type ExternalToolInfo, type ExternalToolSource } from '../../../src/core/tools/externalTools';
import type { ImageBlock, TextBlock } from '../../../src/shared/model';
import { png } from '../images/fixtures';
import { FakeHost, tempDir } from './fakeHost';
import { scopeFor, type ScopeOptions } from './scopeHarness';

const info = (name: string, description = 'd', inputSchema?: object): ExternalToolInfo => ({ name, description, tags: [], inputSchema });

describe('external tools: choosing and naming', () => {
  it('a choice is trimmed; blank and non-string entries choose nothing; * is a prefix only at the end', () => {
    assert.ok(isChosen('mcp_a', ['  mcp_a  ']));
    assert.ok(isChosen('mcp_a', [' mcp_* ']));
    assert.ok(!isChosen('mcp_a', [42 as unknown as string, null as unknown as string]));
    assert.ok(!isChosen('mcp_a', ['*mcp_a']));
    assert.ok(!isChosen('', ['', '  ']), 'a blank entry chooses nothing, not even a nameless tool');
    assert.ok(!isChosen('mcp_ab', ['mcp_a']));
    assert.ok(!isChosen('xmcp_a', ['mcp_*']));
  });

  it('rewrites a name with an FNV-1a suffix of six hex digits, leading zeros kept', () => {
    assert.equal(apiToolName('a.b', new Set()), 'a_b_108bf5');
    assert.equal(apiToolName('t.170', new Set()), 't_170_009a0c');
    assert.equal(apiToolName('read_file', new Set(['read_file'])), 'read_file_3ef2ed');
    assert.equal(apiToolName('', new Set()), 'tool_811c9d');
    assert.equal(apiToolName('q', new Set(['q'])), 'q_f40c42');
  });

  it('a rewritten name is cut to 57 characters before its 7-character suffix: 64 in all', () => {
    assert.equal(apiToolName('x'.repeat(70), new Set()), `${'x'.repeat(57)}_77f3c9`);
    const valid64 = 'v'.repeat(64);
    assert.equal(apiToolName(valid64, new Set()), valid64);
    assert.equal(apiToolName(`${valid64}v`, new Set()).length, 64);
  });

  it('the table sorts by name, numbers a rewritten name that is taken, and maps each back', () => {
    const table = new ExternalToolTable([info('b.tool'), info('q'), info('a_tool'), info('skip')], ['q', 'a_*', 'b.*'], new Set(['q', apiToolName('q', new Set(['q']))]));
    const names = table.definitions().map((d) => d.name);
    assert.equal(table.size, 3);
    assert.equal(names[0], 'a_tool');
    assert.equal(names[1], apiToolName('b.tool', new Set()));
    assert.equal(table.tool(names[2])?.name, 'q');
    assert.equal(table.tool('skip'), undefined);
    assert.equal(table.tool('q'), undefined);
  });

  it('the table takes tools in name order, whatever order VS Code lists them in; of two with one name, the first listed keeps it', () => {
    const table = new ExternalToolTable([info('e'), info('d', 'first'), info('c'), info('b'), info('d', 'second'), info('a')], ['*'], new Set());
    const defs = table.definitions();
    assert.deepEqual(defs.map((d) => d.name), ['a', 'b', 'c', 'd', apiToolName('d', new Set(['d'])), 'e']);
    assert.equal(table.tool('d')?.description, 'first');
  });

  it('a taken rewritten name gets _2, else _3 (not _2_3), cut so the whole stays within 64', () => {
    const rewritten = apiToolName('q', new Set(['q']));
    const table = new ExternalToolTable([info('q')], ['q'], new Set(['q', rewritten, `${rewritten}_2`]));
    assert.deepEqual(table.definitions().map((d) => d.name), [`${rewritten}_3`]);
    const long = 'y'.repeat(70);
    const longName = apiToolName(long, new Set());
    const cut = new ExternalToolTable([info(long)], ['*'], new Set([longName]));
    assert.deepEqual(cut.definitions().map((d) => d.name), [`${longName.slice(0, 62)}_2`]);
  });

  it('definitions carry the description and the cleaned schema', () => {
    const table = new ExternalToolTable([info('t', '  Does t.  ', { type: 'object', properties: { a: { type: 'string' } }, $id: 'x' })], ['t'], new Set());
    assert.deepEqual(table.definitions(), [{ name: 't', description: 'Does t.', input_schema: { type: 'object', properties: { a: { type: 'string' } } } }]);
  });
});

describe('external tools: descriptions and schemas at their limits', () => {
  it('a description is trimmed, defaulted when blank, kept at 1024 characters and cut with … past it', () => {
    assert.equal(toolDescription(info('t', '   ')), 'The tool t.');
    assert.equal(toolDescription({ name: 't', tags: [] } as unknown as ExternalToolInfo), 'The tool t.');
    const at = 'd'.repeat(MAX_DESCRIPTION);
    assert.equal(toolDescription(info('t', at)), at);
    assert.equal(toolDescription(info('t', `${at}e`)), `${'d'.repeat(MAX_DESCRIPTION - 1)}…`);
  });

  it('a schema of exactly 32,000 characters of JSON is kept; one more is sent open', () => {
    const base = JSON.stringify({ type: 'object', properties: { p: { description: '' } } }).length;
    const exact = { type: 'object', properties: { p: { description: 'x'.repeat(MAX_SCHEMA_CHARS - base) } } };
    assert.equal(JSON.stringify(exact).length, MAX_SCHEMA_CHARS);
    assert.deepEqual(toInputSchema(exact), exact);
    const over = { type: 'object', properties: { p: { description: 'x'.repeat(MAX_SCHEMA_CHARS - base + 1) } } };
    assert.deepEqual(toInputSchema(over), { type: 'object', properties: {} });
  });

  it('what is not a plain object schema is sent open', () => {
    for (const schema of [() => 1, null, [], 'object', 7, { type: 'array' }, { toJSON: () => [1] }]) {
      assert.deepEqual(toInputSchema(schema), { type: 'object', properties: {} }, JSON.stringify(schema) ?? String(schema));
    }
    assert.deepEqual(toInputSchema({ b: 1n }), { type: 'object', properties: {} });
  });

  it('drops every top-level keyword the API refuses, keeps the rest, and sets type and properties', () => {
    const all = { $schema: 's', $id: 'i', oneOf: [], anyOf: [], allOf: [], not: {}, if: {}, then: {}, else: {}, title: 'T', additionalProperties: false };
    assert.deepEqual(toInputSchema(all), { type: 'object', properties: {}, title: 'T', additionalProperties: false });
    assert.deepEqual(toInputSchema({ properties: [] }), { type: 'object', properties: {} });
    assert.deepEqual(toInputSchema({ properties: 'p' }), { type: 'object', properties: {} });
    assert.deepEqual(toInputSchema({ type: 'string', properties: { a: {} }, title: 'S' }), { type: 'object', properties: {} });
    assert.deepEqual(toInputSchema({ properties: { a: {} }, required: ['a'] }), { type: 'object', properties: { a: {} }, required: ['a'] });
    assert.deepEqual(toInputSchema({ properties: { a: {} }, required: ['a', 1] }), { type: 'object', properties: { a: {} } });
    assert.deepEqual(toInputSchema({ properties: { a: {} }, required: [] }), { type: 'object', properties: { a: {} }, required: [] });
  });

  it('hands out a copy: changing it leaves the tool\'s schema and the next result alone', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const out = toInputSchema(schema);
    (out.properties as Record<string, unknown>).b = 1;
    assert.deepEqual(schema.properties, { a: { type: 'string' } });
    const open = toInputSchema(undefined);
    open.extra = true;
    assert.deepEqual(toInputSchema(undefined), { type: 'object', properties: {} });
  });
});

describe('external tools: result parts', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('text MIME types become text, case-insensitively; others are left out with their size', () => {
    const texts = ['text/plain', 'TEXT/CSV', 'application/json', 'application/xml', 'application/vnd.api+json', 'application/atom+xml', 'Application/JSON'];
    for (const mimeType of texts) assert.equal(externalResultContent('t', [{ kind: 'data', mimeType, data: enc('ok') }]).content, 'ok', mimeType);
    const binary = ['application/jsonx', 'application/javascript', 'xapplication/json', 'application/octet-stream', 'atext/plain', 'application/x+jsonp'];
    for (const mimeType of binary) {
      assert.equal(externalResultContent('t', [{ kind: 'data', mimeType, data: enc('ok') }]).content, `[2 bytes of ${mimeType} left out: only text and images reach the model]`, mimeType);
    }
    assert.equal(externalResultContent('t', [{ kind: 'data', mimeType: '', data: new Uint8Array(3) }]).content, '[3 bytes of binary data left out: only text and images reach the model]');
  });

  it('invalid UTF-8 in a text part is replaced, not refused', () => {
    assert.equal(externalResultContent('t', [{ kind: 'data', mimeType: 'text/plain', data: new Uint8Array([0x61, 0xff]) }]).content, 'a\ufffd');
  });

  it('parts without a text form say so', () => {
    assert.equal(externalResultContent('t', [{ kind: 'other', value: undefined }]).content, '[a result part without a text form]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(externalResultContent('t', [{ kind: 'other', value: cyclic }]).content, '[a result part without a text form]');
    assert.equal(externalResultContent('t', [{ kind: 'other', value: 'plain' }]).content, '"plain"');
  });

  it('images are numbered by the tool\'s name; a broken one becomes a bracketed note', () => {
    const image = png(4, 3);
    const mapped = externalResultContent('shot', [{ kind: 'data', mimeType: 'image/png', data: image }, { kind: 'data', mimeType: 'image/png', data: image }]);
    assert.equal(mapped.content, '2 image(s)');
    const blocks = mapped.blocks as Array<TextBlock | ImageBlock>;
    assert.deepEqual(blocks.map((b) => b.type), ['text', 'image', 'text', 'image']);
    assert.match((blocks[0] as TextBlock).text, /^shot image 1: PNG image, 4×3 px/);
    assert.match((blocks[2] as TextBlock).text, /^shot image 2: PNG image, 4×3 px/);
    const broken = externalResultContent('shot', [{ kind: 'data', mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) }]);
    assert.equal(broken.blocks, undefined);
    assert.equal(broken.content, '[Only PNG, JPEG, GIF and WebP images can be attached; shot image 1 is not a recognised image format.]');
  });

  it('text and images: the text comes first as its own block', () => {
    const mapped = externalResultContent('t', [{ kind: 'data', mimeType: 'image/png', data: png(2, 2) }, { kind: 'text', text: 'caption' }]);
    assert.equal(mapped.content, 'caption');
    assert.deepEqual((mapped.blocks as Array<TextBlock | ImageBlock>).map((b) => b.type), ['text', 'text', 'image']);
    assert.equal((mapped.blocks![0] as TextBlock).text, 'caption');
  });

  it('empty text with no image is "(no output)"; parts are joined by newlines and cut to the budget', () => {
    assert.deepEqual(externalResultContent('t', [{ kind: 'text', text: '' }]), { content: '(no output)' });
    assert.deepEqual(externalResultContent('t', [{ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' }]), { content: 'a\nb' });
  });
});

class Source implements ExternalToolSource {
  calls: Array<{ name: string; input: object; options: ExternalInvokeOptions }> = [];
  constructor(public reply: ExternalResultPart[] | (() => never) = [{ kind: 'text', text: 'done' }]) {}
  list() { return []; }
  async invoke(name: string, input: object, options: ExternalInvokeOptions): Promise<ExternalResultPart[]> {
    this.calls.push({ name, input, options });
    if (typeof this.reply === 'function') this.reply();
    return this.reply as ExternalResultPart[];
  }
}

describe('external tools: one call', () => {
  const tool = info('mcp_x_echo');
  const host = new FakeHost([{ fsPath: tempDir('aiml-ext-exact-'), name: 'ws' }]);
  const scope = (options: ScopeOptions = {}) => scopeFor(host, { policyNames: ['mcp_x_echo'], answer: 'allow', ...options });

  it('refuses input that is not a JSON object, calling nothing', async () => {
    const source = new Source();
    for (const input of [null, undefined, 'text', 3, [1]]) {
      assert.deepEqual(await runExternalTool(scope(), source, tool, input), { status: 'failed', summary: 'invalid input', content: 'Invalid input for mcp_x_echo: expected a JSON object. Nothing was run.', isError: true });
    }
    assert.equal(source.calls.length, 0);
  });

  it('asks with the reason and a preview of the input; the card shows it while validating, then running', async () => {
    const s = scope();
    const source = new Source();
    await runExternalTool(s, source, tool, { message: 'hi' });
    assert.deepEqual(s.cards.map((c) => c.status), ['validating', 'awaiting_approval', 'running', 'running']);
    assert.equal(s.cards[0].target, 'mcp_x_echo {"message":"hi"}');
    assert.deepEqual(s.asked()[0].approval, { kind: 'allow_deny', reason: `${EXTERNAL_ASK_REASON}: mcp_x_echo {"message":"hi"}` });
    assert.equal(source.calls[0].options.invocationToken, undefined);
  });

  it('the preview keeps 400 characters and cuts one more to 399 and …', async () => {
    const at = { m: 'x'.repeat(400 - '{"m":""}'.length) };
    const s = scope();
    await runExternalTool(s, new Source(), tool, at);
    assert.equal(s.cards[0].target, `mcp_x_echo ${JSON.stringify(at)}`);
    const over = { m: `${at.m}y` };
    const t = scope();
    await runExternalTool(t, new Source(), tool, over);
    assert.equal(t.cards[0].target, `mcp_x_echo ${JSON.stringify(over).slice(0, 399)}…`);
    const silent = scope();
    await runExternalTool(silent, new Source(), tool, { toJSON: () => undefined });
    assert.equal(silent.cards[0].target, 'mcp_x_echo {}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const c = scope();
    await runExternalTool(c, new Source(), tool, cyclic);
    assert.equal(c.cards[0].target, 'mcp_x_echo {}');
  });

  it('deny calls nothing; never refuses without asking; a token skips our question', async () => {
    const source = new Source();
    const denied = await runExternalTool(scope({ answer: 'deny' }), source, tool, {});
    assert.equal(denied.status, 'denied');
    assert.equal(source.calls.length, 0);
    const never = scope({ settings: { toolApproval: { mcp_x_echo: 'never' } }, answer: undefined });
    assert.deepEqual(await runExternalTool(never, source, tool, {}), { status: 'failed', summary: 'refused: the user turned mcp_x_echo off', content: 'Refused: the user turned mcp_x_echo off (setting aimlChat.tools.approval).', isError: true });
    const token = { t: 1 };
    const viaVsCode = scope({ answer: undefined });
    await runExternalTool(viaVsCode, source, tool, { a: 1 }, token);
    assert.deepEqual(viaVsCode.asked(), []);
    assert.deepEqual(viaVsCode.cards.map((c) => c.status), ['validating', 'running']);
    assert.equal(source.calls[0].options.invocationToken, token);
  });

  it('a failure is reported with its message; a thrown non-Error by its text; a throw after Stop propagates', async () => {
    const failing = new Source(() => { throw new Error('server gone'); });
    assert.deepEqual(await runExternalTool(scope(), failing, tool, {}), { status: 'failed', summary: 'failed', content: 'mcp_x_echo failed: server gone', isError: true });
    const odd = new Source(() => { throw 'just text'; });
    assert.equal((await runExternalTool(scope(), odd, tool, {})).content, 'mcp_x_echo failed: just text');
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(runExternalTool(scope({ signal: stop.signal }), failing, tool, {}), /server gone/);
  });

  it('the result: characters and images counted in the summary, details capped at 4,000', async () => {
    const text = 'r'.repeat(4001);
    const plain = await runExternalTool(scope(), new Source([{ kind: 'text', text }]), tool, {});
    assert.deepEqual(plain, { status: 'succeeded', summary: '4001 characters', content: text, isError: false, details: 'r'.repeat(4000) });
    const one = await runExternalTool(scope(), new Source([{ kind: 'text', text: 'ab' }, { kind: 'data', mimeType: 'image/png', data: png(2, 2) }]), tool, {});
    assert.equal(one.summary, '2 characters, 1 image');
    assert.equal(one.blocks?.length, 3);
    const two = await runExternalTool(scope(), new Source([{ kind: 'data', mimeType: 'image/png', data: png(2, 2) }, { kind: 'data', mimeType: 'image/png', data: png(2, 2) }]), tool, {});
    assert.equal(two.summary, '10 characters, 2 images');
    assert.equal(two.content, '2 image(s)');
  });
});
