// The @aiml participant's parts asserted whole: the in-memory session store, the exact follow-ups,
// the stored form of VS Code's history, and references that fail or come with reversed lines.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { historyFromTurns } from '../../../src/core/participant/history';
import { memorySessionStore } from '../../../src/core/participant/memoryStore';
import { PARTICIPANT_ID, followupsFor, isParticipantCommand, participantCommands } from '../../../src/core/participant/prompt';
import { referenceChips } from '../../../src/core/participant/references';
import type { ContextReadDeps } from '../../../src/core/context/contextSources';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';

describe('participant: memory session store', () => {
  it('creates an empty conversation for the model at the time given, and keeps nothing', async () => {
    let clock = 100;
    const store = memorySessionStore(() => clock++);
    const conversation = store.create('claude-sonnet-4-6');
    assert.match(conversation.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...conversation, id: 'x' }, {
      version: 1, id: 'x', title: 'New chat', createdAt: 100, updatedAt: 101, model: 'claude-sonnet-4-6', messages: [],
      totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 },
    });
    assert.notEqual(store.create('m').id, conversation.id);
    await store.save(conversation);
    assert.deepEqual(await store.load(conversation.id), { kind: 'missing' });
    assert.equal(store.scheduleSave(conversation), undefined);
    assert.equal(await store.flush(), undefined);
    assert.equal(await store.rename(conversation.id, 'x'), undefined);
    assert.equal(await store.delete(conversation.id), undefined);
    await store.setLastOpenId(conversation.id);
    assert.equal(await store.getLastOpenId(), undefined);
  });

  it('uses the real clock by default', () => {
    const before = Date.now();
    const conversation = memorySessionStore().create('m');
    assert.ok(conversation.createdAt >= before && conversation.createdAt <= Date.now());
  });
});

describe('participant: commands and follow-ups', () => {
  it('knows exactly its four commands', () => {
    assert.equal(PARTICIPANT_ID, 'aimlChat.agent');
    assert.deepEqual([...participantCommands], ['explain', 'fix', 'tests', 'doc']);
    for (const command of participantCommands) assert.equal(isParticipantCommand(command), true);
    assert.equal(isParticipantCommand(undefined), false);
    assert.equal(isParticipantCommand(''), false);
    assert.equal(isParticipantCommand('Explain'), false);
  });

  it('offers exactly these follow-ups', () => {
    assert.deepEqual(followupsFor('explain'), [{ label: 'Write tests for it', command: 'tests', prompt: '' }, { label: 'Document it', command: 'doc', prompt: '' }]);
    assert.deepEqual(followupsFor('fix'), [{ label: 'Write tests for the fix', command: 'tests', prompt: '' }]);
    assert.deepEqual(followupsFor('tests'), [{ label: 'Document the code under test', command: 'doc', prompt: '' }]);
    assert.deepEqual(followupsFor('doc'), []);
    assert.deepEqual(followupsFor('other'), [{ label: 'Explain the selection', command: 'explain', prompt: '' }]);
  });
});

describe('participant: history as stored messages', () => {
  it('stores each turn whole: id, trimmed text, time, and prompt or complete', () => {
    let n = 0;
    const messages = historyFromTurns([
      { role: 'user', text: '  a  ' },
      { role: 'user', text: 'b' },
      { role: 'assistant', text: ' c ' },
      { role: 'assistant', text: '' },
      { role: 'assistant', text: 'd' },
    ], () => `id${++n}`, 7);
    assert.deepEqual(messages, [
      { id: 'id1', role: 'user', content: [{ type: 'text', text: 'a\n\nb' }], createdAt: 7, kind: 'prompt' },
      { id: 'id2', role: 'assistant', content: [{ type: 'text', text: 'c\n\nd' }], createdAt: 7, status: 'complete' },
    ]);
  });

  it('skips every answer before the first prompt', () => {
    const messages = historyFromTurns([{ role: 'assistant', text: 'x' }, { role: 'assistant', text: 'y' }, { role: 'user', text: 'q' }], () => 'id', 0);
    assert.deepEqual(messages.map((m) => [m.role, m.content]), [['user', [{ type: 'text', text: 'q' }]]]);
  });
});

describe('participant: references that cannot be read', () => {
  let deps: ContextReadDeps;
  let ws: string;
  before(async () => {
    ws = tempDir('aiml-participant-exact-');
    await writeFiles(ws, { 'a.ts': 'one\ntwo\nthree\n' });
    const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
    deps = { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths() };
  });

  it('reads a range given end first as the start line alone', async () => {
    const { chips, refused } = await referenceChips(deps, [{ kind: 'range', path: path.join(ws, 'a.ts'), startLine: 2, endLine: 1 }]);
    assert.deepEqual(refused, []);
    assert.deepEqual(chips.map((c) => [c.label, c.text]), [['a.ts:2', 'two']]);
  });

  it('refuses a file that does not exist with the reader\'s reason', async () => {
    const { chips, refused } = await referenceChips(deps, [{ kind: 'file', path: path.join(ws, 'gone.ts') }]);
    assert.deepEqual(chips, []);
    assert.equal(refused.length, 1);
    assert.doesNotMatch(refused[0], /Cannot read properties/);
    assert.match(refused[0], /gone\.ts/);
  });

  it('turns a failing read into a refusal with its message and goes on with the rest', async () => {
    const failing: ContextReadDeps = { ...deps, host: Object.assign(Object.create(Object.getPrototypeOf(deps.host)), deps.host, { stat: async () => { throw new Error('disk gone'); } }) };
    const { chips, refused } = await referenceChips(failing, [{ kind: 'file', path: path.join(ws, 'a.ts') }, { kind: 'text', name: 'n', text: 't' }]);
    assert.deepEqual(refused, ['disk gone']);
    assert.deepEqual(chips.map((c) => [c.kind, c.label, c.text]), [['selection', 'n', 't']]);
  });
});
