// read_file (and the text editor tool's view) on workspace images: the image goes back to the model
// as an image block inside the tool_result, recognised by its bytes and accepted only within the
// API's limits; the stored conversation keeps it as an image_ref, and the request built from it
// carries base64 that the stand-in accepts.
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FileAttachmentStore, storeToolResultImages } from '../../../src/core/chat/attachmentStore';
import type { ChatSettings } from '../../../src/host/config';
import { buildMessagesRequest } from '../../../src/core/chat/requestBuilder';
import { ToolRunner, type ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ImageBlock, ImageRefBlock, StoredMessage, TextBlock, ToolCallState, ToolResultBlock } from '../../../src/shared/model';
import { startStandIn, validateMessagesRequest } from '../../support/standin';
import { postJson } from '../../support/standin/test-client';
import { makePng, MODEL } from '../standin/helpers';
import { chatForStandIn } from '../chat/fakes';
import { CardLog, FakeHost, settings, tempDir, writeFiles } from './fakeHost';

const jpegFixture = readFileSync(path.resolve(__dirname, '../../fixtures/images/photo-320x200.jpg'));

async function setup(overrides: Partial<ToolRunnerSettings> = {}, deny = false) {
  const ws = tempDir();
  await writeFiles(ws, { 'notes.png': 'not really an image\nsecond line\n', 'gif-note.txt': 'GIF89a is the name of a format\n' });
  const shot = makePng(640, 480);
  await fs.writeFile(path.join(ws, 'shot.png'), shot);
  await fs.writeFile(path.join(ws, 'photo.dat'), jpegFixture);
  const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
  const runner = new ToolRunner(host, () => settings(overrides));
  const cards = new CardLog();
  const onCard = (state: ToolCallState) => {
    cards.onCard(state);
    if (state.status === 'awaiting_approval') void Promise.resolve().then(() => runner.decide(state.toolUseId, deny ? 'deny' : 'allow'));
  };
  let n = 0;
  const one = async (name: string, input: unknown) => {
    const [result] = await runner.execute([{ type: 'tool_use', id: `call_${++n}`, name, input }], { signal: new AbortController().signal, onCard });
    return { result, card: cards.latest(result.tool_use_id)! };
  };
  return { ws, shot, one, cards };
}

function imageOf(result: ToolResultBlock): ImageBlock {
  assert.ok(Array.isArray(result.content), `rich content expected, got ${JSON.stringify(result.content)}`);
  const images = result.content.filter((b): b is ImageBlock => b.type === 'image');
  assert.equal(images.length, 1);
  return images[0];
}

