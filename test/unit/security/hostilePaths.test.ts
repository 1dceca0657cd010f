// Hostile paths against every tool that takes a path or reads content, on a real temporary folder
// with real links (file and folder, relative and absolute, chains, broken, to the parent), case,
// Unicode-normalisation and invisible-character tricks, encoded separators, NUL, `~` and other
// URI schemes. Each case asserts WHICH defence fired (the refusal kind), and that no byte of a
// protected file reached the result. Expected escapes: 0.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GateRefusalKind } from '../../../src/core/security/contentGate';
import type { Outcome } from '../../../src/core/tools/callScope';
import { runEdit } from '../../../src/core/tools/editFlow';
import { findFiles, getDiagnostics, readFile, searchText } from '../../../src/core/tools/readTools';
import { runTextEditor } from '../../../src/core/tools/textEditorTool';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';
import { harness, type Harness } from './gateHarness';

/** Every protected file holds a LEAK- marker; none may appear in any result. */
const LEAK = /LEAK-/;

type Expect = GateRefusalKind | 'ok' | 'missing';

let ws = '';
let outside = '';
let h: Harness;

before(async () => {
  const base = tempDir('aiml-hostile-');
  ws = path.join(base, 'ws');
  outside = path.join(base, 'outside');
  await writeFiles(outside, { 'secret.txt': 'LEAK-outside\n', 'dir/file.txt': 'LEAK-outside-dir\n', '.aws/credentials': 'LEAK-aws\n' });
  await writeFiles(ws, {
    'src/app.ts': 'export const app = 1;\n', 'docs/guide.md': '# guide\n', 'ignored/x.txt': 'LEAK-ignored\n',
    '.env': 'LEAK-env\n', '.ENV': 'LEAK-env-upper\n', '.Env': 'LEAK-env-mixed\n', '\uff0eenv': 'LEAK-fullwidth\n', '.env\u200b': 'LEAK-zwsp\n',
    'cafe\u0301.txt': 'LEAK-nfd\n', 'id_rsa': 'LEAK-key\n', 'prod.tfstate': 'LEAK-tfstate\n', 'terraform.tfvars': 'LEAK-tfvars\n',
    'deploy-sa.json': 'LEAK-sa\n', 'my-service-account.json': 'LEAK-sa2\n', 'application_default_credentials.json': 'LEAK-adc\n',
    '.pgpass': 'LEAK-pgpass\n', '.dev.vars': 'LEAK-devvars\n', 'AuthKey_ABC.p8': 'LEAK-p8\n', 'config/gh/hosts.yml': 'LEAK-gh\n', 'auth.json': 'LEAK-auth\n',
    'innocent.json': '{ "type": "service_account", "private_key": "LEAK-sniffed" }\n',
  });
  const link = (target: string, at: string) => fs.symlink(target, path.join(ws, at));
  await link(path.join(outside, 'secret.txt'), 'link-out.txt');
  await link('../outside/secret.txt', 'rel-out.txt');
  await link(path.join(outside, 'dir'), 'linkdir-out');
  await link('../outside/dir', 'rel-dir-out');
  await link(path.join(ws, 'chain2'), 'chain1');
  await link(path.join(outside, 'secret.txt'), 'chain2');
  await link(path.join(outside, 'missing.txt'), 'dangling-out');
  await link(path.join(ws, 'missing.txt'), 'dangling-in');
  await link(path.join(outside, 'nope'), 'brokendir');
  await link('..', 'up');
  await link('.', 'self');
  await link('.env', 'env-link.txt');
  await link(path.join(outside, '.aws'), 'aws');
  await link('ignored/x.txt', 'to-ignored.txt');
  const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
  host.ignored = ['ignored/**', 'node_modules/**'];
  h = harness(host, {}, ['café.txt']);
});

