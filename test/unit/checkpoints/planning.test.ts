// Checkpoints as data, without a file system: which record a restore uses for each file, what it
// writes, deletes and names as not restorable, what dropping turns and collecting blobs keep; and
// the recorder's snapshot comparison over in-memory listings, with its caps and exact reasons.
import * as assert from 'node:assert/strict';
import {
  addRecord, dropTurnsFrom, emptyCheckpoints, hasRecord, planRestore, planSize, planUndo, turnsWithChanges, unreferencedBlobs, MAX_CHECKPOINT_FILE_BYTES,
  type ConversationCheckpoints, type FileState,
} from '../../../src/core/checkpoints/model';
import {
  compareSnapshot, currentState, takeSnapshot, untrackedMarker, DEFAULT_SNAPSHOT_LIMITS, TurnCheckpointer, type CheckpointFiles, type ListedFile, type Snapshot,
} from '../../../src/core/checkpoints/recorder';
import type { CheckpointStore, RecordedState } from '../../../src/core/checkpoints/store';

const blob = (c: string) => c.repeat(64);
const content = (c: string, size = 1): FileState => ({ kind: 'content', blob: blob(c), size });
const all = () => true;

function history(): ConversationCheckpoints {
  const c = emptyCheckpoints('conv');
  addRecord(c, 't1', { path: '/w/a', state: content('a', 10) }, 100);
  addRecord(c, 't1', { path: '/w/new', state: { kind: 'absent' } }, 101);
  addRecord(c, 't2', { path: '/w/a', state: content('b', 20) }, 200);
  addRecord(c, 't2', { path: '/w/big', state: { kind: 'unrestorable', reason: 'too big' } }, 201);
  addRecord(c, 't3', { path: '/w/b', state: content('c', 30) }, 300);
  addRecord(c, 't3', { path: '/elsewhere/x', state: content('d', 40) }, 301);
  return c;
}

describe('checkpoint plans', () => {
  it('records a turn once per path, creating the turn at its first record', () => {
    const c = emptyCheckpoints('conv');
    assert.deepEqual(c, { conversationId: 'conv', turns: [] });
    assert.equal(addRecord(c, 't1', { path: '/w/a', state: content('a') }, 5), true);
    assert.equal(addRecord(c, 't1', { path: '/w/a', state: content('b') }, 6), false, 'a later record of the same path is ignored');
    assert.equal(addRecord(c, 't1', { path: '/w/b', state: { kind: 'absent' } }, 7), true);
    assert.equal(addRecord(c, 't1', { path: '/w/a', state: content('d') }, 7), false, 'nor after another path');
    assert.equal(addRecord(c, 't2', { path: '/w/a', state: content('c') }, 8), true, 'another turn records the path again');
    assert.deepEqual(c.turns, [
      { turnId: 't1', createdAt: 5, files: [{ path: '/w/a', state: content('a') }, { path: '/w/b', state: { kind: 'absent' } }] },
      { turnId: 't2', createdAt: 8, files: [{ path: '/w/a', state: content('c') }] },
    ]);
    assert.equal(hasRecord(c, 't1', '/w/b'), true);
    assert.equal(hasRecord(c, 't2', '/w/b'), false);
    assert.equal(hasRecord(c, 't3', '/w/a'), false);
  });

  it('offers a restore only after turns that changed files', () => {
    const c = history();
    c.turns.push({ turnId: 'empty', createdAt: 400, files: [] });
    assert.deepEqual(turnsWithChanges(c), ['t1', 't2', 't3']);
  });

  it('restores each file to the earliest state recorded at or after the chosen turn', () => {
    const c = history();
    const inWorkspace = (p: string) => p.startsWith('/w/');
    assert.deepEqual(planRestore(c, 't1', inWorkspace), {
      turnId: 't1',
      writes: [{ path: '/w/a', blob: blob('a'), size: 10 }, { path: '/w/b', blob: blob('c'), size: 30 }],
      deletes: ['/w/new'],
      unrestorable: [{ path: '/w/big', reason: 'too big' }, { path: '/elsewhere/x', reason: 'outside the workspace folders open now' }],
    });
    const fromT2 = planRestore(c, 't2', inWorkspace);
    assert.deepEqual(fromT2?.writes, [{ path: '/w/a', blob: blob('b'), size: 20 }, { path: '/w/b', blob: blob('c'), size: 30 }]);
    assert.deepEqual(fromT2?.deletes, []);
    assert.equal(planSize(fromT2!), 2);
    assert.equal(planSize(planRestore(c, 't1', inWorkspace)!), 3, 'writes and deletes; unrestorable files are not counted');
    assert.equal(planRestore(c, 'unknown', all), undefined);
  });

  it('names a file it may not touch even when it was absent before', () => {
    const c = emptyCheckpoints('conv');
    addRecord(c, 't1', { path: '/out/created', state: { kind: 'absent' } }, 1);
    assert.deepEqual(planRestore(c, 't1', () => false), { turnId: 't1', writes: [], deletes: [], unrestorable: [{ path: '/out/created', reason: 'outside the workspace folders open now' }] });
  });

  it('undoes the last restore from its own record', () => {
    const c = history();
    assert.equal(planUndo(c, all), undefined);
    c.undo = { restoredTurnId: 't2', createdAt: 500, files: [{ path: '/w/a', state: content('e', 5) }, { path: '/w/new', state: { kind: 'absent' } }] };
    assert.deepEqual(planUndo(c, all), { turnId: 't2', writes: [{ path: '/w/a', blob: blob('e'), size: 5 }], deletes: ['/w/new'], unrestorable: [] });
  });

  it('drops the chosen turn and every later one, and nothing for an unknown turn', () => {
    const c = history();
    dropTurnsFrom(c, 'unknown');
    assert.equal(c.turns.length, 3);
    dropTurnsFrom(c, 't2');
    assert.deepEqual(c.turns.map((t) => t.turnId), ['t1']);
  });

  it('collects only the blobs no turn and no undo record refers to', () => {
    const c = history();
    c.undo = { restoredTurnId: 't1', createdAt: 1, files: [{ path: '/w/a', state: content('e') }] };
    assert.deepEqual(unreferencedBlobs(c, [blob('a'), blob('e'), blob('f'), blob('d'), blob('0')]), [blob('f'), blob('0')]);
    delete c.undo;
    assert.deepEqual(unreferencedBlobs(c, new Set([blob('e')])), [blob('e')]);
  });
});

