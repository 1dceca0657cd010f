// search_text (searchTool.ts) run directly on a CallScope over a real temporary folder, with the
// real ripgrep of the test host or a scripted stand-in (issue 17): which files reach ripgrep, what
// the gate left out and why, the secret-content sniff, every note and limit, exact output.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SEARCH_FILE_LIMIT, searchText } from '../../../src/core/tools/searchTool';
import { FakeHost, tempDir, testRipgrep, writeFiles } from './fakeHost';
import { fakeRipgrep, match, printLines } from './fakeRipgrep';
import { scopeFor, type ScopeOptions } from './scopeHarness';

// The real ripgrep of the test host and POSIX stand-ins are needed. (A skip in a root-level hook
// would skip every test of the whole run, so the suites below are skipped instead.)
const runs = process.platform !== 'win32' && Boolean(testRipgrep());
const describeWithRipgrep = runs ? describe : describe.skip;
let ws = '';
let scriptDir = '';
let host: FakeHost;
before(async () => {
  if (!runs) return;
  ws = tempDir('aiml-search-exact-');
  scriptDir = tempDir('aiml-search-rg-');
  await writeFiles(ws, {
    'src/a.ts': 'const needle = 1;\n// another needle\n',
    'src/b.ts': 'needle in b\n',
    'src/none.ts': 'nothing here\n',
    'creds/key.pem': 'needle\n',
    'notes/sa.json': '{ "type": "service_account", "needle": true }\n',
    'notes/pem.txt': 'needle\n-----BEGIN EC PRIVATE KEY-----\nabc\n',
    'long.txt': `   ${'n'.repeat(295)}needle${'z'.repeat(10)}   \n  ${'m'.repeat(294)}needle  \n`,
    '.env': 'needle=1\n',
    'node_modules/dep/x.ts': 'needle\n',
  });
  host = new ExcludingHost([{ fsPath: ws, name: 'ws' }]);
});

/** findFiles returns excluded files too (as VS Code does with a custom exclude), so the gate's ignore check is what leaves them out. */
class ExcludingHost extends FakeHost {
  override ignored: string[] = [];
  override async isExcluded(absPath: string): Promise<boolean> { return path.relative(ws, absPath).startsWith('node_modules'); }
}

const scope = (options: ScopeOptions = {}) => scopeFor(host, { policyNames: ['search_text'], ...options });
/** A host over the same folder whose ripgrep is a scripted stand-in; the secret sniff (second call) finds nothing unless `sniff` says otherwise. */
async function scripted(body: string, sniff = 'exit 1') {
  const fake = await fakeRipgrep(scriptDir, `case "$*" in *service_account*) ${sniff};; esac\n${body}`);
  const h = new FakeHost([{ fsPath: ws, name: 'ws' }]);
  h.rgPath = fake.rg;
  return { h, fake };
}

