// The read-only tools (read_file, list_directory, find_files, get_selection, get_diagnostics) run
// directly on a CallScope over a real temporary folder (issue 17): each limit at its value and one
// past it, each refusal by the defence that fired, each summary and content exactly as the model
// and the card get them.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SECRET_REASON } from '../../../src/core/security/contentGate';
import { findFiles, getDiagnostics, getSelection, listDirectory, readFile } from '../../../src/core/tools/readTools';
import { numberedView, splitLines } from '../../../src/core/tools/text';
import type { DiagnosticInfo, FileContent, SelectionInfo } from '../../../src/core/tools/toolHost';
import { png } from '../images/fixtures';
import { FakeHost, tempDir, writeFiles } from './fakeHost';
import { scopeFor, type ScopeOptions } from './scopeHarness';

const HINT = ' Tools can only use files inside the workspace folders.';
const MiB = 1024 * 1024;

let ws = '';
let host: FakeHost;
before(async () => {
  ws = tempDir('aiml-read-exact-');
  await writeFiles(ws, {
    'a.txt': 'one\ntwo\nthree\n',
    'single.txt': 'only\n',
    'empty.txt': '',
    '.env': 'API_KEY=sk-secret-123\n',
    'key.json': '{ "type": "service_account", "private_key_id": "x" }\n',
    'dir/b.txt': 'b\n',
    'dir/Sub/c.txt': 'c\n',
    'dir/a.md': 'a\n',
    'dir/Z.md': 'z\n',
    'node_modules/dep/x.ts': 'export {};\n',
  });
  await fs.writeFile(path.join(ws, 'bin.dat'), Buffer.from([0x61, 0x00, 0x62]));
  await fs.writeFile(path.join(ws, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  await fs.writeFile(path.join(ws, 'shot.bin'), png(4, 3));
  await fs.writeFile(path.join(ws, 'gif-note.txt'), 'GIF89a is a format\n');
  await fs.mkdir(path.join(ws, 'emptydir'));
  await fs.symlink(path.join(ws, 'a.txt'), path.join(ws, 'dir', 'link'));
  host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
});

const scope = (options: ScopeOptions = {}) => scopeFor(host, options);
const abs = (rel: string) => path.join(ws, rel);

describe('read_file: refusals and failures by kind', () => {
  it('a path outside the workspace is refused as outside_workspace, without asking', async () => {
    const s = scope();
    const out = await readFile(s, { path: '../elsewhere.txt' });
    assert.equal(out.refusal, 'outside_workspace');
    assert.equal(out.status, 'failed');
    assert.equal(out.isError, true);
    assert.match(out.content, /^Refused: .+\. Tools can only use files inside the workspace folders\.$/);
    assert.ok(out.content.endsWith(HINT));
    assert.deepEqual(s.asked(), []);
  });

  it('a secret file asks with the secret reason: deny returns the denial, allow reads it', async () => {
    const denied = scope({ answer: 'deny' });
    const out = await readFile(denied, { path: '.env' });
    assert.equal(out.status, 'denied');
    assert.equal(denied.asked()[0].approval?.reason, SECRET_REASON);
    assert.equal(denied.asked()[0].approval?.kind, 'allow_deny');
    const allowed = scope({ answer: 'allow' });
    const read = await readFile(allowed, { path: '.env' });
    assert.equal(read.content, '.env (lines 1-1 of 1)\n     1\tAPI_KEY=sk-secret-123');
  });

  it('a missing file, a folder', async () => {
    const s = scope();
    assert.deepEqual(await readFile(s, { path: 'nope.txt' }), { status: 'failed', summary: 'not found', content: 'nope.txt does not exist. Use find_files or list_directory to locate it.', isError: true });
    assert.equal(s.target(), 'nope.txt');
    assert.deepEqual(await readFile(scope(), { path: 'dir' }), { status: 'failed', summary: 'is a folder', content: 'dir is a folder; use list_directory.', isError: true });
  });

  it('opens a file of exactly 10 MiB, refuses one byte more before reading it', async () => {
    const sized = new (class extends FakeHost {
      size = 10 * MiB;
      reads = 0;
      override async stat() { return { kind: 'file' as const, size: this.size }; }
      override async readFile(): Promise<FileContent> { this.reads++; return { source: 'editor', text: 'x\n' }; }
    })([{ fsPath: ws, name: 'ws' }]);
    const at = await readFile(scopeFor(sized), { path: 'a.txt' });
    assert.equal(at.summary, 'read 1 line');
    sized.size = 10 * MiB + 1;
    assert.deepEqual(await readFile(scopeFor(sized), { path: 'a.txt' }), {
      status: 'failed', summary: 'file too large', isError: true,
      content: `a.txt is ${10 * MiB + 1} bytes, too large to read; use search_text to find the part you need.`,
    });
    assert.equal(sized.reads, 1);
  });

  it('binary and non-UTF-8 files fail with the decoder\'s reason', async () => {
    assert.deepEqual(await readFile(scope(), { path: 'bin.dat' }), { status: 'failed', summary: 'binary file (3 bytes, contains NUL bytes); not shown', content: 'bin.dat: binary file (3 bytes, contains NUL bytes); not shown.', isError: true });
    assert.deepEqual(await readFile(scope(), { path: 'latin1.txt' }), { status: 'failed', summary: 'binary or non-UTF-8 file (4 bytes); not shown', content: 'latin1.txt: binary or non-UTF-8 file (4 bytes); not shown.', isError: true });
  });

  it('an empty file, and a start_line past the end', async () => {
    assert.deepEqual(await readFile(scope(), { path: 'empty.txt' }), { status: 'succeeded', summary: 'empty file', content: 'empty.txt is empty.', isError: false, details: undefined });
    assert.deepEqual(await readFile(scope(), { path: 'a.txt', start_line: 4 }), { status: 'failed', summary: 'start_line past the end', content: 'a.txt has 3 lines; start_line 4 is past the end.', isError: true });
    assert.equal((await readFile(scope(), { path: 'a.txt', start_line: 3 })).content, 'a.txt (lines 3-3 of 3)\n     3\tthree');
  });
});

describe('read_file: what is read and shown', () => {
  it('names the range on the card: start only, end only, both, neither', async () => {
    const cases: Array<[{ start_line?: number; end_line?: number }, string]> = [
      [{}, 'a.txt'], [{ start_line: 2 }, 'a.txt:2-end'], [{ end_line: 2 }, 'a.txt:1-2'], [{ start_line: 2, end_line: 3 }, 'a.txt:2-3'],
    ];
    for (const [range, target] of cases) {
      const s = scope();
      await readFile(s, { path: 'a.txt', ...range });
      assert.equal(s.target(), target, JSON.stringify(range));
    }
  });

  it('one line is "line", several are "lines"; the header counts them', async () => {
    const one = await readFile(scope(), { path: 'single.txt' });
    assert.deepEqual([one.summary, one.content], ['read 1 line', 'single.txt (lines 1-1 of 1)\n     1\tonly']);
    const two = await readFile(scope(), { path: 'a.txt', start_line: 1, end_line: 2 });
    assert.deepEqual([two.summary, two.content], ['read 2 lines', 'a.txt (lines 1-2 of 3)\n     1\tone\n     2\ttwo']);
  });

  it('a cut view says where to continue', async () => {
    const dir = tempDir('aiml-read-long-');
    await writeFiles(dir, { 'long.txt': 'l\n'.repeat(2001) });
    const out = await readFile(scopeFor(new FakeHost([{ fsPath: dir, name: 'ws' }])), { path: 'long.txt' });
    assert.equal(out.summary, 'read 2000 lines (truncated)');
    assert.ok(out.content.startsWith('long.txt (lines 1-2000 of 2001)\n     1\tl\n'));
    assert.ok(out.content.endsWith('  2000\tl\n[Cut at line 2000 to stay under the size limit: call read_file with start_line=2001 to continue.]'));
  });

  it('reads unsaved editor text, and asks when it holds a private key', async () => {
    host.dirty.set(abs('single.txt'), 'edited\n');
    try {
      assert.equal((await readFile(scope(), { path: 'single.txt' })).content, 'single.txt (lines 1-1 of 1)\n     1\tedited');
      host.dirty.set(abs('single.txt'), '-----BEGIN RSA PRIVATE KEY-----\nabc\n');
      const s = scope({ answer: 'deny' });
      assert.equal((await readFile(s, { path: 'single.txt' })).status, 'denied');
      assert.equal(s.asked()[0].approval?.reason, SECRET_REASON);
    } finally {
      host.dirty.delete(abs('single.txt'));
    }
  });

  it('asks for a credential under an innocent name (content sniffed), not for plain text', async () => {
    const s = scope({ answer: 'deny' });
    assert.equal((await readFile(s, { path: 'key.json' })).status, 'denied');
    assert.equal(s.asked()[0].approval?.reason, SECRET_REASON);
    const plain = scope({ settings: { autoApproveReads: false }, answer: 'allow' });
    await readFile(plain, { path: 'a.txt' });
    assert.equal(plain.asked()[0].approval?.reason, 'reads ask first (aimlChat.tools.autoApproveReads is off)');
  });

  it('sniffs the first 64 KiB of the bytes on disk: a key ending there asks, one past it does not', async () => {
    const dir = tempDir('aiml-read-sniff-');
    const key = '-----BEGIN PRIVATE KEY-----';
    await writeFiles(dir, { 'in.txt': `${'p'.repeat(64 * 1024 - key.length)}${key}\n`, 'out.txt': `${'p'.repeat(64 * 1024 - key.length + 1)}${key}\n` });
    const h = new FakeHost([{ fsPath: dir, name: 'ws' }]);
    const inside = scopeFor(h, { answer: 'deny' });
    assert.equal((await readFile(inside, { path: 'in.txt' })).status, 'denied');
    const past = scopeFor(h);
    assert.equal((await readFile(past, { path: 'out.txt' })).summary, 'read 1 line');
  });

  it('an image by its bytes comes back as blocks with its size, type and token estimate', async () => {
    const out = await readFile(scope(), { path: 'shot.bin' });
    assert.equal(out.status, 'succeeded');
    assert.equal(out.summary, 'image 4×3 PNG, ~1 tokens');
    assert.equal(out.blocks?.length, 2);
    assert.equal(out.blocks?.[1].type, 'image');
    assert.equal(out.content, (out.blocks?.[0] as { text: string }).text);
  });

  it('text on disk that starts like an image is text', async () => {
    assert.equal((await readFile(scope(), { path: 'gif-note.txt' })).content, 'gif-note.txt (lines 1-1 of 1)\n     1\tGIF89a is a format');
  });

  it('unsaved editor text that starts like an image is text', async () => {
    host.dirty.set(abs('shot.bin'), 'GIF89a notes\n');
    try {
      assert.equal((await readFile(scope(), { path: 'shot.bin' })).content, 'shot.bin (lines 1-1 of 1)\n     1\tGIF89a notes');
    } finally {
      host.dirty.delete(abs('shot.bin'));
    }
  });
});

describe('numbered views at their edges', () => {
  it('end 0 shows nothing; a negative end is the end of the file; a blank text has no lines', () => {
    assert.deepEqual(numberedView('a\nb', 1, 0), { text: '', firstLine: 1, lastLine: 0, totalLines: 2, truncated: false });
    assert.deepEqual(numberedView('a\nb', 1, -5), { text: '     1\ta\n     2\tb', firstLine: 1, lastLine: 2, totalLines: 2, truncated: false });
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('\r\n'), ['']);
  });
});

describe('list_directory', () => {
  it('lists folders first, then names in locale order; links and empty folders are named as such', async () => {
    const out = await listDirectory(scope(), { path: 'dir' });
    assert.deepEqual(out, { status: 'succeeded', summary: '5 entries', content: 'dir/\nSub/\na.md\nb.txt\nlink (symlink)\nZ.md', isError: false, details: undefined });
    assert.equal((await listDirectory(scope(), { path: 'emptydir' })).content, 'emptydir/\n(empty folder)');
  });

  it('an empty path is the workspace folder', async () => {
    const s = scope();
    const out = await listDirectory(s, { path: '' });
    assert.ok(out.content.startsWith('./\ndir/\nemptydir/\nnode_modules/\n'));
    assert.equal(s.target(), '.');
  });

  it('a missing folder, a file, a path outside: each by its own failure', async () => {
    assert.deepEqual(await listDirectory(scope(), { path: 'nope' }), { status: 'failed', summary: 'not found', content: 'nope does not exist.', isError: true });
    assert.deepEqual(await listDirectory(scope(), { path: 'a.txt' }), { status: 'failed', summary: 'not a folder', content: 'a.txt is a file; use read_file.', isError: true });
    assert.equal((await listDirectory(scope(), { path: '../x' })).refusal, 'outside_workspace');
  });

  it('asks when reads ask, and lists nothing on deny', async () => {
    const s = scope({ settings: { autoApproveReads: false }, answer: 'deny' });
    assert.equal((await listDirectory(s, { path: 'dir' })).status, 'denied');
    assert.equal(s.asked().length, 1);
  });

  it('shows 500 entries and says how many more there are', async () => {
    const dir = tempDir('aiml-list-many-');
    await writeFiles(dir, Object.fromEntries(Array.from({ length: 502 }, (_, i) => [`f${String(i).padStart(3, '0')}.txt`, ''])));
    const out = await listDirectory(scopeFor(new FakeHost([{ fsPath: dir, name: 'ws' }])), { path: '.' });
    const lines = out.content.split('\n');
    assert.equal(out.summary, '502 entries');
    assert.equal(lines.length, 1 + 500 + 1);
    assert.equal(lines[500], 'f499.txt');
    assert.equal(lines[501], '[2 more entries not shown]');
    await fs.rm(path.join(dir, 'f500.txt'));
    await fs.rm(path.join(dir, 'f501.txt'));
    const exact = await listDirectory(scopeFor(new FakeHost([{ fsPath: dir, name: 'ws' }])), { path: '.' });
    assert.equal(exact.content.split('\n').length, 501);
    assert.ok(!exact.content.includes('more entries'));
  });
});

describe('find_files', () => {
  it('refuses a glob by its reason, with the pattern on the card', async () => {
    const s = scope();
    assert.deepEqual(await findFiles(s, { pattern: '../**' }), { status: 'failed', summary: 'refused: the pattern must not contain ".."', content: 'Refused: the pattern must not contain "..".', isError: true });
    assert.equal(s.target(), '../**');
  });

  it('asks the host for one more than the maximum (default 200) and says when there are more', async () => {
    const asked: number[] = [];
    const spy = new (class extends FakeHost {
      override async findFiles(glob: string, max: number): Promise<string[]> { asked.push(max); return super.findFiles(glob, max); }
    })([{ fsPath: ws, name: 'ws' }]);
    await findFiles(scopeFor(spy), { pattern: '**/*.txt' });
    assert.deepEqual(asked, [201]);
    const two = await findFiles(scopeFor(spy), { pattern: 'dir/**/*.txt', max_results: 1 });
    assert.deepEqual(asked, [201, 2]);
    assert.deepEqual([two.summary, two.content], ['1 files', 'dir/Sub/c.txt\n[More files match: narrow the pattern or raise max_results.]']);
    const exact = await findFiles(scopeFor(spy), { pattern: 'dir/**/*.txt', max_results: 2 });
    assert.deepEqual([exact.summary, exact.content], ['2 files', 'dir/Sub/c.txt\ndir/b.txt']);
  });

  it('lists secret-looking names (read_file asks later), leaves out what the gate refuses, sorted', async () => {
    const out = await findFiles(scope(), { pattern: '**/*' });
    assert.ok(out.content.split('\n').includes('.env'));
    assert.ok(!out.content.includes('node_modules'));
    const lines = out.content.split('\n');
    assert.deepEqual(lines, [...lines].sort());
    assert.deepEqual(out.gated, []);
  });

  it('a link out of the workspace is gated with its kind and left out', async () => {
    const dir = tempDir('aiml-find-link-');
    const outside = tempDir('aiml-find-outside-');
    await writeFiles(outside, { 'secret.txt': 'x\n' });
    await writeFiles(dir, { 'in.txt': 'y\n' });
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 'out.txt'));
    const out = await findFiles(scopeFor(new FakeHost([{ fsPath: dir, name: 'ws' }])), { pattern: '*.txt' });
    assert.equal(out.content, 'in.txt');
    assert.deepEqual(out.gated, [{ path: 'out.txt', kind: 'symlink_escape' }]);
  });

  it('sorts what the host returns', async () => {
    const unsorted = new (class extends FakeHost { override async findFiles(): Promise<string[]> { return [abs('single.txt'), abs('a.txt'), abs('dir/b.txt')]; } })([{ fsPath: ws, name: 'ws' }]);
    assert.equal((await findFiles(scopeFor(unsorted), { pattern: '**/*.txt' })).content, 'a.txt\ndir/b.txt\nsingle.txt');
  });

  it('a path the host returns from outside every folder is gated as outside_workspace', async () => {
    const stray = new (class extends FakeHost { override async findFiles(): Promise<string[]> { return ['/nowhere/x.txt']; } })([{ fsPath: ws, name: 'ws' }]);
    const out = await findFiles(scopeFor(stray), { pattern: '*.txt' });
    assert.deepEqual(out.gated, [{ path: '/nowhere/x.txt', kind: 'outside_workspace' }]);
    assert.equal(out.content, 'No files match *.txt (excluded and git-ignored files are left out).');
    assert.equal(out.summary, 'no files');
  });

  it('asks when reads ask; deny finds nothing', async () => {
    const s = scope({ settings: { autoApproveReads: false }, answer: 'deny' });
    assert.equal((await findFiles(s, { pattern: '*.txt' })).status, 'denied');
  });
});

