// The checks before a request, asserted exactly: no key, the spend cap asked with the estimate
// of this conversation and prompt, and a declined or accepted question.
import * as assert from 'node:assert/strict';
import { emptyTotals, type Conversation } from '../../../src/shared/model';
import { NO_KEY_ERROR, SPEND_CAP_ERROR, admitRequest } from '../../../src/core/chat/session/admission';
import type { ChatSessionDeps, SessionSettings } from '../../../src/core/chat/session/types';
import { systemPromptFor } from '../../../src/core/chat/session/turnSetup';
import { approximateInputChars, estimateNextRequestUsd } from '../../../src/core/chat/spendCap';

const settings: SessionSettings = {
  baseUrl: 'http://127.0.0.1:1', requestTimeoutMs: 5000, answerTimeoutMs: 1_800_000, model: 'claude-haiku-4-5', maxTokens: 1000, temperature: null,
  thinkingEnabled: false, thinkingBudgetTokens: 2048, promptCaching: true, spendCapUsd: null, maxToolCallsPerTurn: 25,
};
const conversation = (usdSpent: number): Conversation => ({ version: 1, id: 'c', title: 't', createdAt: 0, updatedAt: 0, model: 'm', messages: [], totals: { ...emptyTotals(), usdSpent } });

function deps(key: string | undefined, cap: number | null | undefined, answer: boolean) {
  const questions: [string, string][] = [];
  const value = { getApiKey: async () => key, settings: () => ({ ...settings, spendCapUsd: cap as number | null }), confirm: async (message: string, button: string) => { questions.push([message, button]); return answer; } } as unknown as ChatSessionDeps;
  return { value, questions };
}

describe('admission: exact', () => {
  it('refuses without a key, before reading anything else', async () => {
    const { value, questions } = deps('', 0, true);
    assert.deepEqual(await admitRequest(value, conversation(5), 'q'), { ok: false, reason: 'no_api_key', error: NO_KEY_ERROR });
    assert.deepEqual(NO_KEY_ERROR, { kind: 'no_api_key', message: 'Set your AI/ML API key to start chatting.' });
    assert.deepEqual(questions, []);
  });

  it('asks nothing without a cap, or when the estimate fits under it', async () => {
    for (const cap of [null, undefined, 10]) {
      const { value, questions } = deps('key', cap, false);
      const admission = await admitRequest(value, conversation(1), 'q');
      assert.equal(admission.ok, true, String(cap));
      assert.equal(admission.ok && admission.apiKey, 'key');
      assert.deepEqual(questions, []);
    }
  });

  it('asks with the estimate of the system prompt, history and prompt, and refuses when declined', async () => {
    const { value, questions } = deps('key', 1, false);
    // Haiku: 1000 output tokens cost $0.005; the estimate adds the input, so $1 - $0.995 is exceeded.
    assert.deepEqual(await admitRequest(value, conversation(0.995), 'x'.repeat(4000)), { ok: false, reason: 'spend_cap', error: SPEND_CAP_ERROR });
    assert.equal(questions.length, 1);
    assert.match(questions[0][0], /^This conversation has cost \$0\.99\. The next answer \(about \$0\.00\d\d\) may take it past your spend cap of \$1\.00\. Send anyway\?$/);
    assert.equal(questions[0][1], 'Send Anyway');
    assert.deepEqual(SPEND_CAP_ERROR, { kind: 'config', message: 'Not sent: the spend cap for this conversation would be exceeded. Raise aimlChat.spendCapUsd or start a new chat.' });
  });

  it('goes on when the user sends anyway, with the settings read once', async () => {
    const { value, questions } = deps('key', 0, true);
    const admission = await admitRequest(value, conversation(0), 'q');
    assert.equal(questions.length, 1);
    assert.deepEqual(admission, { ok: true, settings: { ...settings, spendCapUsd: 0 }, apiKey: 'key' });
  });
});

describe('admission: the estimate at the cap\'s edge', () => {
  const history: Conversation['messages'] = [
    { id: 'u1', role: 'user', content: [{ type: 'text', text: 'What is in this folder?' }], createdAt: 1 },
    { id: 'a1', role: 'assistant', content: [{ type: 'text', text: 'Three files.' }], createdAt: 2 },
  ];
  const withHistory = (messages: Conversation['messages'], usdSpent = 0): Conversation => ({ ...conversation(usdSpent), messages });
  // What admission must estimate: the tools-on system prompt, the history and the prompt, for haiku.
  const inputChars = (prompt: string) => approximateInputChars(history, systemPromptFor(true, undefined)) + prompt.length;
  const estimate = (chars: number, messages = history) => estimateNextRequestUsd({ model: 'claude-haiku-4-5', inputChars: chars, messages });

  it('sends without asking when the estimate reaches the cap exactly', async () => {
    const prompt = 'p'.repeat(400);
    const { value, questions } = deps('key', estimate(inputChars(prompt)), false);
    assert.equal((await admitRequest(value, withHistory(history), prompt)).ok, true);
    assert.deepEqual(questions, []);
  });

  it('asks when the estimate is one character past the cap', async () => {
    const prompt = 'p'.repeat(400);
    const { value, questions } = deps('key', estimate(inputChars(prompt) - 1), false);
    assert.deepEqual(await admitRequest(value, withHistory(history), prompt), { ok: false, reason: 'spend_cap', error: SPEND_CAP_ERROR });
    assert.equal(questions.length, 1);
  });

  it('counts what recent answers cost, and what was spent so far', async () => {
    const costly: Conversation['messages'] = [...history, { id: 'a2', role: 'assistant', content: [{ type: 'text', text: 'x' }], createdAt: 3, usdSpent: 0.25 }];
    const under = deps('key', 0.35, false);
    assert.equal((await admitRequest(under.value, withHistory(costly, 0.1), 'q')).ok, true);
    const over = deps('key', 0.349, false);
    assert.equal((await admitRequest(over.value, withHistory(costly, 0.1), 'q')).ok, false);
    assert.equal(over.questions[0][0], 'This conversation has cost $0.10. The next answer (about $0.25) may take it past your spend cap of $0.35. Send anyway?');
  });
});
