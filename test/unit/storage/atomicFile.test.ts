import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readJsonFile, writeJsonAtomic, type WriteStage } from '../../../src/core/storage/atomicFile';

describe('atomic JSON files', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-atomic-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes, creates the folder, replaces whole and reads back', async () => {
    const file = path.join(folder, 'nested', 'a.json');
    await writeJsonAtomic(file, { version: 1, n: 1 });
    await writeJsonAtomic(file, { version: 1, n: 2 });
    assert.deepEqual(await readJsonFile(file), { kind: 'ok', value: { version: 1, n: 2 } });
    assert.deepEqual(await readdir(path.dirname(file)), ['a.json']);
  });

  it('tells a missing file from an unparsable one', async () => {
    assert.deepEqual(await readJsonFile(path.join(folder, 'none.json')), { kind: 'missing' });
    await writeFile(path.join(folder, 'bad.json'), '{"version":');
    const bad = await readJsonFile(path.join(folder, 'bad.json'));
    assert.equal(bad.kind, 'invalid');
    assert.match(bad.kind === 'invalid' ? bad.problem : '', /^not valid JSON \(.+\)$/);
  });

  it('throws other read errors instead of calling the file missing or invalid', async () => {
    await mkdir(path.join(folder, 'dir.json'));
    await assert.rejects(readJsonFile(path.join(folder, 'dir.json')), { code: 'EISDIR' });
  });

  it('writes through a temp file named after the target, the process and 8 random hex digits', async () => {
    const file = path.join(folder, 'data.json');
    const temps: string[] = [];
    await writeJsonAtomic(file, { a: 1 }, { beforeStage: (_stage, temp, final) => { temps.push(temp); assert.equal(final, file); } });
    assert.equal(new Set(temps).size, 1, 'one temp file through every stage');
    assert.match(path.basename(temps[0]), new RegExp(`^data\\.json\\.tmp-${process.pid}-[0-9a-f]{8}$`));
    assert.equal(path.dirname(temps[0]), folder, 'in the same folder, so the rename stays on one file system');
    assert.equal(await readFile(file, 'utf8'), '{"a":1}');
  });

  it('closes every file and folder handle it opens', async () => {
    // Only the handles into the test's folder count: the process's other handles (a test
    // runner's IPC, Stryker's workers) come and go on their own.
    const realFolder = await realpath(folder);
    const openInFolder = async () => {
      let count = 0;
      for (const fd of await readdir('/proc/self/fd')) {
        const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
        if (target === realFolder || target.startsWith(realFolder + path.sep)) count++;
      }
      return count;
    };
    const file = path.join(folder, 'data.json');
    for (let i = 0; i < 20; i++) await writeJsonAtomic(file, { i });
    assert.equal(await openInFolder(), 0);
  });

  it('fails when the folder cannot be synced for a reason other than the platform refusing it', async () => {
    const inner = path.join(folder, 'gone');
    const file = path.join(inner, 'data.json');
    const attempt = writeJsonAtomic(file, { a: 1 }, { beforeStage: async (stage) => { if (stage === 'fsyncFolder') await rm(inner, { recursive: true }); } });
    await assert.rejects(attempt, { code: 'ENOENT' });
  });

  // Each stage before the rename: the failure reaches the caller, the old file is untouched and
  // no temp file is left behind.
  for (const failing of ['open', 'write', 'fsync', 'rename'] as WriteStage[]) {
    it(`removes the temp file and keeps the old content when the ${failing} stage fails`, async () => {
      const file = path.join(folder, 'data.json');
      await writeJsonAtomic(file, { version: 1, old: true });
      let tempSeen = '';
      const attempt = writeJsonAtomic(file, { version: 1, old: false }, {
        beforeStage: (stage, temp) => {
          tempSeen = temp;
          if (stage === failing) throw new Error(`injected ${stage} failure`);
        },
      });
      await assert.rejects(attempt, new RegExp(`injected ${failing} failure`));
      assert.match(path.basename(tempSeen), /^data\.json\.tmp-/);
      assert.deepEqual(await readdir(folder), ['data.json']);
      assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { version: 1, old: true });
    });
  }

  it('removes the temp file when the disk refuses the rename (target is a folder)', async () => {
    const target = path.join(folder, 'occupied.json');
    await mkdir(path.join(target, 'child'), { recursive: true });
    await assert.rejects(writeJsonAtomic(target, { version: 1 }));
    assert.deepEqual((await readdir(folder)).sort(), ['occupied.json']);
  });

  it('reports a failure of the folder fsync after the rename (the new content is in place)', async () => {
    const file = path.join(folder, 'data.json');
    await assert.rejects(writeJsonAtomic(file, { version: 1 }, { beforeStage: (stage) => { if (stage === 'fsyncFolder') throw new Error('injected folder sync failure'); } }), /folder sync/);
    assert.deepEqual(await readdir(folder), ['data.json']);
  });
});
