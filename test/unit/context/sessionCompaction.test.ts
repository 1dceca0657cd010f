// Compaction through the chat session against the stand-in (real MessagesClient over loopback; the
// stand-in validates every request): the trigger, the summary request, the smaller request after
// it, the stored chips, and a failed compaction that changes nothing and returns the prompt.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ChatSettings } from '../../../src/host/config';
import type { SessionEvent } from '../../../src/core/chat/session/types';
import { startStandIn, validateMessagesRequest, type StandIn } from '../../support/standin';
import { FakeExecutor, chatForStandIn } from '../chat/fakes';

const settings = (url: string): ChatSettings => ({
  baseUrl: url, model: 'claude-sonnet-4-6', maxTokens: 1024, temperature: null, thinkingEnabled: false, thinkingBudgetTokens: 2048,
  promptCaching: true, spendCapUsd: null, balanceWarningUsd: null, requestTimeoutMs: 10_000, answerTimeoutMs: 600_000, toolsEnabled: true, autoApproveReads: true, autoApplyEdits: false, toolApproval: {},
  maxToolCallsPerTurn: 25, secretFilePatterns: [], autoCompactPercent: 80,
});

describe('session compaction (stand-in)', function () {
  this.timeout(30_000);
  let standIn: StandIn;
  let folder: string;
  before(async () => { standIn = await startStandIn({ apiKey: 'test-key', tokenDelayMs: 0 }); });
  after(async () => { await standIn.close(); });
  beforeEach(async () => {
    standIn.reset();
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-compact-'));
  });
  afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

  async function threeTurns() {
    const { session, deps } = chatForStandIn({ folder, settings: () => settings(standIn.url), executor: new FakeExecutor() });
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    for (const n of [1, 2, 3]) await session.send({ text: `Turn ${n}: ${'words about the code '.repeat(80)}` });
    const requests = () => standIn.requests.filter((r) => r.path.endsWith('/messages'));
    return { session, deps, events, requests };
  }

  it('summarises older turns before a send that would pass the share, then sends a smaller valid request', async () => {
    const t = await threeTurns();
    const lastFull = t.requests().at(-1)!;
    t.deps.contextWindow = () => 1500;
    standIn.enqueue({ kind: 'text', text: '## Decisions\nSUMMARY-MARKER' });
    await t.session.send({ text: 'Turn 4', chips: [{ kind: 'file', label: 'a.ts', path: 'a.ts', text: 'const a = 1;', tokens: 20 }] });
    const [summary, next] = t.requests().slice(-2);
    assert.match(JSON.stringify(summary.body), /working memory[\s\S]*Turn 1:/);
    assert.ok(JSON.stringify(next.body).length < JSON.stringify(lastFull.body).length);
    assert.match(JSON.stringify(next.body), /SUMMARY-MARKER[\s\S]*Turn 2:[\s\S]*<context source=\\"File \| path: a.ts/);
    assert.equal(validateMessagesRequest(next.body).ok, true);
    const conversation = t.session.conversation;
    assert.equal(conversation.messages.length, 8);
    assert.equal(conversation.compaction?.firstKeptMessageId, conversation.messages[2].id);
    assert.ok((conversation.compaction?.usdSpent ?? 0) > 0, 'the summary cost is recorded');
    assert.deepEqual(conversation.messages[6].context?.map((c) => c.label), ['a.ts']);
    assert.ok(t.events.some((e) => e.type === 'conversationShown' && e.reason === 'changed'));
  });

  it('a failed compaction changes nothing and returns the prompt with the reason', async () => {
    const t = await threeTurns();
    const before = JSON.stringify(t.session.conversation);
    t.deps.contextWindow = () => 1500;
    standIn.enqueue({ kind: 'fault', fault: 'http500' });
    await t.session.send({ text: 'KEEP-ME' });
    assert.equal(JSON.stringify(t.session.conversation), before);
    const returned = t.events.filter((e) => e.type === 'promptReturned');
    assert.equal(returned.length, 1);
    assert.deepEqual([returned[0].type === 'promptReturned' && returned[0].reason, returned[0].type === 'promptReturned' && returned[0].text], ['compaction_failed', 'KEEP-ME']);
    assert.match(returned[0].type === 'promptReturned' ? returned[0].error?.message ?? '' : '', /Compacting the conversation failed: .*Nothing was lost/);
  });

  it('/compact with too few turns says so and sends nothing', async () => {
    const { session } = chatForStandIn({ folder, settings: () => settings(standIn.url), executor: new FakeExecutor() });
    await session.send({ text: 'only one' });
    const count = standIn.requests.length;
    const result = await session.compact();
    assert.equal(result.kind, 'nothing');
    assert.equal(standIn.requests.length, count);
  });
});
