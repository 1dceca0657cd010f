import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startStandIn, type StandIn } from '../../support/standin';
import { assemble, postJson, readSse, textOf, type AssembledMessage } from '../../support/standin/test-client';
import { imageBlock, makeJpeg, makePng, readFileTool, request } from './helpers';

async function stream(standIn: StandIn, body: Record<string, unknown>): Promise<AssembledMessage & { eventNames: string[] }> {
  const res = await postJson(`${standIn.url}/v1/messages`, { ...body, stream: true });
  assert.equal(res.status, 200, await res.clone().text());
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const result = await readSse(res);
  assert.equal(result.error, undefined);
  for (const event of result.events) assert.ok(event.json, `every data line is JSON: ${event.data.slice(0, 80)}`);
  return { ...assemble(result.events), eventNames: result.events.map((e) => String(e.event)) };
}

describe('stand-in: streamed scenarios', () => {
  let standIn: StandIn;
  before(async () => { standIn = await startStandIn({ seed: 7 }); });
  after(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('streams the default answer in proper event order with usage and gateway cost', async () => {
    const answer = await stream(standIn, request({ messages: [{ role: 'user', content: 'Explain how promises chain in modern JavaScript please' }] }));
    assert.equal(answer.eventNames[0], 'message_start');
    assert.equal(answer.eventNames.at(-1), 'message_stop');
    assert.equal(answer.eventNames.at(-2), 'message_delta');
    assert.ok(answer.eventNames.includes('ping'));
    const text = textOf(answer.message);
    assert.match(text, /Explain how promises chain in modern JavaScript please/);
    assert.match(text, /```typescript\n[\s\S]+\n```/);
    assert.equal(answer.stopReason, 'end_turn');
    assert.equal(answer.sawMessageStop, true);
    assert.ok(Number(answer.usage.input_tokens) > 0);
    assert.ok(Number(answer.usage.output_tokens) >= Math.floor(text.length / 4));
    const meta = answer.meta as { usage: { usd_spent: number; credits_used: number } };
    assert.ok(meta.usage.usd_spent > 0);
    assert.equal(meta.usage.credits_used, Math.round(meta.usage.usd_spent * 1_000_000));
    assert.equal(answer.message.model, 'claude-sonnet-4-6');
    assert.match(String(answer.message.id), /^msg_/);
  });

  it('returns the same content without streaming, as one message JSON', async () => {
    const res = await postJson(`${standIn.url}/v1/messages`, request({ messages: [{ role: 'user', content: 'markdown please' }] }));
    const message = await res.json() as { content: { text: string }[]; stop_reason: string; meta: { usage: { usd_spent: number } } };
    assert.match(message.content[0].text, /\| Model \|/);
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.meta.usage.usd_spent > 0);
  });

  it('streams rich markdown for "markdown" / "code"', async () => {
    const text = textOf((await stream(standIn, request({ messages: [{ role: 'user', content: 'show me some code' }] }))).message);
    assert.match(text, /^# /m);
    assert.match(text, /^## A table/m);
    assert.match(text, /^\| --- \|/m);
    assert.equal(text.match(/^```\w+$/gm)?.length, 4);
  });

  it('streams a long answer of 2000 lines in small deltas', async () => {
    const answer = await stream(standIn, request({ max_tokens: 64000, messages: [{ role: 'user', content: 'a long answer please' }] }));
    const text = textOf(answer.message);
    assert.ok(text.length > 100_000, `length ${text.length}`);
    assert.equal(text.split('\n').filter((line) => /^Line \d{4}:/.test(line)).length, 2000);
    assert.ok(answer.eventNames.filter((n) => n === 'content_block_delta').length > 4000);
    assert.equal(answer.stopReason, 'end_turn');
  });

  it('stops at max_tokens like the service', async () => {
    const answer = await stream(standIn, request({ max_tokens: 100, messages: [{ role: 'user', content: 'long' }] }));
    assert.equal(answer.stopReason, 'max_tokens');
    assert.equal([...textOf(answer.message)].length, 400);
  });

  it('stops at a stop sequence and reports it', async () => {
    const answer = await stream(standIn, request({ stop_sequences: ['```'], messages: [{ role: 'user', content: 'hello there' }] }));
    assert.equal(answer.stopReason, 'stop_sequence');
    assert.doesNotMatch(textOf(answer.message), /```/);
    const res = await postJson(`${standIn.url}/v1/messages`, request({ stop_sequences: ['```'] }));
    assert.equal((await res.json() as { stop_sequence: string }).stop_sequence, '```');
  });

  it('streams thinking (thinking_delta + signature_delta) before the text when thinking is on', async () => {
    const answer = await stream(standIn, request({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'think about sorting' }] }));
    const [thinking, text] = answer.message.content;
    assert.equal(thinking.type, 'thinking');
    assert.match(String(thinking.thinking), /think about sorting/);
    assert.match(String(thinking.signature), /^standin1\./);
    assert.equal(text.type, 'text');
    const noThinking = await stream(standIn, request({ messages: [{ role: 'user', content: 'think about sorting' }] }));
    assert.deepEqual(noThinking.message.content.map((b) => b.type), ['text']);
  });

  it('sends redacted_thinking on request', async () => {
    const answer = await stream(standIn, request({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'redacted thinking please' }] }));
    assert.deepEqual(answer.message.content.map((b) => b.type), ['thinking', 'redacted_thinking', 'text']);
    assert.ok(String(answer.message.content[1].data).length > 0);
  });

  it('calls a read tool for "read README.md", then quotes the tool result', async () => {
    const first = await stream(standIn, request({ tools: [readFileTool], messages: [{ role: 'user', content: 'Please read README.md' }] }));
    assert.equal(first.stopReason, 'tool_use');
    const toolUse = first.message.content.find((b) => b.type === 'tool_use')!;
    assert.equal(toolUse.name, 'read_file');
    assert.deepEqual(toolUse.input, { path: 'README.md' });
    assert.ok(first.eventNames.filter((n) => n === 'content_block_delta').length > 2);

    const fileText = '# Project\n' + 'ü'.repeat(300);
    const second = await stream(standIn, request({
      tools: [readFileTool],
      messages: [
        { role: 'user', content: 'Please read README.md' },
        { role: 'assistant', content: first.message.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: fileText }] },
      ],
    }));
    assert.equal(second.stopReason, 'end_turn');
    assert.ok(textOf(second.message).includes(fileText.slice(0, 200)));
    assert.ok(!textOf(second.message).includes(fileText.slice(0, 201)));
  });

  it('makes parallel tool calls from [[tool:NAME JSON]] directives', async () => {
    const tools = [readFileTool, { name: 'search_text', description: 'Search', input_schema: { type: 'object', properties: {} } }];
    const prompt = 'Do both [[tool:read_file {"path":"src/a.ts"}]] and [[tool:search_text {"query":"a]]b","max":3}]]';
    const answer = await stream(standIn, request({ tools, messages: [{ role: 'user', content: prompt }] }));
    const calls = answer.message.content.filter((b) => b.type === 'tool_use');
    assert.deepEqual(calls.map((c) => [c.name, c.input]), [['read_file', { path: 'src/a.ts' }], ['search_text', { query: 'a]]b', max: 3 }]]);
    assert.equal(new Set(calls.map((c) => c.id)).size, 2);
    assert.equal(answer.stopReason, 'tool_use');
  });

  it('plays an enqueued toolUse step with the given ids', async () => {
    standIn.enqueue({ kind: 'toolUse', text: 'Looking.', calls: [{ name: 'read_file', input: { path: 'x' }, id: 'toolu_fixed' }] });
    const answer = await stream(standIn, request({ tools: [readFileTool] }));
    assert.deepEqual(answer.message.content.map((b) => [b.type, b.id ?? null]), [['text', null], ['tool_use', 'toolu_fixed']]);
  });

  it('views the file with a text editor tool when there is no read tool, and explains when there are no tools', async () => {
    const editor = { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' };
    const viewing = await stream(standIn, request({ tools: [editor], messages: [{ role: 'user', content: 'read the file src/app.ts' }] }));
    const call = viewing.message.content.find((b) => b.type === 'tool_use')!;
    assert.deepEqual([call.name, call.input], ['str_replace_based_edit_tool', { command: 'view', path: 'src/app.ts' }]);
    const noTools = await stream(standIn, request({ messages: [{ role: 'user', content: '[[tool:read_file {"path":"a"}]]' }] }));
    assert.equal(noTools.stopReason, 'end_turn');
    assert.match(textOf(noTools.message), /no tools/);
  });

  it('obeys tool_choice: none never calls a tool, disable_parallel_tool_use keeps one call', async () => {
    standIn.enqueue({ kind: 'toolUse', calls: [{ name: 'read_file', input: { path: 'a' } }] });
    const none = await stream(standIn, request({ tools: [readFileTool], tool_choice: { type: 'none' }, messages: [{ role: 'user', content: 'read README.md' }] }));
    assert.deepEqual(none.message.content.map((b) => b.type), ['text']);
    assert.equal(none.stopReason, 'end_turn');
    const prompt = '[[tool:read_file {"path":"a"}]] [[tool:read_file {"path":"b"}]]';
    const single = await stream(standIn, request({ tools: [readFileTool], tool_choice: { type: 'auto', disable_parallel_tool_use: true }, messages: [{ role: 'user', content: prompt }] }));
    assert.deepEqual(single.message.content.filter((b) => b.type === 'tool_use').map((b) => b.input), [{ path: 'a' }]);
    const forced = await stream(standIn, request({ tools: [readFileTool], tool_choice: { type: 'tool', name: 'read_file' } }));
    assert.equal(forced.stopReason, 'tool_use');
  });

  it('describes attached images so a test can check they arrived intact', async () => {
    const png = makePng(64, 32);
    const jpeg = makeJpeg(640, 480);
    const answer = await stream(standIn, request({ messages: [{ role: 'user', content: [imageBlock(png, 'image/png'), imageBlock(jpeg, 'image/jpeg'), { type: 'text', text: 'What is this?' }] }] }));
    const text = textOf(answer.message);
    const digest = createHash('sha256').update(png).digest('hex').slice(0, 16);
    assert.match(text, /I received 2 images/);
    assert.ok(text.includes(`1. image/png, ${png.length} bytes, 64x32 px, sha256 ${digest}`), text);
    assert.ok(text.includes(`2. image/jpeg, ${jpeg.length} bytes, 640x480 px`), text);
  });

  it('reports cache creation on the first request with a cached prefix and cache reads later', async () => {
    const system = [{ type: 'text', text: 'You are a careful assistant. '.repeat(50), cache_control: { type: 'ephemeral' } }];
    const first = await stream(standIn, request({ system }));
    const second = await stream(standIn, request({ system, messages: [{ role: 'user', content: 'Another question entirely' }] }));
    assert.ok(Number(first.usage.cache_creation_input_tokens) > 300);
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.equal(second.usage.cache_read_input_tokens, first.usage.cache_creation_input_tokens);
    assert.equal(second.usage.cache_creation_input_tokens, 0);
    const plain = await stream(standIn, request());
    assert.equal(plain.usage.cache_creation_input_tokens, 0);
    assert.equal(plain.usage.cache_read_input_tokens, 0);
  });

  it('picks any scenario with [[scenario:NAME]]', async () => {
    const answer = await stream(standIn, request({ messages: [{ role: 'user', content: '[[scenario:unicode]]' }] }));
    assert.match(textOf(answer.message), /日本語/);
  });
});
