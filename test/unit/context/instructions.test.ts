import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverInstructions, formatInstructions, type InstructionQuery } from '../../../src/core/context/instructions';

const root = path.resolve('/ws');
const p = (...parts: string[]) => path.join(root, ...parts);

function reader(files: Record<string, string>, refuse: Record<string, string> = {}) {
  const reads: string[] = [];
  const read = async (absPath: string): Promise<string | undefined> => {
    reads.push(absPath);
    if (refuse[absPath]) throw new Error(refuse[absPath]);
    return files[absPath];
  };
  return { read, reads };
}

const query = (extra: Partial<InstructionQuery> = {}): InstructionQuery => ({ trusted: true, roots: [root], ...extra });

describe('instruction files', () => {
  it('uses the root files, then the nearest nested folder above the active file', async () => {
    const { read } = reader({
      [p('AGENTS.md')]: 'root agents',
      [p('.github', 'copilot-instructions.md')]: 'copilot',
      [p('packages', 'api', 'CLAUDE.md')]: 'api rules',
      [p('packages', 'AGENTS.md')]: 'packages rules (farther away: not used)',
    });
    const { files } = await discoverInstructions(query({ activeFile: p('packages', 'api', 'src', 'x.ts') }), read);
    assert.deepEqual(files.map((f) => f.label), ['AGENTS.md', '.github/copilot-instructions.md', 'packages/api/CLAUDE.md']);
  });

  it('reads nothing at all in an untrusted workspace, not even the user file', async () => {
    const { read, reads } = reader({ [p('AGENTS.md')]: 'x', '/home/u/rules.md': 'mine' });
    const { files } = await discoverInstructions(query({ trusted: false, userFile: '/home/u/rules.md' }), read);
    assert.deepEqual(files, []);
    assert.deepEqual(reads, []);
  });

  it('puts the user file first and labels it', async () => {
    const { read } = reader({ [p('CLAUDE.md')]: 'project', '/home/u/rules.md': 'mine' });
    const { files } = await discoverInstructions(query({ userFile: '/home/u/rules.md' }), read);
    assert.deepEqual(files.map((f) => f.label), ['rules.md (user)', 'CLAUDE.md']);
  });

  it('caps each file and the total, with warnings', async () => {
    const { read } = reader({ [p('AGENTS.md')]: 'a\n'.repeat(100), [p('CLAUDE.md')]: 'b\n'.repeat(100) });
    const { files, warnings } = await discoverInstructions(query({ maxCharsPerFile: 120, maxCharsTotal: 150 }), read);
    assert.equal(files.length, 2);
    assert.ok(files[0].text.length <= 120 && files[0].warning);
    assert.ok(files[0].text.length + files[1].text.length <= 150);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /AGENTS\.md is 200 characters; only the first \d+ are used/);
  });

  it('a file the read gate refuses is skipped with the reason', async () => {
    const { read } = reader({ [p('CLAUDE.md')]: 'ok' }, { [p('AGENTS.md')]: 'a symbolic link that leads outside the workspace' });
    const { files, warnings } = await discoverInstructions(query(), read);
    assert.deepEqual(files.map((f) => f.label), ['CLAUDE.md']);
    assert.deepEqual(warnings, ['AGENTS.md was not used: a symbolic link that leads outside the workspace']);
  });

  it('formats a system section naming each file, or nothing', async () => {
    assert.equal(formatInstructions([]), undefined);
    const text = formatInstructions([{ label: 'AGENTS.md', absPath: p('AGENTS.md'), text: 'Use tabs.', tokens: 3 }])!;
    assert.match(text, /<instructions file="AGENTS.md">\n```markdown\nUse tabs.\n```\n<\/instructions>/);
  });
});
