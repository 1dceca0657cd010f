// The lock beside a stored file and the versioned-format machinery, asserted directly: a lock is
// exclusive while held and always released, a stale one is broken, a lock that cannot be had in
// time lets the work run anyway; migrations run in order from the file's version, a newer file is
// read but marked, and the tolerant parse repairs each problem once.
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as z from '../../../src/shared/zod';
import { withFileLock } from '../../../src/core/storage/fileLock';
import { extraFields, migrate, parseTolerant, setAt, valueAt, versionOf, type VersionedFormat } from '../../../src/core/storage/versioned';

describe('file lock', () => {
  let folder: string;
  let file: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-lock-'));
    file = path.join(folder, 'nested', 'data.json');
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('holds <file>.lock with the pid while the work runs, then removes it', async () => {
    const seen = await withFileLock(file, async () => ({ files: await readdir(path.dirname(file)), pid: await readFile(`${file}.lock`, 'utf8') }));
    assert.deepEqual(seen, { files: ['data.json.lock'], pid: String(process.pid) });
    assert.deepEqual(await readdir(path.dirname(file)), []);
  });

  it('releases the lock when the work throws', async () => {
    await assert.rejects(withFileLock(file, async () => { throw new Error('work failed'); }), /work failed/);
    assert.deepEqual(await readdir(path.dirname(file)), []);
  });

  it('makes a second holder wait until the first releases', async () => {
    const order: string[] = [];
    let release!: () => void;
    const first = withFileLock(file, async () => { order.push('first in'); await new Promise<void>((r) => { release = r; }); order.push('first out'); });
    while (!release) await new Promise((r) => setTimeout(r, 1));
    const second = withFileLock(file, async () => { order.push('second in'); });
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(order, ['first in'], 'the second waits while the lock is held');
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first in', 'first out', 'second in']);
  });

  it('breaks a lock older than staleMs (a host that died mid-write)', async () => {
    await withFileLock(file, async () => undefined); // creates the folder
    await writeFile(`${file}.lock`, '99999');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    const started = Date.now();
    const ran = await withFileLock(file, async () => readFile(`${file}.lock`, 'utf8'), { waitMs: 5_000, staleMs: 10_000 });
    assert.equal(ran, String(process.pid), 'the stale lock was replaced by ours');
    assert.ok(Date.now() - started < 2_000, 'no waiting for a stale lock');
    assert.deepEqual(await readdir(path.dirname(file)), []);
  });

  it('runs the work unlocked after waitMs, and leaves the other holder\'s fresh lock alone', async () => {
    await withFileLock(file, async () => undefined);
    await writeFile(`${file}.lock`, 'other');
    const started = Date.now();
    const ran = await withFileLock(file, async () => 'ran', { waitMs: 60, staleMs: 60_000 });
    assert.equal(ran, 'ran');
    assert.ok(Date.now() - started >= 60, 'it waited for the holder first');
    assert.equal(await readFile(`${file}.lock`, 'utf8'), 'other', 'a lock it did not take is not removed');
  });

  it('waits about 15 seconds by default before giving up, and counts 10 seconds as stale', async () => {
    await withFileLock(file, async () => undefined);
    await writeFile(`${file}.lock`, 'other');
    const five = new Date(Date.now() - 5_000);
    await utimes(`${file}.lock`, five, five);
    // 5 s old is not stale: the default wait applies. Aborting the wait is not possible, so the
    // check is that after 1.2 s of a default wait the work has still not run, and that the lock
    // is then broken once it passes 10 s.
    let ran = false;
    const pending = withFileLock(file, async () => { ran = true; });
    await new Promise((r) => setTimeout(r, 1_200));
    assert.equal(ran, false, 'still waiting: neither the default wait nor the stale age has passed');
    const eleven = new Date(Date.now() - 11_000);
    await utimes(`${file}.lock`, eleven, eleven);
    await pending;
    assert.equal(ran, true);
  }).timeout(20_000);

  it('runs the work unlocked when the lock cannot be created for another reason than another holder', async () => {
    // A name that fits but whose `.lock` sibling is too long: open fails with ENAMETOOLONG.
    const longName = path.join(folder, `${'n'.repeat(252)}`);
    let ran = false;
    const started = Date.now();
    await withFileLock(longName, async () => { ran = true; }, { waitMs: 10_000 });
    assert.equal(ran, true);
    assert.ok(Date.now() - started < 2_000, 'no waiting: only another holder is waited for');
  });
});

