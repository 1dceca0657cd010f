// Path confinement against hostile inputs, on a real temporary folder with real symlinks.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PathResolver } from '../../../src/core/tools/paths';
import { tempDir, writeFiles } from './fakeHost';

describe('tools: path confinement', () => {
  let ws: string;
  let outside: string;
  let resolver: PathResolver;

  before(async () => {
    const base = tempDir();
    ws = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    await writeFiles(ws, { 'src/app.ts': 'x', 'README.md': 'r', 'docs/guide.md': 'g' });
    await writeFiles(outside, { 'secret.txt': 's', 'dir/file.txt': 'f' });
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(ws, 'link-out.txt'));
    await fs.symlink(path.join(outside, 'dir'), path.join(ws, 'linkdir-out'));
    await fs.symlink(path.join(ws, 'docs'), path.join(ws, 'linkdir-in'));
    await fs.symlink(path.join(ws, 'src/app.ts'), path.join(ws, 'link-in.ts'));
    await fs.symlink(path.join(outside, 'missing.txt'), path.join(ws, 'dangling-out'));
    resolver = new PathResolver([{ fsPath: ws, name: 'ws' }]);
  });

  const refused: Array<[string, () => string, RegExp]> = [
    ['parent escape', () => '../outside/secret.txt', /outside the workspace/],
    ['nested parent escape', () => 'src/../../outside/secret.txt', /outside the workspace/],
    ['backslash parent escape', () => '..\\outside\\secret.txt', /outside the workspace/],
    ['bare ..', () => '..', /outside the workspace/],
    ['absolute outside', () => path.join(outside, 'secret.txt'), /outside the workspace/],
    ['absolute /etc/passwd', () => '/etc/passwd', /outside the workspace/],
    ['home tilde', () => '~/.ssh/id_rsa', /home-relative/],
    ['tilde user', () => '~root/.bashrc', /home-relative/],
    ['file URI outside', () => pathToFileURL(path.join(outside, 'secret.txt')).href, /outside the workspace/],
    ['vscode-remote URI', () => 'vscode-remote://ssh-remote+host/etc/passwd', /scheme "vscode-remote"/],
    ['http URI', () => 'https://example.com/x', /scheme "https"/],
    ['untitled URI', () => 'untitled:Untitled-1', /scheme "untitled"/],
    ['NUL byte', () => 'src/app.ts\0.png', /control characters/],
    ['newline', () => 'src/app.ts\n../../etc/passwd', /control characters/],
    ['UNC path', () => '\\\\server\\share\\x', /UNC/],
    ['device path', () => '\\\\?\\C:\\Windows', /UNC/],
    ['double slash host', () => '//host/share', /UNC/],
    ['Windows drive', () => 'C:\\Windows\\system.ini', /drive/],
    ['drive-relative', () => 'C:foo', /drive/],
    ['symlink to outside file', () => 'link-out.txt', /symbolic link that leads outside/],
    ['file through symlinked dir to outside', () => 'linkdir-out/file.txt', /symbolic link that leads outside/],
    ['new file through symlinked dir to outside', () => 'linkdir-out/new.txt', /symbolic link that leads outside/],
    ['dangling symlink', () => 'dangling-out', /broken symbolic link/],
    ['empty', () => '', /empty/],
  ];

  for (const [name, input, reason] of refused) {
    it(`refuses ${name}`, async () => {
      const result = await resolver.resolve(input());
      assert.equal(result.ok, false, `expected refusal for ${JSON.stringify(input())}`);
      if (!result.ok) assert.match(result.reason, reason);
    });
  }

  const accepted: Array<[string, () => string, string, boolean]> = [
    ['relative file', () => 'src/app.ts', 'src/app.ts', true],
    ['dot-slash', () => './README.md', 'README.md', true],
    ['inner .. that stays inside', () => 'src/../docs/guide.md', 'docs/guide.md', true],
    ['backslashes', () => 'src\\app.ts', 'src/app.ts', true],
    ['absolute inside', () => path.join(ws, 'README.md'), 'README.md', true],
    ['file URI inside', () => pathToFileURL(path.join(ws, 'src/app.ts')).href, 'src/app.ts', true],
    ['the folder itself', () => '.', '.', true],
    ['symlink inside to inside (resolved to its target)', () => 'link-in.ts', 'src/app.ts', true],
    ['symlinked dir inside', () => 'linkdir-in/guide.md', 'docs/guide.md', true],
    ['new file in a new folder', () => 'new/deep/file.ts', 'new/deep/file.ts', false],
  ];

  for (const [name, input, display, exists] of accepted) {
    it(`accepts ${name}`, async () => {
      const result = await resolver.resolve(input());
      assert.ok(result.ok, result.ok ? '' : result.reason);
      assert.equal(result.value.displayPath, display);
      assert.equal(result.value.exists, exists);
      assert.ok(result.value.absPath.startsWith(ws));
    });
  }

  it('treats a case-changed absolute path as the file system does', async () => {
    const result = await resolver.resolve(ws.toUpperCase() + '/src/app.ts');
    if (process.platform === 'linux') {
      // Case-sensitive: /TMP/... is another (missing) place, outside the workspace.
      assert.equal(result.ok, false);
    } else {
      assert.ok(result.ok);
      assert.equal(result.value.displayPath.toLowerCase(), 'src/app.ts');
    }
  });

  it('refuses everything when no folder is open', async () => {
    const result = await new PathResolver([]).resolve('README.md');
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /no folder is open/);
  });

  it('anchors paths by folder name in a multi-root workspace and refuses the gap between roots', async () => {
    const base = tempDir();
    await writeFiles(base, { 'a/one.txt': '1', 'b/two.txt': '2', 'between.txt': 'x' });
    const multi = new PathResolver([{ fsPath: path.join(base, 'a'), name: 'a' }, { fsPath: path.join(base, 'b'), name: 'b' }]);
    const two = await multi.resolve('b/two.txt');
    assert.ok(two.ok);
    assert.equal(two.value.displayPath, 'b/two.txt');
    assert.equal(two.value.absPath, path.join(base, 'b', 'two.txt'));
    const one = await multi.resolve('one.txt');
    assert.ok(one.ok);
    assert.equal(one.value.displayPath, 'a/one.txt');
    const gap = await multi.resolve('../between.txt');
    assert.equal(gap.ok, false);
  });

  it('follows a workspace folder that is itself reached through a symlink', async () => {
    const base = tempDir();
    await writeFiles(base, { 'real/file.txt': 'x' });
    await fs.symlink(path.join(base, 'real'), path.join(base, 'alias'));
    const viaAlias = new PathResolver([{ fsPath: path.join(base, 'alias'), name: 'alias' }]);
    const result = await viaAlias.resolve('file.txt');
    assert.ok(result.ok);
    assert.equal(result.value.displayPath, 'file.txt');
    assert.equal(await viaAlias.displayPathOf(path.join(base, 'alias', 'file.txt')), 'file.txt');
    assert.equal(await viaAlias.displayPathOf(path.join(base, 'elsewhere.txt')), undefined);
  });
});
