// The chat's whole host-side path (session, presenter, request builder, tool loop, real MessagesClient)
// against the local stand-in, which validates every request the way the gateway does: tool
// result pairing, thinking blocks in tool loops, cache breakpoint limits, model request shapes.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { HostToWebview } from '../../../src/shared/protocol';
import type { ChatSettings } from '../../../src/host/config';
import { startStandIn, type StandIn } from '../../support/standin';
import { FakeExecutor, chatForStandIn } from './fakes';

const baseSettings: ChatSettings = {
  baseUrl: '', model: 'claude-sonnet-4-6', maxTokens: 4096, temperature: 0.5, thinkingEnabled: false, thinkingBudgetTokens: 2048,
  promptCaching: true, spendCapUsd: null, requestTimeoutMs: 10_000, toolsEnabled: true, autoApproveReads: true, autoApplyEdits: false, toolApproval: {},
  maxToolCallsPerTurn: 25, secretFilePatterns: [], batchStatusPath: '', batchResultsPath: '',
};

describe('chat against the stand-in (loopback)', function () {
  this.timeout(30_000);
  let standIn: StandIn;
  let folder: string;

  before(async () => {
    standIn = await startStandIn({ apiKey: 'test-key', tokenDelayMs: 0, trickleMs: 20 });
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(async () => {
    standIn.reset();
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-si-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function setup(overrides: Partial<ChatSettings> = {}) {
    const posts: HostToWebview[] = [];
    const executor = new FakeExecutor();
    const settings = { ...baseSettings, baseUrl: standIn.url, ...overrides };
    const { session, presenter } = chatForStandIn({ folder, settings: () => settings, executor });
    presenter.setPoster((m) => posts.push(m));
    const messageRequests = () => standIn.requests.filter((r) => r.path.endsWith('/messages'));
    return { session, posts, executor, messageRequests };
  }

  it('streams an answer, and the second turn reads the prompt cache', async () => {
    const t = setup();
    await t.session.send({ text: 'Hello stand-in, please answer briefly' });
    await t.session.send({ text: 'And a second question to reuse the cache' });
    const conversation = t.session.conversation;
    assert.deepEqual(conversation.messages.map((m) => m.status ?? m.role), ['user', 'complete', 'user', 'complete']);
    assert.match(JSON.stringify(conversation.messages[1].content), /Hello stand-in/);
    assert.ok((conversation.messages[3].usage?.cache_read_input_tokens ?? 0) > 0, JSON.stringify(conversation.messages[3].usage));
    assert.ok(conversation.totals.usdSpent > 0);
    const body = t.messageRequests()[1].body as { temperature?: number; system: unknown[] };
    assert.equal(body.temperature, 0.5);
  });

  it('runs a tool loop with parallel calls that the stand-in accepts', async () => {
    const t = setup();
    standIn.enqueue({ kind: 'toolUse', calls: [{ name: 'read_file', input: { path: 'a.ts' } }, { name: 'read_file', input: { path: 'b.ts' } }], text: 'Reading both.' });
    await t.session.send({ text: 'Compare a.ts and b.ts' });
    const messages = t.session.conversation.messages;
    assert.deepEqual(messages.map((m) => m.kind ?? m.status), ['prompt', 'complete', 'tool_results', 'complete']);
    assert.deepEqual(t.executor.batches.map((b) => b.length), [2]);
    // The stand-in quotes the tool results it received.
    assert.match(JSON.stringify(messages[3].content), /ok read_file/);
    assert.ok(t.posts.some((p) => p.type === 'toolCall'));
  });

  it('keeps thinking blocks through a tool loop with thinking on (no temperature sent)', async () => {
    const t = setup({ thinkingEnabled: true });
    standIn.enqueue({ kind: 'toolUse', calls: [{ name: 'read_file', input: { path: 'a.ts' } }] });
    await t.session.send({ text: 'Think, then read a.ts' });
    const messages = t.session.conversation.messages;
    assert.equal(messages.at(-1)?.status, 'complete', JSON.stringify(messages.at(-1)?.error));
    assert.equal(messages[1].content[0].type, 'thinking');
    const bodies = t.messageRequests().map((r) => r.body as { temperature?: number; thinking?: unknown });
    assert.equal(bodies.length, 2);
    assert.equal(bodies[1].temperature, undefined);
    assert.deepEqual(bodies[1].thinking, { type: 'enabled', budget_tokens: 2048 });
  });

  it('keeps what streamed when the stream fails midway, and retry replaces it', async () => {
    const t = setup();
    standIn.enqueue({ kind: 'fault', fault: 'midStreamError', afterChars: 30 });
    await t.session.send({ text: 'Tell me something long' });
    const failed = t.session.conversation.messages[1];
    assert.equal(failed.status, 'interrupted');
    assert.ok(failed.error);
    assert.ok(JSON.stringify(failed.content).length > 20);
    await t.session.retry();
    const messages = t.session.conversation.messages;
    assert.deepEqual(messages.map((m) => m.status ?? m.role), ['user', 'complete']);
  });

  it('stops a slow stream at once and keeps the partial answer', async () => {
    const t = setup();
    standIn.enqueue({ kind: 'fault', fault: 'slowTrickle' });
    const sending = t.session.send({ text: 'slow please' });
    // Stop once some text has arrived.
    while (!t.posts.some((p) => p.type === 'delta' && p.ops.some((o) => o.op === 'append'))) await new Promise((r) => setTimeout(r, 20));
    t.session.stop();
    await sending;
    const answer = t.session.conversation.messages[1];
    assert.equal(answer.status, 'interrupted');
    assert.ok(answer.content.length > 0);
  });
});
