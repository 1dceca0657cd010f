// The turn's state machine, exactly: when it stops (before a request, mid-stream, mid-tools, at
// the pause and tool-call limits), that every tool call is answered, what a cut-off answer keeps,
// and the usage, cost and error details copied onto the answer.
import * as assert from 'node:assert/strict';
import type { ContentBlock, StoredMessage, ToolResultBlock } from '../../../src/shared/model';
import type { ApiMessage, MessagesApi, MessagesRequest, StreamEvent, StreamOptions } from '../../../src/core/api/types';
import { errorInfoOf, runTurn, type TurnCallbacks, type TurnDependencies } from '../../../src/core/chat/turnRunner';
import { noTools, TOOLS_OFF_RESULT } from '../../../src/core/chat/toolExecutor';
import { toolLimitNote } from '../../../src/core/chat/prompts';
import { FakeExecutor, FakeMessagesApi, reply, toolUse, type Step } from './fakes';

const STOPPED = 'Not run: the user stopped the answer.';
const LIMIT = 'Not run: the tool-call limit for this answer was reached.';

function message(overrides: Partial<ApiMessage> = {}): ApiMessage {
  return { id: 'msg', type: 'message', role: 'assistant', model: 'served-model', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 }, ...overrides };
}

/** An API whose every stream call is answered by `answer` (an event-free final message or a throw). */
function scriptedApi(answer: (request: MessagesRequest, options: StreamOptions) => Promise<ApiMessage>): MessagesApi & { requests: MessagesRequest[] } {
  const requests: MessagesRequest[] = [];
  return {
    requests,
    create: async () => { throw new Error('not used'); },
    stream: async (request, options = {}) => {
      requests.push(request);
      return answer(request, options);
    },
  };
}

function setup(api: MessagesApi, opts: { maxToolCalls?: number; maxPauses?: number; executor?: FakeExecutor; tools?: boolean; onBuild?: () => void } = {}) {
  const executor = opts.executor ?? new FakeExecutor();
  const history: StoredMessage[] = [{ id: 'u1', role: 'user', kind: 'prompt', content: [{ type: 'text', text: 'hello' }], createdAt: 1 }];
  const added: StoredMessage[] = [];
  const addedContent: ContentBlock[][] = [];
  const streamed: Array<{ same: boolean; event: StreamEvent['type'] }> = [];
  let n = 0;
  const deps: TurnDependencies = {
    api,
    executor,
    maxToolCalls: opts.maxToolCalls ?? 25,
    maxPauses: opts.maxPauses,
    newId: () => `m${++n}`,
    now: () => 1000,
    buildRequest: async (h): Promise<MessagesRequest> => {
      opts.onBuild?.();
      return { model: 'requested-model', max_tokens: 100, ...(opts.tools === false ? {} : { tools: executor.definitions() }), messages: h.map((m) => ({ role: m.role, content: m.content })) };
    },
  };
  const callbacks: TurnCallbacks = {
    onMessageAdded: (m) => { added.push(m); addedContent.push([...m.content]); },
    onStreamEvent: (m, event, snapshot) => streamed.push({ same: m.content === snapshot.content, event: event.type }),
    onMessageFinished: () => undefined,
    onToolCard: () => undefined,
  };
  return { executor, history, added, addedContent, streamed, deps, callbacks };
}

const fake = (steps: Step[]) => new FakeMessagesApi(steps);
const signal = () => new AbortController().signal;
const resultsOf = (m: StoredMessage | undefined) => m?.content as ToolResultBlock[];

