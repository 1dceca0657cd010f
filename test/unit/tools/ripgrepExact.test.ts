// search_text's engine (ripgrep.ts) against scripted stand-ins for ripgrep (small shell scripts
// that record their arguments and print what the test wants) and the real ripgrep of the test
// host: where ripgrep is looked for, the exact command line, how its JSON is read, the exit-code
// rules, the chunking of long file lists, the budget and Stop (issue 17).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { findRipgrep, ripgrepSearch, type SearchLimits, type TextQuery } from '../../../src/core/tools/ripgrep';
import { tempDir, testRipgrep, writeFiles } from './fakeHost';
import { fakeRipgrep, match, printLines } from './fakeRipgrep';

// The stand-ins are shell scripts: POSIX only. (A skip in a root-level hook would skip every test
// of the whole run, so the suites below are skipped instead.)
const describePosix = process.platform !== 'win32' ? describe : describe.skip;
let dir = '';
before(() => {
  dir = tempDir('aiml-rg-exact-');
});

const fakeRg = (body: string) => fakeRipgrep(dir, body);

const literal: TextQuery = { pattern: 'needle', isRegex: false, caseSensitive: false };
const limits = (over: Partial<SearchLimits> = {}): SearchLimits => ({ maxHits: 5, timeoutMs: 20_000, signal: new AbortController().signal, maxFileBytes: 1000, ...over });

