// The conversation store, exactly: a conversation is never lost or corrupted. Malformed and
// mismatched files are set aside under a stated name (never deleted), a file another window
// damaged is kept beside ours, save failures are told once per streak, throttled saves wait
// exactly the interval, and the index follows loads, deletes and the last open conversation.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConversationStore, NewerFormatError, type StoreTimers } from '../../../src/core/chat/conversationStore';
import type { Conversation, StoredMessage } from '../../../src/shared/model';

class ManualTimers implements StoreTimers {
  time = 5_000;
  readonly waits: number[] = [];
  private tasks: Array<{ at: number; cb: () => void; id: number }> = [];
  private nextId = 1;
  now = (): number => this.time;
  setTimeout = (cb: () => void, ms: number): unknown => {
    this.waits.push(ms);
    const id = this.nextId++;
    this.tasks.push({ at: this.time + ms, cb, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => { this.tasks = this.tasks.filter((t) => t.id !== handle); };
  advance(ms: number): void {
    this.time += ms;
    const due = this.tasks.filter((t) => t.at <= this.time);
    this.tasks = this.tasks.filter((t) => t.at > this.time);
    for (const t of due) t.cb();
  }
  get pending(): number { return this.tasks.length; }
}

const msg = (i: number, text = `message ${i}`): StoredMessage => (i % 2
  ? { id: `m${i}`, role: 'assistant', content: [{ type: 'text', text }], createdAt: i, status: 'complete' }
  : { id: `m${i}`, role: 'user', kind: 'prompt', content: [{ type: 'text', text }], createdAt: i });

describe('ConversationStore (exact)', () => {
  let folder: string;
  beforeEach(async () => { folder = await mkdtemp(path.join(tmpdir(), 'aiml-store-x-')); });
  afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

  function conversation(store: ConversationStore, count = 2, id = 'c1'): Conversation {
    const c = store.create('claude-sonnet-4-6');
    c.id = id;
    c.messages = Array.from({ length: count }, (_, i) => msg(i));
    return c;
  }
  const indexOnDisk = async () => JSON.parse(await readFile(path.join(folder, 'index.json'), 'utf8')) as { lastOpenId?: string; conversations: Array<{ id: string }> };

  it('creates an unsaved conversation with a fresh id, the model, the time, no messages and zero totals', () => {
    const timers = new ManualTimers();
    const store = new ConversationStore(folder, { timers });
    const c = store.create('claude-x');
    assert.match(c.id, /^[0-9a-f-]{36}$/);
    assert.notEqual(store.create('claude-x').id, c.id);
    assert.deepEqual({ ...c, id: 'x' }, { version: 1, id: 'x', title: 'New chat', createdAt: 5_000, updatedAt: 5_000, model: 'claude-x', messages: [], totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 } });
  });

  it('refuses an id that could leave the folder, and places a valid one in it', () => {
    const store = new ConversationStore(folder);
    for (const id of ['../x', 'a/b', '', 'x'.repeat(81), 'a.b', 'a\n']) assert.throws(() => store.fileOf(id), { message: `Invalid conversation id: ${id}` });
    assert.equal(store.fileOf('A-z_0'), path.join(folder, 'A-z_0.json'));
    assert.equal(store.fileOf('x'.repeat(80)), path.join(folder, `${'x'.repeat(80)}.json`));
  });

  it('lists newest first and writes conversations it found into the index; a failing index write is only logged', async () => {
    const logs: string[] = [];
    const store = new ConversationStore(folder, { log: (m) => logs.push(m) });
    for (const [id, at] of [['old', 1], ['new', 3], ['mid', 2]] as const) {
      const c = conversation(store, 2, id);
      c.updatedAt = at;
      await writeFile(path.join(folder, `${id}.json`), JSON.stringify(c));
    }
    assert.deepEqual((await store.list()).map((s) => s.id), ['new', 'mid', 'old']);
    assert.deepEqual((await indexOnDisk()).conversations.map((s) => s.id).sort(), ['mid', 'new', 'old']);
    await rm(path.join(folder, 'index.json'));
    await mkdir(path.join(folder, 'index.json'));
    assert.deepEqual((await store.list()).map((s) => s.id), ['new', 'mid', 'old']);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^updating the conversation index failed: /);
  });

  it('loads with the notes of what was tolerated (logged), and without a notes field when there were none', async () => {
    const logs: string[] = [];
    const store = new ConversationStore(folder, { log: (m) => logs.push(m) });
    const c = conversation(store);
    await store.save(c);
    const clean = await store.load('c1');
    assert.deepEqual(Object.keys(clean), ['kind', 'conversation']);
    await writeFile(store.fileOf('c1'), JSON.stringify({ ...c, pinned: true }));
    const noted = await store.load('c1');
    assert.deepEqual(noted.kind === 'ok' && noted.notes, ['unknown fields ignored: pinned']);
    assert.deepEqual(logs, ['conversation c1: unknown fields ignored: pinned']);
  });

  it('a missing file is dropped from the index and forgotten as the last open one', async () => {
    const store = new ConversationStore(folder);
    await store.save(conversation(store));
    await store.setLastOpenId('c1');
    await rm(store.fileOf('c1'));
    assert.deepEqual(await store.load('c1'), { kind: 'missing' });
    assert.deepEqual(await indexOnDisk(), { version: 1, conversations: [] });
  });

  it('sets a file whose id does not match its name aside under <id>.corrupt-<time>.json, with the exact warning', async () => {
    const timers = new ManualTimers();
    const store = new ConversationStore(folder, { timers });
    const other = conversation(store, 2, 'other');
    await writeFile(path.join(folder, 'c1.json'), JSON.stringify(other));
    const result = await store.load('c1');
    const movedTo = path.join(folder, 'c1.corrupt-5000.json');
    assert.deepEqual(result, { kind: 'corrupt', movedTo, warning: 'The saved conversation could not be read (id other does not match the file name). It was set aside as c1.corrupt-5000.json.' });
    assert.equal(JSON.parse(await readFile(movedTo, 'utf8')).id, 'other');
    assert.deepEqual(await readdir(folder), ['c1.corrupt-5000.json']);
  });

  it('names the problem of a file that is not a conversation', async () => {
    const store = new ConversationStore(folder, { timers: new ManualTimers() });
    await writeFile(path.join(folder, 'c1.json'), '[1, 2]');
    const result = await store.load('c1');
    assert.equal(result.kind === 'corrupt' && result.warning, 'The saved conversation could not be read (not a conversation). It was set aside as c1.corrupt-5000.json.');
  });

  it('keeps a file another window damaged beside ours, then writes ours', async () => {
    const logs: string[] = [];
    const timers = new ManualTimers();
    const store = new ConversationStore(folder, { timers, log: (m) => logs.push(m) });
    const c = conversation(store);
    await store.save(c);
    await writeFile(store.fileOf('c1'), '{"damaged": ');
    c.messages.push(msg(2));
    await store.save(c);
    assert.equal(await readFile(path.join(folder, 'c1.corrupt-5000.json'), 'utf8'), '{"damaged": ');
    const loaded = await store.load('c1');
    assert.equal(loaded.kind === 'ok' && loaded.conversation.messages.length, 3);
    assert.deepEqual(logs, ['conversation c1: the file on disk could not be read; set aside as c1.corrupt-5000.json']);
  });

  it('writes this window\'s copy when the file vanished meanwhile', async () => {
    const store = new ConversationStore(folder);
    const c = conversation(store);
    await store.save(c);
    await rm(store.fileOf('c1'));
    c.title = 'again';
    await store.save(c);
    const loaded = await new ConversationStore(folder).load('c1');
    assert.equal(loaded.kind === 'ok' && loaded.conversation.title, 'again');
  });

  it('merges with a file another window changed since this store last saw it', async () => {
    const mine = new ConversationStore(folder);
    const theirs = new ConversationStore(folder);
    const c = conversation(mine);
    await mine.save(c);
    const loaded = await theirs.load('c1');
    assert.equal(loaded.kind, 'ok');
    const other = (loaded as { conversation: Conversation }).conversation;
    other.messages.push({ ...msg(2, 'from the other window'), id: 'theirs-2' });
    await theirs.save(other);
    c.messages.push({ ...msg(2, 'from this window'), id: 'mine-2' });
    await mine.save(c);
    const final = await new ConversationStore(folder).load('c1');
    assert.deepEqual(final.kind === 'ok' && final.conversation.messages.map((m) => m.id).sort(), ['m0', 'm1', 'mine-2', 'theirs-2']);
  });

  it('a newer release\'s file read here is never overwritten, even before any save', async () => {
    const store = new ConversationStore(folder);
    const newer = JSON.stringify({ ...conversation(store), version: 4 });
    await writeFile(path.join(folder, 'c1.json'), newer);
    const fresh = new ConversationStore(folder);
    await assert.rejects(fresh.save(conversation(fresh)), (error: Error) => error instanceof NewerFormatError && error.message === 'c1.json was saved by a newer version of AIML Chat; this version does not overwrite it. Update the extension to keep this conversation going.' && error.name === 'NewerFormatError');
    assert.equal(await readFile(path.join(folder, 'c1.json'), 'utf8'), newer);
  });

  it('tells of a failing save once per streak, and again after a save succeeded', async () => {
    const failures: string[] = [];
    const logs: string[] = [];
    let fail = true;
    const store = new ConversationStore(folder, { onSaveFailed: (file, error) => failures.push(`${path.basename(file)}: ${error.message}`), log: (m) => logs.push(m), beforeRename: async (_t, final) => { if (fail && final.endsWith('c1.json')) throw new Error('disk full'); } });
    const c = conversation(store);
    await assert.rejects(store.save(c), /disk full/);
    await assert.rejects(store.save(c), /disk full/);
    assert.deepEqual(failures, ['c1.json: disk full']);
    assert.deepEqual(logs, [`saving ${store.fileOf('c1')} failed: disk full`, `saving ${store.fileOf('c1')} failed: disk full`]);
    fail = false;
    await store.save(c);
    fail = true;
    await assert.rejects(store.save(c), /disk full/);
    assert.deepEqual(failures, ['c1.json: disk full', 'c1.json: disk full']);
  });

  it('a failing index write after a good save is told once with the index file, and the save still resolves', async () => {
    const failures: string[] = [];
    let failIndex = true;
    const store = new ConversationStore(folder, { onSaveFailed: (file) => failures.push(path.basename(file)), beforeStage: async (stage, _t, final) => { if (failIndex && stage === 'rename' && final.endsWith('index.json')) throw new Error('index locked'); } });
    const c = conversation(store);
    await store.save(c);
    await store.save(c);
    assert.deepEqual(failures, ['index.json']);
    failIndex = false;
    await store.save(c);
    failIndex = true;
    await store.save(c);
    assert.deepEqual(failures, ['index.json', 'index.json']);
    assert.equal((await new ConversationStore(folder).load('c1')).kind, 'ok');
  });

  it('the throttled save: the first waits nothing, the next the rest of 700 ms, the latest state is written', async () => {
    const timers = new ManualTimers();
    const store = new ConversationStore(folder, { timers });
    const c = conversation(store);
    store.scheduleSave(c);
    assert.deepEqual(timers.waits, [0]);
    timers.advance(0);
    await store.flush();
    timers.advance(200);
    store.scheduleSave(c);
    const later = { ...c, title: 'latest' };
    store.scheduleSave(later);
    assert.deepEqual(timers.waits, [0, 500]);
    timers.advance(500);
    await store.flush();
    const loaded = await new ConversationStore(folder).load('c1');
    assert.equal(loaded.kind === 'ok' && loaded.conversation.title, 'latest');
    timers.advance(5000);
    store.scheduleSave(c);
    assert.deepEqual(timers.waits, [0, 500, 0]);
  });

  it('save cancels a pending throttled save of the same conversation only', async () => {
    const timers = new ManualTimers();
    const store = new ConversationStore(folder, { timers, throttleMs: 100 });
    const a = conversation(store, 2, 'a');
    const b = conversation(store, 2, 'b');
    await store.save(a);
    await store.save(b);
    store.scheduleSave(a);
    store.scheduleSave(b);
    assert.equal(timers.pending, 2);
    await store.save(a);
    assert.equal(timers.pending, 1);
  });

  it('rename trims the title, keeps the old one for a blank title, and answers undefined for a missing conversation', async () => {
    const store = new ConversationStore(folder);
    const c = conversation(store);
    c.title = 'Old';
    await store.save(c);
    assert.equal((await store.rename('c1', '  New  '))?.title, 'New');
    assert.equal((await store.rename('c1', '   '))?.title, 'New');
    assert.equal(await store.rename('nope', 'x'), undefined);
    const loaded = await new ConversationStore(folder).load('c1');
    assert.equal(loaded.kind === 'ok' && loaded.conversation.title, 'New');
  });

  it('delete of a conversation that has no file succeeds, and a failure other than "missing" is thrown', async () => {
    const deleted: string[] = [];
    const store = new ConversationStore(folder, { onDeleted: async (id) => { deleted.push(id); } });
    await store.delete('never-saved');
    assert.deepEqual(deleted, ['never-saved']);
    await mkdir(path.join(folder, 'dir.json'));
    await writeFile(path.join(folder, 'dir.json', 'x'), 'x');
    await assert.rejects(store.delete('dir'), (error: NodeJS.ErrnoException) => error.code !== 'ENOENT');
  });

  it('setLastOpenId writes only a change, and undefined forgets it', async () => {
    let indexWrites = 0;
    const store = new ConversationStore(folder, { beforeStage: (stage, _t, final) => { if (stage === 'rename' && final.endsWith('index.json')) indexWrites++; } });
    await store.setLastOpenId('a');
    await store.setLastOpenId('a');
    assert.equal(indexWrites, 1);
    assert.equal(await store.getLastOpenId(), 'a');
    await store.setLastOpenId(undefined);
    assert.equal(indexWrites, 2);
    assert.equal(await new ConversationStore(folder).getLastOpenId(), undefined);
  });

  it('calls beforeStage for every stage and beforeRename only at the rename', async () => {
    const stages: string[] = [];
    const renames: string[] = [];
    const store = new ConversationStore(folder, { beforeStage: (stage, _t, final) => { if (final.endsWith('c1.json')) stages.push(stage); }, beforeRename: async (_t, final) => { renames.push(path.basename(final)); } });
    await store.save(conversation(store));
    assert.deepEqual(stages, ['open', 'write', 'fsync', 'rename', 'fsyncFolder']);
    assert.deepEqual(renames, ['c1.json', 'index.json']);
  });

  it('a store without test seams writes the file and the index', async () => {
    const store = new ConversationStore(folder);
    await store.save(conversation(store));
    assert.deepEqual((await readdir(folder)).sort(), ['c1.json', 'index.json']);
  });

  it('logs the index\'s own notes (a newer index) through the store\'s log', async () => {
    const logs: string[] = [];
    await writeFile(path.join(folder, 'index.json'), JSON.stringify({ version: 5, conversations: [] }));
    await new ConversationStore(folder, { log: (m) => logs.push(m) }).list();
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^conversation index: written by a newer version of AIML Chat \(format 5/);
  });

  it('listing writes the index only when the folder added or removed something', async () => {
    let indexWrites = 0;
    const store = new ConversationStore(folder, { beforeStage: (stage, _t, final) => { if (stage === 'rename' && final.endsWith('index.json')) indexWrites++; } });
    await store.save(conversation(store));
    assert.equal(indexWrites, 1);
    await store.list();
    await store.list();
    assert.equal(indexWrites, 1);
  });

  it('names invalid JSON as such in the warning', async () => {
    const store = new ConversationStore(folder, { timers: new ManualTimers() });
    await writeFile(path.join(folder, 'c1.json'), '{"id": ');
    const result = await store.load('c1');
    assert.match(result.kind === 'corrupt' ? result.warning : '', /^The saved conversation could not be read \(not valid JSON \(/);
  });

  it('a throttled save is written when its timer fires, without a flush', async () => {
    const timers = new ManualTimers();
    const store = new ConversationStore(folder, { timers });
    const c = conversation(store);
    store.scheduleSave(c);
    timers.advance(0);
    assert.equal(timers.pending, 0);
    await store.getLastOpenId();
    assert.equal((await new ConversationStore(folder).load('c1')).kind, 'ok');
  });

  it('with real timers a throttled save is written after the interval', async () => {
    const store = new ConversationStore(folder, { throttleMs: 5 });
    store.scheduleSave(conversation(store));
    for (let i = 0; i < 200 && (await readdir(folder)).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await store.getLastOpenId();
    assert.equal((await new ConversationStore(folder).load('c1')).kind, 'ok');
  });

  it('every save puts the summary into the index on disk, replacing the entry even when it looks newer', async () => {
    const store = new ConversationStore(folder);
    await writeFile(path.join(folder, 'index.json'), JSON.stringify({ version: 1, conversations: [{ id: 'c1', title: 'stale', updatedAt: 9e12, messageCount: 9 }] }));
    const c = conversation(store);
    c.title = 'Fresh';
    c.updatedAt = 7;
    await store.save(c);
    assert.deepEqual((await indexOnDisk()).conversations, [{ id: 'c1', title: 'Fresh', updatedAt: 7, messageCount: 2 }]);
  });

  it('a store that never read the file merges with it instead of overwriting it', async () => {
    const first = new ConversationStore(folder);
    const c = conversation(first);
    await first.save(c);
    const other = new ConversationStore(folder);
    const copy = conversation(other);
    copy.messages = [...copy.messages, { ...msg(2), id: 'other-2' }];
    await other.save(copy);
    const loaded = await new ConversationStore(folder).load('c1');
    assert.deepEqual(loaded.kind === 'ok' && loaded.conversation.messages.map((m) => m.id), ['m0', 'm1', 'other-2']);
  });

  it('a newer release\'s file that another window replaced with a current one is merged, not refused', async () => {
    const store = new ConversationStore(folder);
    const base = conversation(store);
    await writeFile(path.join(folder, 'c1.json'), JSON.stringify({ ...base, version: 4 }));
    const loaded = await store.load('c1');
    assert.equal(loaded.kind, 'ok');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(path.join(folder, 'c1.json'), JSON.stringify({ ...base, title: 'rewritten', messages: [...base.messages, { ...msg(3), id: 'x3' }] }));
    const mine = (loaded as { conversation: Conversation }).conversation;
    await store.save(mine);
    const final = await new ConversationStore(folder).load('c1');
    assert.deepEqual(final.kind === 'ok' && final.conversation.messages.map((m) => m.id), ['m0', 'm1', 'x3']);
  });

  it('delete removes only that conversation from the index and keeps another last open id', async () => {
    const store = new ConversationStore(folder, { timers: new ManualTimers() });
    await store.save(conversation(store, 2, 'a'));
    await store.save(conversation(store, 2, 'b'));
    await store.setLastOpenId('a');
    await store.delete('b');
    assert.deepEqual(await indexOnDisk(), { version: 1, lastOpenId: 'a', conversations: [{ id: 'a', title: 'New chat', updatedAt: 5_000, messageCount: 2 }] });
  });

  it('delete writes the index when only the last open id changes, and when only an entry goes', async () => {
    const store = new ConversationStore(folder);
    await store.save(conversation(store, 2, 'a'));
    await writeFile(path.join(folder, 'index.json'), JSON.stringify({ version: 1, lastOpenId: 'gone', conversations: [] }));
    await store.delete('gone');
    assert.deepEqual(await indexOnDisk(), { version: 1, conversations: [] });
    await writeFile(path.join(folder, 'index.json'), JSON.stringify({ version: 1, lastOpenId: 'a', conversations: [{ id: 'a', title: 'A', updatedAt: 1, messageCount: 2 }, { id: 'b', title: 'B', updatedAt: 1, messageCount: 2 }] }));
    await store.delete('b');
    assert.deepEqual(await indexOnDisk(), { version: 1, lastOpenId: 'a', conversations: [{ id: 'a', title: 'A', updatedAt: 1, messageCount: 2 }] });
  });
});
