// The parts of a session's answer, exactly: the system prompt and request of one answer
// (turnSetup), the answer's events, saves and logs (answer), and compaction's trigger, its
// summary request and what it stores (compaction): a failed one changes nothing.
import * as assert from 'node:assert/strict';
import type { ApiMessage, MessagesApi, MessagesRequest } from '../../../src/core/api/types';
import { contextWindowTokens, findModel } from '../../../src/core/api/models';
import { buildSystemPrompt } from '../../../src/core/chat/prompts';
import { persist, runAnswer, type AnswerRun } from '../../../src/core/chat/session/answer';
import { compactAtPercent, compactConversation, contextMeterOf, needsCompaction, windowOf } from '../../../src/core/chat/session/compaction';
import { systemPromptFor, turnDependencies } from '../../../src/core/chat/session/turnSetup';
import type { ChatSessionDeps, SessionEvent, SessionSettings, TurnInfo } from '../../../src/core/chat/session/types';
import type { AttachmentStore } from '../../../src/core/chat/attachmentStore';
import type { ToolExecutor } from '../../../src/core/chat/toolExecutor';
import { estimateContext } from '../../../src/core/context/meter';
import { estimateTokens } from '../../../src/core/context/tokens';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import { FakeExecutor, FakeMessagesApi, reply, toolUse, type Step } from './fakes';

const settings: SessionSettings = {
  baseUrl: 'http://127.0.0.1:1', requestTimeoutMs: 5000, answerTimeoutMs: 60_000, model: 'claude-sonnet-4-6', maxTokens: 1000, temperature: 0.5,
  thinkingEnabled: false, thinkingBudgetTokens: 2048, promptCaching: false, spendCapUsd: null, maxToolCallsPerTurn: 7,
};

const noAttachments: AttachmentStore = {
  save: async () => { throw new Error('not used'); },
  load: async () => 'AAAA',
  filePath: () => '/nowhere',
};

function conversation(messages: StoredMessage[] = []): Conversation {
  return { version: 1, id: 'c1', title: 'T', createdAt: 1, updatedAt: 1, model: 'old-model', messages, totals: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0.5 } };
}

const prompt = (id: string, text: string): StoredMessage => ({ id, role: 'user', kind: 'prompt', content: [{ type: 'text', text }], createdAt: 1 });
const answer = (id: string, text: string): StoredMessage => ({ id, role: 'assistant', status: 'complete', content: [{ type: 'text', text }], createdAt: 2 });
const turns = (n: number): StoredMessage[] => Array.from({ length: n }, (_, i) => [prompt(`p${i}`, `question ${i} ${'x'.repeat(400)}`), answer(`a${i}`, `answer ${i} ${'y'.repeat(400)}`)]).flat();

interface Recorded { logs: string[]; saves: number; scheduled: number; turns: TurnInfo[]; apiArgs: Array<[SessionSettings, string]> }

function deps(api: MessagesApi, overrides: Partial<ChatSessionDeps> = {}, executor: ToolExecutor = new FakeExecutor()): ChatSessionDeps & { rec: Recorded } {
  const rec: Recorded = { logs: [], saves: 0, scheduled: 0, turns: [], apiArgs: [] };
  const store = {
    create: () => conversation(),
    load: async () => ({ kind: 'missing' as const }),
    save: async () => { rec.saves++; },
    scheduleSave: () => { rec.scheduled++; },
    flush: async () => undefined,
    rename: async () => undefined,
    delete: async () => undefined,
    getLastOpenId: async () => undefined,
    setLastOpenId: async () => undefined,
  };
  return {
    rec,
    store,
    attachments: noAttachments,
    getApiKey: async () => 'key',
    settings: () => settings,
    createApi: (s, key) => { rec.apiArgs.push([s, key]); return api; },
    executor: (turn) => { rec.turns.push(turn); return executor; },
    workspaceName: () => 'ws',
    confirm: async () => true,
    logger: { info: (m) => rec.logs.push(`info: ${m}`), warn: (m) => rec.logs.push(`warn: ${m}`), error: (m) => rec.logs.push(`error: ${m}`) },
    ...overrides,
  };
}

function answerRun(d: ChatSessionDeps, c: Conversation, overrides: Partial<AnswerRun> = {}) {
  const events: SessionEvent[] = [];
  let id = 0;
  let clock = 100;
  const run: AnswerRun = { deps: d, conversation: c, settings, apiKey: 'sk-1', turnId: 'p0', mode: 'agent', signal: new AbortController().signal, emit: (e) => events.push(e), newId: () => `n${++id}`, now: () => ++clock, ...overrides };
  return { run, events };
}