describePosix('ripgrep: where it is found', () => {
  it('looks in the three places VS Code builds keep it, in order, with rg.exe on Windows', async () => {
    const root = tempDir('aiml-approot-');
    assert.equal(findRipgrep(root, 'linux', 'x64'), undefined);
    const universal = path.join(root, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', 'linux-x64', 'rg');
    await writeFiles(root, { [path.relative(root, universal)]: '' });
    assert.equal(findRipgrep(root, 'linux', 'x64'), universal);
    assert.equal(findRipgrep(root, 'linux', 'arm64'), undefined);
    const unpacked = path.join(root, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', 'rg');
    await writeFiles(root, { [path.relative(root, unpacked)]: '' });
    assert.equal(findRipgrep(root, 'linux', 'x64'), unpacked);
    const plain = path.join(root, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    await writeFiles(root, { [path.relative(root, plain)]: '' });
    assert.equal(findRipgrep(root, 'linux', 'x64'), plain);
    assert.equal(findRipgrep(root, 'win32', 'x64'), undefined);
    const exe = path.join(root, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg.exe');
    await writeFiles(root, { [path.relative(root, exe)]: '' });
    assert.equal(findRipgrep(root, 'win32', 'x64'), exe);
  });

  it('defaults to this process\'s platform and architecture', async () => {
    const root = tempDir('aiml-approot-');
    const universal = path.join(root, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, 'rg');
    await writeFiles(root, { [path.relative(root, universal)]: '' });
    assert.equal(findRipgrep(root), universal);
  });
});

describePosix('ripgrep: the command line', () => {
  it('JSON output, no config file, no messages, no links followed, the limits, the pattern after -e and the files after --', async () => {
    const fake = await fakeRg('exit 1');
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts', '/w/b.ts'], literal, limits({ maxHits: 7, maxFileBytes: 4096 })), { ok: true, hits: [] });
    assert.deepEqual(fake.calls(), [[
      '--json', '--no-config', '--no-messages', '--no-follow', '--max-filesize', '4096', '--max-columns', '1000', '--max-columns-preview',
      '--max-count', '8', '--ignore-case', '--fixed-strings', '-e', 'needle', '--', '/w/a.ts', '/w/b.ts',
    ]]);
  });

  it('a case-sensitive regex drops --fixed-strings and --ignore-case; a pattern starting with "-" stays a pattern', async () => {
    const fake = await fakeRg('exit 1');
    await ripgrepSearch(fake.rg, ['/w/a.ts'], { pattern: '-x+', isRegex: true, caseSensitive: true }, limits());
    const args = fake.calls()[0];
    assert.deepEqual(args.slice(11), ['--case-sensitive', '-e', '-x+', '--', '/w/a.ts']);
  });

  it('RIPGREP_CONFIG_PATH is removed from ripgrep\'s environment, and only there', async () => {
    const fake = await fakeRg('exit 1');
    process.env.RIPGREP_CONFIG_PATH = '/tmp/evil-rgrc';
    try {
      await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits());
      assert.equal(process.env.RIPGREP_CONFIG_PATH, '/tmp/evil-rgrc');
    } finally {
      delete process.env.RIPGREP_CONFIG_PATH;
    }
    assert.deepEqual(fake.env(), ['config=unset']);
  });

  it('splits file lists over 24,000 characters (each name plus a separator) into several runs', async () => {
    const fake = await fakeRg('exit 1');
    // 10 names of 2,399 characters + 1 separator fill 24,000 exactly; the eleventh starts a new run.
    const names = Array.from({ length: 11 }, (_, i) => `/${String(i).padStart(2, '0')}${'f'.repeat(2396)}`);
    assert.equal(names[0].length, 2399);
    await ripgrepSearch(fake.rg, names, literal, limits());
    const runs = fake.calls().map((args) => args.slice(args.indexOf('--') + 1));
    assert.deepEqual(runs, [names.slice(0, 10), names.slice(10)]);
    const longer = await fakeRg('exit 1');
    const over = [...names.slice(0, 9), `${names[9]}x`];
    await ripgrepSearch(longer.rg, over, literal, limits());
    assert.deepEqual(longer.calls().map((args) => args.slice(args.indexOf('--') + 1)), [over.slice(0, 9), over.slice(9)]);
  });

  it('one name longer than the limit runs alone, never after an empty run (rg without files would search its working folder)', async () => {
    const fake = await fakeRg('exit 1');
    const long = `/${'l'.repeat(25_000)}`;
    await ripgrepSearch(fake.rg, [long, '/w/b.ts'], literal, limits());
    assert.deepEqual(fake.calls().map((args) => args.slice(args.indexOf('--') + 1)), [[long], ['/w/b.ts']]);
  });

  it('no files: no run at all', async () => {
    const fake = await fakeRg('exit 1');
    assert.deepEqual(await ripgrepSearch(fake.rg, [], literal, limits()), { ok: true, hits: [] });
    assert.deepEqual(fake.calls(), []);
  });
});

describePosix('ripgrep: reading its output', () => {
  it('keeps match events with a path and a line number, drops the line end, skips everything else', async () => {
    const fake = await fakeRg(printLines([
      JSON.stringify({ type: 'begin', data: { path: { text: '/w/a.ts' } } }),
      match('/w/a.ts', 3, 'const needle = 1;\r\n'),
      '{"type":"match" not json',
      JSON.stringify({ type: 'match', data: { lines: { text: 'no path' }, line_number: 4 } }),
      JSON.stringify({ type: 'match', data: { path: { text: '/w/a.ts' }, lines: { text: 'no line number' } } }),
      JSON.stringify({ type: 'match', data: { path: { text: '/w/b.ts' }, line_number: 9 } }),
      match('/w/b.ts', 10, 'two\n\n'),
      ` ${match('/w/b.ts', 11, 'indented event')}`,
      JSON.stringify({ type: 'summary' }),
    ]));
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits()), { ok: true, hits: [
      { absPath: '/w/a.ts', line: 3, text: 'const needle = 1;' },
      { absPath: '/w/b.ts', line: 9, text: '' },
      { absPath: '/w/b.ts', line: 10, text: 'two\n' },
    ] });
  });

  it('a line split across output chunks is joined before it is read', async () => {
    const event = match('/w/a.ts', 1, 'split');
    const fake = await fakeRg(`printf '%s' '${event.slice(0, 20)}'\nsleep 0.2\nprintf '%s\\n' '${event.slice(20)}'`);
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits()), { ok: true, hits: [{ absPath: '/w/a.ts', line: 1, text: 'split' }] });
  });

  it('stops reading at maxHits + 1 and kills the process', async () => {
    const events = Array.from({ length: 6 }, (_, i) => match('/w/a.ts', i + 1, `hit ${i + 1}`));
    const fake = await fakeRg(`${printLines(events)}\nexec sleep 30`);
    const started = Date.now();
    const result = await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ maxHits: 2 }));
    assert.ok(Date.now() - started < 10_000);
    assert.ok(result.ok);
    assert.deepEqual(result.hits.map((h) => h.line), [1, 2, 3]);
    assert.equal(result.stopped, undefined);
  });

  it('a second run only gets the room the first left, and none once full', async () => {
    const events = Array.from({ length: 4 }, (_, i) => match('/w/x.ts', i + 1, `hit ${i + 1}`));
    const fake = await fakeRg(printLines(events));
    const names = Array.from({ length: 11 }, (_, i) => `/${String(i).padStart(2, '0')}${'f'.repeat(2396)}`);
    const result = await ripgrepSearch(fake.rg, [...names, ...names, ...names], literal, limits({ maxHits: 5 }));
    assert.ok(result.ok);
    assert.deepEqual(result.hits.map((h) => h.line), [1, 2, 3, 4, 1, 2]);
    assert.equal(fake.calls().length, 2);
  });
});

