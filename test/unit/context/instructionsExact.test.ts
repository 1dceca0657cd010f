// Instruction files from a repository that may be hostile: exactly which paths are read (and in
// what order, with which scope), which nested folder wins, the caps with their exact warnings, and
// the exact system section (a label cannot break out of its attribute).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  INSTRUCTION_FILE_NAMES,
  MAX_INSTRUCTION_CHARS_PER_FILE,
  MAX_INSTRUCTION_CHARS_TOTAL,
  discoverInstructions,
  formatInstructions,
  instructionCandidates,
  type InstructionQuery,
} from '../../../src/core/context/instructions';

const root = path.resolve('/ws');
const p = (...parts: string[]): string => path.join(root, ...parts);

function reader(files: Record<string, string>, refuse: Record<string, string> = {}) {
  const reads: string[] = [];
  const read = async (absPath: string, scope: 'workspace' | 'user'): Promise<string | undefined> => {
    reads.push(`${scope}:${absPath}`);
    if (refuse[absPath]) throw new Error(refuse[absPath]);
    return files[absPath];
  };
  return { read, reads };
}

const query = (extra: Partial<InstructionQuery> = {}): InstructionQuery => ({ trusted: true, roots: [root], ...extra });
const names = (dir: string): string[] => INSTRUCTION_FILE_NAMES.map((n) => path.join(dir, n));

