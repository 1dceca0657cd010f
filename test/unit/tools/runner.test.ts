// The tool runner end to end against a ToolHost over a real temporary folder: validation before
// execution, every tool's results, approvals through decide(), edits applied / discarded / partial.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ToolRunner, type ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ToolCallState, ToolResultBlock, ToolUseBlock } from '../../../src/shared/model';
import { CardLog, FakeHost, settings, tempDir, writeFiles } from './fakeHost';

type Answer = { decision: 'allow' | 'deny' | 'apply' | 'discard'; acceptedHunks?: number[]; beforeDecide?: () => void | Promise<void> };

const APP = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';

async function setup(overrides: Partial<ToolRunnerSettings> = {}) {
  const ws = tempDir();
  await writeFiles(ws, {
    'src/app.ts': APP,
    'src/util.ts': 'export const twice = (n: number) => n * 2;\n// TODO: thrice\n',
    'README.md': '# Demo\n',
    '.env': 'API_KEY=sk-secret-123\n',
    'node_modules/dep/index.js': 'TODO in a dependency\n',
    '.vscode/settings.json': '{}\n',
  });
  await fs.writeFile(path.join(ws, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
  const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
  let current = settings(overrides);
  const runner = new ToolRunner(host, () => current);
  const cards = new CardLog();
  const answers = new Map<string, Answer>();
  const onCard = (state: ToolCallState) => {
    cards.onCard(state);
    const answer = answers.get(state.toolUseId);
    if (state.status === 'awaiting_approval' && answer) {
      answers.delete(state.toolUseId);
      // The runner registers the pending decision right after posting the card.
      void Promise.resolve().then(async () => {
        await answer.beforeDecide?.();
        assert.ok(runner.decide(state.toolUseId, answer.decision, answer.acceptedHunks), 'decision accepted');
      });
    }
  };
  let n = 0;
  const run = async (calls: Array<{ name: string; input: unknown }>, signal = new AbortController().signal): Promise<ToolResultBlock[]> =>
    runner.execute(calls.map((c): ToolUseBlock => ({ type: 'tool_use', id: `call_${++n}`, name: c.name, input: c.input })), { signal, onCard });
  const one = async (name: string, input: unknown, answer?: Answer) => {
    if (answer) answers.set(`call_${n + 1}`, answer);
    const [result] = await run([{ name, input }]);
    return { result, text: String(result.content), card: cards.latest(result.tool_use_id)! };
  };
  return { ws, host, runner, cards, run, one, setSettings: (o: Partial<ToolRunnerSettings>) => { current = settings(o); } };
}

describe('tools: definitions', () => {
  it('offers the custom tools with JSON schemas', async () => {
    const { runner } = await setup();
    const defs = runner.definitions();
    assert.deepEqual(defs.map((d) => d.name), ['read_file', 'list_directory', 'find_files', 'search_text', 'get_selection', 'get_diagnostics', 'propose_edit']);
    const edit = defs.find((d) => d.name === 'propose_edit') as unknown as { input_schema: { required: string[]; type: string } };
    assert.equal(edit.input_schema.type, 'object');
    assert.deepEqual(edit.input_schema.required, ['path', 'action', 'new_text']);
    assert.doesNotMatch(JSON.stringify(defs), /9007199254740991|\$schema/);
  });

  it('offers the text editor tool in the anthropic style', async () => {
    const { runner } = await setup({ editorToolStyle: 'anthropic' });
    assert.deepEqual(runner.definitions().map((d) => d.name), ['str_replace_based_edit_tool', 'find_files', 'search_text', 'get_selection', 'get_diagnostics']);
    assert.equal(runner.definitions()[0].type, 'text_editor_20250728');
  });

  it('offers nothing in Restricted Mode or when off, and leaves out tools set to never', async () => {
    const { runner, setSettings, one } = await setup({ workspaceTrusted: false });
    assert.deepEqual(runner.definitions(), []);
    assert.match(runner.toolsNotice() ?? '', /Restricted Mode/);
    const { result, text } = await one('read_file', { path: 'README.md' });
    assert.equal(result.is_error, true);
    assert.match(text, /Restricted Mode/);
    setSettings({ toolsEnabled: false });
    assert.deepEqual(runner.definitions(), []);
    setSettings({ toolApproval: { search_text: 'never' } });
    assert.equal(runner.definitions().some((d) => d.name === 'search_text'), false);
  });
});

describe('tools: validation before execution', () => {
  it('rejects invalid input with an explanation and runs nothing', async () => {
    const { one, host } = await setup({ autoApplyEdits: true });
    const missing = await one('propose_edit', { path: 'src/app.ts', action: 'replace', new_text: 'x' });
    assert.equal(missing.result.is_error, true);
    assert.match(missing.text, /Invalid input for propose_edit: old_text: replace needs old_text/);
    const wrongType = await one('read_file', { path: 42 });
    assert.match(wrongType.text, /path: Invalid input: expected string/);
    const badRange = await one('read_file', { path: 'README.md', start_line: 5, end_line: 2 });
    assert.match(badRange.text, /end_line must be at least start_line/);
    assert.equal(host.writes.length, 0);
    assert.equal(missing.card.status, 'failed');
  });

  it('answers an unknown tool with the list of tools', async () => {
    const { one } = await setup();
    const { result, text } = await one('delete_everything', {});
    assert.equal(result.is_error, true);
    assert.match(text, /Unknown tool "delete_everything".*read_file/);
  });

  it('parses input that arrives as a JSON string', async () => {
    const { one } = await setup();
    const { text } = await one('read_file', '{"path":"README.md"}');
    assert.match(text, /# Demo/);
  });
});

describe('tools: reading', () => {
  it('reads a file with line numbers, and a range', async () => {
    const { one } = await setup();
    const all = await one('read_file', { path: 'src/app.ts' });
    assert.equal(all.result.is_error, undefined);
    assert.equal(all.text, 'src/app.ts (lines 1-3 of 3)\n     1\texport function add(a: number, b: number) {\n     2\t  return a + b;\n     3\t}');
    assert.equal(all.card.status, 'succeeded');
    assert.equal(all.card.summary, 'read 3 lines');
    const range = await one('read_file', { path: 'src/app.ts', start_line: 2, end_line: 2 });
    assert.equal(range.text, 'src/app.ts (lines 2-2 of 3)\n     2\t  return a + b;');
    assert.equal(range.card.target, 'src/app.ts:2-2');
  });

  it('refuses paths outside the workspace without asking', async () => {
    const { one, cards } = await setup();
    const { result, text, card } = await one('read_file', { path: '../../etc/passwd' });
    assert.equal(result.is_error, true);
    assert.match(text, /Refused: .*outside the workspace/);
    assert.equal(card.status, 'failed');
    assert.equal(cards.updates.some((u) => u.status === 'awaiting_approval'), false);
  });

  it('asks before reading a secret file: deny keeps it unread, allow reads it', async () => {
    const { one, cards } = await setup();
    const denied = await one('read_file', { path: '.env' }, { decision: 'deny' });
    assert.equal(denied.result.is_error, true);
    assert.doesNotMatch(denied.text, /sk-secret/);
    assert.equal(denied.card.status, 'denied');
    const asked = cards.updates.find((u) => u.toolUseId === denied.result.tool_use_id && u.status === 'awaiting_approval');
    assert.equal(asked?.approval?.kind, 'allow_deny');
    assert.match(asked?.approval?.reason ?? '', /secrets/);
    const allowed = await one('read_file', { path: '.env' }, { decision: 'allow' });
    assert.match(allowed.text, /sk-secret-123/);
  });

  it('refuses binary files and reports missing ones', async () => {
    const { one } = await setup();
    assert.match((await one('read_file', { path: 'logo.png' })).text, /binary file/);
    assert.match((await one('read_file', { path: 'nope.ts' })).text, /does not exist/);
    assert.match((await one('read_file', { path: 'src' })).text, /is a folder; use list_directory/);
  });

  it('reads unsaved editor text rather than the disk', async () => {
    const { one, host, ws } = await setup();
    host.dirty.set(path.join(ws, 'README.md'), '# Unsaved title\n');
    assert.match((await one('read_file', { path: 'README.md' })).text, /Unsaved title/);
  });

  it('lists a folder, folders first', async () => {
    const { one } = await setup();
    const { text } = await one('list_directory', { path: '.' });
    const lines = text.split('\n');
    assert.equal(lines[0], './');
    assert.ok(lines.indexOf('src/') < lines.indexOf('README.md'));
  });

  it('finds files by glob, leaving ignored ones out, and refuses escaping globs', async () => {
    const { one } = await setup();
    assert.equal((await one('find_files', { pattern: '**/*.ts' })).text, 'src/app.ts\nsrc/util.ts');
    assert.match((await one('find_files', { pattern: '../**' })).text, /Refused: the pattern must not contain "\.\."/);
    assert.match((await one('find_files', { pattern: '/etc/*' })).text, /Refused/);
  });

  it('searches text, skipping ignored and secret files', async () => {
    const { one } = await setup();
    const todo = await one('search_text', { query: 'todo' });
    assert.equal(todo.text, 'src/util.ts:2: // TODO: thrice\n[1 secret-looking file(s) were not searched.]');
    const secret = await one('search_text', { query: 'API_KEY' });
    assert.doesNotMatch(secret.text, /sk-secret/);
    assert.match(secret.text, /1 secret-looking file\(s\) were not searched/);
    const regex = await one('search_text', { query: 'n \\* \\d', is_regex: true, include: 'src/**' });
    assert.match(regex.text, /^src\/util\.ts:1: /);
    const bad = await one('search_text', { query: '(', is_regex: true });
    assert.equal(bad.result.is_error, true);
    assert.match(bad.text, /invalid regular expression/);
  });

  it('returns the selection, asking when the active file is a secret', async () => {
    const { one, host, ws } = await setup();
    host.selection = { absPath: path.join(ws, 'src/app.ts'), documentName: 'app.ts', languageId: 'typescript', startLine: 2, endLine: 2, text: '  return a + b;', isEmpty: false };
    const sel = await one('get_selection', {});
    assert.equal(sel.text, 'File: src/app.ts (typescript), selected lines 2-2:\n  return a + b;');
    host.selection = { ...host.selection, absPath: path.join(ws, '.env'), text: 'API_KEY=sk-secret-123' };
    const denied = await one('get_selection', {}, { decision: 'deny' });
    assert.doesNotMatch(denied.text, /sk-secret/);
    host.selection = undefined;
    assert.match((await one('get_selection', {})).text, /No editor is active/);
  });

  it('reports diagnostics of a file and of the workspace, errors first', async () => {
    const { one, host, ws } = await setup();
    host.problems = [
      { absPath: path.join(ws, 'src/util.ts'), line: 2, column: 4, severity: 'warning', message: 'Unused', source: 'eslint', code: 'no-unused' },
      { absPath: path.join(ws, 'src/app.ts'), line: 1, column: 1, severity: 'error', message: "Cannot find name 'x'.", source: 'ts', code: '2304' },
      { absPath: '/elsewhere/file.ts', line: 1, column: 1, severity: 'error', message: 'outside' },
    ];
    const all = await one('get_diagnostics', {});
    assert.equal(all.text, "src/app.ts:1:1 error: Cannot find name 'x'. [ts 2304]\nsrc/util.ts:2:4 warning: Unused [eslint no-unused]");
    const single = await one('get_diagnostics', { path: 'src/util.ts' });
    assert.equal(single.text, 'src/util.ts:2:4 warning: Unused [eslint no-unused]');
  });
});

describe('tools: edits', () => {
  const replaceReturn = { path: 'src/app.ts', action: 'replace', old_text: '  return a + b;', new_text: '  return a + b + 0;' };

  it('shows a proposal with hunks and writes only on Apply', async () => {
    const { one, host, ws, cards } = await setup();
    const applied = await one('propose_edit', replaceReturn, {
      decision: 'apply',
      beforeDecide: async () => assert.equal(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), APP, 'nothing written before Apply'),
    });
    const waiting = cards.updates.find((u) => u.status === 'awaiting_approval');
    assert.equal(waiting?.approval?.kind, 'apply_discard');
    assert.equal(waiting?.approval?.hunks?.length, 1);
    assert.equal(applied.card.status, 'applied');
    assert.match(applied.text, /^Applied the edit to src\/app\.ts \(\+1 −1 lines\)\.$/);
    assert.equal(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), APP.replace('a + b;', 'a + b + 0;'));
    assert.equal(host.reviews[0].closed, true);
  });

  it('leaves the file byte-identical on Discard', async () => {
    const { one, ws, host } = await setup();
    const before = await fs.readFile(path.join(ws, 'src/app.ts'));
    const discarded = await one('propose_edit', replaceReturn, { decision: 'discard' });
    assert.equal(discarded.card.status, 'discarded');
    assert.equal(discarded.result.is_error, undefined);
    assert.match(discarded.text, /discarded.*unchanged/);
    assert.deepEqual(await fs.readFile(path.join(ws, 'src/app.ts')), before);
    assert.equal(host.writes.length, 0);
  });

  it('tells the model what the user changed in the proposal', async () => {
    const { one, host, ws } = await setup();
    host.onReview = (review) => review.userEdits(review.currentText().replace('a + b + 0;', 'b + a;'));
    const { text } = await one('propose_edit', replaceReturn, { decision: 'apply' });
    assert.equal(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), APP.replace('a + b;', 'b + a;'));
    assert.match(text, /the user edited your proposal/);
    assert.match(text, /- {2}return a \+ b \+ 0;\n\+ {2}return b \+ a;/);
  });

  it('applies only the accepted hunks', async () => {
    const { one, ws } = await setup();
    const long = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n';
    await fs.writeFile(path.join(ws, 'src/long.ts'), long);
    const create = long.replace('const v1 = 1;', 'const v1 = 100;').replace('const v25 = 25;', 'const v25 = 2500;');
    // One replace cannot span both places with a unique short string, so replace the whole text.
    const { text, card } = await one('propose_edit', { path: 'src/long.ts', action: 'replace', old_text: long.trimEnd(), new_text: create.trimEnd() }, { decision: 'apply', acceptedHunks: [1] });
    assert.equal(await fs.readFile(path.join(ws, 'src/long.ts'), 'utf8'), long.replace('const v25 = 25;', 'const v25 = 2500;'));
    assert.match(text, /accepted 1 of 2 hunks/);
    assert.match(card.summary ?? '', /1\/2 hunks/);
  });

  it('refuses with the lines when old_text is not unique, and the closest line when missing', async () => {
    const { one, ws } = await setup({ autoApplyEdits: true });
    await fs.writeFile(path.join(ws, 'src/dup.ts'), 'x();\ny();\nx();\n');
    const dup = await one('propose_edit', { path: 'src/dup.ts', action: 'replace', old_text: 'x();', new_text: 'z();' });
    assert.equal(dup.result.is_error, true);
    assert.match(dup.text, /old_text occurs 2 times, at lines 1, 3/);
    const missing = await one('propose_edit', { path: 'src/app.ts', action: 'replace', old_text: '  return a - b;', new_text: 'x' });
    assert.match(missing.text, /closest line .* line 2: " {2}return a \+ b;"/);
    assert.equal(await fs.readFile(path.join(ws, 'src/dup.ts'), 'utf8'), 'x();\ny();\nx();\n');
  });

  it('never writes over a file that changed while the proposal waited', async () => {
    const { one, ws } = await setup();
    const changed = APP.replace('add', 'sum');
    const { result, text } = await one('propose_edit', replaceReturn, {
      decision: 'apply',
      beforeDecide: () => fs.writeFile(path.join(ws, 'src/app.ts'), changed),
    });
    assert.equal(result.is_error, true);
    assert.match(text, /changed after the edit was proposed, so nothing was written/);
    assert.equal(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), changed);
  });

  it('auto-applies with autoApplyEdits but still asks for .vscode/', async () => {
    const { one, ws, cards } = await setup({ autoApplyEdits: true });
    const auto = await one('propose_edit', replaceReturn);
    assert.equal(auto.card.status, 'applied');
    assert.match(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), /a \+ b \+ 0/);
    const vscode = await one('propose_edit', { path: '.vscode/settings.json', action: 'replace', old_text: '{}', new_text: '{"x": 1}' }, { decision: 'discard' });
    assert.equal(vscode.card.status, 'discarded');
    assert.match(cards.updates.find((u) => u.toolUseId === vscode.result.tool_use_id && u.approval)?.approval?.reason ?? '', /\.vscode/);
  });

  it('creates a new file (and refuses to create over an existing one)', async () => {
    const { one, ws } = await setup();
    const created = await one('propose_edit', { path: 'src/new/feature.ts', action: 'create', new_text: 'export {};\n' }, { decision: 'apply' });
    assert.equal(created.card.status, 'applied');
    assert.equal(await fs.readFile(path.join(ws, 'src/new/feature.ts'), 'utf8'), 'export {};\n');
    const again = await one('propose_edit', { path: 'src/app.ts', action: 'create', new_text: 'x' });
    assert.match(again.text, /already exists/);
  });

  it('answers parallel calls in order, one result per call', async () => {
    const { run } = await setup({ autoApplyEdits: true });
    const results = await run([
      { name: 'read_file', input: { path: 'README.md' } },
      { name: 'propose_edit', input: { path: 'README.md', action: 'insert', line: 1, new_text: 'Body.' } },
      { name: 'read_file', input: { path: 'README.md' } },
    ]);
    assert.deepEqual(results.map((r) => r.tool_use_id), ['call_1', 'call_2', 'call_3']);
    assert.match(String(results[2].content), /2\tBody\./);
  });

  it('throws on stop while waiting, closes the diff and marks the cards skipped', async () => {
    const { runner, host, cards } = await setup();
    const controller = new AbortController();
    const calls: ToolUseBlock[] = [
      { type: 'tool_use', id: 'e1', name: 'propose_edit', input: replaceReturn },
      { type: 'tool_use', id: 'r2', name: 'read_file', input: { path: 'README.md' } },
    ];
    const running = runner.execute(calls, { signal: controller.signal, onCard: (s) => { cards.onCard(s); if (s.status === 'awaiting_approval') void Promise.resolve().then(() => controller.abort()); } });
    await assert.rejects(running, { name: 'AbortError' });
    assert.equal(host.reviews[0].closed, true);
    assert.deepEqual(runner.pendingDecisions(), []);
    assert.equal(cards.latest('e1')?.status, 'skipped');
    assert.equal(cards.latest('r2')?.status, 'skipped');
    assert.equal(host.writes.length, 0);
  });

  it('ignores decisions for unknown calls or of the wrong kind', async () => {
    const { runner } = await setup();
    assert.equal(runner.decide('nope', 'apply'), false);
  });
});