describe('get_selection', () => {
  const sel = (over: Partial<SelectionInfo>): SelectionInfo => ({ absPath: abs('a.txt'), documentName: 'a.txt', languageId: 'plaintext', startLine: 1, endLine: 2, text: 'one\ntwo', isEmpty: false, ...over });
  afterEach(() => { host.selection = undefined; });

  it('no editor: says so, with "(no editor)" on the card', async () => {
    const s = scope();
    assert.deepEqual(await getSelection(s), { status: 'succeeded', summary: 'no active editor', content: 'No editor is active in VS Code.', isError: false, details: undefined });
    assert.equal(s.target(), '(no editor)');
  });

  it('selected lines: count, range and language', async () => {
    host.selection = sel({});
    const s = scope();
    const out = await getSelection(s);
    assert.deepEqual([out.summary, out.content], ['2 lines selected', 'File: a.txt (plaintext), selected lines 1-2:\none\ntwo']);
    assert.equal(s.target(), 'a.txt:1-2');
  });

  it('an empty selection is the cursor line', async () => {
    host.selection = sel({ startLine: 3, endLine: 3, text: 'three', isEmpty: true });
    const out = await getSelection(scope());
    assert.deepEqual([out.summary, out.content], ['cursor line', 'File: a.txt (plaintext), no selection; the cursor is on line 3, shown below:\nthree']);
  });

  it('an untitled document goes by its name without asking; a file outside the workspace asks', async () => {
    host.selection = sel({ absPath: undefined, documentName: 'Untitled-1' });
    assert.ok((await getSelection(scope())).content.startsWith('File: Untitled-1 (plaintext)'));
    host.selection = sel({ absPath: '/elsewhere/notes.txt', documentName: 'notes.txt' });
    const s = scope({ answer: 'allow' });
    assert.ok((await getSelection(s)).content.startsWith('File: /elsewhere/notes.txt (plaintext)'));
    assert.equal(s.asked()[0].approval?.reason, 'the active file is outside the workspace');
    host.selection = sel({ absPath: abs('.env'), documentName: '.env' });
    const secret = scope({ answer: 'deny' });
    assert.equal((await getSelection(secret)).status, 'denied');
    assert.equal(secret.asked()[0].approval?.reason, SECRET_REASON);
  });

  it('cuts the text after 256 KB, not at it', async () => {
    const limit = 256 * 1024;
    host.selection = sel({ text: 's'.repeat(limit) });
    assert.ok((await getSelection(scope())).content.endsWith(`:\n${'s'.repeat(limit)}`));
    host.selection = sel({ text: 's'.repeat(limit + 1) });
    assert.ok((await getSelection(scope())).content.endsWith(`:\n${'s'.repeat(limit)}\n[selection cut at 256 KB]`));
  });
});

