import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { HostToWebview } from '../../../src/shared/protocol';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { ChatController } from '../../../src/host/chatController';
import type { ChatSettings } from '../../../src/host/config';
import { apiError, FakeExecutor, FakeMessagesApi, reply, type Step } from './fakes';

const settings: ChatSettings = {
  baseUrl: 'http://127.0.0.1:1', model: 'claude-sonnet-4-6', maxTokens: 1000, temperature: null, thinkingEnabled: false, thinkingBudgetTokens: 2048,
  promptCaching: true, spendCapUsd: null, requestTimeoutMs: 5000, toolsEnabled: true, autoApproveReads: true, autoApplyEdits: false, toolApproval: {},
  maxToolCallsPerTurn: 25, secretFilePatterns: [],
};

// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('ChatController', () => {
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
    const controller = new ChatController({
      store,
      attachments: new FileAttachmentStore(path.join(folder, 'attachments')),
      getApiKey: async () => ('key' in opts ? opts.key : 'test-key'),
      settings: () => ({ ...settings, spendCapUsd: opts.cap ?? null }),
      createApi: () => api,
      executor: () => new FakeExecutor(),
      toolsStatus: () => ({ available: true }),
      models: () => [],
      attachmentUri: (ref) => `webview://att/${ref.id}`,
      workspaceName: () => 'demo',
      ui: {
        confirm: async (m) => { confirms.push(m); await opts.onConfirm?.(); return opts.confirm ?? false; },
        warn: () => undefined,
        setStreaming: (b) => streaming.push(b),
      },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      deltaIntervalMs: 0,
    });
    controller.setPoster((m) => posts.push(m));
    const types = () => posts.map((p) => p.type);
    return { api, posts, confirms, streaming, store, controller, types };
  }

  it('sends a prompt, streams the answer as deltas and saves the conversation with totals', async () => {
    const t = setup([reply('Hello from the model', 'end_turn', { usage: { input_tokens: 20, output_tokens: 7 }, usdSpent: 0.0031 })]);
    await t.controller.send('Hi there\nsecond line', []);
    const conversation = t.controller.currentConversation();
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

  it('without an API key, posts no_api_key with the prompt and restores it', async () => {
    const t = setup([], { key: undefined });
    await t.controller.send('my prompt', []);
    const error = t.posts.find((p) => p.type === 'error');
    assert.equal(error?.type === 'error' && error.error.kind, 'no_api_key');
    assert.equal(error?.type === 'error' && error.prompt, 'my prompt');
    assert.deepEqual(t.posts.find((p) => p.type === 'restorePrompt'), { type: 'restorePrompt', text: 'my prompt' });
    assert.equal(t.controller.currentConversation().messages.length, 0);
    assert.equal(t.controller.isBusy, false);
  });

  it('asks before going past the spend cap and does not send when declined', async () => {
    const t = setup([reply('x')], { cap: 0 });
    await t.controller.send('expensive question', []);
    assert.equal(t.confirms.length, 1);
    assert.match(t.confirms[0], /spend cap/);
    assert.equal(t.api.requests.length, 0);
    assert.ok(t.types().includes('restorePrompt'));
    const accepted = setup([reply('x')], { cap: 0, confirm: true });
    await accepted.controller.send('expensive question', []);
    assert.equal(accepted.api.requests.length, 1);
  });

  it('restores the prompt when the request fails before anything streamed, and retry replaces the failed answer', async () => {
    const t = setup([{ kind: 'fail', content: [], error: apiError('overloaded', 'Overloaded, try again.') }, reply('Second time lucky')]);
    await t.controller.send('question', []);
    const messages = t.controller.currentConversation().messages;
    assert.equal(messages[1].status, 'error');
    assert.equal(messages[1].error?.kind, 'overloaded');
    assert.deepEqual(t.posts.filter((p) => p.type === 'restorePrompt'), [{ type: 'restorePrompt', text: 'question' }]);
    await t.controller.retry();
    const after = t.controller.currentConversation().messages;
    assert.deepEqual(after.map((m) => [m.role, m.status]), [['user', undefined], ['assistant', 'complete']]);
    assert.deepEqual(after[1].content, [{ type: 'text', text: 'Second time lucky' }]);
    assert.equal(t.api.requests[1].messages.length, 1);
  });

  it('re-sending a restored prompt replaces the unanswered one instead of duplicating it', async () => {
    const t = setup([{ kind: 'fail', content: [], error: apiError('network', 'Offline.') }, reply('ok')]);
    await t.controller.send('question', []);
    await t.controller.send('question, edited', []);
    const messages = t.controller.currentConversation().messages;
    assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant']);
    assert.match(JSON.stringify(t.api.requests[1].messages), /question, edited/);
    assert.doesNotMatch(JSON.stringify(t.api.requests[1].messages), /"question"/);
  });

  it('stop keeps the partial answer, marked interrupted, and allows the next prompt', async () => {
    const t = setup([{ kind: 'hang', content: [{ type: 'text', text: 'Part of the ans' }] }, reply('Next answer')]);
    t.api.onHang = () => t.controller.stop();
    await t.controller.send('long question', []);
    const answer = t.controller.currentConversation().messages[1];
    assert.equal(answer.status, 'interrupted');
    assert.deepEqual(answer.content, [{ type: 'text', text: 'Part of the ans' }]);
    assert.equal(t.controller.isBusy, false);
    await t.controller.send('go on', []);
    assert.equal(t.api.requests.length, 2);
    assert.match(JSON.stringify(t.api.requests[1].messages), /Part of the ans/);
  });

  it('allows one request in flight: a second send while busy gives the text back', async () => {
    const t = setup([{ kind: 'hang', content: [] }]);
    let second: Promise<void> | undefined;
    t.api.onHang = () => {
      second = t.controller.send('impatient', []);
    };
    const first = t.controller.send('first', []);
    await new Promise((r) => setImmediate(r));
    await second;
    assert.deepEqual(t.posts.filter((p) => p.type === 'restorePrompt'), [{ type: 'restorePrompt', text: 'impatient' }]);
    t.controller.stop();
    await first;
    assert.equal(t.api.requests.length, 1);
  });

  it('stores attachments once as files and sends them as base64 images', async () => {
    const t = setup([reply('A red dot.'), reply('Still a dot.')]);
    const attachment = { name: 'dot.png', mediaType: 'image/png' as const, data: PNG, width: 1, height: 1 };
    await t.controller.send('what is this?', [attachment]);
    await t.controller.send('and this?', [attachment]);
    const prompt = t.controller.currentConversation().messages[0];
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
    await t.controller.send('first prompt', []);
    const init = await t.controller.initMessage(true);
    assert.equal(init.type, 'init');
    assert.equal(init.type === 'init' && init.conversation.messages.length, 2);
    assert.equal(init.type === 'init' && init.busy, false);
    assert.equal(init.type === 'init' && init.hasApiKey, true);
    const oldId = t.controller.currentConversation().id;
    await t.controller.newChat();
    assert.notEqual(t.controller.currentConversation().id, oldId);
    assert.equal(t.controller.currentConversation().messages.length, 0);
    assert.equal(await t.controller.openConversation(oldId), true);
    assert.equal(t.controller.currentConversation().messages.length, 2);
  });

  it('does not add a prompt to another conversation opened while the spend-cap question was showing', async () => {
    const holder: { controller?: ChatController } = {};
    const t = setup([reply('x')], { cap: 0, confirm: true, onConfirm: async () => { await holder.controller?.newChat(); } });
    holder.controller = t.controller;
    const firstId = t.controller.currentConversation().id;
    await t.controller.send('question', []);
    assert.notEqual(t.controller.currentConversation().id, firstId);
    assert.equal(t.controller.currentConversation().messages.length, 0);
    assert.equal(t.api.requests.length, 0);
    assert.deepEqual(t.posts.filter((p) => p.type === 'restorePrompt'), [{ type: 'restorePrompt', text: 'question' }]);
    assert.equal(t.controller.isBusy, false);
  });
});