describe('tools: the text editor tool', () => {
  it('views files and folders, and edits through the same review', async () => {
    const { one, ws } = await setup({ editorToolStyle: 'anthropic' });
    const tool = 'str_replace_based_edit_tool';
    assert.match((await one(tool, { command: 'view', path: 'src/app.ts' })).text, /1\texport function add/);
    assert.match((await one(tool, { command: 'view', path: 'src/app.ts', view_range: [2, -1] })).text, /lines 2-3 of 3/);
    assert.match((await one(tool, { command: 'view', path: 'src' })).text, /app\.ts\nutil\.ts/);
    const replaced = await one(tool, { command: 'str_replace', path: 'src/app.ts', old_str: 'a + b', new_str: 'b + a' }, { decision: 'apply' });
    assert.equal(replaced.card.status, 'applied');
    const inserted = await one(tool, { command: 'insert', path: 'src/app.ts', insert_line: 0, insert_text: '// header' }, { decision: 'apply' });
    assert.equal(inserted.card.status, 'applied');
    assert.equal(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), '// header\n' + APP.replace('a + b', 'b + a'));
    const created = await one(tool, { command: 'create', path: 'notes.md', file_text: 'hi\n' }, { decision: 'apply' });
    assert.equal(created.card.status, 'applied');
    assert.match((await one(tool, { command: 'undo_edit', path: 'notes.md' })).text, /not supported/);
    // Refusals use the text editor's own parameter names.
    assert.match((await one(tool, { command: 'str_replace', path: 'notes.md', old_str: 'nope', new_str: 'x' })).text, /^notes\.md: old_str was not found/);
    assert.match((await one(tool, { command: 'create', path: 'notes.md', file_text: 'x' })).text, /Use the str_replace command/);
    assert.match((await one(tool, { command: 'delete', path: 'notes.md' })).text, /Invalid input for str_replace_based_edit_tool: command/);
    assert.match((await one(tool, { command: 'view', path: '/etc/passwd' })).text, /outside the workspace/);
  });

  it('follows the per-tool setting of the equivalent custom tool', async () => {
    const { one, ws } = await setup({ editorToolStyle: 'anthropic', toolApproval: { propose_edit: 'auto' } });
    const auto = await one('str_replace_based_edit_tool', { command: 'str_replace', path: 'src/app.ts', old_str: 'a + b', new_str: 'a * b' });
    assert.equal(auto.card.status, 'applied');
    assert.match(await fs.readFile(path.join(ws, 'src/app.ts'), 'utf8'), /a \* b/);
  });
});