const named: Array<[string, () => string, Expect]> = [
  ['parent escape', () => '../outside/secret.txt', 'outside_workspace'],
  ['nested parent escape', () => 'src/../../outside/secret.txt', 'outside_workspace'],
  ['backslash parent escape', () => '..\\outside\\secret.txt', 'outside_workspace'],
  ['bare ..', () => '..', 'outside_workspace'],
  ['absolute outside', () => path.join(outside, 'secret.txt'), 'outside_workspace'],
  ['/etc/passwd', () => '/etc/passwd', 'outside_workspace'],
  ['file URI outside', () => pathToFileURL(path.join(outside, 'secret.txt')).href, 'outside_workspace'],
  ['home tilde', () => '~/.ssh/id_rsa', 'home_relative'],
  ['tilde user', () => '~root/.bashrc', 'home_relative'],
  ['vscode-remote URI', () => 'vscode-remote://ssh-remote+host/etc/passwd', 'other_scheme'],
  ['https URI', () => 'https://example.com/x', 'other_scheme'],
  ['untitled URI', () => 'untitled:Untitled-1', 'other_scheme'],
  ['vscode-userdata URI', () => 'vscode-userdata:/User/settings.json', 'other_scheme'],
  ['NUL byte', () => 'src/app.ts\0.png', 'invalid_path'],
  ['newline', () => 'src/app.ts\n../../etc/passwd', 'invalid_path'],
  ['Windows drive on POSIX', () => 'C:\\Windows\\system.ini', 'invalid_path'],
  ['file URI naming a host', () => 'file://host/etc/passwd', 'invalid_path'],
  ['file URI with an encoded separator', () => 'file:///tmp%2F..%2Fetc%2Fpasswd', 'invalid_path'],
  ['UNC path', () => '\\\\server\\share\\x', 'unc_path'],
  ['device path', () => '\\\\?\\C:\\Windows', 'unc_path'],
  ['double-slash host', () => '//host/share', 'unc_path'],
  ['absolute link to an outside file', () => 'link-out.txt', 'symlink_escape'],
  ['relative link to an outside file', () => 'rel-out.txt', 'symlink_escape'],
  ['file through an absolute dir link', () => 'linkdir-out/file.txt', 'symlink_escape'],
  ['file through a relative dir link', () => 'rel-dir-out/file.txt', 'symlink_escape'],
  ['new file through a dir link', () => 'linkdir-out/new.txt', 'symlink_escape'],
  ['chain of links ending outside', () => 'chain1', 'symlink_escape'],
  ['link to the parent folder', () => 'up/outside/secret.txt', 'symlink_escape'],
  ['dir link to ~/.aws-like folder', () => 'aws/credentials', 'symlink_escape'],
  ['broken link to outside', () => 'dangling-out', 'broken_link'],
  ['broken link inside', () => 'dangling-in', 'broken_link'],
  ['new file under a broken dir link', () => 'brokendir/new.txt', 'broken_link'],
  ['.env', () => '.env', 'secret'],
  ['.ENV (a different file on Linux, same kind of content)', () => '.ENV', 'secret'],
  ['.Env', () => '.Env', 'secret'],
  ['fullwidth dot ．env', () => '\uff0eenv', 'secret'],
  ['zero-width space after .env', () => '.env\u200b', 'secret'],
  ['NFD name of an NFC secret pattern', () => 'cafe\u0301.txt', 'secret'],
  // On Linux the NFC spelling is another, missing file: nothing to read (the gate still calls it secret, below).
  ['NFC name of that secret pattern', () => 'café.txt', 'missing'],
  ['link inside to .env', () => 'env-link.txt', 'secret'],
  ['.env through an inner ..', () => 'src/../.env', 'secret'],
  ['.env through ./', () => './.env', 'secret'],
  ['.env through a link to the folder itself', () => 'self/.env', 'secret'],
  ['.env by absolute path', () => path.join(ws, '.env'), 'secret'],
  ['.env by file URI', () => pathToFileURL(path.join(ws, '.env')).href, 'secret'],
  ['private key id_rsa', () => 'id_rsa', 'secret'],
  ['Terraform state', () => 'prod.tfstate', 'secret'],
  ['Terraform variables', () => 'terraform.tfvars', 'secret'],
  ['*-sa.json', () => 'deploy-sa.json', 'secret'],
  ['*service-account*.json', () => 'my-service-account.json', 'secret'],
  ['application_default_credentials.json', () => 'application_default_credentials.json', 'secret'],
  ['.pgpass', () => '.pgpass', 'secret'],
  ['.dev.vars', () => '.dev.vars', 'secret'],
  ['Apple .p8 key', () => 'AuthKey_ABC.p8', 'secret'],
  ['gh/hosts.yml', () => 'config/gh/hosts.yml', 'secret'],
  ['auth.json', () => 'auth.json', 'secret'],
  ['percent-encoded ..', () => '%2e%2e/outside/secret.txt', 'missing'],
  ['fullwidth dots ．．', () => '\uff0e\uff0e/outside/secret.txt', 'missing'],
  ['encoded separators', () => '..%2Foutside%2Fsecret.txt', 'missing'],
  ['control: a plain file', () => 'src/app.ts', 'ok'],
  ['control: through the self link', () => 'self/src/app.ts', 'ok'],
];