describe('instruction files, exactly', () => {
  it('has the documented names and limits', () => {
    assert.deepEqual(INSTRUCTION_FILE_NAMES, ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md']);
    assert.equal(MAX_INSTRUCTION_CHARS_PER_FILE, 24_000);
    assert.equal(MAX_INSTRUCTION_CHARS_TOTAL, 48_000);
  });

  it('lists the user file, each root, then every folder from the active file up to (not including) its root', () => {
    const candidates = instructionCandidates(query({ userFile: '/home/u/rules.md', activeFile: p('a', 'b', 'x.ts') }));
    assert.deepEqual(
      candidates.map((c) => [c.absPath, c.label, c.scope, c.group]),
      [
        ['/home/u/rules.md', 'rules.md (user)', 'user', 'user'],
        ...names(root).map((f) => [f, path.relative(root, f).split(path.sep).join('/'), 'workspace', root]),
        ...names(p('a', 'b')).map((f) => [f, path.relative(root, f).split(path.sep).join('/'), 'workspace', `nested:${p('a', 'b')}`]),
        ...names(p('a')).map((f) => [f, path.relative(root, f).split(path.sep).join('/'), 'workspace', `nested:${p('a')}`]),
      ],
    );
  });

  it('adds no nested folder for a file at the root, outside every root, or equal to a root', () => {
    for (const activeFile of [p('x.ts'), path.resolve('/elsewhere/a/x.ts'), path.resolve('/wsx/a/x.ts'), root]) {
      assert.deepEqual(
        instructionCandidates(query({ activeFile })).map((c) => c.absPath),
        names(root),
        activeFile,
      );
    }
  });

  it('a folder whose name starts with two dots is still inside the workspace', () => {
    const candidates = instructionCandidates(query({ activeFile: p('..config', 'x.ts') }));
    assert.deepEqual(candidates.slice(3).map((c) => c.label), ['..config/AGENTS.md', '..config/CLAUDE.md', '..config/.github/copilot-instructions.md']);
  });

  it('labels files by root name in a multi-root workspace and walks only the innermost root of the active file', () => {
    const inner = p('sub');
    const other = path.resolve('/other');
    const candidates = instructionCandidates({ trusted: true, roots: [root, inner, other], activeFile: path.join(inner, 'pkg', 'x.ts') });
    assert.deepEqual(candidates.map((c) => c.label), [
      'ws/AGENTS.md', 'ws/CLAUDE.md', 'ws/.github/copilot-instructions.md',
      'sub/AGENTS.md', 'sub/CLAUDE.md', 'sub/.github/copilot-instructions.md',
      'other/AGENTS.md', 'other/CLAUDE.md', 'other/.github/copilot-instructions.md',
      'sub/pkg/AGENTS.md', 'sub/pkg/CLAUDE.md', 'sub/pkg/.github/copilot-instructions.md',
    ]);
    // The same with the roots in the other order: the longest containing root still wins.
    const reversed = instructionCandidates({ trusted: true, roots: [inner, root], activeFile: path.join(inner, 'pkg', 'x.ts') });
    assert.deepEqual(reversed.slice(6).map((c) => c.label), ['sub/pkg/AGENTS.md', 'sub/pkg/CLAUDE.md', 'sub/pkg/.github/copilot-instructions.md']);
  });

  it('is empty when untrusted, whatever else is asked', () => {
    assert.deepEqual(instructionCandidates({ trusted: false, roots: [root], userFile: '/home/u/r.md', activeFile: p('a', 'x.ts') }), []);
  });

  it('reads the nearest nested folder with a file, all of its files, and nothing farther up', async () => {
    const { read, reads } = reader({
      [p('a', 'b', 'AGENTS.md')]: 'b agents',
      [p('a', 'b', '.github', 'copilot-instructions.md')]: 'b copilot',
      [p('a', 'AGENTS.md')]: 'a agents (farther)',
    });
    const { files, warnings } = await discoverInstructions(query({ activeFile: p('a', 'b', 'c', 'x.ts') }), read);
    assert.deepEqual(files.map((f) => f.label), ['a/b/AGENTS.md', 'a/b/.github/copilot-instructions.md']);
    assert.deepEqual(warnings, []);
    assert.deepEqual(reads, [...names(root), ...names(p('a', 'b', 'c')), ...names(p('a', 'b'))].map((f) => `workspace:${f}`));
  });

  it('reads the user and root files in one batch and each nested folder in one, waiting on a batch only once', async () => {
    // A read that answers only when the next macrotask runs: reading one file after another would
    // show as batches of one.
    const batches: string[][] = [];
    let current: string[] | undefined;
    const read = (absPath: string): Promise<string | undefined> => {
      if (!current) {
        current = [];
        batches.push(current);
        setImmediate(() => { current = undefined; });
      }
      current.push(path.relative(root, absPath) || absPath);
      return new Promise((resolve) => setImmediate(() => resolve(absPath === p('a', 'CLAUDE.md') ? 'a rules' : undefined)));
    };
    const { files } = await discoverInstructions(query({ userFile: '/home/u/rules.md', activeFile: p('a', 'b', 'x.ts') }), read);
    assert.deepEqual(files.map((f) => f.label), ['a/CLAUDE.md']);
    assert.deepEqual(batches, [
      [path.relative(root, '/home/u/rules.md'), ...INSTRUCTION_FILE_NAMES],
      INSTRUCTION_FILE_NAMES.map((n) => path.join('a', 'b', n)),
      INSTRUCTION_FILE_NAMES.map((n) => path.join('a', n)),
    ]);
  });

  it('a blank nested file does not count as found, so the next folder up is used', async () => {
    const { read } = reader({ [p('a', 'b', 'AGENTS.md')]: ' \n\t\n', [p('a', 'CLAUDE.md')]: 'a rules' });
    const { files } = await discoverInstructions(query({ activeFile: p('a', 'b', 'x.ts') }), read);
    assert.deepEqual(files.map((f) => [f.label, f.text]), [['a/CLAUDE.md', 'a rules']]);
  });

  it('reads the user file with the user scope and keeps every field of a file', async () => {
    const { read, reads } = reader({ '/home/u/rules.md': 'mine', [p('AGENTS.md')]: 'Use tabs.' });
    const result = await discoverInstructions(query({ userFile: '/home/u/rules.md' }), read);
    assert.deepEqual(result, {
      files: [
        { label: 'rules.md (user)', absPath: '/home/u/rules.md', text: 'mine', tokens: 1, warning: undefined },
        { label: 'AGENTS.md', absPath: p('AGENTS.md'), text: 'Use tabs.', tokens: 3, warning: undefined },
      ],
      warnings: [],
    });
    assert.equal(reads[0], 'user:/home/u/rules.md');
  });

  it('caps each file on a line boundary and says so exactly, then refuses what the total cannot hold', async () => {
    const { read } = reader({ [p('AGENTS.md')]: 'a\n'.repeat(100), [p('CLAUDE.md')]: 'b\n'.repeat(100), [p('.github', 'copilot-instructions.md')]: 'c' });
    const { files, warnings } = await discoverInstructions(query({ maxCharsPerFile: 121, maxCharsTotal: 150 }), read);
    assert.deepEqual(files.map((f) => [f.label, f.text.length, f.tokens]), [['AGENTS.md', 121, 31], ['CLAUDE.md', 29, 8]]);
    assert.deepEqual(warnings, [
      'AGENTS.md is 200 characters; only the first 121 are used.',
      'CLAUDE.md is 200 characters; only the first 29 are used.',
      '.github/copilot-instructions.md was not used: the instruction files already fill the 150-character limit.',
    ]);
    assert.equal(files[0].warning, warnings[0]);
  });

  it('a file exactly at the per-file cap is whole, and the defaults apply without caps', async () => {
    const { read } = reader({ [p('AGENTS.md')]: 'x'.repeat(24_000), [p('CLAUDE.md')]: 'y'.repeat(24_001), [p('.github', 'copilot-instructions.md')]: 'z' });
    const { files, warnings } = await discoverInstructions(query(), read);
    assert.deepEqual(files.map((f) => [f.label, f.text.length, f.warning]), [
      ['AGENTS.md', 24_000, undefined],
      ['CLAUDE.md', 24_000, 'CLAUDE.md is 24001 characters; only the first 24000 are used.'],
    ]);
    assert.deepEqual(warnings.slice(1), ['.github/copilot-instructions.md was not used: the instruction files already fill the 48000-character limit.']);
  });

  it('a refused file is reported with its reason and the others are still read', async () => {
    const { read } = reader({ [p('CLAUDE.md')]: 'ok' }, { [p('AGENTS.md')]: 'outside the workspace' });
    const { files, warnings } = await discoverInstructions(query(), read);
    assert.deepEqual(files.map((f) => f.label), ['CLAUDE.md']);
    assert.deepEqual(warnings, ['AGENTS.md was not used: outside the workspace']);
  });

  it('formats the exact section; a quote in a label cannot end the attribute', () => {
    const file = (label: string, text: string) => ({ label, absPath: p(label), text, tokens: 1 });
    assert.equal(
      formatInstructions([file('AGENTS.md', 'Use tabs.'), file('a"b.md', 'has ``` inside')]),
      [
        'The user and the project give these standing instructions. Follow them unless the user asks otherwise in the conversation; when two disagree, the later (more specific) one wins.',
        '<instructions file="AGENTS.md">\n```markdown\nUse tabs.\n```\n</instructions>',
        '<instructions file="a&quot;b.md">\n````markdown\nhas ``` inside\n````\n</instructions>',
      ].join('\n\n'),
    );
    assert.equal(formatInstructions([file('"x"', 't')])?.includes('file="&quot;x&quot;"'), true);
  });
});
