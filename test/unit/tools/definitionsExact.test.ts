// The custom tools' definitions (definitions.ts) at their exact edges (issue 17): every limit at its
// value and one past it, the refinements by their own messages, the specs' classes, the facts each
// description promises the model (checked against the code's own limits), and the error summary.
import * as assert from 'node:assert/strict';
import { customToolNames, describeZodError, FindFilesInput, inputJsonSchema, ListDirectoryInput, ProposeEditInput, ReadFileInput, RunCommandInput, SearchTextInput, toolSpecs } from '../../../src/core/tools/definitions';
import { MAX_READ_LINES } from '../../../src/core/tools/text';
import type * as z from '../../../src/shared/zod';

const errorOf = (schema: z.ZodMiniType, input: unknown): string => {
  const parsed = schema.safeParse(input);
  assert.equal(parsed.success, false, `expected ${JSON.stringify(input)} to be refused`);
  return describeZodError(parsed.error!);
};
const ok = (schema: z.ZodMiniType, input: unknown): unknown => {
  const parsed = schema.safeParse(input);
  assert.ok(parsed.success, `expected ${JSON.stringify(input)} to pass: ${parsed.success ? '' : describeZodError(parsed.error)}`);
  return parsed.data;
};

describe('tool definitions: read_file', () => {
  it('start_line from 1; end_line from -1; end before start is refused on end_line', () => {
    ok(ReadFileInput, { path: 'a', start_line: 1 });
    assert.equal(errorOf(ReadFileInput, { path: 'a', start_line: 0 }), 'start_line: Too small: expected number to be >=1');
    ok(ReadFileInput, { path: 'a', end_line: -1 });
    assert.equal(errorOf(ReadFileInput, { path: 'a', end_line: -2 }), 'end_line: Too small: expected number to be >=-1');
    ok(ReadFileInput, { path: 'a', start_line: 5, end_line: 5 });
    ok(ReadFileInput, { path: 'a', start_line: 5, end_line: -1 });
    ok(ReadFileInput, { path: 'a', end_line: 0 });
    assert.equal(errorOf(ReadFileInput, { path: 'a', start_line: 5, end_line: 4 }), 'end_line: end_line must be at least start_line (or -1 for the end of the file)');
    assert.equal(errorOf(ReadFileInput, { path: 'a', start_line: 5, end_line: 0 }), 'end_line: end_line must be at least start_line (or -1 for the end of the file)');
  });
});

describe('tool definitions: the other inputs', () => {
  it('list_directory defaults to "."', () => {
    assert.deepEqual(ok(ListDirectoryInput, {}), { path: '.' });
  });

  it('find_files: a pattern, at most 1 to 1000 results', () => {
    assert.equal(errorOf(FindFilesInput, { pattern: '' }), 'pattern: Too small: expected string to have >=1 characters');
    ok(FindFilesInput, { pattern: '*', max_results: 1 });
    ok(FindFilesInput, { pattern: '*', max_results: 1000 });
    assert.equal(errorOf(FindFilesInput, { pattern: '*', max_results: 0 }), 'max_results: Too small: expected number to be >=1');
    assert.equal(errorOf(FindFilesInput, { pattern: '*', max_results: 1001 }), 'max_results: Too big: expected number to be <=1000');
  });

  it('search_text: a query, a non-empty include, 1 to 200 results, flags as booleans', () => {
    assert.equal(errorOf(SearchTextInput, { query: '' }), 'query: Too small: expected string to have >=1 characters');
    assert.equal(errorOf(SearchTextInput, { query: 'q', include: '' }), 'include: Too small: expected string to have >=1 characters');
    ok(SearchTextInput, { query: 'q', max_results: 200, is_regex: true, case_sensitive: false });
    assert.equal(errorOf(SearchTextInput, { query: 'q', max_results: 201 }), 'max_results: Too big: expected number to be <=200');
    assert.equal(errorOf(SearchTextInput, { query: 'q', max_results: 0 }), 'max_results: Too small: expected number to be >=1');
    assert.equal(errorOf(SearchTextInput, { query: 'q', is_regex: 'yes' }), 'is_regex: Invalid input: expected boolean, received string');
  });

  it('get_diagnostics: a path, when given, is not empty', () => {
    assert.equal(errorOf(toolSpecs.get_diagnostics.schema, { path: '' }), 'path: Too small: expected string to have >=1 characters');
    ok(toolSpecs.get_diagnostics.schema, {});
  });

  it('propose_edit: each action with what it needs, and nothing it must not have', () => {
    ok(ProposeEditInput, { path: 'a', action: 'replace', old_text: 'x', new_text: 'y' });
    ok(ProposeEditInput, { path: 'a', action: 'insert', line: 0, new_text: 'y' });
    ok(ProposeEditInput, { path: 'a', action: 'create', new_text: '' });
    assert.equal(errorOf(ProposeEditInput, { path: 'a', action: 'replace', new_text: 'y' }), 'old_text: replace needs old_text: the exact text to replace');
    assert.equal(errorOf(ProposeEditInput, { path: 'a', action: 'replace', old_text: '', new_text: 'y' }), 'old_text: replace needs old_text: the exact text to replace');
    assert.equal(errorOf(ProposeEditInput, { path: 'a', action: 'insert', new_text: 'y' }), 'line: insert needs line: the line to insert after (0 = top)');
    assert.equal(errorOf(ProposeEditInput, { path: 'a', action: 'insert', line: -1, new_text: 'y' }), 'line: Too small: expected number to be >=0');
    assert.equal(errorOf(ProposeEditInput, { path: 'a', action: 'create', old_text: 'x', new_text: 'y' }), 'old_text: old_text is only for action "replace", not "create"');
    assert.equal(errorOf(ProposeEditInput, { path: 'a', action: 'insert', line: 1, old_text: '', new_text: 'y' }), 'old_text: old_text is only for action "replace", not "insert"');
  });

  it('run_command: 1 to 8000 characters, a non-empty cwd, 1 to 3600 seconds', () => {
    ok(RunCommandInput, { command: 'x'.repeat(8000), cwd: 'a', timeoutSeconds: 3600 });
    ok(RunCommandInput, { command: 'x', timeoutSeconds: 1 });
    assert.equal(errorOf(RunCommandInput, { command: '' }), 'command: Too small: expected string to have >=1 characters');
    assert.equal(errorOf(RunCommandInput, { command: 'x'.repeat(8001) }), 'command: Too big: expected string to have <=8000 characters');
    assert.equal(errorOf(RunCommandInput, { command: 'x', cwd: '' }), 'cwd: Too small: expected string to have >=1 characters');
    assert.equal(errorOf(RunCommandInput, { command: 'x', timeoutSeconds: 0 }), 'timeoutSeconds: Too small: expected number to be >=1');
    assert.equal(errorOf(RunCommandInput, { command: 'x', timeoutSeconds: 3601 }), 'timeoutSeconds: Too big: expected number to be <=3600');
  });
});