function assertNoLeak(outcome: Outcome): void {
  assert.doesNotMatch(outcome.content, LEAK, `leaked: ${outcome.content}`);
  for (const b of outcome.blocks ?? []) if (b.type === 'text') assert.doesNotMatch(b.text, LEAK);
}

/** Refusal kinds: refused without asking. `secret`: asked, denied, nothing shown. */
function assertVerdict(outcome: Outcome, asked: boolean, expect: Expect, editing = false): void {
  assertNoLeak(outcome);
  if (expect === 'secret') {
    assert.ok(asked, 'the user was asked');
    assert.equal(outcome.status, editing ? 'discarded' : 'denied');
  } else if (expect === 'missing') {
    assert.equal(outcome.refusal, undefined);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.content, /does not exist/);
  } else if (expect === 'ok') {
    assert.equal(outcome.refusal, undefined);
  } else {
    assert.equal(outcome.refusal, expect, outcome.content);
    assert.equal(asked, false, 'a refused path is not put to the user');
  }
}

describe('hostile paths: read_file', () => {
  for (const [name, raw, expect] of named) {
    it(`${name} → ${expect}`, async () => {
      const scope = h.scope(['read_file']);
      assertVerdict(await readFile(scope, { path: raw() }), scope.asked(), expect);
    });
  }
  it('a credential under an innocent name (service-account content) asks', async () => {
    const scope = h.scope(['read_file']);
    const outcome = await readFile(scope, { path: 'innocent.json' });
    assert.ok(scope.asked());
    assert.equal(outcome.status, 'denied');
    assertNoLeak(outcome);
  });
});

describe('hostile paths: the text editor tool (view)', () => {
  for (const [name, raw, expect] of named) {
    it(`${name} → ${expect}`, async () => {
      const scope = h.scope(['str_replace_based_edit_tool', 'read_file']);
      assertVerdict(await runTextEditor(scope, { command: 'view', path: raw() }), scope.asked(), expect);
    });
  }
});

describe('hostile paths: propose_edit (insert)', () => {
  for (const [name, raw, expect] of named) {
    it(`${name} → ${expect}`, async () => {
      const scope = h.scope(['propose_edit']);
      const outcome = await runEdit(scope, raw(), { action: 'insert', line: 0, newText: 'x' });
      if (expect === 'missing') { assert.equal(outcome.refusal, undefined); assert.match(outcome.content, /does not exist/); return; }
      if (expect === 'ok') { assert.equal(outcome.status, 'applied'); await fs.writeFile(path.join(ws, 'src/app.ts'), 'export const app = 1;\n'); return; }
      assertVerdict(outcome, scope.asked(), expect, true);
    });
  }
});

