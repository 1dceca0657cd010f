// The conversation index, exactly: what a missing, unreadable, older or newer index reads as, that
// a newer release's index is never overwritten, how listing reconciles it with the folder (which
// file names count), and which summary wins for one id.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConversationIndex, INDEX_FILE, upsert } from '../../../src/core/chat/conversationIndex';
import type { IndexFile } from '../../../src/core/chat/conversationFormat';
import type { Conversation, ConversationSummary } from '../../../src/shared/model';

const summary = (id: string, updatedAt = 1, title = id): ConversationSummary => ({ id, title, updatedAt, messageCount: 2 });

function conversationFile(id: string, updatedAt = 5): Conversation {
  return {
    version: 1, id, title: `title ${id}`, createdAt: 1, updatedAt, model: 'm',
    totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 },
    messages: [{ id: 'u1', role: 'user', kind: 'prompt', createdAt: 1, content: [{ type: 'text', text: 'hi' }] }],
  };
}

describe('ConversationIndex (exact)', () => {
  let folder: string;
  let warnings: string[];
  let index: ConversationIndex;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-index-'));
    warnings = [];
    index = new ConversationIndex(folder, () => ({}), (note) => warnings.push(note));
  });
  afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

  const writeIndex = (value: unknown) => writeFile(path.join(folder, INDEX_FILE), typeof value === 'string' ? value : JSON.stringify(value));
  const readIndex = async () => JSON.parse(await readFile(path.join(folder, INDEX_FILE), 'utf8')) as IndexFile;
  const empty: IndexFile = { version: 1, conversations: [] };

  it('lives in index.json inside the folder', () => {
    assert.equal(INDEX_FILE, 'index.json');
    assert.equal(index.file, path.join(folder, 'index.json'));
  });

  it('reads a missing, unreadable or foreign index as empty', async () => {
    assert.deepEqual(await index.read(), empty);
    await writeIndex('{not json');
    assert.deepEqual(await index.read(), empty);
    await writeIndex('"just a string"');
    assert.deepEqual(await index.read(), empty);
    await writeIndex({ version: 1, conversations: 'no list', lastOpenId: 7 });
    assert.deepEqual(await index.read(), { version: 1, lastOpenId: undefined, conversations: [] });
  });

  it('reads a folder in place of the index file as empty', async () => {
    await mkdir(path.join(folder, INDEX_FILE));
    assert.deepEqual(await index.read(), empty);
  });

  it('reads an older index (a bare list) in the current version, keeping the valid entries', async () => {
    await writeIndex([summary('a'), { id: 'b' }]);
    assert.deepEqual(await index.read(), { version: 1, lastOpenId: undefined, conversations: [summary('a')] });
  });

  it('writes the changed index back, and nothing when the change says so', async () => {
    await index.update((i) => { i.conversations.push(summary('a')); i.lastOpenId = 'a'; });
    assert.deepEqual(await readIndex(), { version: 1, lastOpenId: 'a', conversations: [summary('a')] });
    await index.update((i) => { i.conversations = []; return false; });
    assert.deepEqual((await readIndex()).conversations, [summary('a')]);
  });

  it('never overwrites an index from a newer release, and warns once per read', async () => {
    const newer = JSON.stringify({ version: 9, lastOpenId: 'a', conversations: [summary('a')], tags: ['kept'] });
    await writeIndex(newer);
    assert.deepEqual(await index.read(), { version: 1, lastOpenId: 'a', conversations: [summary('a')] });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^conversation index: written by a newer version of AIML Chat \(format 9/);
    await index.update((i) => { i.conversations.push(summary('b')); });
    await index.remember([summary('c')]);
    assert.equal(await readFile(index.file, 'utf8'), newer);
  });

  it('reconciles with the folder: adds conversation files it misses, drops entries whose file is gone', async () => {
    await writeIndex({ version: 1, conversations: [summary('kept', 3), summary('gone', 4)] });
    await writeFile(path.join(folder, 'kept.json'), JSON.stringify(conversationFile('kept')));
    await writeFile(path.join(folder, 'found.json'), JSON.stringify(conversationFile('found', 9)));
    const { index: reconciled, changed } = await index.reconciled();
    assert.equal(changed, true);
    assert.deepEqual(reconciled.conversations, [summary('kept', 3), { id: 'found', title: 'title found', updatedAt: 9, messageCount: 1 }]);
  });

  it('reports no change when the index matches the folder', async () => {
    await writeIndex({ version: 1, conversations: [summary('kept', 3)] });
    await writeFile(path.join(folder, 'kept.json'), JSON.stringify(conversationFile('kept')));
    assert.deepEqual(await index.reconciled(), { index: { version: 1, lastOpenId: undefined, conversations: [summary('kept', 3)] }, changed: false });
  });

  it('reports a dropped entry alone as a change', async () => {
    await writeIndex({ version: 1, conversations: [summary('gone', 3)] });
    assert.deepEqual(await index.reconciled(), { index: { version: 1, lastOpenId: undefined, conversations: [] }, changed: true });
  });

  it('counts only <id>.json files with a valid id, never the index or set-aside copies, and skips unreadable or mismatched files', async () => {
    await writeFile(path.join(folder, 'index.json'), JSON.stringify({ version: 1, conversations: [] }));
    for (const name of ['a.corrupt-1.json', 'b.json.tmp', 'notes.txt', 'x.JSON', `${'l'.repeat(81)}.json`, 'bad name.json']) await writeFile(path.join(folder, name), JSON.stringify(conversationFile('a')));
    await writeFile(path.join(folder, 'broken.json'), '{');
    await writeFile(path.join(folder, 'invalid.json'), JSON.stringify({ messages: 'x' }));
    await writeFile(path.join(folder, 'other.json'), JSON.stringify(conversationFile('not-other')));
    await mkdir(path.join(folder, 'dir.json'));
    await writeFile(path.join(folder, `${'k'.repeat(80)}.json`), JSON.stringify(conversationFile('k'.repeat(80))));
    const { index: reconciled, changed } = await index.reconciled();
    assert.deepEqual(reconciled.conversations.map((c) => c.id), ['k'.repeat(80)]);
    assert.equal(changed, true);
  });

  it('never lists index.json as a conversation, even when it holds one named "index"', async () => {
    await writeFile(path.join(folder, 'index.json'), JSON.stringify(conversationFile('index')));
    assert.deepEqual((await index.reconciled()).index.conversations, []);
  });

  it('an unreadable folder leaves the index as read, unchanged', async () => {
    const missing = new ConversationIndex(path.join(folder, 'nope'), () => ({}), () => undefined);
    assert.deepEqual(await missing.reconciled(), { index: empty, changed: false });
  });

  it('remember merges into what is on disk now, the newer summary of one id winning', async () => {
    await writeIndex({ version: 1, lastOpenId: 'x', conversations: [summary('a', 5), summary('b', 5)] });
    await index.remember([summary('a', 4, 'older'), summary('b', 6, 'newer'), summary('c', 1)]);
    assert.deepEqual(await readIndex(), { version: 1, lastOpenId: 'x', conversations: [summary('a', 5), summary('b', 6, 'newer'), summary('c', 1)] });
  });

  it('upsert: adds a new id, replaces an equally recent or newer one, keeps a newer one unless forced', () => {
    const i: IndexFile = { version: 1, conversations: [summary('a', 5)] };
    upsert(i, summary('b', 1));
    upsert(i, summary('a', 4, 'older'));
    assert.deepEqual(i.conversations, [summary('a', 5), summary('b', 1)]);
    upsert(i, summary('a', 5, 'same time'));
    assert.deepEqual(i.conversations[0], summary('a', 5, 'same time'));
    upsert(i, summary('a', 2, 'forced'), true);
    assert.deepEqual(i.conversations, [summary('a', 2, 'forced'), summary('b', 1)]);
  });
});
