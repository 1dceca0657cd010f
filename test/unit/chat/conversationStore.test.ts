import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import { ConversationStore, type StoreTimers } from '../../../src/core/chat/conversationStore';

/** Manual timers: time moves only when the test says so. */
class ManualTimers implements StoreTimers {
  time = 1_000_000;
  private tasks: { at: number; cb: () => void; id: number }[] = [];
  private nextId = 1;
  now = (): number => this.time;
  setTimeout = (cb: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.tasks.push({ at: this.time + ms, cb, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  };
  advance(ms: number): void {
    this.time += ms;
    const due = this.tasks.filter((t) => t.at <= this.time);
    this.tasks = this.tasks.filter((t) => t.at > this.time);
    for (const t of due) t.cb();
  }
  get pending(): number {
    return this.tasks.length;
  }
}

const message = (i: number, text = `message ${i}`): StoredMessage => (i % 2
  ? { id: `m${i}`, role: 'assistant', content: [{ type: 'text', text }], createdAt: i, status: 'complete' }
  : { id: `m${i}`, role: 'user', content: [{ type: 'text', text }], createdAt: i });

describe('ConversationStore', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-store-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function withMessages(store: ConversationStore, count: number, title = 'T'): Conversation {
    const c = store.create('claude-sonnet-4-6');
    c.title = title;
    c.messages = Array.from({ length: count }, (_, i) => message(i));
    return c;
  }

  it('saves, lists (newest first) and reopens conversations through the index', async () => {
    const timers = new ManualTimers();
    const store = new ConversationStore(folder, { timers });
    const a = withMessages(store, 2, 'first');
    a.updatedAt = 10;
    const b = withMessages(store, 3, 'second');
    b.updatedAt = 20;
    await store.save(a);
    await store.save(b);
    const list = await store.list();
    assert.deepEqual(list.map((s) => [s.title, s.messageCount]), [['second', 3], ['first', 2]]);
    // A fresh store (next VS Code session) reads the index file, not the conversations.
    const again = new ConversationStore(folder);
    assert.deepEqual((await again.list()).map((s) => s.id), [b.id, a.id]);
    const loaded = await again.load(a.id);
    assert.equal(loaded.kind, 'ok');
    assert.deepEqual(loaded.kind === 'ok' && loaded.conversation, a);
  });

  it('remembers the last open conversation, renames and deletes', async () => {
    const store = new ConversationStore(folder);
    const c = withMessages(store, 2, 'old title');
    await store.save(c);
    await store.setLastOpenId(c.id);
    assert.equal(await new ConversationStore(folder).getLastOpenId(), c.id);
    await store.rename(c.id, 'new title');
    assert.equal((await store.list())[0].title, 'new title');
    const reread = await new ConversationStore(folder).load(c.id);
    assert.equal(reread.kind === 'ok' && reread.conversation.title, 'new title');
    await store.delete(c.id);
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.getLastOpenId(), undefined);
    assert.equal((await store.load(c.id)).kind, 'missing');
  });

  it('tells onDeleted after a deletion, so the checkpoints kept beside the conversation go too', async () => {
    const deleted: string[] = [];
    const store = new ConversationStore(folder, { onDeleted: async (id) => { deleted.push(id); } });
    const c = withMessages(store, 1);
    await store.save(c);
    assert.deepEqual(deleted, []);
    await store.delete(c.id);
    assert.deepEqual(deleted, [c.id]);
  });

  it('leaves the previous file intact when a crash happens between writing and renaming', async () => {
    let crash = false;
    const store = new ConversationStore(folder, {
      beforeRename: async () => {
        if (crash) throw new Error('simulated crash');
      },
    });
    const c = withMessages(store, 2, 'v1');
    await store.save(c);
    const before = await readFile(store.fileOf(c.id), 'utf8');
    crash = true;
    c.title = 'v2';
    c.messages.push(message(2));
    await assert.rejects(store.save(c), /simulated crash/);
    assert.equal(await readFile(store.fileOf(c.id), 'utf8'), before);
    const reloaded = await new ConversationStore(folder).load(c.id);
    assert.equal(reloaded.kind === 'ok' && reloaded.conversation.title, 'v1');
    assert.deepEqual((await readdir(folder)).filter((f) => f.includes('.tmp-')), []);
  });

  it('sets aside a file with bad JSON, with a warning, instead of failing', async () => {
    const store = new ConversationStore(folder);
    const c = withMessages(store, 2);
    await store.save(c);
    await writeFile(store.fileOf(c.id), '{"version":1, "id": tru');
    const result = await store.load(c.id);
    assert.equal(result.kind, 'corrupt');
    assert.match(result.kind === 'corrupt' ? result.warning : '', /could not be read.*set aside/);
    const files = await readdir(folder);
    assert.ok(files.some((f) => f.startsWith(`${c.id}.corrupt-`) && f.endsWith('.json')), files.join());
    assert.ok(!files.includes(`${c.id}.json`));
    assert.deepEqual(await store.list(), []);
  });

  it('sets aside a file that fails the Conversation schema', async () => {
    const store = new ConversationStore(folder);
    const c = withMessages(store, 2);
    await store.save(c);
    await writeFile(store.fileOf(c.id), JSON.stringify({ ...c, messages: [{ role: 'robot' }] }));
    const result = await store.load(c.id);
    assert.equal(result.kind, 'corrupt');
    assert.match(result.kind === 'corrupt' ? result.warning : '', /messages/);
  });

  it('throttles streaming saves to one per interval and writes the latest state', async () => {
    const timers = new ManualTimers();
    let writes = 0;
    const store = new ConversationStore(folder, { timers, throttleMs: 1000, beforeRename: async (_t, final) => { if (final.endsWith(`${c.id}.json`)) writes++; } });
    const c = withMessages(store, 1);
    await store.save(c);
    assert.equal(writes, 1);
    for (let i = 0; i < 20; i++) {
      c.messages[0] = message(0, `streamed ${i}`);
      store.scheduleSave(c);
      timers.advance(10);
    }
    await store.flush(); // waits for the queue; the throttled save is still pending (only 200 ms passed)
    assert.equal(writes, 2, 'flush writes the pending save once');
    for (let i = 0; i < 5; i++) {
      store.scheduleSave(c);
      timers.advance(100);
    }
    assert.equal(timers.pending, 1);
    timers.advance(1000);
    await store.flush();
    assert.equal(writes, 3);
    const loaded = await store.load(c.id);
    assert.deepEqual(loaded.kind === 'ok' && loaded.conversation.messages[0].content, [{ type: 'text', text: 'streamed 19' }]);
  });

  it('marks a message saved mid-stream as interrupted when reopened', async () => {
    const store = new ConversationStore(folder);
    const c = withMessages(store, 2);
    c.messages[1].status = 'streaming';
    await store.save(c);
    const loaded = await new ConversationStore(folder).load(c.id);
    assert.equal(loaded.kind === 'ok' && loaded.conversation.messages[1].status, 'interrupted');
  });

  it('rebuilds a missing index from the conversation files', async () => {
    const store = new ConversationStore(folder);
    const c = withMessages(store, 4, 'kept');
    await store.save(c);
    await rm(path.join(folder, 'index.json'));
    assert.deepEqual((await new ConversationStore(folder).list()).map((s) => [s.title, s.messageCount]), [['kept', 4]]);
  });
});
