// Chip content goes through the same defences as the tools: confinement (symlinks resolved), secret
// names, and secret content under any name. Each case names the defence that refused it.
import * as assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { readForContext } from '../../../src/core/context/contextSources';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';

describe('context chips: one read gate', () => {
  let deps: Parameters<typeof readForContext>[0];
  before(async () => {
    const ws = tempDir('aiml-chips-');
    const outside = tempDir('aiml-chips-out-');
    await writeFiles(ws, { 'app.ts': 'export const x = 1;\n', '.env': 'TOKEN=abc\n', 'notes.txt': '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n' });
    await writeFiles(outside, { 'secret.txt': 'outside\n' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link.txt'));
    const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
    deps = { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths() };
  });

  it('reads a workspace file', async () => {
    const read = await readForContext(deps, 'app.ts');
    assert.ok(read.ok);
    assert.equal(read.ok && read.text, 'export const x = 1;\n');
  });
  it('refuses a link that leads outside the workspace', async () => {
    const read = await readForContext(deps, 'link.txt');
    assert.equal(read.ok, false);
    assert.doesNotMatch(read.ok ? '' : read.reason, /secrets/);
  });
  it('refuses a secret file by name', async () => {
    const read = await readForContext(deps, '.env');
    assert.match(read.ok ? '' : read.reason, /looks like it holds secrets/);
  });
  it('refuses a private key by content, whatever the name', async () => {
    const read = await readForContext(deps, 'notes.txt');
    assert.match(read.ok ? '' : read.reason, /notes\.txt looks like it holds secrets/);
  });
});