describePosix('ripgrep: exit codes and errors', () => {
  it('exit 2 with a regex message is an invalid pattern, "rg: " taken off', async () => {
    const fake = await fakeRg(`echo 'rg: regex parse error:' >&2\necho '    (' >&2\nexit 2`);
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits()), { ok: false, kind: 'invalid_pattern', message: 'regex parse error:\n    (' });
  });

  for (const word of ['Regex', 'parse error', 'size limit', 'not supported', 'unrecognized', 'unclosed', 'repetition']) {
    it(`"${word}" in the message marks the pattern as the problem`, async () => {
      const fake = await fakeRg(`echo 'the ${word} thing' >&2\nexit 2`);
      const result = await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits());
      assert.deepEqual(result, { ok: false, kind: 'invalid_pattern', message: `the ${word} thing` });
    });
  }

  it('exit 2 with another message is a failed search; "rg: " inside the text stays', async () => {
    const fake = await fakeRg(`echo 'disk on fire, rg: said so' >&2\nexit 2`);
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits()), { ok: false, kind: 'search_failed', message: 'disk on fire, rg: said so' });
  });

  it('exit 2 is not an error when something was found, when the message is blank, or with another code', async () => {
    const found = await fakeRg(`${printLines([match('/w/a.ts', 1, 'x')])}\necho 'rg: some file vanished' >&2\nexit 2`);
    assert.deepEqual(await ripgrepSearch(found.rg, ['/w/a.ts'], literal, limits()), { ok: true, hits: [{ absPath: '/w/a.ts', line: 1, text: 'x' }] });
    const blank = await fakeRg(`echo '   ' >&2\nexit 2`);
    assert.deepEqual(await ripgrepSearch(blank.rg, ['/w/a.ts'], literal, limits()), { ok: true, hits: [] });
    const other = await fakeRg(`echo 'regex parse error' >&2\nexit 3`);
    assert.deepEqual(await ripgrepSearch(other.rg, ['/w/a.ts'], literal, limits()), { ok: true, hits: [] });
  });

  it('keeps ripgrep\'s messages only while they are under 4,000 characters', async () => {
    const line = 'e'.repeat(2999);
    const fake = await fakeRg(`echo '${line}' >&2\nsleep 0.5\necho '${line}' >&2\nsleep 0.5\necho 'dropped' >&2\nexit 2`);
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits()), { ok: false, kind: 'search_failed', message: `${line}\n${line}` });
  });

  it('a missing executable fails the search with the reason', async () => {
    const result = await ripgrepSearch(path.join(dir, 'no-such-rg'), ['/w/a.ts'], literal, limits());
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.kind, 'search_failed');
    assert.match(result.message, /^ripgrep could not start: spawn .*no-such-rg ENOENT$/);
  });

  it('an error in the first run ends the search: no second run', async () => {
    const fake = await fakeRg(`echo 'unclosed group' >&2\nexit 2`);
    const names = Array.from({ length: 11 }, (_, i) => `/${String(i).padStart(2, '0')}${'f'.repeat(2396)}`);
    assert.equal((await ripgrepSearch(fake.rg, names, literal, limits())).ok, false);
    assert.equal(fake.calls().length, 1);
  });
});

