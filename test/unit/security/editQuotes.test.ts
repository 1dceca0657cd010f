// The edit flow must not quote a file's lines unless reading that file would run unasked, and
// the innermost workspace folder owns a path in nested multi-root workspaces.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runEdit } from '../../../src/core/tools/editFlow';
import { PathResolver } from '../../../src/core/tools/paths';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';
import { harness } from './gateHarness';

describe('edit flow: no quoted lines before a read was approved', () => {
  const missing = { action: 'replace' as const, oldText: 'return a - b;', newText: 'return a * b;' };
  let ws = '';
  before(async () => {
    ws = tempDir('aiml-quotes-');
    await writeFiles(ws, { 'app.ts': 'export function add(a, b) {\n  return a + b; // QUOTED-LINE\n}\n', 'key.json': '{ "type": "service_account", "k": "  return a + b; // QUOTED-KEY" }\n' });
  });
  it('quotes the closest line when reads run unasked', async () => {
    const outcome = await runEdit(harness(new FakeHost([{ fsPath: ws, name: 'ws' }]), { autoApproveReads: true }).scope(['propose_edit']), 'app.ts', missing);
    assert.match(outcome.content, /QUOTED-LINE/);
  });
  it('does not quote when reads ask (autoApproveReads off)', async () => {
    const outcome = await runEdit(harness(new FakeHost([{ fsPath: ws, name: 'ws' }]), { autoApproveReads: false }).scope(['propose_edit']), 'app.ts', missing);
    assert.match(outcome.content, /not found/);
    assert.doesNotMatch(outcome.content, /QUOTED-LINE|line 2/);
  });
  it('does not quote when read_file is set to ask', async () => {
    const outcome = await runEdit(harness(new FakeHost([{ fsPath: ws, name: 'ws' }]), { toolApproval: { read_file: 'ask' } }).scope(['propose_edit']), 'app.ts', missing);
    assert.doesNotMatch(outcome.content, /QUOTED-LINE/);
  });
  it("does not quote when the text editor's view asks", async () => {
    const h = harness(new FakeHost([{ fsPath: ws, name: 'ws' }]), { toolApproval: { str_replace_based_edit_tool: 'ask' } });
    const outcome = await runEdit(h.scope(['str_replace_based_edit_tool', 'propose_edit']), 'app.ts', missing);
    assert.doesNotMatch(outcome.content, /QUOTED-LINE/);
  });
  it('does not quote a file whose content is a key, whatever its name', async () => {
    const outcome = await runEdit(harness(new FakeHost([{ fsPath: ws, name: 'ws' }])).scope(['propose_edit']), 'key.json', missing);
    assert.doesNotMatch(outcome.content, /QUOTED-KEY/);
  });
});

describe('path confinement: nested workspace folders', () => {
  it('the innermost folder owns the path', async () => {
    const base = tempDir();
    await writeFiles(base, { 'outer/inner/file.txt': 'x' });
    const resolver = new PathResolver([{ fsPath: path.join(base, 'outer'), name: 'outer' }, { fsPath: path.join(base, 'outer', 'inner'), name: 'inner' }]);
    const result = await resolver.resolve(path.join(base, 'outer', 'inner', 'file.txt'));
    assert.ok(result.ok);
    assert.equal(result.value.root.name, 'inner');
    assert.equal(result.value.displayPath, 'inner/file.txt');
    assert.equal(await resolver.displayPathOf(path.join(base, 'outer', 'inner', 'file.txt')), 'inner/file.txt');
  });
});
