// Context blocks and slash commands with exact output: the header of each kind of chip, the
// escaping of the source attribute, which repeats are dropped, where a long text is cut, and the
// prompt and attached context of each command.
import * as assert from 'node:assert/strict';
import type { ContextAttachment } from '../../../src/shared/context';
import { capText, chipTokens, dedupeContext, formatContextBlock, formatContextPreamble } from '../../../src/core/context/contextBlocks';
import { COMMAND_CONTEXT, parseSlashCommand, promptForCommand } from '../../../src/core/context/slashCommands';

const chip = (extra: Partial<ContextAttachment>): ContextAttachment => ({ kind: 'file', label: 'a.ts', text: 'x', tokens: 1, ...extra });

describe('context blocks, exactly', () => {
  it('titles each kind and names path, or else the label, language, lines and truncation', () => {
    const header = (c: ContextAttachment) => /^<context source="([^"]*)">/.exec(formatContextBlock(c))![1];
    assert.equal(header(chip({ path: 'src/a.ts', language: 'ts', range: { startLine: 2, endLine: 9 }, truncated: true })), 'File | path: src/a.ts | language: ts | lines: 2-9 | truncated');
    assert.equal(header(chip({ kind: 'folder', label: 'src', path: 'src' })), 'Folder listing | path: src');
    assert.equal(header(chip({ kind: 'selection', label: 'sel' })), 'Selection | name: sel');
    assert.equal(header(chip({ kind: 'problems', label: 'problems' })), 'Problems (diagnostics)', 'a label equal to the kind adds nothing');
    assert.equal(header(chip({ kind: 'changes', label: 'changes' })), 'Working tree changes (git diff)');
    assert.equal(header(chip({ kind: 'terminal', label: 'terminal', truncated: false })), 'Terminal (last command and output)');
    assert.equal(header(chip({ label: 'a & <b> "c"' })), 'File | name: a &amp; &lt;b> &quot;c&quot;');
  });

  it('fences the content in its language, and a diff as diff', () => {
    assert.equal(formatContextBlock(chip({ kind: 'changes', label: 'changes', language: 'ts', text: '+a' })), '<context source="Working tree changes (git diff) | language: ts">\n```diff\n+a\n```\n</context>');
    assert.equal(formatContextBlock(chip({ text: 'y' })), '<context source="File | name: a.ts">\n```\ny\n```\n</context>');
    assert.equal(chipTokens(chip({ text: 'y' })), Math.ceil(formatContextBlock(chip({ text: 'y' })).length / 4));
  });

  it('drops the same source twice, a selection of an attached whole file, and the same text twice', () => {
    const whole = chip({ path: 'a.ts' });
    const cut = chip({ path: 'b.ts', label: 'b.ts', truncated: true, text: 'B' });
    const kept = dedupeContext([
      whole,
      chip({ kind: 'selection', path: 'a.ts', label: 'a.ts:1-1', range: { startLine: 1, endLine: 1 }, text: 's1' }),
      cut,
      chip({ kind: 'selection', path: 'b.ts', label: 'b.ts:1-1', range: { startLine: 1, endLine: 1 }, text: 's2' }),
      chip({ kind: 'selection', path: 'b.ts', label: 'b.ts:2-2', range: { startLine: 2, endLine: 2 }, text: 's3' }),
      chip({ kind: 'selection', path: 'b.ts', label: 'b.ts:2-2 again', range: { startLine: 2, endLine: 2 }, text: 's4' }),
      chip({ kind: 'terminal', label: 'terminal', text: '' }),
      chip({ kind: 'terminal', label: 'terminal 2', text: '' }),
      chip({ kind: 'problems', label: 'one', text: 'same' }),
      chip({ kind: 'problems', label: 'two', text: 'same' }),
      chip({ kind: 'changes', label: 'c', text: 'same' }),
    ]);
    assert.deepEqual(kept.map((c) => c.label), ['a.ts', 'b.ts', 'b.ts:1-1', 'b.ts:2-2', 'terminal', 'terminal 2', 'one', 'c']);
  });

  it('writes the preamble only when something is attached', () => {
    assert.equal(formatContextPreamble([]), undefined);
    assert.equal(formatContextPreamble([chip({}), chip({})]), `The user attached this context:\n\n${formatContextBlock(chip({}))}`);
  });

  it('cuts at the last line end past the middle, or else at the limit', () => {
    assert.deepEqual(capText('abcdef', 6), { text: 'abcdef', truncated: false });
    assert.deepEqual(capText('abc\ndefghij', 8), { text: 'abc\ndefg', truncated: true }, 'a line end before the middle is too early: 3 is not > 4');
    assert.deepEqual(capText('abcde\nfghij', 8), { text: 'abcde', truncated: true });
    assert.deepEqual(capText('abcdefghij', 4), { text: 'abcd', truncated: true });
    assert.deepEqual(capText('abcd\nefgh', 8), { text: 'abcd\nefg', truncated: true }, 'exactly the middle is not past it');
  });
});

describe('slash commands, exactly', () => {
  it('parses only a known lower-case command at the start', () => {
    assert.deepEqual(parseSlashCommand('  /explain\n  this part  '), { name: 'explain', rest: 'this part' });
    assert.deepEqual(parseSlashCommand('/doc'), { name: 'doc', rest: '' });
    for (const text of ['/Fix', '/fixes', '/fix-it', 'fix', '/ fix', '/compactly now']) assert.equal(parseSlashCommand(text), undefined, text);
  });

  it('gives each prompt command its prompt and needed context', () => {
    assert.equal(promptForCommand({ name: 'explain', rest: '' }), 'Explain the attached code: what it does, how it works, and anything surprising or risky.');
    assert.equal(promptForCommand({ name: 'fix', rest: 'quickly' }), 'Fix the problems reported in the attached code. Explain each cause briefly, then propose the smallest correct change as an edit.\n\nquickly');
    assert.match(promptForCommand({ name: 'tests', rest: '' })!, /^Write unit tests for the attached code, in the style and framework the project already uses\./);
    assert.match(promptForCommand({ name: 'doc', rest: '' })!, /^Write documentation comments for the attached code .*do not change behaviour\.$/);
    assert.equal(promptForCommand({ name: 'new', rest: 'x' }), undefined);
    assert.deepEqual(COMMAND_CONTEXT, { explain: ['selection'], fix: ['selection', 'problems'], tests: ['selection'], doc: ['selection'] });
  });
});