describe('get_diagnostics', () => {
  const d = (rel: string, over: Partial<DiagnosticInfo> = {}): DiagnosticInfo => ({ absPath: abs(rel), line: 1, column: 2, severity: 'error', message: 'bad', ...over });
  afterEach(() => { host.problems = []; });

  it('nothing to report: for a file, for the workspace', async () => {
    const s = scope();
    assert.deepEqual(await getDiagnostics(s, {}), { status: 'succeeded', summary: 'no problems', content: 'No problems reported in the workspace.', isError: false, details: undefined });
    assert.equal(s.target(), 'workspace');
    const f = scope();
    assert.equal((await getDiagnostics(f, { path: 'a.txt' })).content, 'No problems reported for a.txt.');
    assert.equal(f.target(), 'a.txt');
  });

  it('orders by severity (error, warning, info, hint), folds whitespace, names source and code', async () => {
    host.problems = [
      d('a.txt', { severity: 'hint', message: 'h', source: 'ts' }),
      d('a.txt', { severity: 'info', message: 'i', code: 'C1' }),
      d('a.txt', { severity: 'warning', message: 'w\n  more\tthings' }),
      d('a.txt', { severity: 'error', message: 'e', source: 'eslint', code: 'no-x' }),
    ];
    const out = await getDiagnostics(scope(), {});
    assert.deepEqual([out.summary, out.content], ['4 problems', 'a.txt:1:2 error: e [eslint no-x]\na.txt:1:2 warning: w more things\na.txt:1:2 info: i [C1]\na.txt:1:2 hint: h [ts]']);
    host.problems = [d('a.txt')];
    assert.equal((await getDiagnostics(scope(), {})).summary, '1 problem');
  });

  it('only the named file\'s problems; a refused path is refused by kind', async () => {
    host.problems = [d('a.txt', { message: 'in a' }), d('single.txt', { message: 'in single' })];
    assert.equal((await getDiagnostics(scope(), { path: 'single.txt' })).content, 'single.txt:1:2 error: in single');
    assert.equal((await getDiagnostics(scope(), { path: '../x.ts' })).refusal, 'outside_workspace');
  });

  it('leaves out problems of secret files and of files outside, keeps those of ignored files', async () => {
    host.problems = [d('.env', { message: 'leak sk-secret-123' }), { ...d('a.txt'), absPath: '/elsewhere/x.ts' }, d('node_modules/dep/x.ts', { message: 'dep' })];
    assert.equal((await getDiagnostics(scope(), {})).content, 'node_modules/dep/x.ts:1:2 error: dep');
  });

  it('shows 200 rows and counts the rest', async () => {
    host.problems = Array.from({ length: 201 }, (_, i) => d('a.txt', { line: i + 1 }));
    const out = await getDiagnostics(scope(), {});
    const lines = out.content.split('\n');
    assert.equal(out.summary, '201 problems');
    assert.equal(lines.length, 201);
    assert.equal(lines[199], 'a.txt:200:2 error: bad');
    assert.equal(lines[200], '[1 more not shown]');
    host.problems = host.problems.slice(0, 200);
    assert.equal((await getDiagnostics(scope(), {})).content.split('\n').length, 200);
  });

  it('asks when reads ask; deny shows nothing', async () => {
    host.problems = [d('a.txt')];
    const s = scope({ settings: { autoApproveReads: false }, answer: 'deny' });
    assert.equal((await getDiagnostics(s, {})).status, 'denied');
  });
});