describe('tool definitions: the specs', () => {
  it('each spec is filed under its own name with its schema, class and read-only flag', () => {
    assert.deepEqual(Object.keys(toolSpecs), [...customToolNames]);
    const classes = Object.fromEntries(customToolNames.map((n) => [n, [toolSpecs[n].name, toolSpecs[n].approvalClass, toolSpecs[n].readOnly]]));
    assert.deepEqual(classes, {
      read_file: ['read_file', 'read', true], list_directory: ['list_directory', 'read', true], find_files: ['find_files', 'read', true],
      search_text: ['search_text', 'read', true], get_selection: ['get_selection', 'read', true], get_diagnostics: ['get_diagnostics', 'read', true],
      propose_edit: ['propose_edit', 'edit', false], run_command: ['run_command', 'command', false],
    });
    assert.equal(toolSpecs.read_file.schema, ReadFileInput);
    assert.equal(toolSpecs.run_command.schema, RunCommandInput);
    assert.deepEqual(ok(toolSpecs.get_selection.schema, {}), {});
  });

  it('each description tells the model what the tool really does', () => {
    const facts: Record<string, RegExp[]> = {
      read_file: [/^Read a workspace file\./, /PNG, JPEG, GIF and WebP/, new RegExp(`cut at ${MAX_READ_LINES} lines / 256 KB`), /start_line\/end_line/, /Unsaved editor changes are included/],
      list_directory: [/^List a workspace folder/, /folders end with "\/"/],
      find_files: [/^Find workspace files by glob/, /files\.exclude, search\.exclude and \.gitignore/],
      search_text: [/^Search the text of workspace files/, /"path:line: text"/],
      get_selection: [/active editor/, /the cursor line when nothing is selected/],
      get_diagnostics: [/^Errors and warnings/, /one file or for the whole workspace/],
      propose_edit: [/^Propose a change to one file/, /copy old_text exactly/],
      run_command: [/^Run a shell command in the workspace/, /chained or piped commands always need the user's approval/, /Not interactive/],
    };
    for (const name of customToolNames) for (const fact of facts[name]) assert.match(toolSpecs[name].description, fact, name);
  });

  it('the JSON schema of each tool is an object schema with its descriptions, handed out as a copy', () => {
    for (const name of customToolNames) {
      const schema = inputJsonSchema(name);
      assert.equal(schema.type, 'object', name);
      assert.notEqual(inputJsonSchema(name), inputJsonSchema(name));
    }
    const read = inputJsonSchema('read_file') as { properties: Record<string, { description?: string }> };
    assert.equal(read.properties.path.description, 'Path relative to the workspace folder, e.g. "src/app.ts".');
    assert.equal(read.properties.start_line.description, 'First line to show (1-based). Default 1.');
  });
});

describe('tool definitions: describing invalid input', () => {
  it('at most five problems, each with its dotted path or "(input)", joined by "; "', () => {
    const many = RunCommandInput.safeParse({ command: 1, cwd: 2, timeoutSeconds: 'x' });
    assert.equal(many.success, false);
    assert.equal(describeZodError(many.error!), 'command: Invalid input: expected string, received number; cwd: Invalid input: expected string, received number; timeoutSeconds: Invalid input: expected number, received string');
    const root = ReadFileInput.safeParse('text');
    assert.equal(describeZodError(root.error!), '(input): Invalid input: expected object, received string');
    const six = SearchTextInput.safeParse({ query: 1, is_regex: 1, case_sensitive: 1, include: 1, max_results: 'x', extra: 1 });
    const all = six.error!.issues.length;
    assert.ok(all >= 5);
    const six2 = ProposeEditInput.safeParse({ path: 1, action: 1, old_text: 1, new_text: 1, line: 'x' });
    assert.equal(describeZodError(six2.error!).split('; ').length, Math.min(5, six2.error!.issues.length));
    const nested = { issues: [{ path: ['a', 0, 'b'], message: 'm' }, { path: [], message: 'r' }, ...Array.from({ length: 5 }, (_, i) => ({ path: [`p${i}`], message: 'x' }))] } as unknown as Parameters<typeof describeZodError>[0];
    assert.equal(describeZodError(nested), 'a.0.b: m; (input): r; p0: x; p1: x; p2: x');
  });
});
