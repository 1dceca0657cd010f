import assert from 'node:assert/strict';
import { startStandIn, type StandIn } from '../../support/standin';
import { postJson } from '../../support/standin/test-client';
import { signThinking } from '../../support/standin/util';
import { validateMessagesRequest } from '../../support/standin/validate';
import { imageBlock, makeGif, makeJpeg, makePng, makeWebp, readFileTool, request } from './helpers';

function rejects(body: Record<string, unknown>, expected: RegExp): void {
  const result = validateMessagesRequest(body);
  assert.equal(result.ok, false, `expected a rejection matching ${expected}`);
  if (!result.ok) assert.match(result.message, expected);
}

function accepts(body: Record<string, unknown>): void {
  const result = validateMessagesRequest(body);
  assert.ok(result.ok, result.ok ? '' : result.message);
}

const toolTurn = (id = 'toolu_1') => ({ role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id, name: 'read_file', input: { path: 'a.ts' } }] });
const toolResult = (id = 'toolu_1', content = 'file text') => ({ type: 'tool_result', tool_use_id: id, content });

describe('stand-in: request validation', () => {
  it('accepts a typical request with system, tools, cache_control and images', () => {
    accepts(request({
      system: [{ type: 'text', text: 'You are helpful.', cache_control: { type: 'ephemeral' } }],
      tools: [readFileTool, { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' }],
      temperature: 0.3,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Look' }, imageBlock(makePng(4, 3), 'image/png'), imageBlock(makeJpeg(10, 20), 'image/jpeg'), imageBlock(makeGif(2, 2), 'image/gif'), imageBlock(makeWebp(5, 6), 'image/webp')] }],
    }));
  });

  it('rejects unknown models and lists the known ones', () => {
    rejects(request({ model: 'claude-3-opus' }), /model: Unknown model 'claude-3-opus'.*claude-sonnet-4-6/);
  });

  it('rejects sampling parameters for the claude-opus-4-7 ids, but not for others', () => {
    for (const model of ['claude-opus-4-7', 'anthropic/claude-opus-4-7', 'anthropic/claude-opus-4.7']) {
      rejects(request({ model, temperature: 0.5 }), /temperature: Extra inputs are not permitted/);
      rejects(request({ model, top_p: 0.5 }), /top_p/);
      rejects(request({ model, top_k: 5 }), /top_k/);
      accepts(request({ model }));
    }
    accepts(request({ model: 'claude-opus-4-6', temperature: 0.5, top_k: 5 }));
  });

  it('applies the seed schema (types, ranges, enums)', () => {
    rejects(request({ temperature: 1.5 }), /temperature: must be <= 1/);
    rejects(request({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AAAA' } }] }] }), /media_type.*allowed values/);
    rejects(request({ thinking: { type: 'sometimes' } }), /thinking/);
    rejects(request({ stream: 'yes' }), /stream: must be boolean/);
  });

  it('names the real mistake inside anyOf/oneOf alternatives', () => {
    rejects(request({ messages: [{ role: 'user', content: [{ type: 'txt', text: 'x' }] }] }), /^messages\.0\.content\.0\.type: must be one of "text", "image", .*"tool_result"/);
    rejects(request({ tools: [{ name: 'a', description: 'no schema' }] }), /^tools\.0: must have required property 'input_schema'/);
    rejects(request({ tool_choice: { type: 'tool' } }), /^tool_choice: must have required property 'name'/);
    rejects(request({ messages: [{ role: 'user', content: [{ type: 'text' }] }] }), /^messages\.0\.content\.0: must have required property 'text'/);
  });

  it('refuses the OpenAI-style shapes that the seed schema also describes', () => {
    rejects(request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }), /'image_url' is an OpenAI-style block/);
    rejects(request({ tools: [{ type: 'function', function: { name: 'f' } }] }), /OpenAI-style function tools/);
    rejects(request({ messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'y' }] }), /messages\.0\.role: Input should be 'user' or 'assistant'/);
  });

  it('checks the thinking budget against 1024 and max_tokens', () => {
    rejects(request({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 512 } }), /budget_tokens/);
    rejects(request({ max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 2048 } }), /max_tokens.*greater than.*budget_tokens/);
    accepts(request({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } }));
    rejects(request({ max_tokens: 4096, temperature: 0.2, thinking: { type: 'enabled', budget_tokens: 1024 } }), /temperature.*thinking/);
  });

  it('checks roles, order and empty content', () => {
    rejects(request({ messages: [] }), /at least one message/);
    rejects(request({ messages: [{ role: 'assistant', content: 'hi' }, { role: 'user', content: 'hi' }] }), /first message must use the "user" role/);
    rejects(request({ messages: [{ role: 'user', content: '' }] }), /non-empty/);
    rejects(request({ messages: [{ role: 'user', content: [{ type: 'text', text: '  ' }] }] }), /non-whitespace/);
    accepts(request({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }));
    accepts(request({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'prefill' }] }));
  });

  it('rejects bad base64 image data', () => {
    const block = imageBlock(makePng(2, 2), 'image/png');
    block.source.data = block.source.data.slice(0, -2) + '!!';
    rejects(request({ messages: [{ role: 'user', content: [block] }] }), /messages\.0\.content\.0\.source\.data: The image data is not valid base64/);
  });

  it('rejects images whose bytes are not the declared type', () => {
    rejects(request({ messages: [{ role: 'user', content: [imageBlock(makePng(2, 2), 'image/jpeg')] }] }), /does not match the provided media type image\/jpeg \(the bytes are image\/png\)/);
    rejects(request({ messages: [{ role: 'user', content: [imageBlock(Buffer.from('not an image at all'), 'image/png')] }] }), /not a supported image/);
  });

  it('rejects images over 5 MB and over 8000 px', () => {
    const big = Buffer.concat([makePng(10, 10), Buffer.alloc(5 * 1024 * 1024)]);
    rejects(request({ messages: [{ role: 'user', content: [imageBlock(big, 'image/png')] }] }), /exceeds 5 MB/);
    rejects(request({ messages: [{ role: 'user', content: [imageBlock(makeGif(9000, 10), 'image/gif')] }] }), /8000 pixels/);
  });

  it('checks base64 PDF documents', () => {
    const doc = (data: string) => request({ messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } }, { type: 'text', text: 'summarise' }] }] });
    accepts(doc(Buffer.from('%PDF-1.7\n%âãÏÓ\n').toString('base64')));
    rejects(doc(Buffer.from('just text').toString('base64')), /PDF specified was not valid/);
  });

  it('requires tool_results to answer exactly the previous tool_use ids, first in the message', () => {
    const tools = [readFileTool];
    accepts(request({ tools, messages: [{ role: 'user', content: 'read a.ts' }, toolTurn(), { role: 'user', content: [toolResult(), { type: 'text', text: 'and then?' }] }] }));
    rejects(request({ tools, messages: [{ role: 'user', content: 'read a.ts' }, toolTurn(), { role: 'user', content: [toolResult('toolu_other')] }] }),
      /messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/);
    rejects(request({ tools, messages: [{ role: 'user', content: 'read a.ts' }, toolTurn(), { role: 'user', content: [toolResult(), toolResult('toolu_extra')] }] }),
      /unexpected `tool_use_id` found in `tool_result` blocks: toolu_extra/);
    rejects(request({ tools, messages: [{ role: 'user', content: 'read a.ts' }, toolTurn(), { role: 'user', content: [{ type: 'text', text: 'first' }, toolResult()] }] }),
      /`tool_result` blocks must come first/);
    rejects(request({ tools, messages: [{ role: 'user', content: 'read a.ts' }, toolTurn(), { role: 'user', content: 'no results' }] }), /without `tool_result`/);
    rejects(request({ tools, messages: [{ role: 'user', content: [toolResult()] }] }), /unexpected `tool_use_id`/);
  });

  it('rejects duplicate tool_use ids and tool blocks without tools', () => {
    const tools = [readFileTool];
    rejects(request({ tools, messages: [
      { role: 'user', content: 'go' }, toolTurn('toolu_1'), { role: 'user', content: [toolResult('toolu_1')] },
      toolTurn('toolu_1'), { role: 'user', content: [toolResult('toolu_1')] },
    ] }), /ids must be unique; 'toolu_1'/);
    rejects(request({ messages: [{ role: 'user', content: 'go' }, toolTurn(), { role: 'user', content: [toolResult()] }] }), /must define tools/);
  });

  it('with thinking on, wants the thinking block kept at the start of a tool-loop turn, unchanged', () => {
    const thinking = { type: 'enabled', budget_tokens: 1024 };
    const signed = { type: 'thinking', thinking: 'plan', signature: signThinking('plan') };
    const base = { tools: [readFileTool], max_tokens: 4096, thinking };
    const loop = (assistantContent: unknown[]) => request({ ...base, messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: assistantContent }, { role: 'user', content: [toolResult()] }] });
    const toolUse = { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: {} };
    accepts(loop([signed, toolUse]));
    rejects(loop([toolUse]), /Expected `thinking` or `redacted_thinking`, but found `tool_use`/);
    rejects(loop([{ ...signed, thinking: 'edited plan' }, toolUse]), /Invalid `signature`/);
  });

  it('limits cache_control breakpoints to four', () => {
    const cached = (text: string) => ({ type: 'text', text, cache_control: { type: 'ephemeral' } });
    rejects(request({ messages: [{ role: 'user', content: ['a', 'b', 'c', 'd', 'e'].map(cached) }] }), /maximum of 4 blocks with cache_control.*Found 5/);
  });
});

describe('stand-in: validation over HTTP', () => {
  let standIn: StandIn;
  before(async () => { standIn = await startStandIn(); });
  after(() => standIn.close());

  it('answers 400 invalid_request_error in Anthropic shape', async () => {
    const res = await postJson(`${standIn.url}/v1/messages`, request({ model: 'claude-opus-4-7', temperature: 0.2 }));
    assert.equal(res.status, 400);
    const body = await res.json() as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /temperature/);
    assert.ok(res.headers.get('request-id'));
  });

  it('rejects a body that is not JSON', async () => {
    const res = await postJson(`${standIn.url}/v1/messages`, '{"model": ');
    assert.equal(res.status, 400);
    assert.match((await res.json() as { error: { message: string } }).error.message, /error parsing the body/);
  });

  it('answers 413 request_too_large above 32 MB', async () => {
    const huge = JSON.stringify(request({ messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] }));
    const res = await postJson(`${standIn.url}/v1/messages`, huge);
    assert.equal(res.status, 413);
    assert.equal((await res.json() as { error: { type: string } }).error.type, 'request_too_large');
  });
});