describe('turnRunner (exact)', () => {
  describe('stopping', () => {
    it('builds nothing, sends nothing and adds nothing when the signal is already aborted', async () => {
      const api = fake([reply('never')]);
      let builds = 0;
      const t = setup(api, { onBuild: () => { builds++; } });
      const abort = new AbortController();
      abort.abort();
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, abort.signal), { kind: 'aborted', toolCalls: 0 });
      assert.equal(builds, 0, 'the request (attachments and all) is not even built');
      assert.equal(api.requests.length, 0);
      assert.equal(t.history.length, 1);
    });

    it('sends nothing when the user stops while the request is being built', async () => {
      const api = fake([reply('never')]);
      const abort = new AbortController();
      const t = setup(api, { onBuild: () => abort.abort() });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, abort.signal), { kind: 'aborted', toolCalls: 0 });
      assert.equal(api.requests.length, 0);
      assert.equal(t.history.length, 1);
      assert.equal(t.added.length, 0);
    });

    it('keeps the results the tools returned when the stop came while they ran; only unanswered calls get the stop note', async () => {
      const abort = new AbortController();
      const executor = new FakeExecutor();
      const api = fake([reply([toolUse('t1', 'read_file', {})], 'tool_use')]);
      const t = setup(api, { executor });
      executor.answer = (call) => {
        abort.abort();
        return { type: 'tool_result', tool_use_id: call.id, content: `read ${call.id}` };
      };
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, abort.signal), { kind: 'aborted', toolCalls: 1 });
      assert.deepEqual(t.history.at(-1)?.content, [{ type: 'tool_result', tool_use_id: 't1', content: 'read t1' }]);
      assert.equal(api.requests.length, 1);
    });

    it('answers every call with the exact stop note and nothing else when the tools were stopped', async () => {
      const executor = new FakeExecutor();
      executor.waitForAbort = true;
      const abort = new AbortController();
      executor.onWaiting = () => abort.abort();
      const t = setup(fake([reply([toolUse('t1', 'read_file', {}), toolUse('t2', 'read_file', {})], 'tool_use')]), { executor });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, abort.signal), { kind: 'aborted', toolCalls: 2 });
      assert.deepEqual(t.history.at(-1)?.content, [
        { type: 'tool_result', tool_use_id: 't1', is_error: true, content: STOPPED },
        { type: 'tool_result', tool_use_id: 't2', is_error: true, content: STOPPED },
      ]);
    });

    it('lets a tool failure that is not a stop reach the caller', async () => {
      const executor = new FakeExecutor();
      executor.execute = async () => { throw new Error('executor broke'); };
      const t = setup(fake([reply([toolUse('t1', 'read_file', {})], 'tool_use')]), { executor });
      await assert.rejects(runTurn(t.history, t.deps, t.callbacks, signal()), /executor broke/);
    });
  });

  describe('streaming', () => {
    it('adds the answer empty and keeps its content the stream snapshot on every event', async () => {
      const t = setup(fake([reply('Hello world')]));
      await runTurn(t.history, t.deps, t.callbacks, signal());
      assert.deepEqual(t.addedContent, [[]]);
      assert.ok(t.streamed.length > 3);
      assert.ok(t.streamed.every((s) => s.same), 'the stored message shows the snapshot while streaming');
    });

    it('an error before any event leaves the answer empty, marked error, with the error info', async () => {
      const t = setup(scriptedApi(async () => { throw Object.assign(new Error('down'), { info: { kind: 'overloaded', message: 'Busy.', retryable: true } }); }));
      const outcome = await runTurn(t.history, t.deps, t.callbacks, signal());
      assert.deepEqual(outcome, { kind: 'error', toolCalls: 0, error: { kind: 'overloaded', message: 'Busy.', retryable: true }, streamedAnything: false });
      const answer = t.history[1];
      assert.deepEqual(answer.content, []);
      assert.equal(answer.status, 'error');
      assert.equal('usage' in answer, false);
    });

    it('takes the content and usage of the partial answer an error carries', async () => {
      const partial = message({ content: [{ type: 'text', text: 'Half' }], usage: { input_tokens: 7, output_tokens: 2 }, tracing: { inferenceId: 'inf-9' } as ApiMessage['tracing'] });
      const t = setup(scriptedApi(async () => { throw Object.assign(new Error('cut'), { partial }); }));
      const outcome = await runTurn(t.history, t.deps, t.callbacks, signal());
      assert.deepEqual(outcome, { kind: 'error', toolCalls: 0, error: { kind: 'unknown', message: 'cut' }, streamedAnything: true });
      const answer = t.history[1];
      assert.deepEqual(answer.content, [{ type: 'text', text: 'Half' }]);
      assert.deepEqual(answer.usage, { input_tokens: 7, output_tokens: 2 });
      assert.equal(answer.requestId, 'inf-9');
      assert.equal(answer.status, 'interrupted');
    });

    it('ignores a partial answer without a content list, and a rejection with no value at all', async () => {
      const t = setup(scriptedApi(async () => { throw Object.assign(new Error('odd'), { partial: { content: 'text' } }); }));
      const outcome = await runTurn(t.history, t.deps, t.callbacks, signal());
      assert.equal(outcome.kind === 'error' && outcome.streamedAnything, false);
      assert.deepEqual(t.history[1].content, []);
      assert.equal(t.history[1].status, 'error');

      const u = setup(scriptedApi(() => Promise.reject(undefined)));
      const nothing = await runTurn(u.history, u.deps, u.callbacks, signal());
      assert.deepEqual(nothing, { kind: 'error', toolCalls: 0, error: { kind: 'unknown', message: 'undefined' }, streamedAnything: false });
    });

    it('a partial answer without usage adds no usage field', async () => {
      const t = setup(scriptedApi(async () => { throw Object.assign(new Error('cut'), { partial: { content: [{ type: 'text', text: 'x' }] } }); }));
      await runTurn(t.history, t.deps, t.callbacks, signal());
      assert.equal('usage' in t.history[1], false);
      assert.equal('requestId' in t.history[1], false);
      assert.equal('usdSpent' in t.history[1], false);
    });

    it('records the served model, the request id and the stop reason of the final message', async () => {
      const t = setup(scriptedApi(async () => message({ model: 'claude-served-1', tracing: { inferenceId: 'inf-1' } as ApiMessage['tracing'] })));
      await runTurn(t.history, t.deps, t.callbacks, signal());
      const answer = t.history[1];
      assert.equal(answer.model, 'claude-served-1');
      assert.equal(answer.requestId, 'inf-1');
      assert.equal(answer.stopReason, 'end_turn');
      assert.equal(answer.status, 'complete');
    });

    it('keeps the requested model when the final message names none', async () => {
      const t = setup(scriptedApi(async () => message({ model: '' })));
      await runTurn(t.history, t.deps, t.callbacks, signal());
      assert.equal(t.history[1].model, 'requested-model');
    });

    for (const [label, meta, expected] of [
      ['zero', { usage: { usd_spent: 0 } }, 0],
      ['a cost', { usage: { usd_spent: 0.25 } }, 0.25],
      ['a negative cost', { usage: { usd_spent: -1 } }, undefined],
      ['an infinite cost', { usage: { usd_spent: Infinity } }, undefined],
      ['NaN', { usage: { usd_spent: NaN } }, undefined],
      ['a string', { usage: { usd_spent: '0.5' } }, undefined],
      ['meta without usage', {}, undefined],
    ] as const) {
      it(`the gateway's cost as ${label} is ${expected === undefined ? 'not recorded' : `recorded as ${expected}`}`, async () => {
        const t = setup(scriptedApi(async () => message({ meta: meta as ApiMessage['meta'] })));
        await runTurn(t.history, t.deps, t.callbacks, signal());
        assert.equal(t.history[1].usdSpent, expected);
        assert.equal('usdSpent' in t.history[1], expected !== undefined);
      });
    }
  });

  describe('ends of a round', () => {
    it('a text answer that also holds a tool_use block but stopped for another reason runs no tool', async () => {
      const t = setup(fake([reply([{ type: 'text', text: 'I could read it.' }, toolUse('t1', 'read_file', {})], 'end_turn')]));
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'done', toolCalls: 0 });
      assert.equal(t.executor.batches.length, 0);
      assert.equal(t.history.length, 2);
    });

    it('a tool_use stop without any call ends the turn', async () => {
      const api = fake([reply('Nothing to call.', 'tool_use')]);
      const t = setup(api);
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'done', toolCalls: 0 });
      assert.equal(api.requests.length, 1);
      assert.equal(t.history.length, 2);
    });

    it('continues after up to five pause_turn stops by default, then ends', async () => {
      const api = fake([...Array.from({ length: 6 }, () => reply('…', 'pause_turn')), reply('unused')]);
      const t = setup(api);
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'done', toolCalls: 0 });
      assert.equal(api.requests.length, 6);
    });

    it('maxPauses 1 allows exactly one continuation', async () => {
      const api = fake([reply('…', 'pause_turn'), reply('…', 'pause_turn'), reply('unused')]);
      const t = setup(api, { maxPauses: 1 });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'done', toolCalls: 0 });
      assert.equal(api.requests.length, 2);
    });
  });

  describe('tool-call limit', () => {
    it('counts calls across rounds: the second round runs only what is left of the limit', async () => {
      const api = fake([
        reply([toolUse('t1', 'read_file', {})], 'tool_use'),
        reply([toolUse('t2', 'read_file', {}), toolUse('t3', 'read_file', {})], 'tool_use'),
        reply('Summary.'),
      ]);
      const t = setup(api, { maxToolCalls: 2 });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'tool_limit', toolCalls: 2 });
      assert.deepEqual(t.executor.batches.map((b) => b.map((c) => c.id)), [['t1'], ['t2']]);
      assert.deepEqual(t.history[4].content, [
        { type: 'tool_result', tool_use_id: 't2', content: 'ok read_file' },
        { type: 'tool_result', tool_use_id: 't3', is_error: true, content: LIMIT },
        { type: 'text', text: toolLimitNote(2) },
      ]);
      assert.equal(api.requests[0].tool_choice, undefined);
      assert.equal(api.requests[1].tool_choice, undefined);
      assert.deepEqual(api.requests[2].tool_choice, { type: 'none' });
    });

    it('reaching the limit exactly (no call skipped) also asks for the summary without tools', async () => {
      const api = fake([reply([toolUse('t1', 'read_file', {})], 'tool_use'), reply('Summary.')]);
      const t = setup(api, { maxToolCalls: 1 });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'tool_limit', toolCalls: 1 });
      assert.deepEqual(t.history[2].content, [{ type: 'tool_result', tool_use_id: 't1', content: 'ok read_file' }, { type: 'text', text: toolLimitNote(1) }]);
      assert.deepEqual(api.requests[1].tool_choice, { type: 'none' });
    });

    it('a request without tools after the limit gets no tool_choice', async () => {
      const api = fake([reply([toolUse('t1', 'read_file', {})], 'tool_use'), reply('Summary.')]);
      const t = setup(api, { maxToolCalls: 1, tools: false });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'tool_limit', toolCalls: 1 });
      assert.equal(api.requests[1].tool_choice, undefined);
    });

    it('calls after the limit get exactly the limit note, with no text after them', async () => {
      const t = setup(fake([reply([toolUse('t1', 'read_file', {})], 'tool_use'), reply([toolUse('t2', 'read_file', {}), toolUse('t3', 'read_file', {})], 'tool_use')]), { maxToolCalls: 1 });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'tool_limit', toolCalls: 1 });
      assert.deepEqual(t.history.at(-1)?.content, [
        { type: 'tool_result', tool_use_id: 't2', is_error: true, content: LIMIT },
        { type: 'tool_result', tool_use_id: 't3', is_error: true, content: LIMIT },
      ]);
      assert.equal(t.history.at(-1)?.kind, 'tool_results');
    });

    it('with tools off every call is answered "tools are turned off" and the limit is not reached', async () => {
      const executor = new FakeExecutor([]);
      const api = fake([reply([toolUse('t1', 'read_file', {}), toolUse('t2', 'x', {})], 'tool_use'), reply('OK.')]);
      const t = setup(api, { executor, maxToolCalls: 1 });
      assert.deepEqual(await runTurn(t.history, t.deps, t.callbacks, signal()), { kind: 'done', toolCalls: 0 });
      assert.deepEqual(resultsOf(t.history[2]), [
        { type: 'tool_result', tool_use_id: 't1', is_error: true, content: TOOLS_OFF_RESULT },
        { type: 'tool_result', tool_use_id: 't2', is_error: true, content: TOOLS_OFF_RESULT },
      ]);
      assert.equal(api.requests[1].tool_choice, undefined);
    });
  });

  describe('errorInfoOf', () => {
    it('returns the info an API error carries, as is', () => {
      const info = { kind: 'rate_limited', message: 'Slow down.', retryable: true };
      assert.equal(errorInfoOf(Object.assign(new Error('x'), { info })), info);
    });

    it('an info without a string kind or message is not trusted', () => {
      assert.deepEqual(errorInfoOf(Object.assign(new Error('plain'), { info: { kind: 1, message: 'm' } })), { kind: 'unknown', message: 'plain' });
      assert.deepEqual(errorInfoOf(Object.assign(new Error('plain'), { info: { kind: 'k' } })), { kind: 'unknown', message: 'plain' });
      assert.deepEqual(errorInfoOf(Object.assign(new Error('plain'), { info: { message: 'm' } })), { kind: 'unknown', message: 'plain' });
    });

    it('anything else becomes an unknown error with its text, or a generic one when it has none', () => {
      assert.deepEqual(errorInfoOf(new Error('')), { kind: 'unknown', message: 'Something went wrong.' });
      assert.deepEqual(errorInfoOf(''), { kind: 'unknown', message: 'Something went wrong.' });
      assert.deepEqual(errorInfoOf('boom'), { kind: 'unknown', message: 'boom' });
      assert.deepEqual(errorInfoOf(undefined), { kind: 'unknown', message: 'undefined' });
      assert.deepEqual(errorInfoOf(null), { kind: 'unknown', message: 'null' });
    });
  });

  describe('noTools', () => {
    it('offers no tool and answers every call that it is not run', async () => {
      assert.deepEqual(noTools.definitions(), []);
      assert.equal(noTools.isReadOnly, undefined);
      const results = await noTools.execute([toolUse('a', 'read_file', {}), toolUse('b', 'run_command', {})], { signal: signal(), onCard: () => undefined });
      assert.deepEqual(results, [
        { type: 'tool_result', tool_use_id: 'a', is_error: true, content: 'Not run: tools are turned off.' },
        { type: 'tool_result', tool_use_id: 'b', is_error: true, content: 'Not run: tools are turned off.' },
      ]);
    });
  });
});
