// zod/mini ships without error messages ("Invalid input" for everything); src/shared/zod.ts switches
// on the English ones. Users read these in the log and the chat, and the model reads them in a
// tool_result, so each kind of problem must say what was expected.
import * as assert from 'node:assert/strict';
import { parseWebviewMessage, parseHostMessage } from '../../../src/shared/protocol';
import { toolSpecs, describeZodError } from '../../../src/core/tools/definitions';
import { parseTextEditorInput } from '../../../src/core/tools/textEditorTool';

const toolError = (name: keyof typeof toolSpecs, input: unknown): string => {
  const parsed = toolSpecs[name].schema.safeParse(input);
  assert.equal(parsed.success, false);
  return describeZodError(parsed.error!);
};

describe('zod error messages (zod/mini with the English locale)', () => {
  it('names the expected type, the size limit and the allowed values', () => {
    assert.equal(toolError('read_file', { path: 7 }), 'path: Invalid input: expected string, received number');
    assert.equal(toolError('read_file', { path: '' }), 'path: Too small: expected string to have >=1 characters');
    assert.equal(toolError('read_file', { path: 'a', start_line: 1.5 }), 'start_line: Invalid input: expected int, received number');
    assert.equal(toolError('find_files', { pattern: '*', max_results: 5000 }), 'max_results: Too big: expected number to be <=1000');
    assert.equal(toolError('propose_edit', { path: 'a', action: 'delete', new_text: '' }), 'action: Invalid option: expected one of "replace"|"insert"|"create"');
  });

  it('keeps the custom messages of refinements', () => {
    assert.equal(toolError('propose_edit', { path: 'a', action: 'insert', new_text: 'x' }), 'line: insert needs line: the line to insert after (0 = top)');
    const insert = parseTextEditorInput({ command: 'insert', path: 'a', insert_line: 1 });
    assert.deepEqual(insert, { ok: false, message: 'Invalid input for str_replace_based_edit_tool: insert_text: insert needs insert_text' });
  });

  it('explains a bad protocol message by path', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'attachImageUris', uris: [] }), { ok: false, error: 'uris: Too small: expected array to have >=1 items' });
    const unknown = parseWebviewMessage({ type: 'nope' });
    assert.equal(unknown.ok, false);
    assert.match(unknown.ok ? '' : unknown.error, /^type: Invalid discriminator value\. Expected 'ready' \| 'send' \|/);
    const bad = parseHostMessage({ type: 'delta', messageId: 'm', ops: [{ op: 'append', index: -1, text: 'x' }] });
    assert.deepEqual(bad, { ok: false, error: 'ops.0.index: Too small: expected number to be >=0' });
  });
});
