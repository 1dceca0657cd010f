// The checkpoint store on disk, exactly: the file it writes, blobs stored once under their sha256,
// what each change writes and collects, the ids it refuses, what it sets aside, and the restorer's
// per-file failures and undo record.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Restorer, type RestoreFiles } from '../../../src/core/checkpoints/restore';
import { CHECKPOINTS_VERSION, CheckpointStore, checkpointsFormat, type RecordedState } from '../../../src/core/checkpoints/store';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const bytes = (text: string): RecordedState => ({ kind: 'content', bytes: new TextEncoder().encode(text) });

describe('checkpoint store on disk', () => {
  let root: string;
  let store: CheckpointStore;
  const logs: string[] = [];
  const conv = 'conv_1-A';
  const fileOf = () => path.join(root, conv, 'checkpoints.json');
  const blobs = async () => (await readdir(path.join(root, conv, 'blobs')).catch(() => [] as string[])).sort();
  const onDisk = async () => JSON.parse(await readFile(fileOf(), 'utf8'));

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'aiml-cp-store-'));
    logs.length = 0;
    let clock = 1000;
    store = new CheckpointStore(root, { log: (m) => logs.push(m), now: () => clock++ });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes version 1 with each record, its blob stored once under its sha256', async () => {
    assert.equal(CHECKPOINTS_VERSION, 1);
    assert.deepEqual({ ...checkpointsFormat, unversioned: checkpointsFormat.unversioned('x') }, { name: 'checkpoints', current: 1, migrations: [], unversioned: undefined });
    assert.equal(await store.record(conv, 't1', '/w/a', async () => bytes('hello')), true);
    assert.equal(await store.record(conv, 't1', '/w/b', async () => bytes('hello')), true);
    assert.equal(await store.record(conv, 't1', '/w/c', async () => ({ kind: 'absent' })), true);
    assert.equal(await store.record(conv, 't2', '/w/d', async () => ({ kind: 'unrestorable', reason: 'too big' })), true);
    assert.deepEqual(await onDisk(), {
      version: 1,
      conversationId: conv,
      turns: [
        { turnId: 't1', createdAt: 1000, files: [{ path: '/w/a', state: { kind: 'content', blob: sha('hello'), size: 5 } }, { path: '/w/b', state: { kind: 'content', blob: sha('hello'), size: 5 } }, { path: '/w/c', state: { kind: 'absent' } }] },
        { turnId: 't2', createdAt: 1003, files: [{ path: '/w/d', state: { kind: 'unrestorable', reason: 'too big' } }] },
      ],
    });
    assert.deepEqual(await blobs(), [sha('hello')]);
    assert.equal(Buffer.from(await store.readBlob(conv, sha('hello'))).toString(), 'hello');
    const blobInode = (await stat(path.join(root, conv, 'blobs', sha('hello')))).ino;
    await store.record(conv, 't2', '/w/e', async () => bytes('hello'));
    assert.equal((await stat(path.join(root, conv, 'blobs', sha('hello')))).ino, blobInode, 'a stored blob is not written again');
  });

  it('does not even read the state of a file the turn recorded already, and writes nothing', async () => {
    await store.record(conv, 't1', '/w/a', async () => bytes('one'));
    const before = await readFile(fileOf(), 'utf8');
    await rm(fileOf());
    await writeFile(fileOf(), before);
    const inode = (await stat(fileOf())).ino;
    const again = await store.record(conv, 't1', '/w/a', async () => assert.fail('the state must not be read'));
    assert.equal(again, false);
    assert.equal((await stat(fileOf())).ino, inode, 'the file was not rewritten (an atomic write would replace it)');
    assert.deepEqual(await blobs(), [sha('one')]);
  });

  it('keeps the undo record, collects the blobs it replaced, and clears it once', async () => {
    await store.record(conv, 't1', '/w/a', async () => bytes('turn'));
    await store.setUndo(conv, 't1', [{ path: '/w/a', state: bytes('undo one') }, { path: '/w/b', state: { kind: 'absent' } }]);
    assert.deepEqual((await onDisk()).undo, { restoredTurnId: 't1', createdAt: 1001, files: [{ path: '/w/a', state: { kind: 'content', blob: sha('undo one'), size: 8 } }, { path: '/w/b', state: { kind: 'absent' } }] });
    await store.setUndo(conv, 't1', [{ path: '/w/a', state: bytes('undo two') }]);
    assert.deepEqual(await blobs(), [sha('turn'), sha('undo two')].sort(), 'the first undo blob was collected, the turn blob kept');
    await store.clearUndo(conv);
    assert.equal((await onDisk()).undo, undefined);
    assert.deepEqual(await blobs(), [sha('turn')]);
    const inode = (await stat(fileOf())).ino;
    await writeFile(path.join(root, conv, 'blobs', sha('stray')), 'stray');
    await store.clearUndo(conv);
    assert.equal((await stat(fileOf())).ino, inode, 'no undo: nothing written');
    assert.deepEqual(await blobs(), [sha('stray'), sha('turn')].sort(), 'and nothing collected');
  });

  it('collects only blob-named files when turns are dropped', async () => {
    await store.record(conv, 't1', '/w/a', async () => bytes('a'));
    await store.record(conv, 't2', '/w/a', async () => bytes('b'));
    const others = ['notes.txt', `${sha('z')}.tmp-1-abcd`, `old-${sha('y')}`];
    for (const name of others) await writeFile(path.join(root, conv, 'blobs', name), 'not a blob');
    await store.dropTurnsFrom(conv, 't2');
    assert.deepEqual(await blobs(), [sha('a'), ...others].sort());
    assert.deepEqual((await onDisk()).turns.map((t: { turnId: string }) => t.turnId), ['t1']);
  });

  it('refuses ids that are not ours and blob names that are not sha256', async () => {
    for (const bad of ['', '../x', 'a/b', 'a.b', 'x'.repeat(129), 'é']) {
      await assert.rejects(store.load(bad), { message: `not a conversation id: ${JSON.stringify(bad)}` }, bad);
    }
    await store.load('x'.repeat(128));
    assert.throws(() => store.blobPath(conv, 'A'.repeat(64)), { message: `not a blob id: ${'A'.repeat(64)}` });
    assert.throws(() => store.blobPath(conv, 'a'.repeat(63)), /not a blob id/);
    assert.throws(() => store.blobPath(conv, `${'a'.repeat(64)}/x`), /not a blob id/);
    assert.throws(() => store.blobPath(conv, `../../${'a'.repeat(64)}`), /not a blob id/);
    assert.equal(store.blobPath(conv, 'a'.repeat(64)), path.join(root, conv, 'blobs', 'a'.repeat(64)));
  });

  it('sets aside a file it cannot read, with a log line, and starts empty', async () => {
    await mkdir(path.join(root, conv), { recursive: true });
    const withBlob = (blob: string) => JSON.stringify({ version: 1, conversationId: conv, turns: [{ turnId: 't', createdAt: 1, files: [{ path: '/a', state: { kind: 'content', blob, size: 1 } }] }] });
    for (const text of [withBlob(`../${'a'.repeat(64)}`), withBlob(`${'a'.repeat(64)}/..`), '{not json', '{"version":1,"conversationId":"c","turns":[{"turnId":"t","createdAt":1,"files":[{"path":"/a","state":{"kind":"content","blob":"short","size":1}}]}]}', '[]']) {
      await writeFile(fileOf(), text);
      assert.deepEqual(await store.load(conv), { conversationId: conv, turns: [] });
      assert.equal((await readdir(path.join(root, conv))).includes('checkpoints.json'), false, text);
    }
    assert.equal(logs.length, 5);
    assert.match(logs[0], new RegExp(`^checkpoints of ${conv} could not be read; set aside as checkpoints\\.json\\.unreadable-\\d+$`));
    assert.deepEqual(await store.load(conv), { conversationId: conv, turns: [] }, 'missing: empty, nothing logged');
    assert.equal(logs.length, 5);
    await writeFile(fileOf(), '{not json');
    await store.record(conv, 't1', '/w/a', async () => ({ kind: 'absent' }));
    assert.deepEqual((await onDisk()).turns.map((t: { turnId: string }) => t.turnId), ['t1'], 'after setting a file aside, new records are saved');
  });

  it('deletes a conversation with everything in it, and one that recorded nothing', async () => {
    await store.record(conv, 't1', '/w/a', async () => bytes('a'));
    await store.deleteConversation(conv);
    await store.deleteConversation('never_recorded');
    assert.deepEqual(await readdir(root), []);
  });

  it('collects nothing, and fails nothing, when no blob was ever stored', async () => {
    await store.setUndo(conv, 't1', [{ path: '/w/a', state: { kind: 'absent' } }]);
    await store.clearUndo(conv);
    assert.deepEqual(await readdir(path.join(root, conv)), ['checkpoints.json']);
  });

  it('reads a file from a newer release with the warning, and never rewrites it or collects its blobs', async () => {
    await mkdir(path.join(root, conv, 'blobs'), { recursive: true });
    const newer = JSON.stringify({ version: 2, conversationId: conv, turns: [{ turnId: 't0', createdAt: 1, files: [] }], snapshots: [{ blob: sha('kept by the newer release') }] });
    await writeFile(fileOf(), newer);
    await writeFile(path.join(root, conv, 'blobs', sha('kept by the newer release')), 'x');
    assert.deepEqual(await store.load(conv), { conversationId: conv, turns: [{ turnId: 't0', createdAt: 1, files: [] }] });
    assert.equal(logs[0], 'checkpoints: written by a newer version of AIML Chat (format 2, this one reads 1); read as far as possible and never overwritten.');
    await store.record(conv, 't1', '/w/a', async () => ({ kind: 'absent' }));
    await store.dropTurnsFrom(conv, 't0');
    await store.clearUndo(conv);
    assert.equal(await readFile(fileOf(), 'utf8'), newer, 'the newer file is untouched');
    assert.deepEqual(await blobs(), [sha('kept by the newer release')], 'and its blobs are kept');
    assert.deepEqual(logs.filter((m) => m.includes('not saved')), [
      `checkpoints of ${conv} were written by a newer version of AIML Chat; this change was not saved`,
      `checkpoints of ${conv} were written by a newer version of AIML Chat; this change was not saved`,
    ], 'one line per change that would have written (clearing no undo writes nothing)');
  });
});

