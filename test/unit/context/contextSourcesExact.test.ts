// Chips built from a real temporary workspace: the exact refusal of each defence, the exact chip
// (label, path, language, range, text, tokens) of each kind, and the caps on folders and problems.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_CHIP_CHARS, fileChip, folderChip, languageOf, makeChip, problemsChip, rangeChip, readForContext, selectionChip } from '../../../src/core/context/contextSources';
import { chipTokens } from '../../../src/core/context/contextBlocks';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import type { DiagnosticInfo } from '../../../src/core/tools/toolHost';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';

describe('context chips, exactly', () => {
  let ws: string;
  let host: FakeHost;
  let deps: Parameters<typeof readForContext>[0];
  before(async () => {
    ws = tempDir('aiml-chips-exact-');
    await writeFiles(ws, {
      'src/app.ts': 'one\r\ntwo\nthree\nfour\n',
      'big.bin': 'x',
      'latin.txt': 'ok',
      'dir/b.txt': 'b',
      'dir/A.txt': 'a',
      'dir/.env': 'SECRET=1',
      'dir/sub/c.txt': 'c',
      'dir/zed/d.txt': 'd',
      'empty/.keep': '',
    });
    writeFileSync(path.join(ws, 'big.bin'), Buffer.alloc(4 * 1024 * 1024 + 1, 0x61));
    writeFileSync(path.join(ws, 'four.txt'), Buffer.alloc(4 * 1024 * 1024, 0x61));
    writeFileSync(path.join(ws, 'nul.dat'), Buffer.from([0x61, 0x00, 0x62]));
    mkdirSync(path.join(ws, 'many'));
    for (let i = 0; i < 302; i++) writeFileSync(path.join(ws, 'many', `f${String(i).padStart(3, '0')}.txt`), '');
    host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
    deps = { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths() };
  });
  beforeEach(() => {
    host.selection = undefined;
    host.problems = [];
    host.dirty.clear();
  });

  const reason = (result: { ok: boolean; reason?: string }): string => (result.ok ? assert.fail('expected a refusal') : result.reason ?? '');

  it('readForContext names each refusal', async () => {
    assert.equal(reason(await readForContext(deps, 'dir/.env')), 'dir/.env looks like it holds secrets (keys, tokens, passwords), so it is not attached');
    assert.equal(reason(await readForContext(deps, 'missing.ts')), 'missing.ts does not exist');
    assert.equal(reason(await readForContext(deps, 'dir')), 'dir is a folder');
    assert.equal(reason(await readForContext(deps, 'big.bin')), `big.bin is ${4 * 1024 * 1024 + 1} bytes, too large to attach`);
    assert.match(reason(await readForContext(deps, 'nul.dat')), /^nul\.dat: /);
    assert.match(reason(await readForContext(deps, '../outside.txt')), /outside/);
  });

  it('reads a file of exactly 4 MB, and unsaved editor text instead of the disk', async () => {
    const four = await readForContext(deps, 'four.txt');
    assert.equal(four.ok && four.text.length, 4 * 1024 * 1024);
    host.dirty.set(path.join(ws, 'latin.txt'), 'unsaved');
    assert.deepEqual(await readForContext(deps, 'latin.txt'), { ok: true, absPath: path.join(ws, 'latin.txt'), displayPath: 'latin.txt', text: 'unsaved' });
    host.dirty.set(path.join(ws, 'latin.txt'), '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n');
    assert.equal(reason(await readForContext(deps, 'latin.txt')), 'latin.txt looks like it holds secrets (keys, tokens, passwords), so it is not attached');
  });

  it('languageOf maps by extension, case-insensitively', () => {
    assert.equal(languageOf('a/B.TS'), 'typescript');
    assert.equal(languageOf('x.sh'), 'shellscript');
    assert.equal(languageOf('Makefile'), undefined);
    assert.equal(languageOf('x.unknown'), undefined);
  });

  it('makeChip caps the text at 100,000 characters and fills in the tokens', () => {
    assert.equal(MAX_CHIP_CHARS, 100_000);
    const whole = makeChip({ kind: 'file', label: 'a', path: 'a', text: 'x'.repeat(100_000) });
    assert.equal(whole.text.length, 100_000);
    assert.equal('truncated' in whole, false);
    assert.equal(whole.tokens, chipTokens(whole));
    const cut = makeChip({ kind: 'file', label: 'a', path: 'a', text: 'x'.repeat(100_001) });
    assert.equal(cut.text.length, 100_000);
    assert.equal(cut.truncated, true);
    assert.equal(cut.tokens, chipTokens(cut));
  });

  it('fileChip and rangeChip build the exact chips', async () => {
    const file = await fileChip(deps, 'src/app.ts');
    assert.deepEqual(file.ok && { ...file.chip, tokens: 0 }, { kind: 'file', label: 'src/app.ts', path: 'src/app.ts', language: 'typescript', text: 'one\r\ntwo\nthree\nfour\n', tokens: 0 });
    const range = await rangeChip(deps, 'src/app.ts', { startLine: 2, endLine: 3 });
    assert.deepEqual(range.ok && { ...range.chip, tokens: 0 }, { kind: 'selection', label: 'src/app.ts:2-3', path: 'src/app.ts', language: 'typescript', range: { startLine: 2, endLine: 3 }, text: 'two\nthree', tokens: 0 });
    const one = await rangeChip(deps, 'src/app.ts', { startLine: 1, endLine: 1 });
    assert.equal(one.ok && one.chip.label, 'src/app.ts:1');
    assert.equal(one.ok && one.chip.text, 'one');
    assert.equal(reason(await rangeChip(deps, 'dir/.env', { startLine: 1, endLine: 1 })), 'dir/.env looks like it holds secrets (keys, tokens, passwords), so it is not attached');
    assert.equal(reason(await fileChip(deps, 'missing.ts')), 'missing.ts does not exist');
  });

  it('folderChip lists folders first, then names in order, without secrets', async () => {
    const folder = await folderChip(deps, 'dir');
    assert.deepEqual(folder.ok && { ...folder.chip, tokens: 0 }, { kind: 'folder', label: 'dir/', path: 'dir', text: 'sub/\nzed/\nA.txt\nb.txt', tokens: 0 });
    assert.equal(reason(await folderChip(deps, 'src/app.ts')), 'src/app.ts is not a folder');
    assert.equal(reason(await folderChip(deps, 'nothing')), 'nothing is not a folder');
    assert.match(reason(await folderChip(deps, '../x')), /outside/);
  });

  it('folderChip shows 300 entries and counts the rest', async () => {
    const many = await folderChip(deps, 'many');
    const lines = many.ok ? many.chip.text.split('\n') : [];
    assert.equal(lines.length, 301);
    assert.equal(lines[299], 'f299.txt');
    assert.equal(lines[300], '[2 more entries]');
    const empty = await folderChip(deps, 'empty');
    assert.equal(empty.ok && empty.chip.text, '.keep');
  });

  it('selectionChip: no editor, an untitled document, a file, a secret, a file outside', async () => {
    assert.equal(reason(await selectionChip(deps)), 'no editor is active; open a file and select the code first');
    host.selection = { documentName: 'Untitled-1', languageId: 'plaintext', startLine: 4, endLine: 4, text: 'sel', isEmpty: false };
    const untitled = await selectionChip(deps);
    assert.deepEqual(untitled.ok && { ...untitled.chip, tokens: 0 }, { kind: 'selection', label: 'Untitled-1:4', path: 'Untitled-1', language: 'plaintext', range: { startLine: 4, endLine: 4 }, text: 'sel', tokens: 0 });
    host.selection = { absPath: path.join(ws, 'src', 'app.ts'), documentName: 'app.ts', languageId: 'typescript', startLine: 1, endLine: 2, text: 'one\ntwo', isEmpty: false };
    const inFile = await selectionChip(deps);
    assert.equal(inFile.ok && inFile.chip.label, 'src/app.ts:1-2');
    assert.equal(inFile.ok && inFile.chip.path, 'src/app.ts');
    host.selection = { ...host.selection, absPath: path.join(ws, 'dir', '.env') };
    assert.equal(reason(await selectionChip(deps)), 'dir/.env looks like it holds secrets, so it is not attached');
    host.selection = { ...host.selection, absPath: path.resolve(ws, '..', 'elsewhere.ts') };
    assert.match(reason(await selectionChip(deps)), /^the active file is not attached: /);
  });

  it('problemsChip: the exact lines, sources and codes, files outside skipped, 200 at most', async () => {
    const d = (file: string, extra: Partial<DiagnosticInfo> = {}): DiagnosticInfo => ({ absPath: path.join(ws, file), line: 3, column: 7, severity: 'error', message: 'bad', ...extra });
    host.problems = [d('src/app.ts', { source: 'ts', code: '2304' }), d('latin.txt', { severity: 'warning', source: 'eslint' }), d('../out.ts'), d('latin.txt', { code: 'x' })];
    const all = await problemsChip(deps);
    assert.deepEqual(all.ok && { ...all.chip, tokens: 0 }, { kind: 'problems', label: 'problems', path: undefined, text: 'src/app.ts:3:7 error: bad (ts 2304)\nlatin.txt:3:7 warning: bad (eslint)\nlatin.txt:3:7 error: bad', tokens: 0 });
    host.problems = [];
    const none = await problemsChip(deps);
    assert.equal(none.ok && none.chip.text, 'No problems reported in the workspace.');
    host.selection = { absPath: path.join(ws, 'src', 'app.ts'), documentName: 'app.ts', languageId: 'typescript', startLine: 1, endLine: 1, text: '', isEmpty: true };
    const activeNone = await problemsChip(deps);
    assert.equal(activeNone.ok && activeNone.chip.text, 'No problems reported in src/app.ts.');
    assert.equal(activeNone.ok && activeNone.chip.path, 'src/app.ts');
    host.problems = Array.from({ length: 203 }, (_, i) => d('src/app.ts', { line: i + 1 }));
    const capped = await problemsChip(deps);
    const lines = capped.ok ? capped.chip.text.split('\n') : [];
    assert.equal(lines.length, 201);
    assert.equal(lines[199], 'src/app.ts:200:7 error: bad');
    assert.equal(lines[200], '[3 more problems]');
    host.problems = [];
    host.selection = { ...host.selection, absPath: path.resolve(ws, '..', 'elsewhere.ts') };
    const outside = await problemsChip(deps);
    assert.equal(outside.ok && outside.chip.text, 'No problems reported in the active file.');
  });
});
