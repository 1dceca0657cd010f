import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConversationIndex } from '../../../src/core/chat/conversationIndex';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import type { Conversation, StoredMessage } from '../../../src/shared/model';

const WINDOW_SCRIPT = path.join(__dirname, '../../support/storage/storeWindow.ts');

function runWindow(folder: string, name: string, sharedId: string, rounds: number): Promise<{ created: string[]; messages: string[] }> {
  return new Promise((resolve, reject) => {
    const child = fork(WINDOW_SCRIPT, [folder, name, sharedId, String(rounds)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: { created: string[]; messages: string[] } | undefined;
    child.on('message', (message) => { report = message as typeof report; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && report ? resolve(report) : reject(new Error(`window ${name} exited with ${code}`))));
  });
}

const turn = (id: string, createdAt: number, text = id): StoredMessage => ({ id, role: 'user', createdAt, content: [{ type: 'text', text }] });

async function loadOk(store: ConversationStore, id: string): Promise<Conversation> {
  const loaded = await store.load(id);
  assert.equal(loaded.kind, 'ok');
  return (loaded as { conversation: Conversation }).conversation;
}

describe('two windows on one storage folder', function () {
  this.timeout(120_000);
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-windows-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('two processes writing at once lose no conversation and no message', async () => {
    const setup = new ConversationStore(folder);
    const shared = setup.create('claude-sonnet-4-6');
    shared.messages.push(turn('first', 0));
    await setup.save(shared);
    const rounds = 60;
    const [a, b] = await Promise.all([runWindow(folder, 'A', shared.id, rounds), runWindow(folder, 'B', shared.id, rounds)]);
    const fresh = new ConversationStore(folder);
    const listed = new Set((await fresh.list()).map((s) => s.id));
    const lostConversations = [...a.created, ...b.created, shared.id].filter((id) => !listed.has(id));
    assert.deepEqual(lostConversations, [], 'lost conversations');
    const final = await loadOk(fresh, shared.id);
    const ids = new Set(final.messages.map((m) => m.id));
    const lostMessages = ['first', ...a.messages, ...b.messages].filter((id) => !ids.has(id));
    assert.deepEqual(lostMessages, [], 'lost messages');
    assert.equal(final.messages.length, 1 + 2 * rounds, 'no message twice');
    // Each window's turns stay in its own order.
    for (const name of ['A', 'B']) {
      const order = final.messages.filter((m) => m.id.startsWith(`${name}-`)).map((m) => Number(m.id.split('-m')[1]));
      assert.deepEqual(order, [...order].sort((x, y) => x - y));
    }
    // The index on disk itself lists every conversation (not only the folder scan).
    const index = await new ConversationIndex(folder, () => ({}), () => undefined).read();
    assert.equal(index.conversations.length, 2 * rounds + 1);
    assert.deepEqual((await readdir(folder)).filter((f) => f.includes('.tmp-') || f.endsWith('.lock')), [], 'no temp or lock files left');
  });

  it('two store instances interleaving saves of the same conversation keep every turn', async () => {
    const a = new ConversationStore(folder, { throttleMs: 0 });
    const b = new ConversationStore(folder, { throttleMs: 0 });
    const mine = a.create('m');
    mine.messages.push(turn('root', 0));
    await a.save(mine);
    const theirs = await loadOk(b, mine.id);
    let clock = 1;
    const ROUNDS = 100;
    for (let i = 0; i < ROUNDS; i++) {
      const [store, copy, name] = Math.random() < 0.5 ? [a, mine, 'a'] : [b, theirs, 'b'];
      copy.messages.push(turn(`${name}${i}`, clock++));
      if (i % 4 === 0) store.scheduleSave(copy);
      else void store.save(copy);
    }
    await Promise.all([a.flush(), b.flush()]);
    const final = await loadOk(new ConversationStore(folder), mine.id);
    const expected = ['root', ...Array.from({ length: ROUNDS }, (_, i) => i)].length;
    assert.equal(final.messages.length, expected);
    assert.deepEqual(final.messages.map((m) => m.createdAt), [...final.messages.map((m) => m.createdAt)].sort((x, y) => x - y));
  });

  it('a turn one window removed on purpose (Retry) stays removed; the other window\'s turns stay', async () => {
    const a = new ConversationStore(folder);
    const b = new ConversationStore(folder);
    const mine = a.create('m');
    mine.messages.push(turn('prompt', 1), { ...turn('failed answer', 2), role: 'assistant', status: 'interrupted' });
    await a.save(mine);
    const theirs = await loadOk(b, mine.id);
    theirs.messages.push(turn('from b', 3));
    await b.save(theirs);
    mine.messages.pop(); // Retry drops the cut-off answer...
    mine.messages.push({ ...turn('new answer', 4), role: 'assistant', status: 'complete' });
    await a.save(mine);
    const final = await loadOk(new ConversationStore(folder), mine.id);
    assert.deepEqual(final.messages.map((m) => m.id), ['prompt', 'from b', 'new answer']);
  });

  it('a finished answer from the other window replaces this window\'s cut-off copy of it', async () => {
    const a = new ConversationStore(folder);
    const b = new ConversationStore(folder);
    const c = a.create('m');
    c.messages.push(turn('q', 1), { ...turn('answer', 2, 'par'), role: 'assistant', status: 'streaming' });
    await a.save(c);
    const bCopy = await loadOk(b, c.id); // opened mid-stream: "interrupted"
    assert.equal(bCopy.messages[1].status, 'interrupted');
    c.messages[1] = { ...c.messages[1], status: 'complete', content: [{ type: 'text', text: 'partial and the rest' }] };
    await a.save(c);
    bCopy.messages.push(turn('follow-up', 3));
    await b.save(bCopy);
    const final = await loadOk(new ConversationStore(folder), c.id);
    assert.deepEqual(final.messages.map((m) => [m.id, m.status]), [['q', undefined], ['answer', 'complete'], ['follow-up', undefined]]);
  });

  it('a conversation created in one window is listed in the other, even if that one rewrote a stale index', async () => {
    const a = new ConversationStore(folder);
    const b = new ConversationStore(folder);
    const first = b.create('m');
    first.messages.push(turn('x', 1));
    await b.save(first);
    assert.equal((await a.list()).length, 1);
    const made = a.create('m');
    made.messages.push(turn('y', 2));
    await a.save(made);
    first.title = 'renamed in b';
    await b.save(first);
    await b.setLastOpenId(first.id);
    assert.deepEqual((await b.list()).map((s) => s.id).sort(), [first.id, made.id].sort());
  });
});
