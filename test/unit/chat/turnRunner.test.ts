import * as assert from 'node:assert/strict';
import type { StoredMessage, ToolResultBlock } from '../../../src/shared/model';
import type { MessagesRequest } from '../../../src/core/api/types';
import { runTurn, type TurnCallbacks, type TurnDependencies } from '../../../src/core/chat/turnRunner';
import { apiError, FakeExecutor, FakeMessagesApi, reply, toolUse, type Step } from './fakes';

function prompt(text: string): StoredMessage {
  return { id: 'u1', role: 'user', kind: 'prompt', content: [{ type: 'text', text }], createdAt: 1 };
}

function setup(steps: Step[], opts: { maxToolCalls?: number; executor?: FakeExecutor } = {}) {
  const api = new FakeMessagesApi(steps);
  const executor = opts.executor ?? new FakeExecutor();
  const history: StoredMessage[] = [prompt('hello')];
  const events: string[] = [];
  let n = 0;
  const deps: TurnDependencies = {
    api,
    executor,
    maxToolCalls: opts.maxToolCalls ?? 25,
    newId: () => `m${++n}`,
    now: () => 1000,
    // The request mirrors the history closely enough for these tests.
    buildRequest: async (h): Promise<MessagesRequest> => ({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools: executor.definitions(),
      messages: h.map((m) => ({ role: m.role, content: m.content })),
    }),
  };
  const callbacks: TurnCallbacks = {
    onMessageAdded: (m) => events.push(`added:${m.role}:${m.kind ?? m.status}`),
    onStreamEvent: () => undefined,
    onMessageFinished: (m) => events.push(`finished:${m.status}`),
    onToolCard: (_m, s) => events.push(`card:${s.toolUseId}:${s.status}`),
  };
  return { api, executor, history, events, deps, callbacks };
}

const results = (m: StoredMessage) => m.content.filter((b) => b.type === 'tool_result') as ToolResultBlock[];