describePosix('ripgrep: the budget and Stop', () => {
  it('Stop before the search: nothing runs, and the search says it was stopped', async () => {
    const fake = await fakeRg('exit 1');
    const stop = new AbortController();
    stop.abort();
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ signal: stop.signal })), { ok: true, hits: [], stopped: 'aborted' });
    assert.deepEqual(fake.calls(), []);
  });

  it('no budget left before a run: nothing runs, and the search says the budget stopped it', async () => {
    const fake = await fakeRg('exit 1');
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ timeoutMs: -1 })), { ok: true, hits: [], stopped: 'time_budget' });
    assert.deepEqual(fake.calls(), []);
  });

  it('the budget kills a slow run and keeps what it found; later runs do not start', async () => {
    const fake = await fakeRg(`${printLines([match('/w/a.ts', 7, 'early')])}\nexec sleep 30`);
    const names = Array.from({ length: 11 }, (_, i) => `/${String(i).padStart(2, '0')}${'f'.repeat(2396)}`);
    const result = await ripgrepSearch(fake.rg, names, literal, limits({ timeoutMs: 3000 }));
    assert.deepEqual(result, { ok: true, hits: [{ absPath: '/w/a.ts', line: 7, text: 'early' }], stopped: 'time_budget' });
    assert.equal(fake.calls().length, 1);
  });

  it('Stop during a run kills it and keeps what it found', async () => {
    const printed = path.join(dir, 'printed.flag');
    const fake = await fakeRg(`${printLines([match('/w/a.ts', 2, 'before stop')])}\ntouch '${printed}'\nexec sleep 30`);
    const stop = new AbortController();
    const pending = ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ signal: stop.signal }));
    while (!existsSync(printed)) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    assert.deepEqual(await pending, { ok: true, hits: [{ absPath: '/w/a.ts', line: 2, text: 'before stop' }], stopped: 'aborted' });
  });

  it('a finished run leaves no listener on the turn\'s signal', async () => {
    const fake = await fakeRg('exit 1');
    const stop = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = stop.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => { added++; add(...args); }) as AbortSignal['addEventListener'];
    signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => { removed++; remove(...args); }) as AbortSignal['removeEventListener'];
    await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ signal }));
    assert.deepEqual([added, removed], [1, 1]);
  });
});

describePosix('ripgrep: the real one', () => {
  it('finds literal and regex matches, case-insensitively unless asked, in the files given only', async function () {
    const rg = testRipgrep();
    if (!rg) this.skip();
    const ws = tempDir('aiml-rg-real-');
    await writeFiles(ws, { 'a.txt': 'Needle one\nneedle.two\nnothing\n', 'b.txt': 'needle\n' });
    const a = path.join(ws, 'a.txt');
    const lit = await ripgrepSearch(rg!, [a], { pattern: 'needle.', isRegex: false, caseSensitive: false }, limits());
    assert.deepEqual(lit, { ok: true, hits: [{ absPath: a, line: 2, text: 'needle.two' }] });
    const re = await ripgrepSearch(rg!, [a], { pattern: 'needle.', isRegex: true, caseSensitive: true }, limits());
    assert.deepEqual(re, { ok: true, hits: [{ absPath: a, line: 2, text: 'needle.two' }] });
    const folded = await ripgrepSearch(rg!, [a], { pattern: 'NEEDLE', isRegex: false, caseSensitive: false }, limits());
    assert.deepEqual(folded.ok && folded.hits.map((h) => h.line), [1, 2]);
  });
});
