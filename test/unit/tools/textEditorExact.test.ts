// The text editor tool's input rules and its own refusals, exact (issue 17).
import * as assert from 'node:assert/strict';
import { equivalentToolName, parseTextEditorInput, runTextEditor, TEXT_EDITOR_TOOL_NAME, TEXT_EDITOR_TOOL_TYPE, textEditorDefinition } from '../../../src/core/tools/textEditorTool';
import { harness } from '../security/gateHarness';
import { FakeHost, tempDir, writeFiles } from './fakeHost';

describe('text editor tool: input, exact', () => {
  it('names and definition', () => {
    assert.deepEqual(textEditorDefinition, { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' });
    assert.equal(TEXT_EDITOR_TOOL_NAME, 'str_replace_based_edit_tool');
    assert.equal(TEXT_EDITOR_TOOL_TYPE, 'text_editor_20250728');
  });

  it('view goes by read_file, every other command (and no command) by propose_edit', () => {
    assert.equal(equivalentToolName({ command: 'view' }), 'read_file');
    for (const input of [{ command: 'create' }, { command: 'str_replace' }, { command: 'insert' }, { command: 'undo_edit' }, {}, null, undefined, 'view']) {
      assert.equal(equivalentToolName(input), 'propose_edit', JSON.stringify(input));
    }
  });

  it('str_replace without new_str deletes: new_str defaults to the empty string', () => {
    assert.deepEqual(parseTextEditorInput({ command: 'str_replace', path: 'a', old_str: 'x' }), { ok: true, value: { command: 'str_replace', path: 'a', old_str: 'x', new_str: '' } });
  });

  it('insert takes insert_text or the older new_str, and needs one of them', () => {
    assert.deepEqual(parseTextEditorInput({ command: 'insert', path: 'a', insert_line: 0, new_str: 'x' }), { ok: true, value: { command: 'insert', path: 'a', insert_line: 0, new_str: 'x' } });
    assert.deepEqual(parseTextEditorInput({ command: 'insert', path: 'a', insert_line: 0, insert_text: 'y' }), { ok: true, value: { command: 'insert', path: 'a', insert_line: 0, insert_text: 'y' } });
    assert.deepEqual(parseTextEditorInput({ command: 'insert', path: 'a', insert_line: 0 }), { ok: false, message: 'Invalid input for str_replace_based_edit_tool: insert_text: insert needs insert_text' });
  });

  it('refuses an empty path, an empty old_str, a negative insert line and a view range below its bounds', () => {
    for (const input of [
      { command: 'view', path: '' }, { command: 'str_replace', path: 'a', old_str: '' }, { command: 'insert', path: 'a', insert_line: -1, insert_text: 'x' },
      { command: 'view', path: 'a', view_range: [0, 2] }, { command: 'view', path: 'a', view_range: [1, -2] },
    ]) {
      const parsed = parseTextEditorInput(input);
      assert.equal(parsed.ok, false, JSON.stringify(input));
    }
    assert.equal(parseTextEditorInput({ command: 'view', path: 'a', view_range: [1, -1] }).ok, true);
  });
});

describe('text editor tool: running, exact', () => {
  let ws = '';
  before(async () => {
    ws = tempDir('aiml-texteditor-');
    await writeFiles(ws, { 'a.txt': 'one\ntwo\nthree\n', 'dir/b.txt': 'b\n' });
  });
  const scope = () => harness(new FakeHost([{ fsPath: ws, name: 'ws' }])).scope([TEXT_EDITOR_TOOL_NAME, 'read_file']);

  it('undo_edit is refused with a pointer to str_replace', async () => {
    assert.deepEqual(await runTextEditor(scope(), { command: 'undo_edit', path: 'a.txt' }), {
      status: 'failed', summary: 'undo_edit is not supported', isError: true,
      content: 'undo_edit is not supported: the user undoes edits in the editor. Propose a new str_replace instead.',
    });
  });

  it('view without a range reads the whole file; with one, that range; a folder is listed', async () => {
    assert.equal((await runTextEditor(scope(), { command: 'view', path: 'a.txt' })).content, 'a.txt (lines 1-3 of 3)\n     1\tone\n     2\ttwo\n     3\tthree');
    assert.equal((await runTextEditor(scope(), { command: 'view', path: 'a.txt', view_range: [2, 2] })).content, 'a.txt (lines 2-2 of 3)\n     2\ttwo');
    assert.match((await runTextEditor(scope(), { command: 'view', path: 'dir' })).content, /^dir\/\nb\.txt/);
  });

  it('view of a path outside the workspace is refused by confinement', async () => {
    const outcome = await runTextEditor(scope(), { command: 'view', path: '../outside.txt' });
    assert.equal(outcome.refusal, 'outside_workspace');
  });

  it('insert prefers insert_text over new_str', async () => {
    const h = harness(new FakeHost([{ fsPath: ws, name: 'ws' }]));
    const outcome = await runTextEditor(h.scope([TEXT_EDITOR_TOOL_NAME, 'propose_edit']), { command: 'insert', path: 'dir/b.txt', insert_line: 0, insert_text: 'first', new_str: 'second' });
    assert.equal(outcome.status, 'applied');
    assert.deepEqual(h.host.writes.map((w) => w.newText), ['first\nb\n']);
  });
});
