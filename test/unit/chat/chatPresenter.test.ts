import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { HostToWebview } from '../../../src/shared/protocol';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { ChatSession } from '../../../src/core/chat/session/chatSession';
import { ChatPresenter } from '../../../src/host/chatPresenter';
import { digestText } from '../../../src/shared/textDigest';
import type { ChatSettings } from '../../../src/host/config';
import { apiError, FakeExecutor, FakeMessagesApi, reply, silentLogger, type Step } from './fakes';

const settings: ChatSettings = {
  baseUrl: 'http://127.0.0.1:1', model: 'claude-sonnet-4-6', maxTokens: 1000, temperature: null, thinkingEnabled: false, thinkingBudgetTokens: 2048,
  promptCaching: true, spendCapUsd: null, balanceWarningUsd: null, requestTimeoutMs: 5000, answerTimeoutMs: 600_000, toolsEnabled: true, autoApproveReads: true, autoApplyEdits: false, toolApproval: {},
  maxToolCallsPerTurn: 25, secretFilePatterns: [],
};

// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('ChatSession through the webview presenter', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-ctl-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function setup(steps: Step[], opts: { key?: string; cap?: number | null; confirm?: boolean; onConfirm?: () => Promise<void> } = {}) {
    const api = new FakeMessagesApi(steps);
    const posts: HostToWebview[] = [];
    const confirms: string[] = [];
    const streaming: boolean[] = [];
    const store = new ConversationStore(path.join(folder, 'conversations'));
    const session = new ChatSession({
      store,
      attachments: new FileAttachmentStore(path.join(folder, 'attachments')),
      getApiKey: async () => ('key' in opts ? opts.key : 'test-key'),
      settings: () => ({ ...settings, spendCapUsd: opts.cap ?? null }),
      createApi: () => api,
      executor: () => new FakeExecutor(),
      workspaceName: () => 'demo',
      confirm: async (m) => { confirms.push(m); await opts.onConfirm?.(); return opts.confirm ?? false; },
      logger: silentLogger,
    });
    session.subscribe((e) => { if (e.type === 'busyChanged') streaming.push(e.busy); });
    const presenter = new ChatPresenter(session, {
      settings: () => ({ ...settings, spendCapUsd: opts.cap ?? null }),
      toolsStatus: () => ({ available: true }),
      models: () => [],
      attachmentUri: (ref) => `webview://att/${ref.id}`,
      deltaIntervalMs: 0,
    });
    presenter.setPoster((m) => posts.push(m));
    const types = () => posts.map((p) => p.type);
    return { api, posts, confirms, streaming, store, session, presenter, types };
  }

  it('sends a prompt, streams the answer as deltas and saves the conversation with totals', async () => {
    const t = setup([reply('Hello from the model', 'end_turn', { usage: { input_tokens: 20, output_tokens: 7 }, usdSpent: 0.0031 })]);
    await t.session.send({ text: 'Hi there\nsecond line' });
    const conversation = t.session.conversation;
    assert.equal(conversation.title, 'Hi there');
    assert.deepEqual(conversation.messages.map((m) => [m.role, m.status]), [['user', undefined], ['assistant', 'complete']]);
    assert.deepEqual(conversation.messages[1].content, [{ type: 'text', text: 'Hello from the model' }]);
    assert.deepEqual(conversation.totals, { inputTokens: 20, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0.0031 });
    const deltas = t.posts.filter((p) => p.type === 'delta');
    assert.ok(deltas.length > 0);
    const updated = t.posts.find((p) => p.type === 'messageUpdated');
    assert.equal(updated?.type === 'messageUpdated' && updated.status, 'complete');
    assert.equal(updated?.type === 'messageUpdated' && updated.usdSpent, 0.0031);
    assert.ok(t.types().includes('totals'));
    assert.deepEqual(t.streaming, [true, false]);
    // The request carried the prompt and the system prompt.
    assert.equal(t.api.requests.length, 1);
    assert.match(JSON.stringify(t.api.requests[0].messages), /Hi there/);
    // Saved to disk.
    const reopened = await new ConversationStore(path.join(folder, 'conversations')).load(conversation.id);
    assert.equal(reopened.kind === 'ok' && reopened.conversation.messages.length, 2);
    assert.equal(await new ConversationStore(path.join(folder, 'conversations')).getLastOpenId(), conversation.id);
  });

  it('without an API key, posts no_api_key and gives the prompt back exactly once', async () => {
    const t = setup([], { key: undefined });
    await t.session.send({ text: 'my prompt' });
    const error = t.posts.find((p) => p.type === 'error');
    assert.equal(error?.type === 'error' && error.error.kind, 'no_api_key');
    // The webview restores from `restorePrompt` and from an error's `prompt`: only one of them may carry it.
    const restores = t.posts.filter((p) => p.type === 'restorePrompt' || (p.type === 'error' && p.prompt !== undefined));
    assert.deepEqual(restores, [{ type: 'restorePrompt', text: 'my prompt' }]);
    assert.equal(t.session.conversation.messages.length, 0);
    assert.equal(t.session.isBusy, false);
  });

  it('asks before going past the spend cap and does not send when declined', async () => {
    const t = setup([reply('x')], { cap: 0 });
    await t.session.send({ text: 'expensive question' });
    assert.equal(t.confirms.length, 1);
    assert.match(t.confirms[0], /spend cap/);
    assert.equal(t.api.requests.length, 0);
    assert.ok(t.types().includes('restorePrompt'));
    const accepted = setup([reply('x')], { cap: 0, confirm: true });
    await accepted.session.send({ text: 'expensive question' });
    assert.equal(accepted.api.requests.length, 1);
  });

  it('restores the prompt when the request fails before anything streamed, and retry replaces the failed answer', async () => {
    const t = setup([{ kind: 'fail', content: [], error: apiError('overloaded', 'Overloaded, try again.') }, reply('Second time lucky')]);
    await t.session.send({ text: 'question' });
    const messages = t.session.conversation.messages;
    assert.equal(messages[1].status, 'error');
    assert.equal(messages[1].error?.kind, 'overloaded');
    assert.deepEqual(t.posts.filter((p) => p.type === 'restorePrompt'), [{ type: 'restorePrompt', text: 'question' }]);
    await t.session.retry();
    const after = t.session.conversation.messages;
    assert.deepEqual(after.map((m) => [m.role, m.status]), [['user', undefined], ['assistant', 'complete']]);
    assert.deepEqual(after[1].content, [{ type: 'text', text: 'Second time lucky' }]);
    assert.equal(t.api.requests[1].messages.length, 1);
  });

  it('re-sending a restored prompt replaces the unanswered one instead of duplicating it', async () => {
    const t = setup([{ kind: 'fail', content: [], error: apiError('network', 'Offline.') }, reply('ok')]);
    await t.session.send({ text: 'question' });
    await t.session.send({ text: 'question, edited' });
    const messages = t.session.conversation.messages;
    assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant']);
    assert.match(JSON.stringify(t.api.requests[1].messages), /question, edited/);
    assert.doesNotMatch(JSON.stringify(t.api.requests[1].messages), /"question"/);
  });

  it('stop keeps the partial answer, marked interrupted, and allows the next prompt', async () => {
    const t = setup([{ kind: 'hang', content: [{ type: 'text', text: 'Part of the ans' }] }, reply('Next answer')]);
    t.api.onHang = () => t.session.stop();
    await t.session.send({ text: 'long question' });
    const answer = t.session.conversation.messages[1];
    assert.equal(answer.status, 'interrupted');
    assert.deepEqual(answer.content, [{ type: 'text', text: 'Part of the ans' }]);
    assert.equal(t.session.isBusy, false);
    await t.session.send({ text: 'go on' });
    assert.equal(t.api.requests.length, 2);
    assert.match(JSON.stringify(t.api.requests[1].messages), /Part of the ans/);
  });

  it('allows one request in flight: a second send while busy gives the text back', async () => {
    const t = setup([{ kind: 'hang', content: [] }]);
    let second: Promise<void> | undefined;
    t.api.onHang = () => {
      second = t.session.send({ text: 'impatient' });
    };
    const first = t.session.send({ text: 'first' });
    await new Promise((r) => setImmediate(r));
    await second;
    assert.deepEqual(t.posts.filter((p) => p.type === 'restorePrompt'), [{ type: 'restorePrompt', text: 'impatient' }]);
    t.session.stop();
    await first;
    assert.equal(t.api.requests.length, 1);
  });

  it('stores attachments once as files and sends them as base64 images', async () => {
    const t = setup([reply('A red dot.'), reply('Still a dot.')]);
    const attachment = { name: 'dot.png', mediaType: 'image/png' as const, data: PNG, width: 1, height: 1 };
    await t.session.send({ text: 'what is this?', images: [attachment] });
    await t.session.send({ text: 'and this?', images: [attachment] });
    const prompt = t.session.conversation.messages[0];
    assert.equal(prompt.content[0].type, 'image_ref');
    const added = t.posts.find((p) => p.type === 'messageAdded');
    assert.ok(added?.type === 'messageAdded' && Object.values(added.attachmentUris ?? {})[0]?.startsWith('webview://att/'));
    const sent = JSON.stringify(t.api.requests[1].messages);
    assert.equal(sent.split(PNG).length - 1, 2);
    const { readdir } = await import('node:fs/promises');
    assert.equal((await readdir(path.join(folder, 'attachments'))).length, 1);
  });

  it('builds init from the host state on every ready, and new chat starts empty', async () => {
    const t = setup([reply('one')]);
    await t.session.send({ text: 'first prompt' });
    const init = t.presenter.initMessage(true);
    assert.equal(init.type, 'init');
    assert.equal(init.type === 'init' && init.conversation.messages.length, 2);
    assert.equal(init.type === 'init' && init.busy, false);
    assert.equal(init.type === 'init' && init.hasApiKey, true);
    const oldId = t.session.conversation.id;
    await t.session.newChat();
    assert.notEqual(t.session.conversation.id, oldId);
    assert.equal(t.session.conversation.messages.length, 0);
    assert.equal(await t.session.openConversation(oldId), true);
    assert.equal(t.session.conversation.messages.length, 2);
  });

  it('does not add a prompt to another conversation opened while the spend-cap question was showing', async () => {
    const holder: { session?: ChatSession } = {};
    const t = setup([reply('x')], { cap: 0, confirm: true, onConfirm: async () => { await holder.session?.newChat(); } });
    holder.session = t.session;
    const firstId = t.session.conversation.id;
    await t.session.send({ text: 'question' });
    assert.notEqual(t.session.conversation.id, firstId);
    assert.equal(t.session.conversation.messages.length, 0);
    assert.equal(t.api.requests.length, 0);
    assert.deepEqual(t.posts.filter((p) => p.type === 'restorePrompt'), [{ type: 'restorePrompt', text: 'question' }]);
    assert.equal(t.session.isBusy, false);
  });

  it('ends a 200 KB answer with digests, not the text again, and sends the whole message when the view asks', async () => {
    const answer = Array.from({ length: 4_000 }, (_, i) => `Line ${i} of a long answer, long enough.\n`).join('');
    assert.ok(answer.length > 160_000);
    const t = setup([reply(answer)]);
    await t.session.send({ text: 'long please' });
    const id = t.session.conversation.messages[1].id;
    const ops = t.posts.flatMap((p) => (p.type === 'delta' ? p.ops : []));
    const streamed = ops.map((op) => (op.op === 'append' ? op.text : '')).join('');
    assert.equal(streamed, answer, 'the appends carry the whole text');
    const finish = ops.find((op) => op.op === 'finish');
    assert.deepEqual(finish, { op: 'finish', index: 0, block: { type: 'text', text: '' }, elided: digestText(answer) });
    const updated = t.posts.find((p) => p.type === 'messageUpdated');
    assert.ok(updated?.type === 'messageUpdated');
    assert.deepEqual(updated.content, [{ type: 'text', text: '' }]);
    assert.deepEqual(updated.elided, [{ index: 0, ...digestText(answer) }]);
    // The end of the stream (finish op and update) posts well under a kilobyte instead of 2 × 200 KB.
    const endBytes = JSON.stringify(finish).length + JSON.stringify(updated).length;
    assert.ok(endBytes < 1_000, `${endBytes} bytes at the end`);
    // The stored conversation keeps the whole text.
    assert.deepEqual(t.session.conversation.messages[1].content, [{ type: 'text', text: answer }]);

    t.posts.length = 0;
    t.presenter.resendMessage(id);
    t.presenter.resendMessage('no-such-message');
    assert.deepEqual(t.posts, [{ type: 'messageUpdated', messageId: id, status: 'complete', stopReason: 'end_turn', usage: { input_tokens: 10, output_tokens: 5 }, usdSpent: undefined, error: undefined, content: [{ type: 'text', text: answer }], requestId: undefined }]);
  });

  it('sends a short answer whole at its end (nothing worth a resend to leave out)', async () => {
    const t = setup([reply('short answer')]);
    await t.session.send({ text: 'hi' });
    const updated = t.posts.find((p) => p.type === 'messageUpdated');
    assert.ok(updated?.type === 'messageUpdated');
    assert.deepEqual(updated.content, [{ type: 'text', text: 'short answer' }]);
    assert.equal('elided' in updated, false);
  });
});
