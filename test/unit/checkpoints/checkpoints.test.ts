// The checkpoint store, recorder and restorer on a real temporary folder: edits, creations,
// deletions by a command, several turns, restore and its undo, the caps, and files named as not
// restorable.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { planRestore, turnsWithChanges } from '../../../src/core/checkpoints/model';
import { TurnCheckpointer } from '../../../src/core/checkpoints/recorder';
import { Restorer } from '../../../src/core/checkpoints/restore';
import { CheckpointStore } from '../../../src/core/checkpoints/store';
import { nodeFiles, walkLister } from './nodeFiles';

const files = nodeFiles;

describe('checkpoints', () => {
  let root: string;
  let work: string;
  let store: CheckpointStore;
  let restorer: Restorer;
  const conv = 'conv-1';
  const inside = (p: string) => p.startsWith(work + path.sep);

  const turn = (turnId: string, limits?: ConstructorParameters<typeof TurnCheckpointer>[4]) => new TurnCheckpointer(store, { conversationId: conv, turnId }, files, walkLister(work), limits);
  const at = (name: string) => path.join(work, name);

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'aiml-checkpoints-'));
    work = path.join(root, 'workspace');
    await mkdir(work);
    store = new CheckpointStore(path.join(root, 'storage', 'checkpoints'));
    restorer = new Restorer(store, files, inside);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('restores an edited file byte for byte, and the undo puts the edit back', async () => {
    const original = Buffer.from([0x68, 0x69, 0x0d, 0x0a, 0xff, 0x00, 0xc3]); // CRLF and bytes that are not UTF-8
    await writeFile(at('a.txt'), original);
    await turn('t1').beforeWrite(at('a.txt'));
    await writeFile(at('a.txt'), 'edited\n');

    assert.deepEqual(turnsWithChanges(await store.load(conv)), ['t1']);
    const plan = await restorer.plan(conv, 't1');
    assert.ok(plan);
    assert.deepEqual(plan.writes.map((w) => w.path), [at('a.txt')]);
    const result = await restorer.restore(conv, plan);
    assert.deepEqual(result.failed, []);
    assert.deepEqual(await readFile(at('a.txt')), original);

    const undone = await restorer.undo(conv);
    assert.deepEqual(undone?.written, [at('a.txt')]);
    assert.equal(await readFile(at('a.txt'), 'utf8'), 'edited\n');
    assert.equal((await store.load(conv)).undo, undefined, 'an undo is used once');
    assert.equal(await restorer.undo(conv), undefined);
  });

  it('deletes a file the turn created, and the undo creates it again', async () => {
    await turn('t1').beforeWrite(at('new.ts'));
    await writeFile(at('new.ts'), 'export {};\n');
    const plan = await restorer.plan(conv, 't1');
    assert.deepEqual(plan?.deletes, [at('new.ts')]);
    await restorer.restore(conv, plan!);
    assert.equal(await files.size(at('new.ts')), undefined);
    await restorer.undo(conv);
    assert.equal(await readFile(at('new.ts'), 'utf8'), 'export {};\n');
  });

  it('records a turn\'s first state of a file only', async () => {
    await writeFile(at('a.txt'), 'v0');
    const t = turn('t1');
    await t.beforeWrite(at('a.txt'));
    await writeFile(at('a.txt'), 'v1');
    await t.beforeWrite(at('a.txt'));
    await writeFile(at('a.txt'), 'v2');
    const checkpoints = await store.load(conv);
    assert.equal(checkpoints.turns[0].files.length, 1);
    await restorer.restore(conv, (await restorer.plan(conv, 't1'))!);
    assert.equal(await readFile(at('a.txt'), 'utf8'), 'v0');
  });

  it('over several turns restores the state before the chosen turn', async () => {
    await writeFile(at('a.txt'), 'a0');
    await writeFile(at('b.txt'), 'b0');
    await turn('t1').beforeWrite(at('a.txt'));
    await writeFile(at('a.txt'), 'a1');
    const t2 = turn('t2');
    await t2.beforeWrite(at('a.txt'));
    await writeFile(at('a.txt'), 'a2');
    await t2.beforeWrite(at('b.txt'));
    await writeFile(at('b.txt'), 'b2');
    await turn('t3').beforeWrite(at('c.txt'));
    await writeFile(at('c.txt'), 'c3');

    await restorer.restore(conv, (await restorer.plan(conv, 't2'))!);
    assert.deepEqual([await readFile(at('a.txt'), 'utf8'), await readFile(at('b.txt'), 'utf8'), await files.size(at('c.txt'))], ['a1', 'b0', undefined]);
    await restorer.restore(conv, (await restorer.plan(conv, 't1'))!);
    assert.deepEqual([await readFile(at('a.txt'), 'utf8'), await readFile(at('b.txt'), 'utf8')], ['a0', 'b0']);
    // The undo belongs to the last restore: back to the state just before it.
    await restorer.undo(conv);
    assert.deepEqual([await readFile(at('a.txt'), 'utf8'), await readFile(at('b.txt'), 'utf8')], ['a1', 'b0']);
  });

  it('finds what a command changed, created and deleted, and restores each', async () => {
    await writeFile(at('keep.txt'), 'same');
    await writeFile(at('change.txt'), 'before');
    await writeFile(at('gone.txt'), 'deleted by the command');
    const output = await turn('t1').aroundCommand(async () => {
      await writeFile(at('change.txt'), 'after, longer');
      await unlink(at('gone.txt'));
      await mkdir(at('out'));
      await writeFile(at('out/made.txt'), 'made');
      return 'ran';
    });
    assert.equal(output, 'ran');
    const plan = await restorer.plan(conv, 't1');
    assert.deepEqual(plan?.writes.map((w) => path.basename(w.path)).sort(), ['change.txt', 'gone.txt']);
    assert.deepEqual(plan?.deletes, [at('out/made.txt')]);
    await restorer.restore(conv, plan!);
    assert.equal(await readFile(at('change.txt'), 'utf8'), 'before');
    assert.equal(await readFile(at('gone.txt'), 'utf8'), 'deleted by the command');
    assert.equal(await files.size(at('out/made.txt')), undefined);
    assert.equal(await readFile(at('keep.txt'), 'utf8'), 'same');
  });

  it('sees a change of the same size by its modification time', async () => {
    await writeFile(at('a.txt'), 'aaaa');
    await utimes(at('a.txt'), new Date(1_000_000), new Date(1_000_000));
    await turn('t1').aroundCommand(() => writeFile(at('a.txt'), 'bbbb'));
    await restorer.restore(conv, (await restorer.plan(conv, 't1'))!);
    assert.equal(await readFile(at('a.txt'), 'utf8'), 'aaaa');
  });

  it('names what the caps left out instead of skipping it', async () => {
    await writeFile(at('big.bin'), Buffer.alloc(2048, 1));
    await writeFile(at('small1.txt'), 'x'.repeat(600));
    await writeFile(at('small2.txt'), 'y'.repeat(600));
    await turn('t1', { maxFiles: 10, maxKeptFileBytes: 1024, maxKeptTotalBytes: 1000 }).aroundCommand(async () => {
      await writeFile(at('big.bin'), 'changed');
      await writeFile(at('small1.txt'), 'changed');
      await writeFile(at('small2.txt'), 'changed');
    });
    const plan = (await restorer.plan(conv, 't1'))!;
    assert.equal(plan.writes.length, 1, 'one small file fitted in the snapshot');
    const reasons = new Map(plan.unrestorable.map((u) => [path.basename(u.path), u.reason]));
    assert.match(reasons.get('big.bin') ?? '', /larger than 0\.0 MB before the command/);
    assert.match([...reasons.values()].join('\n'), /reached its 0\.0 MB cap/);
  });

  it('names a file a command created when the listing was cut at the file cap', async () => {
    await writeFile(at('a.txt'), 'a');
    await writeFile(at('b.txt'), 'b');
    await turn('t1', { maxFiles: 2, maxKeptFileBytes: 1024, maxKeptTotalBytes: 4096 }).aroundCommand(() => writeFile(at('c.txt'), 'c'));
    const plan = await restorer.plan(conv, 't1');
    assert.ok(plan, 'the cut listing is recorded even when the new file fell beyond it');
    assert.deepEqual(plan.deletes, [], 'a file not known to be new is never deleted');
    assert.ok(plan.unrestorable.some((u) => u.path === '(files beyond the first 2 of the workspace)' && /more than 2 files; changes to the others were not tracked/.test(u.reason)));
    const named = plan.unrestorable.find((u) => u.path === at('c.txt'));
    if (named) assert.match(named.reason, /whether it existed before the command is unknown/);
  });

  it('names files larger than 5 MB and files outside the open workspace', async () => {
    await writeFile(at('huge.log'), Buffer.alloc(5 * 1024 * 1024 + 1));
    await turn('t1').beforeWrite(at('huge.log'));
    await turn('t1').beforeWrite(path.join(root, 'elsewhere.txt'));
    const plan = planRestore(await store.load(conv), 't1', inside)!;
    assert.deepEqual(plan.unrestorable.map((u) => [path.basename(u.path), u.reason]), [
      ['huge.log', 'larger than 5.0 MB (5.0 MB)'],
      ['elsewhere.txt', 'outside the workspace folders open now'],
    ]);
    assert.equal(plan.writes.length + plan.deletes.length, 0);
  });

  it('survives a reload: a fresh store reads the same checkpoints from disk', async () => {
    await writeFile(at('a.txt'), 'before');
    await turn('t1').beforeWrite(at('a.txt'));
    await writeFile(at('a.txt'), 'after');
    const reloaded = new Restorer(new CheckpointStore(store.folder), files, inside);
    await reloaded.restore(conv, (await reloaded.plan(conv, 't1'))!);
    assert.equal(await readFile(at('a.txt'), 'utf8'), 'before');
    const onDisk = JSON.parse(await readFile(path.join(store.folder, conv, 'checkpoints.json'), 'utf8'));
    assert.equal(onDisk.version, 1);
  });

  it('forgets dropped turns with their blobs, and everything with the conversation', async () => {
    await writeFile(at('a.txt'), 'a0');
    await turn('t1').beforeWrite(at('a.txt'));
    await writeFile(at('a.txt'), 'a1');
    await turn('t2').beforeWrite(at('a.txt'));
    await store.dropTurnsFrom(conv, 't2');
    assert.deepEqual(turnsWithChanges(await store.load(conv)), ['t1']);
    assert.equal((await readdir(path.join(store.folder, conv, 'blobs'))).length, 1, "t2's blob was collected");
    await store.deleteConversation(conv);
    assert.deepEqual(await readdir(store.folder), []);
  });

  it('sets an unreadable file aside and refuses ids that leave the folder', async () => {
    await mkdir(path.join(store.folder, conv), { recursive: true });
    await writeFile(path.join(store.folder, conv, 'checkpoints.json'), '{"version":1,"turns":"no"}');
    assert.deepEqual((await store.load(conv)).turns, []);
    assert.ok((await readdir(path.join(store.folder, conv))).some((n) => n.startsWith('checkpoints.json.unreadable-')));
    await assert.rejects(store.load('../x'), /not a conversation id/);
  });
});
