import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as z from '../../../src/shared/zod';
import { BatchFile } from '../../../src/core/batch/batchFile';

// A record schema shaped like the host's BatchRecord: an enum a newer release may extend.
const Rec = z.object({ id: z.string(), task: z.enum(['review', 'docs']), createdAt: z.number() });
type Rec = z.infer<typeof Rec>;
const rec = (id: string, createdAt = 1): Rec => ({ id, task: 'review', createdAt });

describe('BatchFile (batches.json)', () => {
  let folder: string;
  let file: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-batches-'));
    file = path.join(folder, 'batches.json');
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const onDisk = async (): Promise<unknown> => JSON.parse(await readFile(file, 'utf8'));

  it('reads the unversioned list of the release before (version 0) and writes version 1', async () => {
    await writeFile(file, JSON.stringify([rec('a'), rec('b')], null, 1));
    const store = new BatchFile(file, Rec);
    assert.deepEqual((await store.read()).records.map((r) => r.id), ['a', 'b']);
    await store.update((records) => [...records, rec('c')], () => []);
    assert.deepEqual(await onDisk(), { version: 1, batches: [rec('a'), rec('b'), rec('c')] });
  });

  it('keeps a record it cannot read (unknown task) verbatim, with a log line', async () => {
    const future = { id: 'f', task: 'translate', createdAt: 5, extra: { x: 1 } };
    await writeFile(file, JSON.stringify({ version: 1, batches: [rec('a'), future] }));
    const logged: string[] = [];
    const store = new BatchFile(file, Rec, { log: (m) => logged.push(m) });
    assert.deepEqual((await store.read()).records.map((r) => r.id), ['a']);
    await store.update((records) => records.filter((r) => r.id !== 'a'), () => []);
    assert.deepEqual(await onDisk(), { version: 1, batches: [future] });
    assert.match(logged.join('\n'), /kept unread \(task:/);
  });

  it('never replaces an unparsable file by an empty list: it is set aside, this window\'s records are written', async () => {
    await writeFile(file, '[{"id": "a", "task": "rev');
    const store = new BatchFile(file, Rec, { now: () => 42 });
    await store.update((records) => [...records, rec('new')], () => [rec('known here')]);
    assert.deepEqual(await onDisk(), { version: 1, batches: [rec('known here'), rec('new')] });
    assert.equal(await readFile(path.join(folder, 'batches.corrupt-42.json'), 'utf8'), '[{"id": "a", "task": "rev');
  });

  it('does not write over a file it cannot read (I/O error), and says so once per failure streak', async () => {
    await mkdir(file); // reading a folder fails with EISDIR: an I/O error, not a missing file
    const failures: string[] = [];
    const store = new BatchFile(file, Rec, { onSaveFailed: (f) => failures.push(f) });
    await assert.rejects(store.read());
    await assert.rejects(store.update((r) => [...r, rec('x')], () => []));
    await assert.rejects(store.update((r) => [...r, rec('y')], () => []));
    assert.deepEqual(failures, [file]);
    await rm(file, { recursive: true });
    await store.update((r) => [...r, rec('z')], () => []);
    await mkdir(path.join(folder, 'blocker'));
    // After a success, the next failure is reported again.
    const blocked = new BatchFile(path.join(folder, 'blocker'), Rec, { onSaveFailed: (f) => failures.push(f) });
    await assert.rejects(blocked.update((r) => r, () => []));
    assert.equal(failures.length, 2);
  });

  it('does not overwrite a file from a newer release', async () => {
    const newer = JSON.stringify({ version: 3, batches: [rec('a')] });
    await writeFile(file, newer);
    const store = new BatchFile(file, Rec);
    assert.deepEqual((await store.read()).records.map((r) => r.id), ['a']);
    await assert.rejects(store.update((r) => [...r, rec('b')], () => []), /newer version/);
    assert.equal(await readFile(file, 'utf8'), newer);
  });

  it('two windows adding batches at once lose none', async () => {
    const a = new BatchFile(file, Rec);
    const b = new BatchFile(file, Rec);
    const known = { a: [] as Rec[], b: [] as Rec[] };
    // Each window writes one update after another (BatchStore serialises its own); the two windows race.
    const window = async (store: BatchFile<Rec>, name: 'a' | 'b'): Promise<void> => {
      for (let i = 0; i < 20; i++) known[name] = await store.update((records) => [...records, rec(`${name}${i}`, i)], () => known[name]);
    };
    await Promise.all([window(a, 'a'), window(b, 'b')]);
    assert.equal((await new BatchFile(file, Rec).read()).records.length, 40);
    assert.deepEqual((await readdir(folder)).sort(), ['batches.json']);
  });
});