describeWithRipgrep('search_text: before ripgrep runs', () => {
  it('shows the query, and the include glob when there is one, on the card', async () => {
    const plain = scope();
    await searchText(plain, { query: 'zzz-none', include: 'src/none.ts' });
    assert.equal(plain.target(), 'zzz-none in src/none.ts');
    const all = scope();
    await searchText(all, { query: 'zzz-none' });
    assert.equal(all.target(), 'zzz-none');
  });

  it('refuses an include glob by its reason', async () => {
    assert.deepEqual(await searchText(scope(), { query: 'x', include: '/etc/**' }), { status: 'failed', summary: 'refused: the pattern must be relative to the workspace', content: 'Refused: the pattern must be relative to the workspace.', isError: true });
  });

  it('without VS Code\'s ripgrep it says what to use instead', async () => {
    const none = new FakeHost([{ fsPath: ws, name: 'ws' }]);
    none.rgPath = undefined;
    assert.deepEqual(await searchText(scopeFor(none, { policyNames: ['search_text'] }), { query: 'x' }), {
      status: 'failed', summary: 'search unavailable', isError: true,
      content: "search_text is unavailable: VS Code's bundled ripgrep was not found. Use find_files and read_file instead.",
    });
  });

  it('asks when reads ask; deny searches nothing', async () => {
    const { h, fake } = await scripted('exit 1');
    const s = scopeFor(h, { policyNames: ['search_text'], settings: { autoApproveReads: false }, answer: 'deny' });
    assert.equal((await searchText(s, { query: 'needle' })).status, 'denied');
    assert.deepEqual(fake.calls(), []);
  });

  it('asks the host for at most 5,000 files of the include glob, or of every file', async () => {
    const globs: Array<[string, number]> = [];
    const spy = new (class extends FakeHost {
      override async findFiles(glob: string, max: number): Promise<string[]> { globs.push([glob, max]); return []; }
    })([{ fsPath: ws, name: 'ws' }]);
    await searchText(scopeFor(spy, { policyNames: ['search_text'] }), { query: 'x' });
    await searchText(scopeFor(spy, { policyNames: ['search_text'] }), { query: 'x', include: 'src/**' });
    assert.deepEqual(globs, [['**/*', SEARCH_FILE_LIMIT], ['src/**', SEARCH_FILE_LIMIT]]);
  });

  it('Stop before the gate: no file is checked or searched', async () => {
    const { h, fake } = await scripted('exit 1');
    const stop = new AbortController();
    stop.abort();
    const out = await searchText(scopeFor(h, { policyNames: ['search_text'], signal: stop.signal }), { query: 'needle' });
    assert.deepEqual([out.summary, out.content, out.gated], ['0 matches in 0 files', 'No matches for "needle".', []]);
    assert.deepEqual(fake.calls(), []);
  });
});

