// The canary-key suite's scanner (test/e2e/support/canaryScan.ts) on planted files: each spelling
// of the key is found wherever it sits in the bytes, and a tree without it has no hits.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { canaryForms, scanText, scanTree } from '../../e2e/support/canaryScan';

const KEY = 'sk-canary-0123456789abcdef0123456789abcdef';
const forms = canaryForms(KEY);

describe('canary scanner', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'canary-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the key as text, UTF-16 and base64 at every byte alignment, inside binary data', () => {
    for (const prefix of ['', 'x', 'xy', 'Bearer ', '{"k":"']) {
      const encoded = Buffer.from(`${prefix}${KEY}"}`).toString('base64');
      assert.notEqual(scanText('b64', `junk ${encoded} junk`, forms).length, 0, `base64 after "${prefix}"`);
      assert.notEqual(scanText('b64url', encoded.replace(/\+/g, '-').replace(/\//g, '_'), forms).length, 0, `base64url after "${prefix}"`);
    }
    mkdirSync(path.join(dir, 'logs', 'deep'), { recursive: true });
    writeFileSync(path.join(dir, 'logs', 'deep', 'a.log'), `Authorization: Bearer ${KEY}\n`);
    writeFileSync(path.join(dir, 'state.vscdb'), Buffer.concat([Buffer.from([0, 1, 2, 0xff]), Buffer.from(KEY, 'utf16le'), Buffer.alloc(8)]));
    writeFileSync(path.join(dir, 'clean.txt'), 'sk-canary-0123 is not the key');
    const result = scanTree([dir], forms);
    assert.equal(result.files, 3);
    assert.deepEqual(result.hits.map((h) => [path.relative(dir, h.where), h.form]).sort(), [['logs/deep/a.log', 'utf8'], ['state.vscdb', 'utf16le']]);
  });

  it('does not follow links out of the tree and reports no hits for a clean tree', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'canary-out-'));
    try {
      writeFileSync(path.join(outside, 'secret.txt'), KEY);
      symlinkSync(outside, path.join(dir, 'link'));
      writeFileSync(path.join(dir, 'a.txt'), 'nothing here');
      const result = scanTree([dir], forms);
      assert.deepEqual(result.hits, []);
      assert.equal(result.files, 1);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