describe('versioned formats', () => {
  const format: VersionedFormat = {
    name: 'things',
    current: 3,
    migrations: [
      { from: 0, describe: 'list to object', up: (data) => ({ ...data, steps: [...(data.steps as string[] ?? []), 'to1'] }) },
      { from: 2, describe: 'second', up: (data) => ({ ...data, steps: [...(data.steps as string[]), 'to3'] }) },
    ],
    unversioned: (value) => (Array.isArray(value) ? { items: value } : undefined),
  };

  it('reads a version only from a non-negative integer field of an object', () => {
    assert.equal(versionOf({ version: 0 }), 0);
    assert.equal(versionOf({ version: 7 }), 7);
    for (const value of [null, undefined, 3, 'x', [1], { version: -1 }, { version: 1.5 }, { version: '2' }, {}]) assert.equal(versionOf(value), undefined, JSON.stringify(value));
  });

  it('runs every migration step from the file version up, setting each version on the way', () => {
    const warnings: string[] = [];
    assert.deepEqual(migrate(format, ['a'], (m) => warnings.push(m)), { data: { items: ['a'], steps: ['to1', 'to3'], version: 3 }, fileVersion: 0, fromTheFuture: false });
    assert.deepEqual(migrate(format, { version: 1, steps: [] }, (m) => warnings.push(m)), { data: { version: 3, steps: ['to3'] }, fileVersion: 1, fromTheFuture: false });
    assert.deepEqual(migrate(format, { version: 3, steps: [] }, (m) => warnings.push(m)), { data: { version: 3, steps: [] }, fileVersion: 3, fromTheFuture: false });
    assert.deepEqual(warnings, []);
    assert.equal(migrate(format, 'not this format', () => undefined), undefined);
  });

  it('does not change the value it was given', () => {
    const value = { version: 2, steps: ['x'] };
    migrate(format, value, () => undefined);
    assert.deepEqual(value, { version: 2, steps: ['x'] });
  });

  it('takes the version an unversioned reading declares', () => {
    const declaring: VersionedFormat = { ...format, unversioned: () => ({ version: 2, steps: [] }) };
    assert.deepEqual(migrate(declaring, 'legacy', () => undefined), { data: { version: 3, steps: ['to3'] }, fileVersion: 2, fromTheFuture: false });
  });

  it('reads a file from a newer release as the current version, marked and with a warning', () => {
    const warnings: string[] = [];
    assert.deepEqual(migrate(format, { version: 4, steps: ['future'] }, (m) => warnings.push(m)), { data: { version: 3, steps: ['future'] }, fileVersion: 4, fromTheFuture: true });
    assert.deepEqual(warnings, ['things: written by a newer version of AIML Chat (format 4, this one reads 3); read as far as possible and never overwritten.']);
  });

  const schema = z.object({ kind: z.enum(['a', 'b']), list: z.array(z.object({ n: z.number() })) });

  it('parses valid data without repairs or warnings', () => {
    const warnings: string[] = [];
    assert.deepEqual(parseTolerant(schema, { kind: 'a', list: [] }, () => assert.fail('no repair needed'), (m) => warnings.push(m)), { success: true, data: { kind: 'a', list: [] } });
    assert.deepEqual(warnings, []);
  });

  it('repairs each problem by its path, warning with what was done', () => {
    const warnings: string[] = [];
    const data = { kind: 'z', list: [{ n: 1 }, { n: 'two' }] };
    const paths: string[] = [];
    const result = parseTolerant(schema, data, (at, d) => {
      paths.push(at.join('.'));
      if (at[0] === 'kind') return setAt(d, at, 'a') ? 'unknown kind, read as a' : undefined;
      return setAt(d, at, 2) ? 'not a number, read as 2' : undefined;
    }, (m) => warnings.push(m));
    assert.deepEqual(result, { success: true, data: { kind: 'a', list: [{ n: 1 }, { n: 2 }] } });
    assert.deepEqual(paths, ['kind', 'list.1.n']);
    assert.deepEqual(warnings, ['kind: unknown kind, read as a', 'list.1.n: not a number, read as 2']);
  });

  it('fails with the path and message of a problem it cannot repair, or one that comes back', () => {
    assert.deepEqual(parseTolerant(schema, { kind: 'a', list: 5 }, () => undefined, () => undefined), { success: false, problem: 'list: Invalid input: expected array, received number' });
    assert.deepEqual(parseTolerant(schema, 'x', () => undefined, () => undefined), { success: false, problem: '(top): Invalid input: expected object, received string' });
    let calls = 0;
    const again = parseTolerant(schema, { kind: 'z', list: [] }, () => { calls++; return 'pretended to fix it'; }, () => undefined);
    assert.equal(calls, 1, 'a path is repaired once; coming back means the repair did not work');
    assert.equal(again.success, false);
  });

  it('gives up after 200 repairs', () => {
    const many = z.object({ list: z.array(z.number()) });
    const data = { list: Array.from({ length: 300 }, () => 'x') };
    let repairs = 0;
    const result = parseTolerant(many, data, (at, d) => { repairs++; setAt(d, at, 0); return 'zero'; }, () => undefined);
    assert.deepEqual(result, { success: false, problem: 'too many problems to repair' });
    assert.equal(repairs, 200);
  });

  it('reads, sets and deletes values by path, and names unknown fields', () => {
    const data = { a: { b: [10, { c: 'x' }] } };
    assert.equal(valueAt(data, ['a', 'b', 1, 'c']), 'x');
    assert.deepEqual(valueAt(data, []), data);
    assert.equal(valueAt(data, ['a', 'missing', 'c']), undefined);
    assert.equal(valueAt(data, ['a', 'b', 0, 'c']), undefined, 'a number has no fields');
    assert.equal(valueAt({ s: 'text' }, ['s', 'length']), undefined, 'nor does a string');
    assert.equal(valueAt({ s: null }, ['s', 'x']), undefined);
    assert.equal(setAt(data, ['a', 'b', 1, 'c'], 'y'), true);
    assert.equal(valueAt(data, ['a', 'b', 1, 'c']), 'y');
    assert.equal(setAt(data, ['a', 'b', 1, 'c'], undefined), true);
    assert.deepEqual(data.a.b[1], {});
    assert.equal(setAt(data, ['a', 'nope', 'c'], 1), false);
    assert.equal(setAt(data, ['a', 'b', 0, 'c'], 1), false, 'the parent is not an object');
    assert.deepEqual(extraFields({ a: 1, b: 2, c: 3 }, ['a', 'c']), ['b']);
    assert.deepEqual(extraFields({ a: 1 }, ['a']), []);
    for (const value of [null, 'x', [1, 2]]) assert.deepEqual(extraFields(value, []), [], JSON.stringify(value));
  });
});