describeWithRipgrep('search_text: what the gate and the sniff leave out', () => {
  it('secret names, secret content and ignored files are left out, each by its kind, and counted in the notes', async () => {
    const out = await searchText(scope(), { query: 'needle' });
    assert.equal(out.summary, '5 matches in 3 files');
    assert.deepEqual(out.gated?.slice().sort((a, b) => a.path.localeCompare(b.path)), [
      { path: '.env', kind: 'secret' },
      { path: 'creds/key.pem', kind: 'secret' },
      { path: 'node_modules/dep/x.ts', kind: 'ignored' },
      { path: 'notes/pem.txt', kind: 'secret' },
      { path: 'notes/sa.json', kind: 'secret' },
    ]);
    const lines = out.content.split('\n');
    assert.deepEqual(lines.slice(-2), ['[4 secret-looking file(s) were not searched.]', '[1 file(s) were not searched: links leading outside the workspace, broken links or excluded files.]']);
    // ripgrep searches files in parallel: the order of files varies, lines within a file do not.
    assert.deepEqual(lines.slice(0, 5).filter((l) => l.startsWith('src/')).sort(), ['src/a.ts:1: const needle = 1;', 'src/a.ts:2: // another needle', 'src/b.ts:1: needle in b']);
  });

  it('a line is trimmed and cut after 300 characters', async () => {
    const out = await searchText(scope(), { query: 'needle', include: 'long.txt' });
    const [first, second] = out.content.split('\n');
    assert.equal(first, `long.txt:1: ${'n'.repeat(295)}needl…`);
    assert.equal(second, `long.txt:2: ${'m'.repeat(294)}needle`);
    assert.equal(out.gated?.length, 0);
    assert.equal(out.content.split('\n').length, 2);
  });

  it('a link and its target: searched once, under the target name; a link out is gated', async () => {
    const dir = tempDir('aiml-search-links-');
    const outside = tempDir('aiml-search-out-');
    await writeFiles(outside, { 'o.txt': 'needle outside\n' });
    await writeFiles(dir, { 'real.txt': 'needle\n' });
    await fs.symlink(path.join(dir, 'real.txt'), path.join(dir, 'a-link.txt'));
    await fs.symlink(path.join(outside, 'o.txt'), path.join(dir, 'out.txt'));
    const out = await searchText(scopeFor(new FakeHost([{ fsPath: dir, name: 'ws' }]), { policyNames: ['search_text'] }), { query: 'needle' });
    assert.equal(out.content, 'real.txt:1: needle\n[1 file(s) were not searched: links leading outside the workspace, broken links or excluded files.]');
    assert.deepEqual(out.gated, [{ path: 'out.txt', kind: 'symlink_escape' }]);
  });

  it('a path from outside every folder is gated by its absolute path, as outside_workspace', async () => {
    const { fake } = await scripted('exit 1');
    const stray = new (class extends FakeHost { override async findFiles(): Promise<string[]> { return ['/nowhere/x.txt']; } })([{ fsPath: ws, name: 'ws' }]);
    stray.rgPath = fake.rg;
    const out = await searchText(scopeFor(stray, { policyNames: ['search_text'] }), { query: 'needle' });
    assert.deepEqual(out.gated, [{ path: '/nowhere/x.txt', kind: 'outside_workspace' }]);
    assert.deepEqual(fake.calls(), []);
  });

  it('no hits: the sniff runs nothing', async () => {
    const { h, fake } = await scripted('exit 1');
    const out = await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'needle', include: 'src/**' });
    assert.equal(out.content, 'No matches for "needle".');
    assert.equal(fake.calls().length, 1);
  });

  it('when the sniff itself fails, every file with hits is left out as a secret', async () => {
    const { h } = await scripted(printLines([match(path.join(ws, 'src/b.ts'), 1, 'needle in b')]), `echo 'disk trouble' >&2; exit 2`);
    const out = await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'needle', include: 'src/**' });
    assert.equal(out.content, 'No matches for "needle".\n[1 secret-looking file(s) were not searched.]');
    assert.deepEqual(out.gated, [{ path: 'src/b.ts', kind: 'secret' }]);
  });

  it('the sniff is asked exactly about the files with hits, case-sensitively, by regex', async () => {
    const a = path.join(ws, 'src/a.ts');
    const { h, fake } = await scripted(printLines([match(a, 1, 'x'), match(a, 2, 'y')]));
    await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'needle', include: 'src/**', max_results: 9 });
    const [search, sniff] = fake.calls();
    assert.deepEqual(search.slice(search.indexOf('--') + 1), ['src/a.ts', 'src/b.ts', 'src/none.ts'].map((f) => path.join(ws, f)));
    assert.equal(search[search.indexOf('--max-count') + 1], '10');
    assert.deepEqual(sniff.slice(sniff.indexOf('--max-count')), ['--max-count', '2', '--case-sensitive', '-e', '"type"\\s*:\\s*"service_account"|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----', '--', a]);
    assert.equal(sniff[sniff.indexOf('--max-filesize') + 1], String(1024 * 1024));
  });
});