describe('tools: reading images', () => {
  it('returns a PNG as an image block with its media type and exact bytes', async () => {
    const { one, shot } = await setup();
    const { result, card } = await one('read_file', { path: 'shot.png' });
    assert.equal(result.is_error, undefined);
    const image = imageOf(result);
    assert.equal(image.source.type, 'base64');
    assert.equal(image.source.media_type, 'image/png');
    assert.deepEqual(Buffer.from(image.source.data, 'base64'), shot);
    const text = (result.content as TextBlock[])[0];
    assert.equal(text.type, 'text');
    assert.match(text.text, /^shot\.png: PNG image, 640×480 px/);
    assert.equal(card.status, 'succeeded');
    assert.equal(card.summary, 'image 640×480 PNG, ~410 tokens');
  });

  it('recognises the type by bytes, not by the name', async () => {
    const { one } = await setup();
    const { result, card } = await one('read_file', { path: 'photo.dat' });
    const image = imageOf(result);
    assert.equal(image.source.media_type, 'image/jpeg');
    assert.deepEqual(Buffer.from(image.source.data, 'base64'), jpegFixture);
    assert.equal(card.summary, 'image 320×200 JPEG, ~86 tokens');
  });

  it('reads a misnamed text file as text, also when it starts like a GIF header', async () => {
    const { one } = await setup();
    const fake = await one('read_file', { path: 'notes.png' });
    assert.equal(typeof fake.result.content, 'string');
    assert.match(String(fake.result.content), /notes\.png \(lines 1-2 of 2\)\n\s+1\tnot really an image/);
    assert.equal(fake.card.summary, 'read 2 lines');
    const gifLike = await one('read_file', { path: 'gif-note.txt' });
    assert.match(String(gifLike.result.content), /GIF89a is the name of a format/);
  });

  it('refuses an image over the API limits with an error result that says why', async () => {
    const { ws, one } = await setup();
    await fs.writeFile(path.join(ws, 'wide.png'), makePng(9000, 2));
    const wide = await one('read_file', { path: 'wide.png' });
    assert.equal(wide.result.is_error, true);
    assert.equal(typeof wide.result.content, 'string');
    assert.match(String(wide.result.content), /wide\.png is 9000×2 px; .*at most 8000 px.*Use a smaller image/);
    assert.equal(wide.card.status, 'failed');
    assert.match(wide.card.summary ?? '', /^image 9000×2 PNG not sent/);

    // A valid header followed by 4 MB of data: over 5 MB once base64-encoded.
    const heavy = Buffer.concat([makePng(100, 100).subarray(0, 33), Buffer.alloc(4_000_000, 7)]);
    await fs.writeFile(path.join(ws, 'heavy.png'), heavy);
    const big = await one('read_file', { path: 'heavy.png' });
    assert.equal(big.result.is_error, true);
    assert.match(String(big.result.content), /at most 5 MB/);
  });

  it('refuses a damaged image and keeps refusing other binaries', async () => {
    const { ws, one } = await setup();
    await fs.writeFile(path.join(ws, 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    await fs.writeFile(path.join(ws, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe]));
    const broken = await one('read_file', { path: 'broken.png' });
    assert.equal(broken.result.is_error, true);
    assert.match(String(broken.result.content), /starts like a PNG image but its header is damaged/);
    const blob = await one('read_file', { path: 'blob.bin' });
    assert.equal(blob.result.is_error, true);
    assert.match(String(blob.result.content), /binary file/);
  });

  it('serves images through the text editor tool view command too', async () => {
    const { one, shot } = await setup({ editorToolStyle: 'anthropic' });
    const { result, card } = await one('str_replace_based_edit_tool', { command: 'view', path: 'shot.png' });
    assert.deepEqual(Buffer.from(imageOf(result).source.data, 'base64'), shot);
    assert.equal(card.summary, 'image 640×480 PNG, ~410 tokens');
  });

  it('keeps confinement and the secret-file approval for images', async () => {
    const outside = await setup();
    const escaped = await outside.one('read_file', { path: '../elsewhere.png' });
    assert.equal(escaped.result.is_error, true);
    assert.match(String(escaped.result.content), /^Refused/);

    const { one, cards } = await setup({ secretFilePatterns: ['**/shot.png'] }, true);
    const { result, card } = await one('read_file', { path: 'shot.png' });
    assert.ok(cards.updates.some((u) => u.status === 'awaiting_approval'), 'asked before reading');
    assert.equal(card.status, 'denied');
    assert.equal(typeof result.content, 'string');
    assert.doesNotMatch(JSON.stringify(result), /"image"/);
  });
});

describe('tools: image results in the conversation and the request', () => {
  it('stores the image once as an image_ref and sends it back as base64 the stand-in accepts', async () => {
    const { one, shot } = await setup();
    const { result } = await one('read_file', { path: 'shot.png' });
    const store = new FileAttachmentStore(tempDir('aiml-attachments-'));
    const [stored] = await storeToolResultImages([result], store);
    const ref = (stored.content as Array<TextBlock | ImageRefBlock>).find((b): b is ImageRefBlock => b.type === 'image_ref');
    assert.ok(ref, 'image_ref stored');
    assert.deepEqual({ media_type: ref.media_type, width: ref.width, height: ref.height, bytes: ref.bytes, name: ref.name }, { media_type: 'image/png', width: 640, height: 480, bytes: shot.length, name: 'shot.png' });
    assert.doesNotMatch(JSON.stringify(stored), /iVBOR/, 'no base64 in the stored result');
    assert.deepEqual(await fs.readFile(store.filePath(ref)), shot);

    const history: StoredMessage[] = [
      { id: 'u1', role: 'user', kind: 'prompt', content: [{ type: 'text', text: 'What is in shot.png?' }], createdAt: 1 },
      { id: 'a1', role: 'assistant', status: 'complete', content: [{ type: 'tool_use', id: result.tool_use_id, name: 'read_file', input: { path: 'shot.png' } }], createdAt: 2 },
      { id: 'u2', role: 'user', kind: 'tool_results', content: [stored], createdAt: 3 },
    ];
    const { request } = await buildMessagesRequest(history, {
      model: MODEL, acceptsSampling: true, maxTokens: 1024, temperature: null, thinking: { enabled: false, budgetTokens: 0 },
      promptCaching: true, system: 'You are helpful.', tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
    }, (r) => store.load(r));
    const sent = (request.messages[2].content as ToolResultBlock[])[0];
    assert.equal(sent.type, 'tool_result');
    const image = imageOf(sent);
    assert.equal(image.source.media_type, 'image/png');
    assert.deepEqual(Buffer.from(image.source.data, 'base64'), shot);
    assert.doesNotMatch(JSON.stringify(request), /image_ref/);

    const checked = validateMessagesRequest(request);
    assert.ok(checked.ok, checked.ok ? '' : checked.message);
    const standIn = await startStandIn({ seed: 3 });
    try {
      const res = await postJson(`${standIn.url}/v1/messages`, { ...request, stream: false });
      assert.equal(res.status, 200, await res.clone().text());
      await res.text();
    } finally {
      await standIn.close();
    }
  });

  it('the stand-in rejects a tool_result image whose bytes are not the declared type', () => {
    const bad = {
      model: MODEL, max_tokens: 100,
      tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object' } }],
      messages: [
        { role: 'user', content: 'look' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: makePng(2, 2).toString('base64') } }] }] },
      ],
    };
    const checked = validateMessagesRequest(bad);
    assert.equal(checked.ok, false);
    assert.match(checked.ok ? '' : checked.message, /messages\.2\.content\.0\.content\.0\.source: Image does not match the provided media type image\/jpeg/);
  });

  it('end to end: the chat session stores the tool image as a file and the next request carries it', async function () {
    this.timeout(30_000);
    const ws = tempDir();
    const shot = makePng(64, 48);
    await fs.writeFile(path.join(ws, 'shot.png'), shot);
    const folder = tempDir('aiml-chat-');
    const standIn = await startStandIn({ apiKey: 'test-key', tokenDelayMs: 0 });
    try {
      standIn.enqueue({ kind: 'toolUse', calls: [{ name: 'read_file', input: { path: 'shot.png' } }], text: 'Looking.' });
      const chat: ChatSettings = {
        baseUrl: standIn.url, model: MODEL, maxTokens: 4096, temperature: null, thinkingEnabled: false, thinkingBudgetTokens: 2048,
        promptCaching: true, spendCapUsd: null, requestTimeoutMs: 10_000, toolsEnabled: true, autoApproveReads: true, autoApplyEdits: false, toolApproval: {},
        maxToolCallsPerTurn: 25, secretFilePatterns: [], batchStatusPath: '', batchResultsPath: '',
      };
      const runner = new ToolRunner(new FakeHost([{ fsPath: ws, name: 'ws' }]), () => settings());
      const attachments = new FileAttachmentStore(path.join(folder, 'attachments'));
      const { session } = chatForStandIn({ folder, settings: () => chat, executor: runner, attachments });
      await session.send({ text: 'What is in shot.png?' });
      await session.stopAndSave();
      const messages = session.conversation.messages;
      assert.deepEqual(messages.map((m) => m.kind ?? m.status), ['prompt', 'complete', 'tool_results', 'complete'], JSON.stringify(messages.at(-1)?.error));
      const stored = messages[2].content[0] as ToolResultBlock;
      const ref = (stored.content as Array<TextBlock | ImageRefBlock>).find((b): b is ImageRefBlock => b.type === 'image_ref');
      assert.ok(ref, `image_ref expected in ${JSON.stringify(stored).slice(0, 300)}`);
      assert.deepEqual(await fs.readFile(attachments.filePath(ref)), shot);
      assert.doesNotMatch(JSON.stringify(session.conversation), /iVBOR/, 'no inline base64 in the conversation');
      const bodies = standIn.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.body as { messages: Array<{ content: unknown }> });
      assert.equal(bodies.length, 2);
      const sent = (bodies[1].messages[2].content as ToolResultBlock[])[0];
      assert.deepEqual(Buffer.from(imageOf(sent).source.data, 'base64'), shot);
    } finally {
      await standIn.close();
    }
  });
});
