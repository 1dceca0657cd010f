// batches.json, exactly: every log line (set aside as unreadable or as not a list, a record kept
// unread, the newer-format warning, a failed save), where an unreadable file is set aside, what
// read() answers in each case, and that a newer file refuses writes only while it is there.
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as z from '../../../src/shared/zod';
import { BATCHES_VERSION, BatchFile, batchesFormat } from '../../../src/core/batch/batchFile';

const Rec = z.object({ id: z.string(), n: z.number() });
type Rec = z.infer<typeof Rec>;

describe('BatchFile, exact', () => {
  let folder: string;
  beforeEach(async () => { folder = await mkdtemp(path.join(tmpdir(), 'aiml-batchfile-')); });
  afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

  function store(name = 'batches.json') {
    const logged: string[] = [];
    const file = path.join(folder, name);
    return { file, logged, batches: new BatchFile<Rec>(file, Rec, { log: (m) => logged.push(m), now: () => 7 }) };
  }

  it('states its format: version 1, the bare list of version 0 wrapped', () => {
    assert.equal(BATCHES_VERSION, 1);
    assert.equal(batchesFormat.name, 'batch list');
    assert.equal(batchesFormat.current, 1);
    assert.deepEqual(batchesFormat.migrations.map((m) => [m.from, m.describe]), [[0, 'wraps the bare list of records']]);
    assert.deepEqual(batchesFormat.unversioned([1]), { version: 0, batches: [1] });
    assert.equal(batchesFormat.unversioned({ batches: [] }), undefined);
    const data = { batches: [] };
    assert.equal(batchesFormat.migrations[0].up(data), data);
  });

  it('answers no file as empty and not existing, and a readable one as existing', async () => {
    const { file, batches, logged } = store();
    assert.deepEqual(await batches.read(), { records: [], opaque: [], exists: false });
    await writeFile(file, JSON.stringify({ version: 1, batches: [{ id: 'a', n: 1 }, { id: 5 }, 'x'] }));
    assert.deepEqual(await batches.read(), { records: [{ id: 'a', n: 1 }], opaque: [{ id: 5 }, 'x'], exists: true });
    assert.deepEqual(logged, ['batch record kept unread (id: Invalid input: expected string, received number)', 'batch record kept unread (: Invalid input: expected object, received string)']);
  });

  it('sets an unparsable file aside next to it, named after it, with the reason', async () => {
    const { file, batches, logged } = store();
    await writeFile(file, '{ broken');
    assert.deepEqual(await batches.read(), { records: [], opaque: [], exists: false });
    assert.deepEqual(await readdir(folder), ['batches.corrupt-7.json']);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /^batches\.json could not be read \(not valid JSON \(.+\)\); set aside as batches\.corrupt-7\.json$/);
  });

  it('sets aside a JSON file that is not a batch list, and names a file without .json in full', async () => {
    for (const [content, name, aside] of [
      ['{"version": 1, "batches": "none"}', 'batches.json', 'batches.corrupt-7.json'],
      ['5', 'list.jsonl', 'list.jsonl.corrupt-7.json'],
      ['{"other": []}', 'x.json.json', 'x.json.corrupt-7.json'],
    ]) {
      const { file, batches, logged } = store(name);
      await writeFile(file, content);
      assert.deepEqual(await batches.read(), { records: [], opaque: [], exists: false }, content);
      assert.deepEqual(logged, [`${name} is not a batch list; set aside as ${aside}`]);
      assert.equal(await readFile(path.join(folder, aside), 'utf8'), content);
      await rm(path.join(folder, aside));
    }
  });

  it('warns about a newer file, refuses to write it while it is there, and writes again once it is gone', async () => {
    const { file, batches, logged } = store();
    await writeFile(file, JSON.stringify({ version: 2, batches: [{ id: 'a', n: 1 }] }));
    const failed: string[] = [];
    const withFailures = new BatchFile<Rec>(file, Rec, { log: (m) => logged.push(m), onSaveFailed: (f, e) => failed.push(`${path.basename(f)}: ${e.message}`) });
    await assert.rejects(withFailures.update((r) => r, () => []), { message: `${file} was written by a newer version of AIML Chat; this version does not overwrite it.` });
    assert.deepEqual(failed, [`batches.json: ${file} was written by a newer version of AIML Chat; this version does not overwrite it.`]);
    assert.deepEqual(logged, [
      'batch list: written by a newer version of AIML Chat (format 2, this one reads 1); read as far as possible and never overwritten.',
      `saving ${file} failed: ${file} was written by a newer version of AIML Chat; this version does not overwrite it.`,
    ]);
    await rm(file);
    assert.deepEqual(await withFailures.update((r) => [...r, { id: 'b', n: 2 }], () => [{ id: 'known', n: 0 }]), [{ id: 'known', n: 0 }, { id: 'b', n: 2 }]);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { version: 1, batches: [{ id: 'known', n: 0 }, { id: 'b', n: 2 }] });
    void batches;
  });

  it('hands the change the file\'s records, not the fallback, when the file exists (even empty)', async () => {
    const { file, batches } = store();
    await writeFile(file, JSON.stringify({ version: 1, batches: [] }));
    let seen: Rec[] | undefined;
    await batches.update((r) => { seen = r; return r; }, () => [{ id: 'fallback', n: 0 }]);
    assert.deepEqual(seen, []);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { version: 1, batches: [] });
  });
});