describeWithRipgrep('search_text: results, limits and notes', () => {
  const hits = (n: number, file = 'src/a.ts') => printLines(Array.from({ length: n }, (_, i) => match(path.join(ws, file), i + 1, `hit ${i + 1}`)));

  it('50 lines by default; one more says there are more', async () => {
    const { h } = await scripted(hits(51));
    const out = await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'hit', include: 'src/a.ts' });
    const lines = out.content.split('\n');
    assert.equal(out.summary, '50 matches in 1 files');
    assert.equal(lines.length, 51);
    assert.equal(lines[49], 'src/a.ts:50: hit 50');
    assert.equal(lines[50], '[More matches exist: narrow the query or the include glob.]');
    const { h: exact } = await scripted(hits(50));
    assert.ok(!(await searchText(scopeFor(exact, { policyNames: ['search_text'] }), { query: 'hit', include: 'src/a.ts' })).content.includes('More matches'));
  });

  it('counts files among the lines shown only', async () => {
    const { h } = await scripted(`${hits(2, 'src/a.ts')}\n${hits(1, 'src/b.ts')}`);
    const out = await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'hit', include: 'src/**', max_results: 2 });
    assert.equal(out.summary, '2 matches in 1 files');
  });

  it('a hit in a file nobody asked about is shown by its absolute path', async () => {
    const { h } = await scripted(printLines([match('/elsewhere/x.ts', 3, 'odd')]));
    const out = await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'odd', include: 'src/a.ts' });
    assert.equal(out.content, '/elsewhere/x.ts:3: odd');
  });

  it('an invalid pattern says how to fix it; another failure does not; both keep the message in details', async () => {
    const { h } = await scripted(`echo 'rg: regex parse error: unclosed group' >&2; exit 2`);
    assert.deepEqual(await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: '(', is_regex: true, include: 'src/a.ts' }), {
      status: 'failed', summary: 'invalid regular expression', isError: true, details: 'regex parse error: unclosed group',
      content: 'invalid regular expression: regex parse error: unclosed group. The syntax is RE2-like (Rust regex): no backreferences or look-around. Fix the pattern or set is_regex to false.',
    });
    const { h: broken } = await scripted(`echo 'out of memory' >&2; exit 2`);
    assert.deepEqual(await searchText(scopeFor(broken, { policyNames: ['search_text'] }), { query: 'x', include: 'src/a.ts' }), {
      status: 'failed', summary: 'search failed', isError: true, details: 'out of memory', content: 'search failed: out of memory.',
    });
  });

  it('passes is_regex and case_sensitive through only when true', async () => {
    const { h, fake } = await scripted('exit 1');
    await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'q', include: 'src/a.ts', is_regex: true, case_sensitive: true });
    await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'q', include: 'src/a.ts' });
    const [first, second] = fake.calls();
    assert.ok(first.includes('--case-sensitive') && !first.includes('--fixed-strings'));
    assert.ok(second.includes('--ignore-case') && second.includes('--fixed-strings'));
  });

  it('the budget note names the budget in seconds; Stop has its own note', async () => {
    const { h } = await scripted(`${hits(1)}\nexec sleep 30`);
    const out = await searchText(scopeFor(h, { policyNames: ['search_text'] }), { query: 'hit', include: 'src/a.ts' }, 1400);
    assert.equal(out.content, 'src/a.ts:1: hit 1\n[The search stopped after its 1 s budget: narrow the include glob or simplify the pattern.]');
    const printed = path.join(scriptDir, 'search-printed.flag');
    const { h: slow } = await scripted(`${hits(1)}\ntouch '${printed}'\nexec sleep 30`);
    const stop = new AbortController();
    const pending = searchText(scopeFor(slow, { policyNames: ['search_text'], signal: stop.signal }), { query: 'hit', include: 'src/a.ts' });
    const { existsSync } = await import('node:fs');
    while (!existsSync(printed)) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    assert.equal((await pending).content, 'src/a.ts:1: hit 1\n[The search was stopped.]');
  });

  it('5,000 files found: says only the first 5,000 were searched; 4,999: nothing', async () => {
    const file = path.join(ws, 'src/none.ts');
    const many = (n: number) => new (class extends FakeHost { override async findFiles(): Promise<string[]> { return Array.from({ length: n }, () => file); } })([{ fsPath: ws, name: 'ws' }]);
    const at = await searchText(scopeFor(many(SEARCH_FILE_LIMIT), { policyNames: ['search_text'] }), { query: 'needle' });
    assert.equal(at.content, 'No matches for "needle".\n[Only the first 5000 files were searched: use include to narrow.]');
    const under = await searchText(scopeFor(many(SEARCH_FILE_LIMIT - 1), { policyNames: ['search_text'] }), { query: 'needle' });
    assert.equal(under.content, 'No matches for "needle".');
  });
});