function final(overrides: Partial<ApiMessage> = {}): ApiMessage {
  return { id: 'm', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text: `## Decisions\n${'A summary of the older turns. '.repeat(10)}` }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 300, output_tokens: 40 }, meta: { usage: { usd_spent: 0.01 } }, ...overrides };
}

const systemOf = (request: MessagesRequest): string => (request.system as Array<{ text: string }>).map((b) => b.text).join('');

function creatingApi(answer: (request: MessagesRequest) => Promise<ApiMessage>): MessagesApi & { requests: MessagesRequest[] } {
  const requests: MessagesRequest[] = [];
  return { requests, create: async (request) => { requests.push(request); return answer(request); }, stream: async () => { throw new Error('not used'); } };
}

describe('session parts (exact)', () => {
  describe('turnSetup', () => {
    it('joins the base prompt and the non-blank additions with blank lines', () => {
      assert.equal(systemPromptFor(true, 'ws', ['First.', '  ', '', 'Second.']), `${buildSystemPrompt({ toolsAvailable: true, workspaceName: 'ws', readOnlyTools: false })}\n\nFirst.\n\nSecond.`);
      assert.equal(systemPromptFor(false, undefined), buildSystemPrompt({ toolsAvailable: false, workspaceName: undefined, readOnlyTools: false }));
      assert.equal(systemPromptFor(true, undefined, [], 'plan'), buildSystemPrompt({ toolsAvailable: true, readOnlyTools: true }));
    });

    it('builds each request from the answer\'s settings, tools and system prompt, and logs the builder\'s notes', async () => {
      const notes: string[] = [];
      const executor = new FakeExecutor();
      const api = new FakeMessagesApi([]);
      const turn = turnDependencies({ settings: { ...settings, model: 'claude-opus-4-7', temperature: 0.3 }, api, executor, attachments: noAttachments, workspaceName: 'ws', systemAdditions: ['Extra.'], newId: () => 'id', now: () => 5, logNote: (n) => notes.push(n) });
      assert.equal(turn.maxToolCalls, 7);
      assert.equal(turn.api, api);
      assert.equal(turn.newId(), 'id');
      assert.equal(turn.now(), 5);
      const request = await turn.buildRequest([prompt('p', 'hi')]);
      assert.equal(request.model, 'claude-opus-4-7');
      assert.deepEqual(request.tools?.map((t) => t.name), ['read_file']);
      assert.equal(request.temperature, undefined);
      assert.deepEqual(notes, ['temperature not sent: claude-opus-4-7 does not accept it.']);
      assert.deepEqual(request.system, [{ type: 'text', text: `${buildSystemPrompt({ toolsAvailable: true, workspaceName: 'ws' })}\n\nExtra.` }]);
    });

    it('sends the settings\' limits and sampling: max tokens, temperature, thinking', async () => {
      const turn = turnDependencies({ settings: { ...settings, thinkingEnabled: true, thinkingBudgetTokens: 1024, maxTokens: 4000, temperature: null }, api: new FakeMessagesApi([]), executor: new FakeExecutor(), attachments: noAttachments, workspaceName: undefined, newId: () => 'id', now: () => 5, logNote: () => undefined });
      const request = await turn.buildRequest([prompt('p', 'hi')]);
      assert.equal(request.max_tokens, 4000);
      assert.deepEqual(request.thinking, { type: 'enabled', budget_tokens: 1024 });
      const sampled = turnDependencies({ settings, api: new FakeMessagesApi([]), executor: new FakeExecutor(), attachments: noAttachments, workspaceName: undefined, newId: () => 'id', now: () => 5, logNote: () => undefined });
      assert.equal((await sampled.buildRequest([prompt('p', 'hi')])).temperature, 0.5);
    });

    it('Plan mode: read-only tools only, the plan instruction last, and the prompt without edits', async () => {
      const executor: ToolExecutor = { definitions: () => [{ name: 'read_file', description: '', input_schema: {} }, { name: 'run_command', description: '', input_schema: {} }], isReadOnly: (n) => n === 'read_file', execute: async () => [] };
      const turn = turnDependencies({ settings, api: new FakeMessagesApi([]), executor, mode: 'plan', attachments: noAttachments, workspaceName: undefined, systemAdditions: ['Extra.'], newId: () => 'id', now: () => 5, logNote: () => undefined });
      const request = await turn.buildRequest([prompt('p', 'hi')]);
      assert.deepEqual(request.tools?.map((t) => t.name), ['read_file']);
      assert.match(systemOf(request), /^You are AIML Chat[\s\S]*\(read files, list folders, find files, search text, read diagnostics\)\.\n[\s\S]*\n\nExtra\.\n\nPlan mode is on/);
    });

    it('an executor without tools gives the prompt that says tools are unavailable', async () => {
      const turn = turnDependencies({ settings, api: new FakeMessagesApi([]), executor: new FakeExecutor([]), attachments: noAttachments, workspaceName: undefined, newId: () => 'id', now: () => 5, logNote: () => undefined });
      assert.match(systemOf(await turn.buildRequest([prompt('p', 'hi')])), /Workspace tools are not available/);
    });

    it('loads stored images through the attachment store when building the request', async () => {
      const loaded: string[] = [];
      const attachments: AttachmentStore = { ...noAttachments, load: async (ref) => { loaded.push(ref.id); return 'iVBORw0KGgo='; } };
      const turn = turnDependencies({ settings, api: new FakeMessagesApi([]), executor: new FakeExecutor(), attachments, workspaceName: undefined, newId: () => 'id', now: () => 5, logNote: () => undefined });
      const id = 'a'.repeat(64);
      await turn.buildRequest([{ id: 'p', role: 'user', kind: 'prompt', createdAt: 1, content: [{ type: 'image_ref', id, media_type: 'image/png', width: 1, height: 1, bytes: 8, name: 'x.png' }, { type: 'text', text: 'see' }] }]);
      assert.deepEqual(loaded, [id]);
    });
  });

  describe('answer', () => {
    it('runs one answer: model, API key, executor turn, events in order, throttled and forced saves', async () => {
      const api = new FakeMessagesApi([reply([toolUse('t1', 'read_file', {})], 'tool_use', { usage: { input_tokens: 10, output_tokens: 5 }, usdSpent: 0.25 }), reply('Done.')]);
      const d = deps(api);
      const c = conversation([prompt('p0', 'hello')]);
      const { run, events } = answerRun(d, c, { turnId: 'p0' });
      const result = await runAnswer(run);
      assert.deepEqual(result, { outcome: { kind: 'done', toolCalls: 1 } });
      assert.equal(c.model, 'claude-sonnet-4-6');
      assert.deepEqual(d.rec.apiArgs, [[settings, 'sk-1']]);
      assert.deepEqual(d.rec.turns, [{ conversationId: 'c1', turnId: 'p0', mode: 'agent' }]);
      const kinds = events.map((e) => e.type).filter((t, i, all) => t !== 'streamDelta' || all[i - 1] !== 'streamDelta');
      assert.deepEqual(kinds, ['messageAdded', 'streamDelta', 'messageFinished', 'totals', 'toolCard', 'toolCard', 'messageAdded', 'messageAdded', 'streamDelta', 'messageFinished', 'totals']);
      assert.equal(c.messages.every((m) => m.mode === undefined), true);
      assert.equal(c.totals.usdSpent, 0.75);
      assert.equal(c.totals.inputTokens, 21);
      assert.ok(c.updatedAt > 100);
      assert.equal(d.rec.saves, 5, 'every added and every finished message is saved at once');
      assert.ok(d.rec.scheduled >= 4, 'stream events and tool cards schedule throttled saves');
      const totals = events.find((e) => e.type === 'totals');
      assert.equal(totals?.type === 'totals' && totals.totals, c.totals);
    });

    it('marks every message of a Plan-mode answer as plan and asks for a plan-mode executor', async () => {
      const d = deps(new FakeMessagesApi([reply('The plan.')]));
      const c = conversation([prompt('p0', 'hello')]);
      await runAnswer(answerRun(d, c, { mode: 'plan' }).run);
      assert.equal(c.messages[1].mode, 'plan');
      assert.equal(d.rec.turns[0].mode, 'plan');
    });

    it('logs a failed answer and a reached tool-call limit', async () => {
      const failing: Step = { kind: 'fail', content: [], error: Object.assign(new Error('x'), { info: { kind: 'overloaded', message: 'Busy now.' } }) };
      const d = deps(new FakeMessagesApi([failing]));
      await runAnswer(answerRun(d, conversation([prompt('p0', 'hello')])).run);
      assert.deepEqual(d.rec.logs, ['warn: answer failed: overloaded: Busy now.']);

      const limited = deps(new FakeMessagesApi([reply([toolUse('t1', 'read_file', {})], 'tool_use'), reply('Summary.')]));
      await runAnswer(answerRun(limited, conversation([prompt('p0', 'hello')]), { settings: { ...settings, maxToolCallsPerTurn: 1 } }).run);
      assert.deepEqual(limited.rec.logs, ['info: tool-call limit (1) reached']);
    });

    it('never throws: an unexpected failure is logged, emitted as an error and returned', async () => {
      const boom = new Error('executor factory broke');
      const d = deps(new FakeMessagesApi([]), { executor: () => { throw boom; } });
      const { run, events } = answerRun(d, conversation([prompt('p0', 'hello')]));
      const result = await runAnswer(run);
      assert.deepEqual(result, { outcome: undefined, thrown: boom });
      assert.deepEqual(events, [{ type: 'error', error: { kind: 'unknown', message: 'executor factory broke' } }]);
      assert.equal(d.rec.logs.length, 1);
      assert.match(d.rec.logs[0], /^error: answer failed: Error: executor factory broke\n\s+at /);

      const plain = deps(new FakeMessagesApi([]), { executor: () => { throw { message: 'no stack' }; } });
      await runAnswer(answerRun(plain, conversation([prompt('p0', 'hello')])).run);
      assert.deepEqual(plain.rec.logs, ['error: answer failed: [object Object]']);
    });

    it('after a compaction the request carries the summary and the kept turns only', async () => {
      const api = new FakeMessagesApi([reply('Fine.')]);
      const c = conversation([...turns(3), prompt('p3', 'now')]);
      c.compaction = { summary: 'THE-SUMMARY', firstKeptMessageId: 'p2', createdAt: 1, tokensBefore: 100, tokensAfter: 5 };
      await runAnswer(answerRun(deps(api), c).run);
      const sent = JSON.stringify(api.requests[0].messages);
      assert.match(sent, /THE-SUMMARY/);
      assert.doesNotMatch(sent, /question 1 /);
      assert.match(sent, /question 2 /);
    });

    it('persist saves a conversation with messages, skips an empty one and logs a failed save', async () => {
      const d = deps(new FakeMessagesApi([]));
      await persist(d, conversation());
      assert.equal(d.rec.saves, 0);
      await persist(d, conversation([prompt('p', 'x')]));
      assert.equal(d.rec.saves, 1);
      const failing = deps(new FakeMessagesApi([]));
      failing.store.save = async () => { throw new Error('disk full'); };
      await persist(failing, conversation([prompt('p', 'x')]));
      assert.deepEqual(failing.rec.logs, ['error: saving the conversation failed: disk full']);
    });
  });

  describe('compaction', () => {
    it('takes the window from the deps when they give one, else the model table; the share from settings or 80', () => {
      const api = new FakeMessagesApi([]);
      assert.equal(windowOf(deps(api, { contextWindow: () => 1234 }), 'claude-sonnet-4-6'), 1234);
      assert.equal(windowOf(deps(api), 'claude-sonnet-4-6'), contextWindowTokens('claude-sonnet-4-6'));
      assert.equal(compactAtPercent(settings), 80);
      assert.equal(compactAtPercent({ ...settings, autoCompactPercent: 0 }), 0);
      assert.equal(compactAtPercent({ ...settings, autoCompactPercent: 55 }), 55);
    });

    it('the meter counts the system prompt with tools and the additions, plus a fixed tool allowance', () => {
      const d = deps(new FakeMessagesApi([]), { systemPromptAdditions: () => ['Instructions '.repeat(50)], contextWindow: () => 9000 });
      const c = conversation([prompt('p0', 'hello')]);
      const overhead = estimateTokens(systemPromptFor(true, 'ws', ['Instructions '.repeat(50)])) + 2500;
      assert.deepEqual(contextMeterOf(d, c, { ...settings, autoCompactPercent: 70 }), { usedTokens: estimateContext(c, overhead).usedTokens, windowTokens: 9000, compactAtPercent: 70 });
      const without = deps(new FakeMessagesApi([]), { workspaceName: () => undefined });
      assert.equal(contextMeterOf(without, c, settings).usedTokens, estimateContext(c, estimateTokens(systemPromptFor(true, undefined, [])) + 2500).usedTokens);
    });

    it('needs compaction once the projected request passes the share and there are older turns to summarise', () => {
      const c = conversation(turns(3));
      const used = contextMeterOf(deps(new FakeMessagesApi([])), c, settings).usedTokens;
      const at = (window: number) => deps(new FakeMessagesApi([]), { contextWindow: () => window });
      assert.equal(needsCompaction(at(Math.floor(used * 100 / 80)), c, settings, { text: 'next' }), true);
      assert.equal(needsCompaction(at(used * 2), c, settings, { text: 'next' }), false);
      assert.equal(needsCompaction(at(used * 2), c, settings, { text: 'z'.repeat(used * 4) }), true, 'the prompt counts');
      assert.equal(needsCompaction(at(used * 2), c, settings, { text: 'next', chips: [{ kind: 'file', label: 'big.ts', path: 'big.ts', text: 'q'.repeat(used * 4), tokens: used }] }), true, 'its chips count');
      assert.equal(needsCompaction(at(10), conversation(turns(2)), settings, { text: 'next' }), false, 'two turns are always kept whole');
    });

    it('with too few turns says so and sends nothing', async () => {
      const api = creatingApi(async () => final());
      const c = conversation(turns(2));
      assert.deepEqual(await compactConversation(api, c, settings, new AbortController().signal, 50), { kind: 'nothing', message: 'Nothing to compact yet: the last two turns are always sent in full.' });
      assert.equal(api.requests.length, 0);
    });

    it('stores the summary, adds its cost to the totals and reports the figures', async () => {
      const api = creatingApi(async () => final({ usage: { input_tokens: 300, output_tokens: 40, cache_read_input_tokens: 5 } }));
      const c = conversation(turns(3));
      const result = await compactConversation(api, c, settings, new AbortController().signal, 50);
      assert.equal(api.requests.length, 1);
      assert.equal(api.requests[0].model, 'claude-sonnet-4-6');
      assert.equal(api.requests[0].max_tokens, Math.min(4096, findModel('claude-sonnet-4-6')?.defaultMaxTokens ?? 4096));
      assert.equal(c.compaction?.firstKeptMessageId, 'p1');
      assert.equal(c.compaction?.createdAt, 50);
      assert.deepEqual(c.totals, { inputTokens: 306, outputTokens: 42, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0.51 });
      assert.equal(c.updatedAt, 50);
      assert.deepEqual(result, { kind: 'done', summarisedMessages: 2, tokensBefore: c.compaction?.tokensBefore, tokensAfter: c.compaction?.tokensAfter, usdSpent: 0.01 });
      assert.ok((c.compaction?.tokensBefore ?? 0) > 0);
    });

    it('a summary without usage or cost adds nothing to the totals', async () => {
      const api = creatingApi(async () => ({ ...final({ meta: undefined }), usage: undefined as never }));
      const c = conversation(turns(3));
      const result = await compactConversation(api, c, settings, new AbortController().signal, 50);
      assert.equal(result.kind, 'done');
      assert.deepEqual(c.totals, { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0.5 });
    });

    it('a failed summary changes nothing and says the prompt is back; a stopped one does not', async () => {
      const c = conversation(turns(3));
      const before = JSON.stringify(c);
      const failing = creatingApi(async () => { throw Object.assign(new Error('x'), { info: { kind: 'overloaded', message: 'Busy.', retryable: true } }); });
      assert.deepEqual(await compactConversation(failing, c, settings, new AbortController().signal, 50), {
        kind: 'failed',
        error: { kind: 'overloaded', retryable: false, message: 'Compacting the conversation failed: Busy. Nothing was lost: the conversation is unchanged, and your message is back in the box.' },
      });
      assert.equal(JSON.stringify(c), before);
      const abort = new AbortController();
      abort.abort();
      const stopped = await compactConversation(creatingApi(async () => { throw new Error('Stopped.'); }), c, settings, abort.signal, 50);
      assert.deepEqual(stopped, { kind: 'failed', error: { kind: 'unknown', retryable: false, message: 'Compacting the conversation failed: Stopped. Nothing was lost: the conversation is unchanged.' } });
      const empty = await compactConversation(creatingApi(async () => final({ content: [] })), c, settings, new AbortController().signal, 50);
      assert.equal(empty.kind, 'failed');
      assert.equal(JSON.stringify(c), before);
    });
  });
});
