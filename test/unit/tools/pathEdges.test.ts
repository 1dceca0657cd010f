// The exact edges of path confinement that the broader suites (paths.test.ts, hostilePaths) cannot
// tell apart: which refusal kind and reason fired, sibling folders that share a name prefix, a
// workspace folder that is a link or does not exist, multi-root anchoring and display paths.
// Found by mutation testing (issue 17): each test fails when one check of paths.ts is changed.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PathResolver, type PathResult } from '../../../src/core/tools/paths';
import { tempDir, writeFiles } from './fakeHost';

function refusal(result: PathResult): { kind: string; reason: string } {
  assert.equal(result.ok, false, result.ok ? `accepted as ${result.value.displayPath}` : '');
  return result.ok ? { kind: '', reason: '' } : { kind: result.kind, reason: result.reason };
}

describe('tools: path confinement edges', () => {
  let base: string;
  let ws: string;
  let resolver: PathResolver;

  before(async () => {
    base = tempDir('aiml-edges-');
    ws = path.join(base, 'ws');
    await writeFiles(base, { 'ws/src/app.ts': 'x', 'ws/docs/guide.md': 'g', 'ws/ws/inner.txt': 'i', 'ws-evil/secret.txt': 's', 'real/file.txt': 'f', 'outside.txt': 'o' });
    await fs.symlink(path.join(base, 'outside.txt'), path.join(base, 'real', 'link-out.txt'));
    await fs.symlink(path.join(base, 'real'), path.join(base, 'alias'));
    resolver = new PathResolver([{ fsPath: ws, name: 'ws' }]);
  });

  it('a sibling folder whose name starts like the workspace is outside it', async () => {
    assert.deepEqual(refusal(await resolver.resolve(path.join(base, 'ws-evil', 'secret.txt'))), {
      kind: 'outside_workspace', reason: `"${path.join(base, 'ws-evil', 'secret.txt')}" is outside the workspace folders`,
    });
    assert.equal(await resolver.displayPathOf(path.join(base, 'ws-evil', 'secret.txt')), undefined);
  });

  it('a relative path that climbs out and back in is refused before any file is looked at', async () => {
    assert.deepEqual(refusal(await resolver.resolve('../ws/src/app.ts')), { kind: 'outside_workspace', reason: '"../ws/src/app.ts" points outside the workspace' });
    assert.deepEqual(refusal(await resolver.resolve('..')), { kind: 'outside_workspace', reason: '".." points outside the workspace' });
  });

  it('each syntactic refusal has its own kind and reason', async () => {
    const cases: Array<[unknown, string, string]> = [
      [42, 'invalid_path', 'the path must be a string'],
      ['   ', 'invalid_path', 'the path is empty'],
      ['a\u001fb', 'invalid_path', 'the path contains control characters (e.g. a NUL byte)'],
      ['~', 'home_relative', 'home-relative paths (~) are not allowed; use a path inside the workspace'],
      ['\\/x', 'unc_path', 'UNC and device paths (\\\\server\\share, \\\\?\\, //host) are not allowed'],
      ['git+ssh:x', 'other_scheme', 'URIs of scheme "git+ssh" are not allowed; use a workspace path'],
      ['FILE://host/x', 'invalid_path', 'the file: URI is malformed or names another host'],
    ];
    for (const [raw, kind, reason] of cases) assert.deepEqual(refusal(await resolver.resolve(raw as string)), { kind, reason }, String(raw));
    assert.deepEqual(refusal(await new PathResolver([]).resolve('x')), { kind: 'no_workspace', reason: 'no folder is open in VS Code' });
  });

  it('a scheme needs two letters: a one-letter prefix is a drive, not a scheme', async () => {
    // POSIX: drive paths are refused as such; the Windows-only branches are not reachable here.
    if (process.platform === 'win32') return;
    assert.deepEqual(refusal(await resolver.resolve('c:x')), { kind: 'invalid_path', reason: 'Windows drive paths are not valid here' });
    assert.equal(refusal(await resolver.resolve('ab:x')).kind, 'other_scheme');
    assert.equal(refusal(await resolver.resolve('a1:x')).kind, 'other_scheme');
  });

  it('on POSIX a colon inside a name is an ordinary character', async () => {
    if (process.platform === 'win32') return;
    const result = await resolver.resolve('src/notes:2024.txt');
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.deepEqual([result.value.relPath, result.value.exists], ['src/notes:2024.txt', false]);
  });

  it('"file:" only counts at the start: another scheme ending in "file" is refused, a name containing it is a path', async () => {
    assert.equal(refusal(await resolver.resolve('git+file:/etc/passwd')).kind, 'other_scheme');
    if (process.platform === 'win32') return;
    const named = await resolver.resolve('src/file:x.txt');
    assert.ok(named.ok, named.ok ? '' : named.reason);
    assert.equal(named.value.relPath, 'src/file:x.txt');
  });

  it('broken links: the path itself, or a parent folder, each with its reason', async () => {
    await fs.symlink(path.join(base, 'nowhere'), path.join(ws, 'broken-dir'));
    assert.deepEqual(refusal(await resolver.resolve('broken-dir')), { kind: 'broken_link', reason: '"broken-dir": the path is a broken symbolic link' });
    assert.deepEqual(refusal(await resolver.resolve('broken-dir/deeper/new.txt')), { kind: 'broken_link', reason: '"broken-dir/deeper/new.txt": a parent folder is a broken symbolic link' });
  });

  it('multi-root: a deep path under a named folder, and a link out of one folder', async () => {
    const multi = new PathResolver([{ fsPath: ws, name: 'ws' }, { fsPath: path.join(base, 'real'), name: 'real' }]);
    const deep = await multi.resolve('ws/src/app.ts');
    assert.ok(deep.ok);
    assert.deepEqual([deep.value.absPath, deep.value.displayPath], [path.join(ws, 'src', 'app.ts'), 'ws/src/app.ts']);
    assert.deepEqual(refusal(await multi.resolve('real/link-out.txt')), { kind: 'symlink_escape', reason: '"real/link-out.txt" is a symbolic link that leads outside the workspace' });
  });

  it('a single folder named like a subfolder does not swallow the first segment', async () => {
    const result = await resolver.resolve('ws/inner.txt');
    assert.ok(result.ok);
    assert.equal(result.value.absPath, path.join(ws, 'ws', 'inner.txt'));
    assert.equal(result.value.displayPath, 'ws/inner.txt');
    assert.equal(result.value.relPath, 'ws/inner.txt');
    assert.equal(result.value.root.name, 'ws');
  });

  it('the folder itself: relPath is empty, displayed as "." (single root) or by its name (multi-root)', async () => {
    const single = await resolver.resolve('.');
    assert.ok(single.ok);
    assert.deepEqual([single.value.relPath, single.value.displayPath, single.value.exists], ['', '.', true]);
    assert.equal(await resolver.displayPathOf(ws), '.');
    const multi = new PathResolver([{ fsPath: ws, name: 'ws' }, { fsPath: path.join(base, 'real'), name: 'real' }]);
    const named = await multi.resolve('real');
    assert.ok(named.ok);
    assert.deepEqual([named.value.relPath, named.value.displayPath, named.value.absPath], ['', 'real', path.join(base, 'real')]);
    assert.equal(await multi.displayPathOf(path.join(base, 'real')), 'real');
    assert.equal(await multi.displayPathOf(path.join(base, 'real', 'file.txt')), 'real/file.txt');
  });

  it('a workspace folder reached through a link: a link inside it that leads out is a symlink escape', async () => {
    const viaAlias = new PathResolver([{ fsPath: path.join(base, 'alias'), name: 'alias' }]);
    for (const raw of ['link-out.txt', path.join(base, 'alias', 'link-out.txt'), path.join(base, 'real', 'link-out.txt')]) {
      assert.deepEqual(refusal(await viaAlias.resolve(raw)), { kind: 'symlink_escape', reason: `"${raw}" is a symbolic link that leads outside the workspace` }, raw);
    }
    const inside = await viaAlias.resolve(path.join(base, 'alias', 'file.txt'));
    assert.ok(inside.ok);
    assert.equal(inside.value.absPath, path.join(base, 'real', 'file.txt'));
  });

  it('a workspace folder that does not exist (yet) still confines its paths', async () => {
    const ghost = path.join(base, 'ghost');
    const missing = new PathResolver([{ fsPath: ghost, name: 'ghost' }]);
    const result = await missing.resolve('new/file.txt');
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.deepEqual([result.value.absPath, result.value.displayPath, result.value.exists], [path.join(ghost, 'new', 'file.txt'), 'new/file.txt', false]);
    assert.equal(await missing.displayPathOf(path.join(ghost, 'a.txt')), 'a.txt');
  });

  it('the file-system root as the workspace folder', async () => {
    if (process.platform === 'win32') return;
    const root = new PathResolver([{ fsPath: '/', name: 'root' }]);
    const result = await root.resolve(path.join(ws, 'src', 'app.ts'));
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.value.relPath, path.join(ws, 'src', 'app.ts').slice(1));
    assert.equal(await root.displayPathOf('/'), '.');
  });

  it('a workspace folder with capitals: matched exactly where the file system is case-sensitive', async () => {
    await writeFiles(base, { 'Mixed/a.txt': 'a' });
    const mixed = new PathResolver([{ fsPath: path.join(base, 'Mixed'), name: 'Mixed' }]);
    const result = await mixed.resolve(path.join(base, 'Mixed', 'a.txt'));
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.value.displayPath, 'a.txt');
    assert.equal(await mixed.displayPathOf(path.join(base, 'Mixed', 'a.txt')), 'a.txt');
    if (process.platform !== 'linux') return;
    assert.equal(refusal(await mixed.resolve(path.join(base, 'mixed', 'a.txt'))).kind, 'outside_workspace');
    assert.equal(await mixed.displayPathOf(path.join(base, 'mixed', 'a.txt')), undefined);
  });

  it('nested folders in either order: the innermost owns the path, also for display', async () => {
    const outer = { fsPath: ws, name: 'outer' };
    const inner = { fsPath: path.join(ws, 'docs'), name: 'inner' };
    for (const roots of [[outer, inner], [inner, outer]]) {
      const nested = new PathResolver(roots);
      const result = await nested.resolve(path.join(ws, 'docs', 'guide.md'));
      assert.ok(result.ok);
      assert.deepEqual([result.value.root.name, result.value.relPath, result.value.displayPath], ['inner', 'guide.md', 'inner/guide.md']);
      assert.equal(await nested.displayPathOf(path.join(ws, 'docs', 'guide.md')), 'inner/guide.md');
      assert.equal(await nested.displayPathOf(path.join(ws, 'src', 'app.ts')), 'outer/src/app.ts');
    }
  });
});