describe('turnRunner', () => {
  it('streams a plain answer and records usage and cost', async () => {
    const t = setup([reply('Hi there', 'end_turn', { usage: { input_tokens: 12, output_tokens: 3 }, usdSpent: 0.002 })]);
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.deepEqual(outcome, { kind: 'done', toolCalls: 0 });
    const answer = t.history[1];
    assert.equal(answer.status, 'complete');
    assert.deepEqual(answer.content, [{ type: 'text', text: 'Hi there' }]);
    assert.equal(answer.usage?.input_tokens, 12);
    assert.equal(answer.usdSpent, 0.002);
    assert.equal(answer.stopReason, 'end_turn');
    assert.deepEqual(t.events, ['added:assistant:streaming', 'finished:complete']);
  });

  it('runs several tool rounds and answers parallel calls in one user message', async () => {
    const t = setup([
      reply([{ type: 'text', text: 'Let me look.' }, toolUse('t1', 'read_file', { path: 'a.ts' })], 'tool_use'),
      reply([toolUse('t2', 'read_file', { path: 'b.ts' }), toolUse('t3', 'read_file', { path: 'c.ts' })], 'tool_use'),
      reply('Done: a, b and c read.'),
    ]);
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.deepEqual(outcome, { kind: 'done', toolCalls: 3 });
    assert.equal(t.api.requests.length, 3);
    assert.deepEqual(t.executor.batches.map((b) => b.map((c) => c.id)), [['t1'], ['t2', 't3']]);
    // prompt, assistant, results, assistant, results, assistant
    assert.deepEqual(t.history.map((m) => `${m.role}:${m.kind ?? ''}`), ['user:prompt', 'assistant:', 'user:tool_results', 'assistant:', 'user:tool_results', 'assistant:']);
    const second = results(t.history[4]);
    assert.deepEqual(second.map((r) => r.tool_use_id), ['t2', 't3']);
    // The third request carries both results in one user turn.
    const lastRequest = t.api.requests[2];
    const lastUser = lastRequest.messages[lastRequest.messages.length - 1];
    assert.equal(lastUser.role, 'user');
    assert.deepEqual((lastUser.content as ToolResultBlock[]).map((b) => b.tool_use_id), ['t2', 't3']);
    // Tool cards are kept on the assistant message that made the calls.
    assert.deepEqual(Object.keys(t.history[3].toolCalls ?? {}), ['t2', 't3']);
    assert.equal(t.history[3].toolCalls?.t2.status, 'succeeded');
  });

  it('passes the executor\'s is_error results for invalid input back to the model', async () => {
    const t = setup([reply([toolUse('t1', 'read_file', { nope: 1 })], 'tool_use'), reply('Sorry, I will fix the call.')]);
    t.executor.answer = (call) => ({ type: 'tool_result', tool_use_id: call.id, is_error: true, content: 'Invalid input: path is required.' });
    await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    const sent = t.api.requests[1].messages.at(-1)?.content as ToolResultBlock[];
    assert.deepEqual(sent, [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'Invalid input: path is required.' }]);
  });

  it('stops at the tool-call limit: skipped calls get an error, the model is asked to summarize without tools', async () => {
    const t = setup([
      reply([toolUse('t1', 'read_file', {}), toolUse('t2', 'read_file', {}), toolUse('t3', 'read_file', {})], 'tool_use'),
      reply('Summary of what I found.'),
    ], { maxToolCalls: 2 });
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.deepEqual(outcome, { kind: 'tool_limit', toolCalls: 2 });
    assert.deepEqual(t.executor.batches.map((b) => b.map((c) => c.id)), [['t1', 't2']]);
    const resultMessage = t.history[2];
    const r = results(resultMessage);
    assert.deepEqual(r.map((x) => [x.tool_use_id, !!x.is_error]), [['t1', false], ['t2', false], ['t3', true]]);
    const note = resultMessage.content.at(-1) as { type: string; text: string };
    assert.equal(note.type, 'text');
    assert.match(note.text, /limit of 2 tool calls/);
    assert.deepEqual(t.api.requests[1].tool_choice, { type: 'none' });
    assert.equal(t.history.at(-1)?.content[0].type, 'text');
  });

  it('ends the turn when the model still calls tools after the limit, keeping every call answered', async () => {
    const t = setup([reply([toolUse('t1', 'read_file', {})], 'tool_use'), reply([toolUse('t2', 'read_file', {})], 'tool_use')], { maxToolCalls: 1 });
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.equal(outcome.kind, 'tool_limit');
    assert.equal(t.executor.batches.length, 1);
    const last = t.history.at(-1) as StoredMessage;
    assert.equal(last.kind, 'tool_results');
    assert.equal(results(last)[0].tool_use_id, 't2');
    assert.equal(results(last)[0].is_error, true);
  });

  it('stops mid-stream on abort and keeps the partial answer as interrupted', async () => {
    const t = setup([{ kind: 'hang', content: [{ type: 'text', text: 'Partial ans' }] }]);
    const abort = new AbortController();
    t.api.onHang = () => abort.abort();
    const outcome = await runTurn(t.history, t.deps, t.callbacks, abort.signal);
    assert.equal(outcome.kind, 'aborted');
    assert.equal(t.history[1].status, 'interrupted');
    assert.deepEqual(t.history[1].content, [{ type: 'text', text: 'Partial ans' }]);
    assert.equal(t.history[1].error, undefined);
  });

  it('stops during tool execution and answers the calls so the history stays valid', async () => {
    const executor = new FakeExecutor();
    executor.waitForAbort = true;
    const t = setup([reply([toolUse('t1', 'read_file', {}), toolUse('t2', 'read_file', {})], 'tool_use')], { executor });
    const abort = new AbortController();
    executor.onWaiting = () => abort.abort();
    const outcome = await runTurn(t.history, t.deps, t.callbacks, abort.signal);
    assert.equal(outcome.kind, 'aborted');
    assert.equal(t.api.requests.length, 1);
    const last = t.history.at(-1) as StoredMessage;
    assert.equal(last.kind, 'tool_results');
    assert.deepEqual(results(last).map((r) => [r.tool_use_id, r.is_error]), [['t1', true], ['t2', true]]);
  });

  it('continues after pause_turn, sending the paused content back', async () => {
    const t = setup([reply([{ type: 'text', text: 'Searching…' }], 'pause_turn'), reply('Found it.')]);
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.equal(outcome.kind, 'done');
    assert.equal(t.api.requests.length, 2);
    const resent = t.api.requests[1].messages.at(-1);
    assert.equal(resent?.role, 'assistant');
    assert.deepEqual(resent?.content, [{ type: 'text', text: 'Searching…' }]);
  });

  it('reports an error before anything streamed as status error with the error info', async () => {
    const t = setup([{ kind: 'fail', content: [], error: apiError('overloaded', 'The service is overloaded.') }]);
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.equal(outcome.kind, 'error');
    assert.equal(outcome.kind === 'error' && outcome.streamedAnything, false);
    assert.equal(t.history[1].status, 'error');
    assert.equal(t.history[1].error?.kind, 'overloaded');
  });

  it('marks an answer cut by an error mid-stream as interrupted and keeps its text', async () => {
    const t = setup([{ kind: 'fail', content: [{ type: 'text', text: 'Half an' }], error: apiError('network', 'Connection lost.') }]);
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.equal(outcome.kind === 'error' && outcome.streamedAnything, true);
    assert.equal(t.history[1].status, 'interrupted');
    assert.equal(t.history[1].error?.kind, 'network');
    assert.deepEqual(t.history[1].content, [{ type: 'text', text: 'Half an' }]);
  });

  it('does not run tools when the executor offers none', async () => {
    const executor = new FakeExecutor([]);
    const t = setup([reply([toolUse('t1', 'read_file', {})], 'tool_use'), reply('OK without tools.')], { executor });
    const outcome = await runTurn(t.history, t.deps, t.callbacks, new AbortController().signal);
    assert.equal(outcome.kind, 'done');
    assert.equal(executor.batches.length, 0);
    assert.match(String(results(t.history[2])[0].content), /tools are turned off/);
  });
});
