// The @aiml participant's pure parts: slash-command prompts, references as context blocks,
// follow-ups, and VS Code's chat history as stored messages.
import * as assert from 'node:assert/strict';
import { followupsFor, participantPromptText } from '../../../src/core/participant/prompt';
import { promptForCommand } from '../../../src/core/context/slashCommands';
import * as path from 'node:path';
import { referenceChips } from '../../../src/core/participant/references';
import { formatContextPreamble } from '../../../src/core/context/contextBlocks';
import type { ContextReadDeps } from '../../../src/core/context/contextSources';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';
import { historyFromTurns } from '../../../src/core/participant/history';

describe('participant prompt', () => {
  it('puts the command instruction before the user words, and leaves plain prompts alone', () => {
    assert.match(participantPromptText('explain', ''), /^Explain the attached code/);
    assert.match(participantPromptText('fix', '  only the null check '), /^Fix the problems[\s\S]*\n\nonly the null check$/);
    // One implementation: the chat view's slash commands send the same text.
    for (const name of ['explain', 'fix', 'tests', 'doc'] as const) assert.equal(participantPromptText(name, ' x '), promptForCommand({ name, rest: 'x' }));
    assert.match(participantPromptText('tests', 'use vitest'), /unit tests[\s\S]*use vitest$/);
    assert.match(participantPromptText('doc', ''), /documentation comments/);
    assert.equal(participantPromptText(undefined, ' hello '), 'hello');
    assert.equal(participantPromptText('unknown', 'hello'), 'hello');
  });

  it('offers follow-ups that suit the command just run', () => {
    assert.deepEqual(followupsFor('explain').map((f) => f.command), ['tests', 'doc']);
    assert.deepEqual(followupsFor('fix').map((f) => f.command), ['tests']);
    assert.deepEqual(followupsFor('doc'), []);
    assert.deepEqual(followupsFor(undefined).map((f) => f.command), ['explain']);
  });
});

describe('participant history', () => {
  let n = 0;
  const newId = () => `m${++n}`;

  it('turns alternating turns into stored messages', () => {
    const messages = historyFromTurns([{ role: 'user', text: 'Hi' }, { role: 'assistant', text: 'Hello!' }], newId, 5);
    assert.deepEqual(messages.map((m) => [m.role, m.content, m.kind ?? m.status]), [
      ['user', [{ type: 'text', text: 'Hi' }], 'prompt'],
      ['assistant', [{ type: 'text', text: 'Hello!' }], 'complete'],
    ]);
    assert.equal(messages[0].createdAt, 5);
  });

  it('merges a prompt that got no answer into the next one, skips empty turns and a leading answer', () => {
    const messages = historyFromTurns([
      { role: 'assistant', text: 'stray' },
      { role: 'user', text: 'first' },
      { role: 'assistant', text: '   ' },
      { role: 'user', text: 'second' },
      { role: 'assistant', text: 'answer' },
    ], newId, 0);
    assert.deepEqual(messages.map((m) => [m.role, (m.content[0] as { text: string }).text]), [['user', 'first\n\nsecond'], ['assistant', 'answer']]);
  });
});

describe('participant references', () => {
  let deps: ContextReadDeps;
  let ws: string;
  before(async () => {
    ws = tempDir('aiml-participant-');
    await writeFiles(ws, { 'src/a.ts': 'line one\nline two\nline three\n', '.env': 'TOKEN=abc\n' });
    const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
    deps = { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths() };
  });

  it('become the chat view\'s chips, read through its gate and formatted by its code', async () => {
    const { chips, refused } = await referenceChips(deps, [
      { kind: 'file', path: path.join(ws, 'src', 'a.ts') },
      { kind: 'range', path: path.join(ws, 'src', 'a.ts'), startLine: 2, endLine: 3 },
      { kind: 'file', path: path.join(ws, 'src') },
      { kind: 'text', name: 'note"<x>', text: 'plain' },
      { kind: 'file', path: path.join(ws, '.env') },
    ]);
    assert.deepEqual(chips.map((c) => [c.kind, c.label]), [['file', 'src/a.ts'], ['selection', 'src/a.ts:2-3'], ['folder', 'src/'], ['selection', 'note"<x>']]);
    assert.equal(chips[1].text, 'line two\nline three');
    assert.ok(chips.every((c) => c.tokens > 0));
    assert.deepEqual(refused.length, 1);
    assert.match(refused[0], /\.env looks like it holds secrets/);
    const preamble = formatContextPreamble(chips)!;
    // The selection inside the attached whole file is sent once; the text keeps its (escaped) name.
    assert.equal(preamble.match(/<context /g)?.length, 3, preamble);
    assert.match(preamble, /<context source="File \| path: src\/a.ts \| language: typescript">/);
    assert.match(preamble, /<context source="Selection \| name: note&quot;&lt;x>">/);
  });
});