describe('restorer', () => {
  let root: string;
  let store: CheckpointStore;
  const disk = new Map<string, string>();
  const failing = new Set<string>();
  const files: RestoreFiles = {
    size: async (p) => disk.get(p)?.length,
    read: async (p) => new TextEncoder().encode(disk.get(p) ?? ''),
    write: async (p, b) => { if (failing.has(p)) throw new Error(`cannot write ${p}`); disk.set(p, Buffer.from(b).toString()); },
    delete: async (p) => {
      if (failing.has(p)) throw new Error(`cannot delete ${p}`);
      if (!disk.has(p)) throw new Error(`ENOENT: ${p}`);
      disk.delete(p);
    },
  };

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'aiml-cp-restore-'));
    store = new CheckpointStore(root);
    disk.clear();
    failing.clear();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reports each file that fails with its reason, does the others, and keeps the undo until it all worked', async () => {
    await store.record('c', 't1', '/w/a', async () => bytes('A0'));
    await store.record('c', 't1', '/w/b', async () => bytes('B0'));
    await store.record('c', 't1', '/w/new', async () => ({ kind: 'absent' }));
    await store.record('c', 't1', '/w/never', async () => ({ kind: 'absent' }));
    disk.set('/w/a', 'A1').set('/w/b', 'B1').set('/w/new', 'N1');
    const restorer = new Restorer(store, files, () => true);
    failing.add('/w/b');
    const plan = (await restorer.plan('c', 't1'))!;
    const result = await restorer.restore('c', plan);
    assert.deepEqual({ written: result.written, deleted: result.deleted, failed: result.failed }, {
      written: ['/w/a'], deleted: ['/w/new', '/w/never'], failed: [{ path: '/w/b', reason: 'cannot write /w/b' }],
    });
    assert.deepEqual([...disk.entries()].sort(), [['/w/a', 'A0'], ['/w/b', 'B1']]);
    const undo = (await store.load('c')).undo!;
    assert.deepEqual(undo.files.map((f) => [f.path, f.state.kind]), [['/w/a', 'content'], ['/w/b', 'content'], ['/w/new', 'content'], ['/w/never', 'absent']]);

    failing.clear();
    failing.add('/w/never');
    disk.set('/w/never', 'appeared');
    const undone = (await restorer.undo('c'))!;
    assert.deepEqual(undone.failed, [{ path: '/w/never', reason: 'cannot delete /w/never' }]);
    assert.deepEqual(undone.written.sort(), ['/w/a', '/w/b', '/w/new']);
    assert.ok((await store.load('c')).undo, 'a failed undo can be tried again');
    failing.clear();
    const again = (await restorer.undo('c'))!;
    assert.deepEqual(again.failed, []);
    assert.equal((await store.load('c')).undo, undefined);
    assert.equal(await restorer.plan('c', 'unknown'), undefined);
  });
});