describe('hostile paths: get_diagnostics', () => {
  before(() => {
    // A problem reported in every protected file, quoting it.
    for (const [, raw, expect] of named) {
      if (expect !== 'secret') continue;
      h.host.problems.push({ absPath: path.join(ws, raw()), line: 1, column: 1, severity: 'error', message: 'LEAK-diagnostic quoting the file' });
    }
    h.host.problems.push({ absPath: path.join(ws, 'link-out.txt'), line: 1, column: 1, severity: 'error', message: 'LEAK-diagnostic via link' });
    h.host.problems.push({ absPath: path.join(outside, 'secret.txt'), line: 1, column: 1, severity: 'error', message: 'LEAK-diagnostic outside' });
  });
  for (const [name, raw, expect] of named) {
    if (expect === 'ok' || expect === 'missing') continue;
    it(`${name} → ${expect}`, async () => {
      const scope = h.scope(['get_diagnostics']);
      const outcome = await getDiagnostics(scope, { path: raw() });
      assertNoLeak(outcome);
      if (expect !== 'secret') assert.equal(outcome.refusal, expect);
    });
  }
  it('the whole workspace: problems in secret, linked and outside files are left out', async () => {
    const outcome = await getDiagnostics(h.scope(['get_diagnostics']), {});
    assertNoLeak(outcome);
  });
});

/** Paths a search finds (links included, as VS Code's findFiles follows them) and the defence each meets. */
const found: Array<[string, GateRefusalKind]> = [
  ['link-out.txt', 'symlink_escape'], ['rel-out.txt', 'symlink_escape'], ['linkdir-out/file.txt', 'symlink_escape'],
  ['rel-dir-out/file.txt', 'symlink_escape'], ['chain1', 'symlink_escape'], ['aws/credentials', 'symlink_escape'],
  ['up/outside/secret.txt', 'symlink_escape'], ['dangling-out', 'broken_link'], ['dangling-in', 'broken_link'],
  ['env-link.txt', 'secret'], ['self/.env', 'secret'], ['.env', 'secret'], ['to-ignored.txt', 'ignored'],
];

describe('hostile paths: search_text', () => {
  let outcome: Outcome;
  before(async () => { outcome = await searchText(h.scope(['search_text']), { query: 'LEAK', max_results: 200 }); });
  it('returns no line of a protected file', () => {
    assert.equal(outcome.status, 'succeeded', outcome.content);
    assertNoLeak(outcome);
  });
  for (const [rel, kind] of found) {
    it(`${rel} → ${kind}`, () => assert.deepEqual(outcome.gated?.filter((g) => g.path === rel).map((g) => g.kind), [kind]));
  }
});

describe('hostile paths: find_files', () => {
  let outcome: Outcome;
  // Past the schema's cap of 200 on purpose: the links to the folder itself and its parent multiply the paths.
  before(async () => { outcome = await findFiles(h.scope(['find_files']), { pattern: '**/*', max_results: 5000 }); });
  for (const [rel, kind] of found) {
    // Names are not content: secret names are listed (read_file then asks); every other refusal hides the path.
    it(`${rel} → ${kind === 'secret' ? 'listed by name' : kind}`, () => {
      const listed = outcome.content.split('\n').includes(rel);
      if (kind === 'secret') assert.ok(listed, outcome.content);
      else assert.deepEqual([listed, outcome.gated?.filter((g) => g.path === rel).map((g) => g.kind)], [false, [kind]]);
    });
  }
});

describe('hostile paths: batch collection (the gate with ignore rules)', () => {
  for (const [rel, kind] of found) {
    it(`${rel} → ${kind}`, async () => {
      const verdict = await h.gate.checkFound(path.join(ws, rel));
      assert.equal(verdict.ok ? 'ok' : verdict.kind, kind);
    });
  }
  it('the NFC spelling of an NFD-named secret → secret', async () => {
    const verdict = await h.gate.checkNamed('café.txt');
    assert.equal(verdict.ok ? 'ok' : verdict.kind, 'secret');
  });
  it('a plain file passes', async () => {
    const verdict = await h.gate.checkFound(path.join(ws, 'src/app.ts'));
    assert.ok(verdict.ok);
  });
});