describe('checkpoint snapshots', () => {
  const listing = (entries: Array<[string, number, number]>, truncated = false) => ({ files: new Map<string, ListedFile>(entries.map(([p, mtime, size]) => [p, { mtime, size }])), truncated });
  const memoryFiles = (contents: Record<string, string>): CheckpointFiles => ({
    size: async (p) => (p in contents ? contents[p].length : undefined),
    read: async (p) => {
      if (!(p in contents)) throw new Error(`ENOENT: ${p}`);
      return new TextEncoder().encode(contents[p]);
    },
  });

  it('keeps the bytes of small files within the total cap and says why others were not kept', async () => {
    const files = memoryFiles({ '/w/a': 'aaaa', '/w/big': 'x'.repeat(2_000_000), '/w/b': 'bbbbbb', '/w/c': 'cc' });
    const list = async (max: number) => { assert.equal(max, 7); return listing([['/w/a', 1, 4], ['/w/big', 1, 2_000_000], ['/w/b', 1, 6], ['/w/c', 1, 2], ['/w/unreadable', 1, 1]]); };
    const snapshot = await takeSnapshot(list, files, { maxFiles: 7, maxKeptFileBytes: 1024 * 1024, maxKeptTotalBytes: 9 });
    assert.deepEqual([...snapshot.kept.keys()], ['/w/a', '/w/c']);
    assert.deepEqual(Object.fromEntries(snapshot.notKept), {
      '/w/big': 'larger than 1.0 MB before the command, so it was not kept',
      '/w/b': 'the snapshot before the command reached its 0.0 MB cap',
      '/w/unreadable': 'could not be read before the command (ENOENT: /w/unreadable)',
    });
  });

  it('keeps a file exactly at the per-file and total caps', async () => {
    const files = memoryFiles({ '/w/a': 'aaaa', '/w/b': 'bb' });
    const snapshot = await takeSnapshot(async () => listing([['/w/a', 1, 4], ['/w/b', 1, 2]]), files, { maxFiles: 5, maxKeptFileBytes: 4, maxKeptTotalBytes: 6 });
    assert.deepEqual([...snapshot.kept.keys()], ['/w/a', '/w/b']);
    assert.equal(snapshot.notKept.size, 0);
  });

  it('finds changed, created and deleted files with their state before the command', async () => {
    const before: Snapshot = {
      listing: listing([['/w/same', 1, 1], ['/w/touched', 1, 1], ['/w/grown', 1, 1], ['/w/deleted', 1, 1], ['/w/big', 1, 9], ['/w/unknown', 1, 1]]),
      kept: new Map([['/w/same', Uint8Array.of(1)], ['/w/touched', Uint8Array.of(2)], ['/w/grown', Uint8Array.of(3)], ['/w/deleted', Uint8Array.of(4)]]),
      notKept: new Map([['/w/big', 'too big']]),
    };
    const after = listing([['/w/same', 1, 1], ['/w/touched', 2, 1], ['/w/grown', 1, 2], ['/w/big', 1, 10], ['/w/unknown', 5, 1], ['/w/created', 3, 3]]);
    const changes = await compareSnapshot(before, after, memoryFiles({}), 10);
    assert.deepEqual(changes, [
      { path: '/w/touched', state: { kind: 'content', bytes: Uint8Array.of(2) } },
      { path: '/w/grown', state: { kind: 'content', bytes: Uint8Array.of(3) } },
      { path: '/w/deleted', state: { kind: 'content', bytes: Uint8Array.of(4) } },
      { path: '/w/big', state: { kind: 'unrestorable', reason: 'too big' } },
      { path: '/w/unknown', state: { kind: 'unrestorable', reason: 'its content before the command was not kept' } },
      { path: '/w/created', state: { kind: 'absent' } },
    ]);
  });

  it('asks the file system before calling a file missing from a listing deleted', async () => {
    const before: Snapshot = { listing: listing([['/w/a', 1, 1], ['/w/b', 1, 1]]), kept: new Map([['/w/a', Uint8Array.of(1)], ['/w/b', Uint8Array.of(2)]]), notKept: new Map() };
    const changes = await compareSnapshot(before, listing([], true), memoryFiles({ '/w/a': 'x' }), 2);
    assert.deepEqual(changes, [
      { path: '/w/b', state: { kind: 'content', bytes: Uint8Array.of(2) } },
      { path: untrackedMarker(2), state: { kind: 'unrestorable', reason: 'the workspace has more than 2 files; changes to the others were not tracked' } },
    ]);
    assert.equal(untrackedMarker(2), '(files beyond the first 2 of the workspace)');
  });

  it('cannot tell whether a file was created when the listing before was cut', async () => {
    const before: Snapshot = { listing: listing([['/w/a', 1, 1]], true), kept: new Map(), notKept: new Map() };
    const changes = await compareSnapshot(before, listing([['/w/a', 1, 1], ['/w/new', 1, 1]]), memoryFiles({}), 1);
    assert.deepEqual(changes, [
      { path: '/w/new', state: { kind: 'unrestorable', reason: 'the workspace has more than 1 files, so whether it existed before the command is unknown' } },
      { path: untrackedMarker(1), state: { kind: 'unrestorable', reason: 'the workspace has more than 1 files; changes to the others were not tracked' } },
    ]);
    assert.deepEqual(await compareSnapshot({ listing: listing([['/w/a', 1, 1]]), kept: new Map(), notKept: new Map() }, listing([['/w/a', 1, 1]]), memoryFiles({}), 1), [], 'nothing changed, nothing cut: no record');
  });

  it('keeps a file up to 5 MB and names a larger one', async () => {
    assert.equal(MAX_CHECKPOINT_FILE_BYTES, 5 * 1024 * 1024);
    assert.deepEqual(DEFAULT_SNAPSHOT_LIMITS, { maxFiles: 5000, maxKeptFileBytes: 1024 * 1024, maxKeptTotalBytes: 32 * 1024 * 1024 });
    const files = memoryFiles({ '/w/a': 'abc' });
    assert.deepEqual(await currentState(files, '/w/a', 3), { kind: 'content', bytes: new TextEncoder().encode('abc') });
    assert.deepEqual(await currentState(files, '/w/a', 2), { kind: 'unrestorable', reason: 'larger than 0.0 MB (0.0 MB)' });
    assert.deepEqual(await currentState({ size: async () => 6 * 1024 * 1024, read: async () => assert.fail('not read') }, '/w/huge'), { kind: 'unrestorable', reason: 'larger than 5.0 MB (6.0 MB)' });
    assert.deepEqual(await currentState(files, '/w/none'), { kind: 'absent' });
  });

  it('records what a command changed, and logs instead of failing when listing breaks', async () => {
    const recorded: Array<[string, string, string, RecordedState]> = [];
    const store = { record: async (conv: string, turn: string, p: string, state: () => Promise<RecordedState>) => { recorded.push([conv, turn, p, await state()]); return true; } } as unknown as CheckpointStore;
    const logs: string[] = [];
    let listings = 0;
    const lister = async () => (++listings === 1 ? listing([['/w/a', 1, 1]]) : listing([['/w/a', 2, 1], ['/w/b', 1, 1]]));
    const files = memoryFiles({ '/w/a': 'A' });
    const turn = new TurnCheckpointer(store, { conversationId: 'c', turnId: 't' }, files, lister, { maxFiles: 10, maxKeptFileBytes: 10, maxKeptTotalBytes: 10 }, (m) => logs.push(m));
    assert.equal(await turn.aroundCommand(async () => 'result'), 'result');
    assert.deepEqual(recorded, [['c', 't', '/w/a', { kind: 'content', bytes: new TextEncoder().encode('A') }], ['c', 't', '/w/b', { kind: 'absent' }]]);
    await turn.beforeWrite('/w/none');
    assert.deepEqual(recorded[2], ['c', 't', '/w/none', { kind: 'absent' }]);
    assert.equal(logs.length, 0, logs.join());

    const broken = new TurnCheckpointer(store, { conversationId: 'c', turnId: 't' }, files, async () => { throw new Error('no listing'); }, undefined, (m) => logs.push(m));
    assert.equal(await broken.aroundCommand(async () => 7), 7);
    assert.deepEqual(logs, ['checkpoint: the workspace could not be listed before the command (no listing); its changes cannot be restored']);

    let calls = 0;
    const afterBreaks = new TurnCheckpointer(store, { conversationId: 'c', turnId: 't' }, files, async () => { if (++calls > 1) throw new Error('gone'); return listing([]); }, undefined, (m) => logs.push(m));
    assert.equal(await afterBreaks.aroundCommand(async () => 8), 8);
    assert.equal(logs[1], 'checkpoint: what the command changed could not be recorded (gone)');
    await assert.rejects(afterBreaks.aroundCommand(async () => { throw new Error('command failed'); }), /command failed/);
  });
});
