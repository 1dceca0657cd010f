// The content gate's own checks, each alone: the secret name of a link (not only of its target),
// the name the model asked for, the display name of a found link, ignore rules only where they
// apply, and the size of the head that content sniffing looks at. Found by mutation testing (issue 17).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ContentGate, looksLikeSecretContent, SECRET_REASON, type GateVerdict } from '../../../src/core/security/contentGate';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import { tempDir, writeFiles } from '../tools/fakeHost';

const kindOf = (v: GateVerdict) => (v.ok ? 'ok' : v.kind);

describe('content gate: each check alone', () => {
  let ws: string;
  let gate: ContentGate;
  let ignoreCalls = 0;

  before(async () => {
    ws = path.join(tempDir('aiml-gate-'), 'ws');
    await writeFiles(ws, { 'plain.txt': 'p', 'build/out.txt': 'o', 'src/app.ts': 'a' });
    // Links with secret names to ordinary files: only the link's own name says "secret".
    await fs.symlink(path.join(ws, 'plain.txt'), path.join(ws, 'id_rsa'));
    await fs.mkdir(path.join(ws, 'config'));
    await fs.symlink(path.join(ws, 'plain.txt'), path.join(ws, 'config', 'prod.yml'));
    const roots = [{ fsPath: ws, name: 'ws' }];
    gate = new ContentGate(new PathResolver(roots), new SensitivePaths(['config/*.yml']), (file) => { ignoreCalls++; return file.relPath.startsWith('build/'); });
  });

  it('a named path is secret by the name asked for, even when the target is ordinary', async () => {
    const verdict = await gate.checkNamed('id_rsa');
    assert.deepEqual(verdict.ok ? verdict : [verdict.kind, verdict.reason, verdict.file?.relPath], ['secret', SECRET_REASON, 'plain.txt']);
  });

  it('a found link is secret by its workspace-relative name (a pattern anchored at the folder)', async () => {
    const verdict = await gate.checkFound(path.join(ws, 'config', 'prod.yml'));
    assert.equal(kindOf(verdict), 'secret');
    assert.equal(kindOf(await gate.checkFound(path.join(ws, 'plain.txt'))), 'ok');
  });

  it('ignore rules apply to found files unless the caller opts out, never to named ones', async () => {
    const found = await gate.checkFound(path.join(ws, 'build', 'out.txt'));
    assert.deepEqual(found.ok ? found : [found.kind, found.reason, found.file?.relPath], ['ignored', 'the file is excluded (files.exclude or .gitignore)', 'build/out.txt']);
    ignoreCalls = 0;
    assert.equal(kindOf(await gate.checkFound(path.join(ws, 'build', 'out.txt'), { applyIgnore: false })), 'ok');
    assert.equal(ignoreCalls, 0, 'the ignore check is not even asked');
    assert.equal(kindOf(await gate.checkFound(path.join(ws, 'build', 'out.txt'), { applyIgnore: true })), 'ignored');
    const named = await gate.checkNamed('build/out.txt');
    assert.ok(named.ok);
    assert.equal(named.file.relPath, 'build/out.txt');
  });

  it('without ignore rules a found file passes', async () => {
    const bare = new ContentGate(new PathResolver([{ fsPath: ws, name: 'ws' }]), new SensitivePaths());
    const verdict = await bare.checkFound(path.join(ws, 'build', 'out.txt'));
    assert.ok(verdict.ok);
    assert.equal(verdict.file.displayPath, 'build/out.txt');
  });

  it('a path refusal passes through with its own kind and reason, and no file', async () => {
    for (const check of [(raw: string) => gate.checkNamed(raw), (raw: string) => gate.checkFound(raw)]) {
      const verdict = await check('/etc/passwd');
      assert.deepEqual(verdict, { ok: false, kind: 'outside_workspace', reason: '"/etc/passwd" is outside the workspace folders' });
    }
  });
});

describe('content sniffing: how much of the text is looked at', () => {
  const KEY = '-----BEGIN PRIVATE KEY-----';
  const HEAD = 64 * 1024;
  it('a key that starts inside the first 64 KiB is found, one that starts after is not', () => {
    assert.ok(looksLikeSecretContent('x'.repeat(HEAD - KEY.length) + KEY));
    assert.equal(looksLikeSecretContent('x'.repeat(HEAD - KEY.length + 1) + KEY), false);
  });
  it('service-account JSON with and without spaces around the colon', () => {
    assert.ok(looksLikeSecretContent('{"type":"service_account"}'));
    assert.ok(looksLikeSecretContent('{"type"\t:\n "service_account"}'));
    assert.equal(looksLikeSecretContent('{"type": "service_accounts_list"}'), false);
    assert.equal(looksLikeSecretContent('{"kind": "service_account"}'), false);
  });
  it('PEM private keys of any algorithm words, not public ones', () => {
    for (const label of ['EC', 'DSA', 'ENCRYPTED', 'OPENSSH', 'RSA2048 X9']) assert.ok(looksLikeSecretContent(`-----BEGIN ${label} PRIVATE KEY-----`), label);
    for (const text of ['-----BEGIN PUBLIC KEY-----', '-----BEGIN rsa PRIVATE KEY-----', '-----BEGIN  PRIVATE KEY-----', '----BEGIN PRIVATE KEY-----']) assert.equal(looksLikeSecretContent(text), false, text);
  });
});
